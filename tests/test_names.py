"""Name folding as reports index it and queries ask for it (search/names/)."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from search.names.aliases import SHIPPED_ROWS
from search.names.filter import NameFilter
from search.names.lexicon import MemoryLexicon
from search.names.query import query_chunks
from search.names.terms import split_term
from search.names.match import plan_name
from search.names.words import is_name_word
from search.text.filters import ElisionFilter
from search.text.tokenizers import WordTokenizer

WORDS = WordTokenizer() | ElisionFilter()
NAMES = WORDS | NameFilter()


def keys(text: str) -> set[str]:
    """The blocking keys a report indexes for the names in ``text`` (forms aside)."""
    return {split_term(t.text)[0] for t in NAMES(f"Des frappes près de {text}, selon l'agence.")}


def typed(query: str) -> list[list[str]]:
    """The query's name words, per typed word, as the compiler groups them."""
    words = [[t.original for t in WORDS(w, query=True) if is_name_word(t.original, True)] for w in query.split()]
    return [w for w in words if w]


def finds(query: str, report: str) -> bool:
    """Whether the query finds the report: candidates from its lexicon, then the verdict."""
    lexicon = MemoryLexicon({"r": f"Des frappes près de {report}, selon l'agence."})
    return "r" in lexicon.docs(plan_name(typed(query), lexicon, aliases=SHIPPED_ROWS).match)


# ---------------------------------------------------------------- which words are names

@pytest.mark.parametrize("word, query, expected", [
    ("Damas", False, True), ("dames", False, False), ("Tyr", False, True), ("tir", False, False),
    ("Homs", False, True), ("hommes", False, False), ("Kout", False, True), ("coût", False, False),
    ("boukamal", False, False), ("boukamal", True, True), ("dames", True, False),
    ("al", False, True), ("ez", True, True), ("an", True, True), ("an", False, False),
    ("Şūr", False, True), ("Şūr", True, True),        # 'sur' once folded, but no French word
    ("البوكمال", False, True), ("אל-בוכמאל", True, True),
    ("Ras", True, True), ("ras", True, False),         # Ras al-Aïn typed
    ("2023", False, False), ("", True, False),
])
def test_is_name_word(word, query, expected):
    assert is_name_word(word, query) is expected


# ---------------------------------------------------------------- the filter

def test_keys_span_the_spelling_article_included():
    text = "Frappes à al-Bukamal et à Abou Kamal."
    spans = {split_term(t.text)[0]: text[t.start:t.end] for t in NAMES(text)}
    assert spans["l:bukamal"] in ("al-Bukamal", "Abou Kamal")
    assert {text[t.start:t.end] for t in NAMES(text) if split_term(t.text)[0] == "l:bukamal"} == {"al-Bukamal", "Abou Kamal"}


def forms(text: str) -> set[str]:
    """The name forms a report indexes for ``text``."""
    return {split_term(t.text)[1] for t in NAMES(text)} - {""}


@pytest.mark.parametrize("text, form, not_form", [
    ("Des missiles entre Alep et Téhéran.", "Téhéran", "et Téhéran"),       # et: French, not at- assimilated
    ("Il vit en Norvège.", "Norvège", "en Norvège"),
    ("En Normandie, rien.", "Normandie", "En Normandie"),                  # a sentence opens with En
    ("La Meurthe-et-Moselle vote.", "Moselle", "et-Moselle"),              # a French place's hyphens
    ("Des tirs près de Es Suweida hier.", "Es Suweida", "Suweida"),        # a capital inside a sentence: the article
    ("Des tirs près d'es-Salt hier.", "es-Salt", "Salt"),                  # a hyphen: the article
])
def test_a_french_word_before_a_name_is_no_arabic_article(text, form, not_form):
    assert form in forms(text) and not_form not in forms(text)


