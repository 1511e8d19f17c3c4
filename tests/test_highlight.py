"""Highlighting: everything escaped, only <mark> added, windows around the matches."""
from search.highlight.excerpts import Excerpt, best_window, paragraphs, snippet, whole
from search.highlight.formatters import HtmlFormatter, TextFormatter
from search.highlight.spans import Highlighter, spellings
from search.query.nodes import Marks

HIGHLIGHTER = Highlighter()
HTML = HtmlFormatter()


def find_spans(text, terms, phrases=None):
    return HIGHLIGHTER.find_spans(text, Marks({f: frozenset(t) for f, t in terms.items()},
                                              {f: frozenset(p) for f, p in (phrases or {}).items()}))


def mark(text, spans):
    return HTML.format(whole(text, spans))


def test_mark_escapes_and_marks():
    text = "<b>Homs</b> & Hama"
    assert mark(text, [(3, 7)]) == "&lt;b&gt;<mark>Homs</mark>&lt;/b&gt; &amp; Hama"


def test_the_text_formatter_writes_the_same_excerpt_as_plain_text():
    text = "mot " * 50 + "<b>Homs</b> & Hama" + " mot" * 50
    excerpt = snippet(text, find_spans(text, {"verbatim": {"Homs"}}), 40)
    assert TextFormatter("[", "]").format(excerpt) == "… " + excerpt.text.replace("Homs", "[Homs]") + " …"
    assert TextFormatter().format(excerpt) == "… " + excerpt.text + " …" and "<b>Homs</b> & Hama" in excerpt.text
    assert str(HTML.format(excerpt)).count("<mark>Homs</mark>") == 1


def test_numbered_matches_link_each_to_the_one_before_and_after():
    out, total = HTML.numbered([Excerpt("Homs, Homs", ((0, 4), (6, 10))), Excerpt("<Homs>", ((1, 5),))])
    assert total == 3
    assert str(out[1]) == ('&lt;<mark id="m3">Homs</mark><a class="jump" href="#m2" '
                           'aria-label="occurrence précédente">‹</a>&gt;')
    assert str(out[0]).count('class="jump"') == 3


def test_find_spans_uses_each_fields_analyzer():
    text = "L’armée est entrée à Téhéran; les frappes continuent."
    spans = find_spans(text, {"folded": {"teheran", "armee"}, "stem": {"frappe"}})
    assert [text[s:e] for s, e in spans] == ["armée", "Téhéran", "frappes"]


def test_overlapping_spans_merge():
    assert find_spans("abc", {}) == []
    text = "Abou Kamal"
    spans = find_spans(text, {"verbatim": {"Abou", "Kamal"}, "folded": {"abou"}})
    assert [text[s:e] for s, e in spans] == ["Abou", "Kamal"]


def test_snippet_centers_on_the_densest_matches():
    text = "mot " * 200 + "Homs et Homs " + "mot " * 200
    spans = find_spans(text, {"verbatim": {"Homs"}})
    html = HTML.format(snippet(text, spans, 80))
    assert html.startswith("… ") and html.endswith(" …") and html.count("<mark>Homs</mark>") == 2


def test_snippet_of_a_match_at_the_end_of_a_huge_text():
    text = "mot " * 300_000 + "enfin Homs."
    html = HTML.format(snippet(text, find_spans(text, {"verbatim": {"Homs"}}), 120))
    assert "<mark>Homs</mark>" in html


def test_window_without_match_is_the_start():
    assert best_window("un deux trois quatre", [], 8) == (0, 13)  # widened to the end of "trois"


def test_spellings_are_distinct_in_order():
    text = "al-Bukamal puis Abou Kamal puis al-Bukamal"
    assert spellings(text, [(0, 10), (16, 26), (32, 42)]) == ["al-Bukamal", "Abou Kamal"]


def test_paragraphs_keep_marks_in_place():
    text = "Premier <p>.\n\nSecond Homs."
    out = [HTML.format(p) for p in paragraphs(text, find_spans(text, {"verbatim": {"Homs"}}))]
    assert out == ["Premier &lt;p&gt;.", "Second <mark>Homs</mark>."]


def test_a_match_after_a_long_run_without_spaces_gets_its_window():
    text = "zzq;" * 25_000 + "Quilmaz"
    html = HTML.format(snippet(text, find_spans(text, {"verbatim": {"Quilmaz"}}), 120))
    assert html.endswith("<mark>Quilmaz</mark>")


def test_window_choice_is_linear_in_the_matches():
    text = "Homs " * 200_000
    spans = find_spans(text, {"verbatim": {"Homs"}})
    assert best_window(text, spans, 100)[0] == 0 and len(spans) == 200_000


