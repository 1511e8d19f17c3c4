"""The web app through Starlette's TestClient: the API's shape, the pages, errors, escaping."""
import re

import pytest

from search import indexing

from .conftest import make_client, write_reports

HOSTILE = ('source: <b>Evil</b>\ndate: 2024-03\nAlerte <script>alert(1)</script> à Damas\n\n'
           'Texte <img src=x onerror=alert(2)> <iframe src="//evil"></iframe> sur Damas & Homs.')


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("api")
    reports = write_reports(root / "reports", {
        **{f"r{n:02d}.txt": f"date: 2023-{n % 12 + 1:02d}-01\nRapport {n}\n\nLa ville de Homs, rapport {n}."
           for n in range(25)},
        "hostile.txt": HOSTILE,
    })
    indexing.rebuild(reports, root / "index", procs=1)
    with make_client(root / "index") as c:
        yield c


def test_api_shape(client):
    body = client.get("/api/search", params={"q": "Homs", "per_page": 5}).json()
    assert set(body) >= {"query", "total", "page", "per_page", "hits", "facets"}
    assert (body["query"], body["total"], body["page"], body["per_page"]) == ("Homs", 26, 1, 5)
    assert len(body["hits"]) == 5
    hit = body["hits"][0]
    assert set(hit) == {"id", "title", "date", "date_precision", "source", "score", "snippet", "matched"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", hit["date"]) and hit["date_precision"] in ("day", "month")
    assert isinstance(hit["score"], float) and "<mark>Homs</mark>" in hit["snippet"]
    assert set(body["facets"]) == {"source", "month", "undated"}
    assert sum(body["facets"]["month"].values()) == 26 and body["facets"]["undated"] == 0


def test_api_pages(client):
    seen = [h["id"] for p in (1, 2, 3) for h in client.get("/api/search", params={"q": "Homs", "page": p}).json()["hits"]]
    assert len(seen) == len(set(seen)) == 26


def test_month_precision_in_api(client):
    (hit,) = client.get("/api/search", params={"q": "Alerte"}).json()["hits"]
    assert (hit["date"], hit["date_precision"], hit["source"]) == ("2024-03-01", "month", "<b>Evil</b>")


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"page": "-1"}, {"page": "x"}, {"page": "99999999999999999999"},
    {"per_page": "0"}, {"per_page": "101"}, {"per_page": "100000"}, {"per_page": "1.5"},
    {"from": "2023-13"}, {"from": "2023-02-30"}, {"to": "hier"}, {"from": "2024", "to": "2023"},
    {"sort": "random"}, {"source": "x" * 5000},
])
def test_bad_parameters_are_400_with_a_message(client, params):
    r = client.get("/api/search", params={"q": "Homs", **params})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")
    assert set(r.json()) == {"error", "param"} and r.json()["error"]
    assert r.json()["param"] == next(iter(params))  # the parameter at fault, named for a script to read
    page = client.get("/", params={"q": "Homs", **params})
    assert page.status_code == 400 and "Paramètre invalide" in page.text


def test_malformed_query_is_200_with_notice(client):
    for q in ('"Homs', "NOT OR foobar", "date:[15/01/2024 to 31/03/2024]", "*", "(((", "Homs" + "x" * 20000):
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200 and r.json()["notices"], q
        assert client.get("/", params={"q": q}).status_code == 200


def test_hostile_report_is_escaped_everywhere(client):
    api = client.get("/api/search", params={"q": "Damas"}).json()
    (hit,) = api["hits"]
    assert "<script>" in hit["title"]  # JSON carries the text as it is...
    assert "&lt;iframe" in hit["snippet"]  # ...and snippets are escaped HTML
    assert re.sub(r"</?mark>", "", hit["snippet"]).count("<") == 0
    for url in ("/?q=Damas", f"/reports/{hit['id']}?q=Damas"):
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<iframe" not in html
        assert "&lt;script&gt;" in html and "<mark>Damas</mark>" in html


def test_query_is_escaped_when_shown_back(client):
    html = client.get("/", params={"q": "<script>alert(3)</script>"}).text
    assert "<script>alert(3)" not in html and "&lt;script&gt;alert(3)" in html


def test_search_page(client):
    html = client.get("/", params={"q": "Homs", "per_page": 10, "page": 2}).text
    assert "26 rapports" in html and "page 2 sur 3" in html
    assert "autofocus" not in html and "autofocus" in client.get("/").text  # j / k, not typing, on a results page
    assert 'href="/?q=Homs&amp;page=3"' in html  # pages keep the state in the URL
    assert re.search(r'<ol class="hits" start="11">', html)


def test_empty_query_lists_latest(client):
    r = client.get("/")
    assert r.status_code == 200 and "les plus récents d’abord" in r.text
    assert client.get("/api/search").json()["hits"][0]["id"] == "hostile"


def test_source_links_with_counts(client):
    html = client.get("/", params={"q": "Damas"}).text
    assert 'href="/?q=Damas&amp;source=%3Cb%3EEvil%3C%2Fb%3E"' in html and "<bdi>&lt;b&gt;Evil&lt;/b&gt;</bdi></a>" in html
    assert "(1)" in html


def test_report_view(client):
    r = client.get("/reports/r03", params={"q": "Homs"})
    assert r.status_code == 200 and "<mark>Homs</mark>" in r.text and "avril 2023" in r.text or "1 " in r.text
    assert client.get("/reports/r03").status_code == 200


@pytest.mark.parametrize("path", ["/reports/../../etc/passwd", "/reports/%2e%2e/%2e%2e/etc/passwd",
                                  "/reports//etc/passwd", "/reports/" + "a" * 5000, "/reports/nope",
                                  "/static/../server.py", "/server.py", "/index/CURRENT"])
def test_no_file_outside_the_index_is_served(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "import" not in r.text and "Traceback" not in r.text


def test_security_headers(client):
    for url in ("/", "/api/search?q=Homs", "/reports/r01", "/reports/nope", "/api/search?page=0"):
        h = client.get(url).headers
        assert "script-src 'self';" in h["content-security-policy"] and "default-src 'none'" in h["content-security-policy"]
        assert h["x-content-type-options"] == "nosniff" and h["referrer-policy"]


def test_server_builds_a_missing_index(tmp_path, seeds_copy):
    with make_client(tmp_path / "fresh-index", seeds_copy) as c:
        assert c.get("/api/search", params={"q": "Hezbollah"}).json()["total"] == 2
