"""Property tests: any Unicode text through the analyzers, the query parser, the search and the highlighter.

Nothing raises; what is shown is escaped HTML whose only tags are balanced
``<mark>``s, and whose text is the report's own.
"""
from __future__ import annotations

import html
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from search import indexing, settings
from search.errors import BadRequest
from search.fields import FIELD_ANALYZERS
from search.highlight import excerpts
from search.highlight.formatters import HtmlFormatter
from search.highlight.spans import Highlighter
from search.params import SearchParams, parse_params
from search.query import syntax as query
from search.query.nodes import Marks
from search.service import SearchService
from search.text.fold import fold_accents

from .conftest import write_reports

# Any code point but surrogates (a URL cannot carry them), plus the characters that matter here.
ANY_CHAR = st.characters(blacklist_categories=("Cs",))
SPECIAL = st.sampled_from(list('"*?-()[]{}:^~<>&\'’\\|+=!/\n\t\r\x00\u200b\u200c\u202e\u0301\ufeff') +
                          ["OR", "NOT", "AND", "&&", "Homs", "Hama", "Palmyre", "frapp*", "al-", "l’", "ـ", "İ", "ß"])
TEXT = st.lists(st.sampled_from(["Homs", "HOMS", "homs", "Hama", "-Homs", "OR"]), max_size=6).map(" ".join) | st.lists(st.text(ANY_CHAR, max_size=12) | SPECIAL, max_size=40).map(" ".join) | st.text(ANY_CHAR, max_size=200)
ESCAPED = re.compile(r"(?:[^<>&\"']|&(?:amp|lt|gt|#34|#39);|</?mark>)*")
FUZZ = hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def shown_text(fragment: str) -> str:
    """The text of an HTML fragment, once checked: all escaped, only balanced, unnested <mark>s."""
    fragment = str(fragment)
    assert ESCAPED.fullmatch(fragment), fragment
    depth = 0
    for tag in re.findall(r"</?mark>", fragment):
        depth += 1 if tag == "<mark>" else -1
        assert depth in (0, 1), fragment
    assert depth == 0, fragment
    return html.unescape(re.sub(r"</?mark>", "", fragment))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    reports = write_reports(root / "reports", {
        "a.txt": "date: 2023-11-02\nsource: <b>AFP</b>\nFrappes à Homs <script>x</script>\n\n"
                 "L’armée a frappé Hama & Homs.\n\nAbou Kamal, al-Bukamal, Boukamal : « ça » <i>va</i>.",
        "b.txt": "Palmyre\n\nTadmor (Palmyre) 💥 \u202eكمال\u202c مرحبا, Ḥamāh, İzmir, Straße.",
        "c.txt": "Sans date\n\n" + "mot " * 400 + "Homs à la fin.",
    })
    indexing.rebuild(reports, root / "index", procs=1)
    service = SearchService.open(root / "index")
    yield service
    service.close()


@FUZZ
@given(TEXT)
def test_analyzers_accept_any_text(text):
    for name, analyzer in FIELD_ANALYZERS.items():
        for q in (False, True):
            for t in analyzer(text, query=q):
                assert 0 <= t.start < t.end <= len(text), (name, t)
                assert t.text, (name, t)
                if name in ("verbatim", "folded"):
                    assert text[t.start:t.end] == t.original, (name, t)


@FUZZ
@given(TEXT)
def test_any_query_parses_within_bounds(text):
    parsed = query.parse(text)
    assert len(parsed.text) <= settings.get("max_query_chars")
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in parsed.text if c not in "\u200c\u200d")
    assert len(prefixes(parsed.node)) <= settings.get("max_prefixes")
    assert len(parsed.notices) == len(set(parsed.notices))


@FUZZ
@given(TEXT)
def test_a_query_without_repeats_keeps_each_word_once(text):
    node = query.parse(text).node
    simpler = query.without_repeats(node)
    assert (simpler is None) == (node is None)
    assert query.without_repeats(simpler) == simpler
    if not isinstance(node, query.Any):  # 'Homs OR Homs' becomes plain 'Homs'
        before, after = folded_words(node), folded_words(simpler)
        assert set(after) == set(before) and len(after) == len(set(after))


def folded_words(node) -> list[str]:
    """The words of a word run, or of the word runs of an AND, case and accents aside."""
    runs = [node] if isinstance(node, query.Words) else [n for n in getattr(node, "nodes", ()) if isinstance(n, query.Words)]
    return [fold_accents(w).casefold() for run in runs for w in run.words]


def prefixes(node) -> list:
    if isinstance(node, query.Prefix):
        return [node]
    children = getattr(node, "nodes", None) or ([node.node] if isinstance(node, query.Not) else [])
    return [p for child in children for p in prefixes(child)]


@FUZZ
@given(TEXT, st.sampled_from(["relevance", "date"]))
def test_any_query_searches_and_shows_escaped_marks(index, text, sort):
    result = index.run(SearchParams(q=text, sort=sort))
    body = result.to_json()
    assert body["total"] == result.total >= len(body["hits"])
    for hit in result.hits:
        assert shown_text(hit.title_html) == hit.title
        body = index.engine.get(hit.id).body.replace("\n", " ")
        assert shown_text(hit.snippet_html).removeprefix("… ").removesuffix(" …") in body
        assert all(spelling in hit.title + body for spelling in hit.matched)


@FUZZ
@given(TEXT)
def test_the_report_view_of_any_query_is_escaped(index, text):
    marks = index.marks(text)
    body = index.engine.get("a").body
    paragraphs = [HtmlFormatter().format(p) for p in excerpts.paragraphs(body, index.highlighter.find_spans(body, marks))]
    assert "\n\n".join(shown_text(p) for p in paragraphs) == body


@FUZZ
@given(st.dictionaries(st.sampled_from(["q", "source", "from", "to", "sort", "page", "per_page", "x"]),
                       st.lists(TEXT | st.from_regex(r"-?[0-9]{1,6}", fullmatch=True), max_size=3)))
def test_any_parameters_are_checked_or_refused(index, raw):
    try:
        params = parse_params(raw)
    except BadRequest as e:
        assert str(e)
        return
    index.run(params)


@FUZZ
@given(TEXT, st.data())
def test_snippets_of_any_text_mark_its_own_words(text, data):
    words = [t.text for t in FIELD_ANALYZERS["folded"](text)]
    wanted = set(data.draw(st.lists(st.sampled_from(words), max_size=3))) if words else set()
    spans = Highlighter().find_spans(text, Marks({"folded": frozenset(wanted)}))
    width = data.draw(st.integers(1, 300))
    shown = shown_text(HtmlFormatter().format(excerpts.snippet(text, spans, width)))
    start, end = excerpts.best_window(text, spans, width)
    inside = text[start:end].replace("\n", " ")
    assert shown == ("… " if start else "") + inside + (" …" if end < len(text) else "")
    assert shown_text(HtmlFormatter().format(excerpts.whole(text, spans))) == text