def test_names_are_found_paragraph_by_paragraph_as_in_the_whole_text():
    """The name analyzer runs only over paragraphs that write a word of a wanted spelling:
    it must mark what analyzing the whole text marks."""
    from search.fields import FIELD_ANALYZERS
    from .conftest import SEEDS
    fanout = HIGHLIGHTER.fanout
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())]
    texts.append("Près d'Abou\nKamal.\n\n \nAl-Bukamal, puis AL-BOUKAMAL\n\nrien ici\n\nالبوكمال et Abou Kamal")
    for text in texts:
        every = sorted({t.text for t in FIELD_ANALYZERS["names"](text)})
        kamal = {t for t in every if "kamal" in t.lower() or "بوكمال" in t}
        for wanted in [w for w in (set(every), set(every[::7]), kamal) if w]:
            found = HIGHLIGHTER._name_spans(text, wanted)
            assert sorted(found) == sorted(fanout.spans(text, {"names": wanted}))
        assert HIGHLIGHTER._name_spans(text, set()) == []


def test_the_word_prefilter_keeps_every_span_of_real_news():
    """Words that cannot make a wanted term are skipped unanalyzed: on real articles, wanting
    every term of a text must still mark exactly the tokens each field makes."""
    from search.fields import FIELD_ANALYZERS
    texts = corpus_texts(150)
    texts.append("L’armée d’Aïn al-Assad, qu’Israël… les journaux ŒUVRES Sana'a İstanbul ﬁn straße")
    for text in texts:
        for field in ("verbatim", "folded", "stem"):
            tokens = [(t.text, t.start, t.end) for t in FIELD_ANALYZERS[field](text)]
            wanted = {t for t, _, _ in tokens}
            assert sorted(HIGHLIGHTER.fanout.spans(text, {field: wanted})) == sorted({(s, e) for _, s, e in tokens})


def test_phrases_are_marked_in_their_paragraphs_and_over_a_break():
    text = "Le premier ministre parle.\n\nRien.\n\nUn autre Premier Ministre.\n\nEt le premier\n\nministre"
    phrases = {"folded": {("premier", "ministre")}}
    assert [text[s:e] for s, e in find_spans(text, {}, phrases)] == ["premier ministre", "Premier Ministre"]
    only_over_a_break = "Le premier\n\nministre parle."
    assert [only_over_a_break[s:e] for s, e in find_spans(only_over_a_break, {}, phrases)] == ["premier\n\nministre"]
    both = {"folded": {("premier", "ministre"), ("rien", "ici")}}
    longer = text + "\n\nrien ici"
    assert [longer[s:e] for s, e in find_spans(longer, {}, both)] == ["premier ministre", "Premier Ministre", "rien ici"]


def test_names_are_found_stretch_by_stretch_in_real_news_as_in_the_whole_text():
    """The name analyzer runs only over the stretches between words that punctuation parts (and
    that write a needle): on real articles, wanting every names term of a text, or a few, must
    mark exactly what the names analyzer makes of the whole text."""
    from search.fields import FIELD_ANALYZERS
    texts = corpus_texts(120)
    texts.append("Et Téhéran. Es Suweida, es-Salt : Abou\u00a0Kamal — al-Bukamal (AL-BUKAMAL) ; Bandar-e Abbas, "
                 "« Deir ez-Zor » et Ras al-Aïn… Hajj Qassem Soleimani, Kataëb Hezbollah/Hamas, Israël-Hamas.")
    for text in texts:
        tokens = [(t.text, t.start, t.end) for t in FIELD_ANALYZERS["names"](text)]
        every = sorted({t for t, _, _ in tokens})
        for wanted in [w for w in (set(every), set(every[::5])) if w]:
            found = HIGHLIGHTER._name_spans(text, wanted)
            assert sorted(set(found)) == sorted({(s, e) for t, s, e in tokens if t in wanted})


def test_folding_a_text_per_distinct_character_is_folding_it_character_by_character():
    import unicodedata

    from unidecode import unidecode
    from search.text.fold import _INNER_APOSTROPHES, fold_text

    def reference(text: str) -> str:
        stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        stripped = _INNER_APOSTROPHES.sub("", stripped)
        if stripped.isascii():
            return stripped.lower()
        if any("LATIN" in unicodedata.name(c, "") for c in stripped):
            return unidecode(stripped).lower()
        return stripped.replace("\u0640", "").lower()

    texts = ["L’Œuvre à Téhéran", "Abū Kamāl ḥalab", "حلب الْبُوكَمَال", "שָׁלוֹם ‘Adan", "Ｆｕｌｌ ﬁ ½ Straße ǅ",
             "e\u0301\u0327 x\u20dd a\u034fb", "O'Neill `x`", "".join(map(chr, range(0x80, 0x2fff)))]
    assert [fold_text(t) for t in texts] == [reference(t) for t in texts]