def test_compound_keys_take_the_first_words_position():
    tokens = [t for t in NAMES("Le convoi a quitté Deir ez-Zor jeudi.") if split_term(t.text)[0] == "l:dArzur"]
    assert [(t.pos, t.start, t.end) for t in tokens] == [(4, 19, 30)]


def test_punctuation_breaks_a_name():
    assert "l:hamahums" not in keys("Hama, Homs")
    assert "l:hamahums" in keys("Hama Homs")


def test_common_words_and_lower_case_words_give_no_keys():
    assert [t.text for t in NAMES("les dames du tir ont un coût")] == []


def test_windows_inside_a_longer_name_are_marked():
    assert {"l:katAbhezbla", "~l:hezbla", "~l:katAb"} <= keys("Kataëb Hezbollah")
    assert "l:hezbla" not in keys("Kataëb Hezbollah")


@pytest.mark.parametrize("text, name", [
    ("le poste frontière d’Al-Qaim Al-Bukamal", "l:bukamal"),   # a capitalised article starts a name
    ("la guerre Israël-Hamas", "l:hamas"),                       # a hyphen between two names
])
def test_two_names_side_by_side_are_each_whole(text, name):
    assert name in {split_term(t.text)[0] for t in NAMES(text)}


def test_a_particle_or_article_keeps_the_name_whole():
    assert "~l:kamal" in keys("Abu-Kamal") and "~l:asad" in keys("Aïn al-Assad")


def test_arabic_and_hebrew_reports_index_letters_and_skeletons():
    assert {"a:البوكمال", "a:بوكمال", "sa:BKML"} <= keys("البوكمال")
    assert {"h:בוכמאל", "sh:BKML"} <= keys("אל-בוכמאל")


@pytest.mark.parametrize("latin, other", [("Trump", "ترامب"), ("Lambeth", "لامبيث"), ("Colombo", "كولومبو")])
def test_an_arabic_m_before_b_meets_the_latin_name(latin, other):
    """Latin keys write NB for an m before b (Jumblatt is جنبلاط); Arabic and Hebrew writers also write
    the m they hear, and an Arabic-script query must still meet the Latin reports."""
    assert finds(other, latin)


def test_acronyms_are_kept_as_written():
    assert {k for k in keys("YPG") if not k.startswith("w:")} == {"=YPG", "v:YPG"}
    assert not finds("YPG", "YPJ") and not finds("Sanaa", "SANA")


def test_a_short_name_finds_its_capitals():
    """Capitals are the name when the collection writes the name more (Homs), else an acronym (SANA)."""
    lexicon = MemoryLexicon({"name": "Des frappes près de Homs.", "name2": "Homs encore.", "cable": "HOMS (AFP) - Des tirs.",
                             "sana": "selon l'agence SANA.", "sana2": "SANA rapporte.", "sanaa": "À Sanaa, des frappes."})
    def docs(q):
        return lexicon.docs(plan_name(typed(q), lexicon, aliases=SHIPPED_ROWS).match)
    assert docs("Homs") == docs("HOMS") == docs("homs") == {"name", "name2", "cable"}
    assert docs("SANA") == docs("sana") == {"sana", "sana2"} and "sana" not in docs("Sanaa")
    assert finds("ypg", "YPG") and not finds("Sanaa", "SANA")


def test_persian_ezafe_joins_two_names():
    assert "l:bandarabas" in keys("Bandar-e Abbas")


# ---------------------------------------------------------------- heads and an ezafe, typed

def candidates(query: str, report: str) -> set[str]:
    """The spellings the blocking keys bring for the query (accepted or not) from one report."""
    lexicon = MemoryLexicon({"r": f"Des frappes près de {report}, selon l'agence."})
    return {v.spelling for v in plan_name(typed(query), lexicon, aliases=SHIPPED_ROWS).variants}


