"""Suggestion word tables (search/engine/whoosh/words.py): the vectorised edit distance against a plain one."""
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from search.engine.whoosh.words import NameStarts, NearWords


def osa(a: str, b: str) -> int:
    """Optimal string alignment distance, the textbook way."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


WORDS = st.text(alphabet="abdéسل", min_size=1, max_size=7)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30, unique=True), WORDS)
def test_near_words_are_those_within_two_edits(words, query):
    near = NearWords(Counter({w: i + 1 for i, w in enumerate(words)}))
    expected = sorted((osa(query, w), -(i + 1), w) for i, w in enumerate(words) if w != query and osa(query, w) <= 2)
    assert near.near(query, limit=100) == [(w, -n) for _, n, w in expected]


def test_a_swap_of_neighbours_is_one_edit():
    near = NearWords(Counter({"Alep": 1, "Hama": 1}))
    assert near.near("Aelp", maxdist=1) == [("Alep", 1)]


def test_names_complete_case_and_accents_aside_most_reported_first():
    starts = NameStarts(Counter({"v:Téhéran": 9, "v:TEHERAN": 2, "v:Tehran": 4, "v:Tel Aviv": 6, "v:Homs": 1}))
    assert starts.complete("teh") == [("Téhéran", 9), ("Tehran", 4)]
    assert starts.complete("Tel A") == [("Tel Aviv", 6)]
    assert starts.complete("te", limit=2) == [("Téhéran", 9), ("Tel Aviv", 6)]
    assert starts.complete("") == [] and starts.complete("zz") == []


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=30, unique=True), st.lists(WORDS, max_size=10))
def test_a_words_reports_are_read_from_its_list(words, others):
    counts = Counter({w: i + 1 for i, w in enumerate(words)})
    near = NearWords(counts)
    assert [near.count(w) for w in words + others] == [counts.get(w, 0) for w in words + others]
    assert near.count("a" * 40) is None and near.count("") is None  # not listed: Whoosh is asked


def test_a_servers_lexicon_counts_words_as_whoosh_does(seeds_index):
    """Warmed with the counts (a server), the lexicon reads the words' reports from the suggestions'
    lists: every ``folded`` and ``verbatim`` word of the seeds, in lower case and as written, counts
    what Whoosh's term dictionary counts, a word written nowhere 0."""
    from search import indexing
    from search.engine.whoosh.words import field_counts
    plain, warmed = indexing.open_index(seeds_index), indexing.open_index(seeds_index)
    try:
        warmed.vocabulary().warm(counts=True)
        assert warmed.vocabulary().words.count("folded", "zzzqqq") == 0
        with warmed._reading() as (_, searcher):
            words = sorted(field_counts(searcher.reader(), "folded")) + sorted(field_counts(searcher.reader(), "verbatim"))
        words += ["Zzzqqq", "x" * 40]
        assert plain.vocabulary().words.count("folded", words[0]) is None  # not read: Whoosh answers it
        assert [warmed.vocabulary().lower_case(w) for w in words] == [plain.vocabulary().lower_case(w) for w in words]
        assert warmed.vocabulary().word_reports(words) == plain.vocabulary().word_reports(words)
    finally:
        plain.close()
        warmed.close()
