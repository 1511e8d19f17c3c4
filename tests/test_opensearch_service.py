"""The whole service on OpenSearch answers as it does on Whoosh: the same reports, totals, facets,
name variants and notices, through the real API, on real news (``press_sample``).

Scores differ (Lucene's BM25 is not Whoosh's BM25F to the last digit), so ranks may differ where
scores are close; what is compared is what an analyst counts on: which reports match, how many,
under which filters, and which spellings of a name were accepted.
"""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from search import indexing, settings
from search.web.app import create_app

from .cluster import collection, opensearch_url
from .press_sample import press_folder

QUERIES = [
    {"q": "Alep"}, {"q": "Syrie"}, {"q": "Damas frappes"}, {"q": "Assad"}, {"q": "Bachar al-Assad"},
    {"q": '"Bachar al-Assad"'}, {"q": "Alep OR Homs"}, {"q": "Syrie -Alep"}, {"q": "-Alep"}, {"q": "frap*"},
    {"q": "Poutine"}, {"q": "Erdogan"}, {"q": "Idleb"}, {"q": ""}, {"q": "Alep", "sort": "date"},
    {"q": "Syrie", "sort": "oldest"}, {"q": "Syrie", "from": "2017", "to": "2018-06"}, {"q": "Alep", "undated": "1"},
    {"q": "", "source": ["Notes"]}, {"q": "Syrie", "sans": ["Syrie"]},
    # What a user may type, hostile or not: never an error.
    {"q": "a\x1fb Alep"}, {"q": "x" * 300}, {"q": "\u2003Alep\u2003"}, {"q": '"'}, {"q": "(("},
    {"q": "date:[2020 TO 2021]"}, {"q": "*"}, {"q": "al-"},
]


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    url = opensearch_url()
    root = tmp_path_factory.mktemp("service")
    reports = press_folder(root / "reports", size=150)
    whoosh = settings.engine_choice("whoosh", root / "index")
    indexing.rebuild(reports, whoosh.location(), procs=1)
    with collection(url, "service") as cluster:
        opensearch = settings.engine_choice("opensearch", root / "index", opensearch_url=",".join(cluster.urls),
                                            opensearch_index=cluster.name)
        indexing.rebuild(reports, opensearch.location(), procs=2, engine="opensearch")
        with TestClient(create_app(root / "index", reports, choice=whoosh)) as w, \
                TestClient(create_app(root / "index", reports, choice=opensearch)) as o:
            yield w, o


def every_hit(client: TestClient, params: dict) -> tuple[dict, set[str]]:
    """The first page's answer, and the ids of every page."""
    first = client.get("/api/search", params={**params, "per_page": 100})
    assert first.status_code == 200, first.text
    answer, ids, page = first.json(), set(), 1
    ids |= {h["id"] for h in answer["hits"]}
    while page * 100 < answer["total"]:
        page += 1
        ids |= {h["id"] for h in client.get("/api/search", params={**params, "per_page": 100, "page": page}).json()["hits"]}
    return answer, ids


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: repr(p)[:40])
def test_both_engines_find_the_same_reports(clients, params):
    (w, w_ids), (o, o_ids) = (every_hit(c, params) for c in clients)
    assert o["total"] == w["total"] and o_ids == w_ids
    assert o["facets"] == w["facets"]
    assert o["notices"] == w["notices"]
    assert o["variants"] == w["variants"]


def test_a_report_and_its_related_ones_open_on_both(clients):
    for client in clients:
        [hit] = client.get("/api/search", params={"q": "Alep", "per_page": 1}).json()["hits"]
        page = client.get(f"/reports/{hit['id']}", params={"q": "Alep"})
        assert page.status_code == 200 and "Rapports proches" in page.text