@pytest.mark.parametrize("query, report, form", [
    ("Ras Tanoura", "Ras-Tanura", "Tanura"),       # the reports file Ras Tanura under Tanura
    ("Tel Aviv", "Tel Aviv", "Aviv"),              # typed as written, found as written
    ("Sang-e Māsheh", "Sang-e Mashah", "Mashah"),   # sang is French: the ezafe joins nothing
])
def test_the_query_reads_a_head_and_an_ezafe_as_the_reports_do(query, report, form):
    assert form in candidates(query, report)


def test_a_head_typed_finds_the_name_as_written():
    assert finds("Tel Aviv", "Tel Aviv") and finds("Ras Tanura", "Ras Tanura")


def test_a_head_before_an_article_stays_the_name():
    assert "Ras al-Aïn" in candidates("Ras al-Aïn", "Ras al-Ain") | candidates("Ras al-Aïn", "Ras al-Aïn")
    assert [u.word for u in query_chunks(["Ras", "al", "Aïn"])[1][0]] == ["Ras", "Aïn"]


# ---------------------------------------------------------------- what the issue asks for

@pytest.mark.parametrize("report", [
    "al-Buchmal", "Al-Bochmal", "al-Bukhmal", "Al-Bukamal", "Abou Kamal", "Abu Kamal", "Albu Kamal",
    "Alboukamal", "Abū Kamāl", "البوكمال", "אל-בוכמאל",
])
def test_boukamal_finds_its_spellings(report):
    assert finds("Boukamal", report) and finds("boukamal", report)


@pytest.mark.parametrize("report", [
    "Kassem Suleimani", "Qasem Soleimani", "Ghassem Soleymani", "قاسم سليماني",
])
def test_qassem_soleimani_finds_its_spellings(report):
    assert finds("Qassem Soleimani", report)


@pytest.mark.parametrize("report", ["Deir al-Zor", "Dayr az-Zawr", "Deir Ezzor", "دير الزور"])
def test_deir_ez_zor_finds_its_spellings(report):
    assert finds("Deir ez-Zor", report) and finds("deir ez-zor", report)


@pytest.mark.parametrize("report", ["Hizbullah", "Hizballah", "Hezbolla", "حزب الله", "Hizb Allah"])
def test_hezbollah_finds_its_spellings(report):
    assert finds("Hezbollah", report)


def test_abou_kamal_finds_boukamal_and_back():
    assert finds("Abou Kamal", "Boukamal") and finds("Boukamal", "Abou Kamal")


@pytest.mark.parametrize("query, report", [
    ("Hama", "Hamas"), ("Homs", "hommes"), ("Homs", "Hamas"), ("Khomeini", "Khamenei"),
    ("Qana", "Ghana"), ("Ghana", "Qana"), ("Tyr", "tir"), ("Damas", "dames"), ("Kout", "coût"),
    ("جبيل", "الجبيل"), ("الجبيل", "جبيل"),
    ("Hezbollah", "Kataëb Hezbollah"),                 # a name inside another is another name
    ("Abu Bakr al-Baghdadi", "Abu Omar al-Baghdadi"),
    ("عَمّان", "عُمان"),                               # harakat, where written, count
])
def test_never(query, report):
    assert not finds(query, report) and not finds(report, query)


@pytest.mark.parametrize("query, report", [
    ("Abdel Malek al-Houthi", "Abdulmalik al-Houthi"),   # several words or one
    ("Hashem Safi al-Din", "Hashem Safieddine"),
    ("Ḥizbu-llāh", "Hezbollah"),                          # a case vowel before Allah
    ("Ibrahim Aqil", "Ibrahim Mohamed Akil"),            # a father's name left out
    ("Alep", "Halab"), ("Alep", "حلب"), ("Tyr", "Sour"),  # exonyms (data/exonyms.tsv)
    ("Kobané", "Aïn al-Arab"),
    ("Ras al-Aïn", "Serê Kaniyê"),
    ("Deraa", "درعا"), ("طهران", "تهران"),
    ("دِمَشْق", "دمشق"), ("باغو كِنارِه", "باغو کناره"),   # harakat a report does not write
])
def test_also_finds(query, report):
    assert finds(query, report) and finds(report, query)


