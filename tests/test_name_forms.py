"""The forms a user types, and the control a user steers with, on real news text (tests/names_sample.py),
through the real app: capitals, accents, hyphens and an article change nothing; exonyms and Arabic
script find the name through the shipped table; sans= drops even the spelling typed; an article
alone is never a match; a query of several names gets one list per name; the no-results help
offers spellings of the same name only."""
from __future__ import annotations

import html
import re

import pytest

from search import indexing
from search.names.aliases import SHIPPED_ROWS
from search.text.fold import fold

from .conftest import make_client
from .names_sample import CORPUS, names_folder

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not beside the project")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    reports = names_folder(root / "reports")
    indexing.rebuild(reports, root / "index", procs=1)
    with make_client(root / "index") as c:
        yield c


def api(client, q, **params):
    r = client.get("/api/search", params={"q": q, "per_page": 100, **params})
    assert r.status_code == 200, r.text
    return r.json()


def ids(body) -> set[str]:
    return {h["id"] for h in body["hits"]}


def matched(body) -> set[str]:
    return {s.casefold() for h in body["hits"] for s in h["matched"]}


def accepted(body) -> set[str]:
    return {v["spelling"].casefold() for v in body["variants"] if v["accepted"]}


# ---------------------------------------------------------------- the form never changes the answer

@pytest.mark.parametrize("forms", [
    ("Alep", "ALEP", "alep", "Al-Alep", "al Alep", "El-Alep"),
    ("Mossoul", "MOSSOUL", "mossoul", "Al-Mossoul"),
    ("Daech", "DAECH", "daech"),
    ("Erdogan", "ERDOGAN", "Erdoğan", "erdogan"),
    ("Téhéran", "TÉHÉRAN", "Teheran", "TEHERAN"),
    ("Beyrouth", "BEYROUTH", "beyrouth"),
])
def test_capitals_accents_hyphens_and_an_article_change_nothing(client, forms):
    bodies = [api(client, form) for form in forms]
    assert bodies[0]["total"] > 0
    for form, body in zip(forms[1:], bodies[1:]):
        assert accepted(body) == accepted(bodies[0]), form
        assert ids(body) == ids(bodies[0]), form


def test_a_name_in_capitals_is_found_where_reports_write_it_in_capitals(client):
    """A wire copy writes ALEP: the name, not an acronym, since the reports write Alep far more."""
    assert "depeche-alep" in ids(api(client, "Alep"))
    assert "alep" in matched(api(client, "Alep")) and "depeche-alep" in ids(api(client, "ALEP"))


def test_an_acronym_stays_an_acronym(client):
    """EI is what the reports write in capitals: no romanization of 'Ei' is searched, only the
    spellings of its row in the shipped table (Daech, État islamique, ISIS...)."""
    body = api(client, "EI")
    row = next(r for r in SHIPPED_ROWS if "EI" in r)
    assert body["total"] > 0 and matched(body) <= {fold(s) for s in row} | {s.casefold() for s in row}


def test_a_lower_case_french_word_stays_a_french_word(client):
    """dôme: the reports write it in lower case too (a dome), so typed so it is that word, not
    a spelling of Douma; typed as a name it is judged as one (Douma / Dôme is the verdict's)."""
    body = api(client, "dôme")
    assert body["total"] > 0 and "douma" not in matched(body)
    assert not any(v["accepted"] for v in body["variants"])


# ---------------------------------------------------------------- exonyms and Arabic script

def test_an_arabic_script_name_finds_the_french_name_through_its_row_first(client):
    body = api(client, "حلب")
    alep = ids(api(client, "Alep"))
    assert body["total"] > 0 and ids(body) == alep
    assert body["hits"][0]["matched"][0].casefold() == "alep"
    assert not {"alba", "albi", "elabe", "elba", "help", "helpe"} & (accepted(body) | matched(body))


def test_an_english_exonym_finds_the_french_name(client):
    body = api(client, "Beirut")
    assert ids(api(client, "Beyrouth")) <= ids(body)
    assert "beyrouth" in accepted(body) and "beyrouth" in matched(body)


def test_daech_finds_etat_islamique_and_ei(client):
    body = api(client, "Daech")
    assert {"état islamique", "ei"} <= accepted(body)
    assert {"état islamique", "ei"} <= {s.replace("etat", "état") for s in matched(body)}
    assert ids(api(client, '"État islamique"')) <= ids(body)
    phrase = next(v for v in body["variants"] if v["spelling"] == "État islamique")
    assert phrase["reports"] == api(client, '"État islamique"')["total"]  # counted, though no name


