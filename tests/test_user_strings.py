"""What users type and what reports are named, as the page, the API and the command line take them:
a query with nothing to search, right-to-left controls in titles, ids and queries, decomposed accents in URLs."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
import urllib.parse

import pytest

from .conftest import ROOT, built, make_client

RLO = "\u202e"
REPORTS = {
    "Été à Alep.txt": "date: 2024-03-01\nsource: Agence\nÉté à Alep\n\nLe convoi est arrivé à Alep.",
    f"rapport{RLO}txt.exe.txt": f"date: 2024-03-02\nsource: Agence{RLO} piégée\nTitre{RLO} inversé\n\nÀ Alep encore.",
    "wire.jsonl": json.dumps({"id": unicodedata.normalize("NFD", "dépêche-é"), "title": "Dépêche", "text": "À Alep."}) + "\n",
}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return built(tmp_path_factory.mktemp("strings"), REPORTS) / "index"


@pytest.fixture(scope="module")
def client(index):
    with make_client(index) as c:
        yield c


NOTHING = ["🔥", "🔥🔥 ✈", "\ufffd", "OR", "- * ?", '""']


@pytest.mark.parametrize("q", NOTHING)
def test_a_query_with_nothing_to_search_finds_nothing_and_says_so(client, q):
    body = client.get("/api/search", params={"q": q}).json()
    assert body["total"] == 0 and body["hits"] == []
    assert any(n.startswith("Rien à chercher dans « ") and "Aucun rapport n’est montré" in n for n in body["notices"])
    page = client.get("/", params={"q": q}).text
    assert "Rien à chercher dans" in page and "<strong>0 rapport</strong>" in page


def test_a_query_string_that_is_not_utf8_is_a_query_with_nothing_to_search(client):
    body = client.get("/api/search?q=%FF").json()
    assert body["total"] == 0 and any("Rien à chercher" in n for n in body["notices"])
    assert client.get("/api/search?q=").json()["total"] == 3  # an empty query still lists every report


def test_the_command_line_says_it_too(index):
    r = subprocess.run([sys.executable, "-m", "search", "query", "🔥", "--index", str(index)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("! Rien à chercher dans « 🔥 »") and "\n0 rapport" in r.stdout


def test_every_user_string_on_the_page_is_isolated(client):
    page = client.get("/", params={"q": f"Alep{RLO}"}).text
    assert f"pour « <bdi>Alep{RLO}</bdi> »" in page
    assert f"<bdi>Titre{RLO} inversé</bdi></a></h2>" in page
    assert f'<span class="source"><bdi>Agence{RLO} piégée</bdi></span>' in page
    assert f"<title>\u2068Alep{RLO}\u2069 · Revue de presse</title>" in page
    facet = client.get("/facettes/sources", params={"q": "Alep"}).text
    assert f"<bdi>Agence{RLO} piégée</bdi></a>" in facet


def test_an_id_or_a_file_name_shows_its_bidi_controls(client):
    report_id = f"rapport{RLO}txt.exe"
    page = client.get("/reports/" + urllib.parse.quote(report_id), params={"q": "Alep"}).text
    # Displayed as it really is: the override written out, not obeyed ("rapportexe.txt" would be a lie).
    assert "<code><bdi>rapport⟨U+202E⟩txt.exe</bdi></code>" in page
    assert "<code><bdi>rapport⟨U+202E⟩txt.exe.txt</bdi></code>" in page
    assert f"<h1><bdi>Titre{RLO} inversé</bdi></h1>" in page


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_report_opens_whatever_the_form_of_its_accents_in_the_url(client, form):
    for report_id, title in (("Été à Alep", "<h1><bdi>Été à Alep</bdi></h1>"), ("dépêche-é", "<h1><bdi>Dépêche</bdi></h1>")):
        url = "/reports/" + urllib.parse.quote(unicodedata.normalize(form, report_id))
        r = client.get(url)
        assert r.status_code == 200 and title in r.text, (url, r.status_code)
        assert client.get(url.replace("/reports/", "/texte/")).status_code == 200
    ids = {h["id"] for h in client.get("/api/search", params={"q": "Alep"}).json()["hits"]}
    assert "dépêche-é" in ids  # a record's id is kept as NFC, as a file's