def test_a_phrase_found_from_its_words_tokens_is_found_as_in_the_whole_token_stream():
    """A phrase's spans come from its words' tokens alone (``FanOut.word_tokens``), the words between
    analysed only where they decide: on real articles, each pair and triple of neighbouring words
    (and the same with a word between) is found where the field's whole stream finds it."""
    from search.fields import FIELD_ANALYZERS
    from search.highlight.spans import _adjacent
    texts = corpus_texts(40)
    texts.append("le grand Caire, le Caire, l’État ʻ islamique, État islamique, de la de la fin")

    def whole_stream(text, field, words):
        name = "verbatim words" if field == "verbatim" else field
        tokens = HIGHLIGHTER.fanout.tokens(text, only={name}).get(name, [])
        windows = [tokens[i:i + len(words)] for i in range(len(tokens))]
        return [(w[0][1], w[-1][2]) for w in windows if tuple(t[0] for t in w) == words and _adjacent(w)]

    checked = 0
    for text in texts:
        for field in ("verbatim", "folded"):
            tokens = [t.text for t in FIELD_ANALYZERS[field](text)]
            phrases = {tuple(tokens[i:i + n]) for n in (2, 3) for i in range(0, len(tokens) - n, 7)}
            phrases |= {(tokens[i], tokens[i + 2]) for i in range(0, len(tokens) - 2, 11)}  # a word between
            for words in phrases:
                assert Highlighter()._phrase_in(text, field, words) == whole_stream(text, field, words), words
                checked += 1
    assert checked > 1000


def corpus_texts(count: int) -> list[str]:
    """The texts of the shared corpus's first ``count`` articles (the test skipped without the corpus)."""
    import gzip
    import itertools
    import json

    import pytest

    from .names_sample import CORPUS
    if not CORPUS.exists():
        pytest.skip("the shared corpus is not beside the project")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        return [json.loads(line).get("text") or "" for line in itertools.islice(fh, count)]


def test_only_the_stretches_around_a_names_words_are_analysed_as_the_whole_text_would_mark():
    """Only the name stretches around the words that write a name's needle are made tokens and analysed
    (``spans._stretches_at``, from such a word back and on to the words that start a stretch): on real
    articles, each name alone (its words in few stretches), and on texts made for the edges (words far
    after a comma, elisions after a full stop or inside a run of names, a first word after punctuation
    or a paragraph break, other scripts, alone in their paragraphs or among Latin words), what the names
    analyzer marks in the whole text."""
    from search.fields import FIELD_ANALYZERS
    texts = corpus_texts(120) + [
        "Alep ,          Damas et Alep.          Damas, Alep,Damas. d’Alep. L’Irak ; l’Iran (Téhéran) « Bagdad »",
        ", Abou Kamal. .Homs! ?Hama: al-Bukamal—Deir ez-Zor…Raqqa/Idleb_Alep 2019,Alep",
        "Ἀθῆναι, Αθήνα. حلب، البوكمال. \ufeffAlep ـ حماة, Дамаск, Ḥalab ḫ, ℌoms.   İstanbul ب2019ـ3",
        "Ἀθῆναι, Αθήνα.\n\nحلب، البوكمال، حماة.\n\nДамаск, Москва\n\n\ufeffAlep ـ Hama, Ḥalab ḫ, ℌoms.   İstanbul",
        "Selon lui, Al Qaida et, Es Suweida, es-Salt, En Naqoura : Deir ez-Zor",  # an article not opening the text
        "   . Abou\u00a0Kamal ,\n Alep\n, Homs -\u2010- Hama ’ Qusayr '' Idleb ` Raqqa",
        "Abou Kamal l’Alep Homs d’Abou Kamal qu’Al-Bukamal Sana'a Hama l’حلب البوكمال l’Αθήνα Alep",
        "Alep          Homs         ,         Hama\n\nDamas Alep\n \nl’Alep\n\n\nAlep-\n-Homs Alep\n\nAlep",
    ]
    for text in texts:
        tokens = [(t.text, t.start, t.end) for t in FIELD_ANALYZERS["names"](text)]
        every = sorted({t for t, _, _ in tokens})
        for wanted in [{t} for t in every[::9]] + [set(every[1::13])]:
            found = HIGHLIGHTER._name_spans(text, wanted)
            assert sorted(set(found)) == sorted({(s, e) for t, s, e in tokens if t in wanted}), (wanted, text[:80])


def test_the_faster_word_pattern_finds_word_res_words_in_a_text_without_underscores():
    """``words_re``: one class for WORD_RE's letters (word characters, "_" too, and marks), used where a
    text holds no "_", must find the very words WORD_RE finds: on real articles, and on every character
    alone, between letters and after an apostrophe."""
    from search.highlight.spans import words_re
    from search.text.tokenizers import WORD_RE
    every = [chr(c) for c in range(0x110000) if chr(c) != "_" and not 0xD800 <= c < 0xE000]
    texts = [t for t in corpus_texts(200) if "_" not in t] + [
        "".join(every), " ".join(every), "a" + "a’".join(every) + "’", "l’Alep, Sana'a ‘Adan e\u0301\u0327 x\u200db ـ ١٢٣ ½"]
    for text in texts:
        assert words_re(text) is not WORD_RE
        assert [m.span() for m in words_re(text).finditer(text)] == [m.span() for m in WORD_RE.finditer(text)]
    assert words_re("Idleb_Alep") is WORD_RE