# ---------------------------------------------------------------- the control

def test_dropping_the_typed_spelling_drops_it(client):
    every = api(client, "Daech")
    body = api(client, "Daech", sans="Daech")
    assert body["total"] < every["total"] and "daech" not in matched(body)
    assert all("<mark>Daech</mark>" not in h["snippet"] for h in body["hits"])
    assert not next(v for v in body["variants"] if v["spelling"] == "Daech")["accepted"]
    assert ids(body) == ids(every) - {h["id"] for h in every["hits"] if {s.casefold() for s in h["matched"]} <= {"daech"}}


def test_dropping_every_spelling_finds_nothing_and_says_why(client):
    body = api(client, "Mossoul", sans="Mossoul")
    assert body["total"] == 0
    assert body["notices"] == ["Toutes les graphies de « Mossoul » sont retirées : aucun rapport ne peut "
                               "correspondre ; rétablissez-en une."]
    page = client.get("/", params={"q": "Mossoul", "sans": "Mossoul"}).text
    assert "retirées : aucun rapport" in page and "Moselle" not in _no_results(page)


def test_a_quoted_spelling_cannot_be_dropped_and_the_notice_says_so(client):
    body = api(client, '"Mossoul"', sans="Mossoul")
    assert body["total"] == api(client, '"Mossoul"')["total"] > 0
    assert body["notices"] == ["« Mossoul » est entre guillemets : cette graphie est cherchée telle quelle, "
                               "elle ne peut pas être retirée."]
    assert api(client, "Mossoul", sans="Mosul")["notices"] == [
        "« Mosul » n’est pas une graphie de cette recherche : rien n’est retiré."]


@pytest.mark.parametrize("q", ["Al-Bukamal", "Al Bukamal", "AL-BUKAMAL", "Abou Kamal", "Bachar al-Assad",
                               "Abou Bakr al-Baghdadi", "Mohammed ben Salmane"])
def test_an_article_or_a_particle_alone_is_never_a_match_or_a_mark(client, q):
    alone = {"al", "el", "abou", "abu", "ben", "bin"}
    body = api(client, q)
    assert body["total"] > 0
    assert not alone & matched(body)
    assert not any(re.search(r"<mark>(?i:al|el|abou|ben)</mark>", h["snippet"]) for h in body["hits"])
    assert not alone & accepted(body)


def test_a_query_of_two_names_gets_a_list_per_name(client):
    body = api(client, "Alep Mossoul")
    names = {n["name"]: {v["spelling"].casefold() for v in n["variants"]} for n in body["names"]}
    assert list(names) == ["Alep", "Mossoul"]
    assert "alep" in names["Alep"] and "mossoul" in names["Mossoul"]
    assert not names["Alep"] & {"mossoul", "moselle"} and not names["Mossoul"] & {"alep", "elabe"}
    page = client.get("/", params={"q": "Alep Mossoul"}).text
    assert re.findall(r"<legend>(.*?)</legend>", page) == ["« <bdi>Alep</bdi> »", "« <bdi>Mossoul</bdi> »"]  # isolated


def test_one_name_of_several_words_is_one_list(client):
    body = api(client, "Bachar al-Assad")
    assert [n["name"] for n in body["names"]] == ["Bachar al-Assad"]


def _no_results(page: str) -> str:
    found = re.search(r'<div class="none">(.*?)</div>', page, re.S)
    return html.unescape(found.group(1)) if found else ""


def test_no_results_offers_spellings_of_the_same_name_never_another(client):
    source = next(s for s in api(client, "")["facets"]["source"] if s not in api(client, "Mossoul")["facets"]["source"])
    page = client.get("/", params={"q": "Mossoul", "source": source}).text
    box = _no_results(page)
    assert "Aucun rapport" in box and "sans le filtre de source" in box
    assert not {"Moselle", "Moscou"} & set(re.findall(r"\w+", box))
    quoted = _no_results(client.get("/", params={"q": '"Beirut"', "source": source}).text)
    assert "Beyrouth" not in quoted or "sans le filtre" in quoted
    alone = _no_results(client.get("/", params={"q": '"Mosul"'}).text)
    assert re.search(r'<a href="/\?q=%22Mossoul%22"><bdi>Mossoul</bdi></a>', alone.replace("&amp;", "&"))
    assert "Moselle" not in alone and "Moscou" not in alone