def test_a_longer_query_finds_the_name_inside_a_longer_one():
    assert finds("Qassem Soleimani", "Hajj Qassem Suleimani")


@pytest.mark.parametrize("query, report", [
    ("Soleimani", "Qassem Suleimani"), ("Macron", "Emmanuel Macron"), ("al-Assad", "Bachar al-Assad"),
    ("Qassem", "Qassem Soleimani"),
])
def test_a_surname_or_first_name_finds_the_whole_name(query, report):
    assert finds(query, report)


@pytest.mark.parametrize("query, report", [
    ("al-Assad", "Aïn al-Assad"), ("Sham", "Ahrar al-Sham"), ("Hezbollah", "Khata'ib Hezbollah"),
    ("حزب الله", "كتائب حزب الله"), ("Zor", "Deir ez-Zor"), ("Deir", "Deir ez-Zor"), ("Kamal", "Abou Kamal"),
])
def test_the_tail_of_a_place_or_group_name_is_another_name(query, report):
    assert not finds(query, report)


def test_no_chunks_without_a_name():
    assert query_chunks(["dames"]) == ([["w:dames"]], []) and query_chunks([]) == ([], [])


def test_a_long_run_is_searched_in_chunks_of_three_units_at_most():
    written, chunks = query_chunks("Abu Mahdi al Muhandis Qassem Soleimani".split())
    assert written[0] == ["v:Abu Mahdi al Muhandis Qassem Soleimani"]
    assert written[1] == ["w:abu", "w:mahdi", "w:al", "w:muhandis", "w:qassem", "w:soleimani"]
    assert [[u.word for u in c] for c in chunks] == [["Abu", "Mahdi", "Muhandis"], ["Qassem", "Soleimani"]]


@pytest.mark.parametrize("query", ["santé", "Santé", "premier", "tabka"])
def test_lower_case_words_that_queries_take_for_names_find_themselves(query):
    assert is_name_word(query, query=True)
    assert finds(query, query.lower())


def test_lower_case_words_are_not_folded_as_names():
    assert not finds("Kamal", "camel")
    lexicon = MemoryLexicon({"name": "Des frappes près de Kamal.", "word": "Un camel, un autre camel."})
    assert lexicon.docs(plan_name([["camel"]], lexicon).match) == {"word"}  # the reports write camel as a word


def test_the_spelling_typed_has_a_key_of_its_own():
    assert "v:Al Boukamal" in keys("Al-Boukamal") and "v:Boukamal" not in keys("Al-Boukamal")
    assert ["v:Boukamal"] in query_chunks(["Boukamal"])[0]


PIECES = list("aAeEiouKhsl-' ,.:ʿ\u064eŞé") + ["al-", "Abu ", "حماة", "אל-", "Bandar-e ", "YPG"]
NAMEY = st.lists(st.sampled_from(PIECES), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(NAMEY)
def test_any_text_gives_keys_within_the_text(text):
    for t in NAMES(text):
        assert 0 <= t.start < t.end <= len(text) and t.text
    for query in (True, False):
        list(NAMES(text, query=query))


@example(words=["ʿ", "َaal-ʿ"], text="")  # chunks without a sound: no whole-name budget to share (jointly)
@settings(max_examples=300, deadline=None)
@given(st.lists(NAMEY, max_size=6), NAMEY)
def test_any_words_give_a_plan_over_any_text(words, text):
    lexicon = MemoryLexicon({"r": text})
    plan = plan_name([[t.original for t in WORDS(w, query=True)] for w in words if w.strip()], lexicon)
    assert lexicon.docs(plan.match) <= {"r"}
    assert all(v.spelling and v.reports >= 1 for v in plan.variants)
