"""Saved searches and history through the real app, a real index on disk and a real SQLite file;
``watch`` and ``saved export|import`` as real processes."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time

import pytest

from search import indexing
from search.saved.database import SCHEMA_VERSION

from .conftest import ROOT, make_client, write_reports
from .test_page import links, text

REPORTS = {
    "a.txt": "source: AFP\ndate: 2023-11-01\nFrappes sur Alep\n\nDes frappes ont visé Alep.",
    "b.txt": "source: Reuters\ndate: 2023-12-01\nAlep encerclée\n\nAlep est encerclée.",
    "c.txt": "source: AFP\ndate: 2023-10-01\nDamas\n\nUne réunion à Damas.",
}
NEW = {"d.txt": "source: AFP\ndate: 2024-01-05\nRetour à Alep\n\nLes habitants reviennent à Alep."}


@pytest.fixture
def root(tmp_path):
    write_reports(tmp_path / "reports", REPORTS)
    indexing.rebuild(tmp_path / "reports", tmp_path / "index", procs=1)
    return tmp_path


def wait_for(client, total: int, q: str = "") -> None:
    """The app reopens the index within a second of an update."""
    deadline = time.monotonic() + 10
    while client.get("/api/search", params={"q": q}).json()["total"] != total:
        assert time.monotonic() < deadline, "the app never saw the update"
        time.sleep(0.2)


def save(client, name: str, query: str):
    return client.post("/recherches", data={"nom": name, "recherche": query}, follow_redirects=False)


def test_a_saved_search_counts_what_an_update_brings_and_shows_it_first(root):
    with make_client(root / "index") as client:
        r = save(client, "Alep", "q=Alep")
        assert r.status_code == 303 and r.headers["location"].startswith("/recherches?enregistree=")
        listing = text(client.get("/recherches").text)
        assert "Alep rien de nouveau « Alep » · 2 rapports en tout" in listing
        write_reports(root / "reports", NEW)
        indexing.update(root / "reports", root / "index")
        wait_for(client, 4)
        assert "Alep 1 nouveau rapport « Alep » · 3 rapports en tout" in text(client.get("/recherches").text)
        opened = client.get(links(client.get("/recherches").text)["Alep"]).text
        assert "1 nouveau rapport depuis son enregistrement" in text(opened)
        fresh = re.search(r'<section class="fresh-hits".*?</section>', opened, re.S).group(0)
        assert "Retour à <mark>Alep</mark>" in fresh and "nouveau" in fresh
        marked = re.findall(r'<li class="hit fresh" id="rang-\d+">.*?</li>', opened, re.S)
        assert len(marked) == 1 and "Retour à" in marked[0]  # marked in the results too
        assert "rien de nouveau" in text(client.get("/recherches").text)  # seen now
        again = text(client.get(links(client.get("/recherches").text)["Alep"]).text)
        assert "rien de nouveau depuis votre dernière visite" in again and "Marqués « nouveau »" in again


def test_what_a_search_has_seen_outlives_a_rebuild(root):
    with make_client(root / "index") as client:
        save(client, "Alep", "q=Alep")
        indexing.rebuild(root / "reports", root / "index", procs=1)  # a new generation, the same ids
        time.sleep(1.2)
        assert "rien de nouveau" in text(client.get("/recherches").text)


def test_names_are_unique_and_a_search_can_be_deleted(root):
    with make_client(root / "index") as client:
        save(client, "Alep", "q=Alep")
        clash = save(client, "Alep", "q=Alep&source=AFP")
        assert clash.status_code == 409 and "une recherche enregistrée s’appelle déjà « Alep »" in clash.text
        empty = save(client, "   ", "q=Alep")
        assert empty.status_code == 400 and "donnez un nom" in empty.text
        page = client.get("/recherches").text
        action = re.search(r'action="(/recherches/\d+/supprimer)"', page).group(1)
        assert client.post(action, follow_redirects=False).status_code == 303
        assert "Aucune recherche enregistrée" in client.get("/recherches").text
        assert client.post(action).status_code == 404


def test_a_form_from_another_site_is_refused(root):
    with make_client(root / "index") as client:
        r = client.post("/recherches", data={"nom": "x", "recherche": "q=x"}, headers={"Origin": "http://evil.example"})
        assert r.status_code == 403 and "autre site" in r.text
        assert save(client, "x", "q=x").status_code == 303  # no Origin (a script): not a browser fooled


def test_export_then_import_elsewhere(root, tmp_path_factory):
    with make_client(root / "index") as client:
        save(client, "Alep", "q=Alep&sort=date")
        save(client, "AFP fin 2023", "source=AFP&from=2023-10&to=2023-12")
        exported = client.get("/recherches/export.json")
        assert exported.headers["content-disposition"] == 'attachment; filename="recherches-enregistrees.json"'
        data = exported.json()
    assert data["format"] == "revue-presse/recherches" and data["version"] == 1
    assert [(s["name"], s["query"]) for s in data["searches"]] == [
        ("AFP fin 2023", "source=AFP&from=2023-10&to=2023-12"), ("Alep", "q=Alep&sort=date")]
    other = tmp_path_factory.mktemp("other") / "recherches.sqlite"
    with make_client(root / "index", saved_file=other) as client:
        save(client, "Alep", "q=Alep")  # the same name, another search
        r = client.post("/recherches/importer", files={"fichier": ("r.json", json.dumps(data).encode(), "application/json")})
        assert r.status_code == 200
        assert "Import : 2 recherches ajoutées (AFP fin 2023, Alep (2))" in text(r.text)
        again = client.post("/recherches/importer", files={"fichier": ("r.json", json.dumps(data).encode())})
        assert "déjà là" in text(again.text)
        bad = client.post("/recherches/importer", files={"fichier": ("r.json", b"{nope")})
        assert bad.status_code == 400 and "pas du JSON" in bad.text
        assert "rien de nouveau" in text(client.get("/recherches").text)  # imported searches start from now


def test_the_database_has_a_schema_version_and_refuses_a_newer_one(root):
    with make_client(root / "index") as client:
        save(client, "Alep", "q=Alep")
    db = root / "recherches.sqlite"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.execute("PRAGMA user_version = 99")
    with make_client(root / "index") as client:
        r = client.get("/recherches")
        assert r.status_code == 503 and "version plus récente" in r.text


def test_history_per_browser_run_again_and_clear(root):
    with make_client(root / "index") as first, make_client(root / "index") as second:
        first.get("/", params={"q": "Alep", "sort": "date"})
        first.get("/", params={"q": "Damas"})
        first.get("/", params={"q": "Alep", "sort": "date", "page": "2"})  # the same search: once, on top
        second.get("/", params={"q": "Homs"})
        page = first.get("/historique").text
        assert [t for t in links(page) if t.startswith("«")] == ["« Alep » · les plus récents d’abord", "« Damas »"]
        assert links(page)["« Alep » · les plus récents d’abord"] == "/?q=Alep&sort=date"
        assert "Homs" not in page and "« Homs »" in second.get("/historique").text
        assert "« Alep »" in text(first.get("/").text)  # the front page offers the last ones
        assert first.post("/historique/effacer", follow_redirects=False).status_code == 303
        assert "Aucune recherche dans l’historique" in first.get("/historique").text
        assert "« Homs »" in second.get("/historique").text


def run(*args):
    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_watch_for_cron_exit_code_1_with_something_new(root):
    with make_client(root / "index") as client:
        save(client, "Alep", "q=Alep")
        save(client, "Damas", "q=Damas")
    quiet = run("watch", "--index", root / "index")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.splitlines() == ["Alep (« Alep ») : rien de nouveau", "Damas (« Damas ») : rien de nouveau"]
    write_reports(root / "reports", NEW)
    indexing.update(root / "reports", root / "index")
    news = run("watch", "--json", "--index", root / "index")
    assert news.returncode == 1, news.stderr
    found = {s["name"]: [h["id"] for h in s["new"]] for s in json.loads(news.stdout)}
    assert found == {"Alep": ["d"], "Damas": []}
    assert run("watch", "--index", root / "index").returncode == 0  # seen by watch now
    with make_client(root / "index") as client:  # the page has its own "since": still new there
        assert "1 nouveau rapport" in text(client.get("/recherches").text)


def test_saved_searches_export_and_import_on_the_command_line(root, tmp_path):
    with make_client(root / "index") as client:
        save(client, "Alep", "q=Alep")
    out = tmp_path / "r.json"
    assert run("saved", "export", out, "--index", root / "index").returncode == 0
    assert json.loads(out.read_text())["searches"][0]["name"] == "Alep"
    other = tmp_path / "autre.sqlite"
    r = run("saved", "import", out, "--index", root / "index", "--saved", other)
    assert r.returncode == 0 and r.stdout.startswith("importées : 1, déjà là : 0, refusées : 0")
    listed = run("saved", "list", "--index", root / "index", "--saved", other)
    assert listed.stdout.strip() == "Alep : « Alep » (0 nouveau rapport)"
    bad = run("saved", "import", tmp_path / "absent.json", "--index", root / "index")
    assert bad.returncode == 1 and bad.stderr.startswith("erreur : import : ")


def test_searching_never_depends_on_the_history_s_database(root):
    """A database that cannot be used (here: a folder in its place) leaves the search page whole;
    the saved searches' page says what is wrong, in the one error shape."""
    blocked = root / "blocked.sqlite"
    blocked.mkdir()
    with make_client(root / "index", saved_file=blocked) as client:
        r = client.get("/", params={"q": "Alep"})
        assert r.status_code == 200 and "2 rapports pour « Alep »" in text(r.text)
        assert "set-cookie" not in r.headers
        listing = client.get("/recherches")
        assert listing.status_code == 503 and "base des recherches enregistrées" in listing.text
