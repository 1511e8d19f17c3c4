"""Evidence from context, end to end on real corpus text: articles of ../shared/corpus that write
Douma and Dôme, Sanaa and Senna. Their letters are close enough for the verdict; what their reports
write around them is not (search.names.context)."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from starlette.testclient import TestClient

from search import indexing, settings
from search.web.app import create_app

from .cluster import collection, opensearch_url
from .conftest import ROOT, make_client
from .names_sample import CORPUS, articles

WORDS = ["Douma", "Dôme", "Sanaa", "Senna"]
PER_WORD = 12
PAIRS = [("Douma", "Dôme"), ("Sanaa", "Senna")]

pytestmark = pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not beside the project")


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("context") / "reports"
    folder.mkdir()
    with open(folder / "news.jsonl", "w", encoding="utf-8") as fh:
        for record in articles(dict.fromkeys(WORDS, PER_WORD)):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


@pytest.fixture(scope="module")
def index(reports):
    indexing.rebuild(reports, reports.parent / "index", procs=1)
    return reports.parent / "index"


@pytest.fixture(scope="module")
def client(index):
    with make_client(index) as c:
        yield c


def api(client, q, **params):
    r = client.get("/api/search", params={"q": q, "per_page": 100, **params})
    assert r.status_code == 200
    return r.json()


def spelling(body, name: str) -> dict:
    return next(v for v in body["variants"] if v["spelling"].casefold() == name.casefold())


def matched(body) -> set[str]:
    return {s.casefold() for h in body["hits"] for s in h["matched"]}


@pytest.mark.parametrize("typed, other", PAIRS)
def test_a_name_does_not_find_a_close_spelling_its_reports_speak_otherwise_of(client, typed, other):
    body = api(client, typed)
    assert spelling(body, other) == spelling(body, other) | {"accepted": False, "reason": "contexte"}
    assert typed.casefold() in matched(body) and other.casefold() not in matched(body)


@pytest.mark.parametrize("typed", WORDS)
def test_the_spelling_typed_is_never_turned_down(client, typed):
    """Dôme typed is Dôme, whatever its reports say of Douma's."""
    body = api(client, typed)
    assert spelling(body, typed)["accepted"] and spelling(body, typed)["reason"] is None
    assert typed.casefold() in matched(body)


def test_the_analyst_adds_it_back(client):
    body = api(client, "Douma", avec="Dôme")
    assert spelling(body, "Dôme")["accepted"]
    assert {"douma", "dôme"} <= matched(body)


def test_the_setting_off_lets_the_spelling_alone_decide(index, monkeypatch):
    monkeypatch.setitem(settings.DEFAULTS, "name_context", 0)
    with make_client(index) as off:
        for typed, other in PAIRS:
            body = api(off, typed)
            assert spelling(body, other) == spelling(body, other) | {"accepted": True, "reason": None}
            assert other.casefold() in matched(body)


def test_the_environment_turns_it_off(index):
    def names(env):
        r = subprocess.run([sys.executable, "-m", "search", "names", "Douma", "--index", str(index), "--json"],
                           cwd=ROOT, capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
        assert r.returncode == 0, r.stderr
        return {v["spelling"]: v for g in json.loads(r.stdout) for v in g["variants"]}
    assert names({"SEARCH_NAME_CONTEXT": "0"})["Dôme"]["accepted"] is True
    assert names({"SEARCH_NAME_CONTEXT": "1"})["Dôme"] | {"accepted": False, "reason": "contexte"} == names({})["Dôme"]


def test_the_page_and_the_command_line_say_why(client, index):
    page = client.get("/", params={"q": "Sanaa"}).text
    rejected = page[page.index("Proches mais écartées"):]
    # The reason beside the spelling's count, in its own item of the rejected list.
    assert re.search(r">(?:<bdi>)?Senna(?:</bdi>)?</a>\s*<span class=\"count\">\(\d+\)</span>\s*"
                     r"<span class=\"reason\">écartée par le contexte</span>", rejected)
    r = subprocess.run([sys.executable, "-m", "search", "names", "Sanaa", "--index", str(index)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert re.search(r"^ +\d\.\d{3} +\d+  Senna  \(écartée par le contexte\)$", r.stdout, re.M), r.stdout


def test_the_cluster_judges_alike(reports):
    """The same judge over OpenSearch: its lexicon gives the reports' openings and the words' counts."""
    with collection(opensearch_url(), "context") as cluster:
        choice = settings.engine_choice("opensearch", reports.parent / "os-index", opensearch_url=",".join(cluster.urls),
                                        opensearch_index=cluster.name)
        indexing.rebuild(reports, choice.location(), procs=1, engine="opensearch")
        with TestClient(create_app(reports.parent / "os-index", reports, choice=choice)) as client:
            for typed, other in PAIRS:
                body = api(client, typed)
                assert spelling(body, other) == spelling(body, other) | {"accepted": False, "reason": "contexte"}
                assert spelling(body, typed)["accepted"]


def test_a_profiles_words_are_the_same_remembered_word_by_word():
    """``TellingWords`` (each distinct word analysed once) gives ``words_of``'s words: real reports'
    openings and whole texts, elided articles, capitals, accents, digits, other scripts; twice, so that
    the second pass reads what the first remembered, and with a memory small enough to start afresh."""
    from search.names.context import TellingWords, words_of
    texts = [f"{a['title']}\n{a['text']}" for a in articles()]
    texts += [t[:2500] for t in texts] + ["l’armée d'Alep, L'ÉTAT 2019 qu’il jusqu’à L’ŒUVRE",
                                          "Sana'a ‘Adan ١٢٣ حلب Abū Kamāl ǂ ---", ""]
    for words in (TellingWords(), TellingWords(remembered=50)):
        assert [words(t) for t in texts] == [words_of(t) for t in texts]
        assert [words(t) for t in texts] == [words_of(t) for t in texts]
