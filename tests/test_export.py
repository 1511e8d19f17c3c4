"""search/export.py on a real index: every hit of every page, the filters, CSV and JSON Lines read back."""
import csv
import html
import io
import json

import pytest

from search import export, settings
from search.params import parse_params
from search.service import SearchService

from .conftest import built, make_client

SOURCES = ("Orient Hebdo", "Le Levant")


def _report(i: int) -> str:
    return (f"source: {SOURCES[i % 2]}\ndate: 2023-{1 + i % 12:02d}-{1 + i % 27:02d}\n"
            f"Frappes à Alep, rapport {i}\n\nDes frappes sur Alep{', encore Alep' * (i % 4)} et Homs le jour {i}.")


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    reports = {f"r{i:02d}.txt": _report(i) for i in range(23)}
    reports["odd.jsonl"] = json.dumps({
        "id": "odd", "source": "@Source, \"citée\"", "date": "2023-05-05",
        "title": '=HYPERLINK("http://x.example","clic"), « guillemets » ; virgules',
        "text": "-2+3 à Alep, dit-il ;\nune ligne\u2028séparée, des \"guillemets\" et <b>balises</b> & co."}) + "\n"
    root = built(tmp_path_factory.mktemp("export"), reports)
    return root / "index"


@pytest.fixture(scope="module")
def search_index(index):
    service = SearchService.open(index)
    yield service
    service.close()


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 5 hits, so that 24 hits are five searches (the default is one search of 500)."""
    monkeypatch.setitem(settings.DEFAULTS, "export_page", 5)


def api_hits(index, **query) -> list[dict]:
    with make_client(index) as client:
        body = client.get("/api/search", params={**query, "per_page": 100}).json()
    assert body["total"] == len(body["hits"]), body["total"]
    return body["hits"]


def exported_hits(search_service, **query) -> list:
    return list(export.hits(search_service, parse_params({k: [v] for k, v in query.items()})))


def exported(search_service, **query) -> list[dict]:
    return [export.json_row(h) for h in exported_hits(search_service, **query)]


def row(hit: dict, base: str = "") -> dict:
    """What an export writes of an API hit: the hit, and the report's permalink."""
    return {k: hit[k] for k in export.FIELDS if k != "permalink"} | {"permalink": export.permalink(hit["id"], base)}


def plain(snippet_html: str) -> str:
    """The API's snippet as plain text: its marks off, its escapes read."""
    return html.unescape(snippet_html.replace("<mark>", "").replace("</mark>", ""))


@pytest.mark.parametrize("query", [{"q": "Alep"}, {"q": ""}, {"q": "Alep", "sort": "date"}])
def test_rows_are_every_hit_of_every_page_in_rank_order(query, index, search_index, small_pages):
    hits = api_hits(index, **query)
    assert len(hits) == 24
    assert exported(search_index, **query) == [row(h) for h in hits]


def test_rows_keep_the_filters_and_ignore_the_page(index, search_index, small_pages):
    query = {"q": "Alep", "source": "Le Levant", "from": "2023-03", "to": "2023-09"}
    rows = exported(search_index, **query, page="3", per_page="2")
    assert [r["id"] for r in rows] == [h["id"] for h in api_hits(index, **query)]
    assert 0 < len(rows) < 12 and {r["source"] for r in rows} == {"Le Levant"}
    assert all("2023-03" <= r["date"] <= "2023-09-31" for r in rows)


def test_rows_of_no_hit_are_none_and_the_csv_is_its_header(search_index):
    assert exported(search_index, q="Tombouctou") == []
    assert list(export.csv_chunks([])) == ["id,title,date,date_precision,source,score,matched,snippet,permalink\r\n"]
    assert list(export.jsonl_chunks([])) == []


def test_csv_read_back_is_the_api_hits(index, search_index, small_pages):
    hits = api_hits(index, q="Alep")
    text = "".join(export.csv_chunks(exported_hits(search_index, q="Alep")))
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(table[0]) == list(export.FIELDS) and len(table) == len(hits)
    for line, hit in zip(table, hits):
        if hit["id"] == "odd":
            continue  # its cells are neutralised: see the next test
        assert line == {**{k: hit[k] or "" for k in ("id", "title", "date", "date_precision", "source")},
                        "score": str(hit["score"]), "matched": " | ".join(hit["matched"]),
                        "snippet": plain(hit["snippet"]), "permalink": f"/reports/{hit['id']}"}
        assert "<mark>" not in line["snippet"] and "Alep" in line["matched"]


def test_csv_keeps_odd_text_whole_and_runs_no_formula(search_index):
    [odd_hit] = [h for h in exported_hits(search_index, q="Alep") if h.id == "odd"]
    odd = export.json_row(odd_hit)
    chunks = list(export.csv_chunks([odd_hit]))
    assert len(chunks) == 2  # the header, then one chunk: a record with line breaks is one CSV record
    [line] = list(csv.DictReader(io.StringIO("".join(chunks), newline="")))
    assert line["title"] == "'" + odd["title"] and odd["title"].startswith("=HYPERLINK(")
    assert line["source"] == "'@Source, \"citée\""
    assert line["snippet"].startswith("'-2+3 à Alep") and "<b>balises</b> & co." in line["snippet"]
    assert "\u2028" in line["snippet"] and "&amp;" not in line["snippet"]
    assert line["date"] == "2023-05-05" and float(line["score"]) > 0


def test_jsonl_lines_are_the_rows(search_index, small_pages):
    rows = exported(search_index, q="Alep")
    text = "".join(export.jsonl_chunks(exported_hits(search_index, q="Alep")))
    lines = text.splitlines()  # splits on U+2028 too: the odd report's must be escaped
    assert [json.loads(line) for line in lines] == rows and len(lines) == 24
    assert "à Alep" in text and "\\u00e0" not in text  # UTF-8 as is, not \u escapes


def test_excel_csv_is_what_french_excel_opens_as_is(index, search_index, small_pages):
    hits = api_hits(index, q="Alep")
    text = "".join(export.csv_chunks(exported_hits(search_index, q="Alep"), "excel", "http://h:8/"))
    assert text.startswith("\ufeffid;title;date;") and text.count("\r\n") >= len(hits) + 1
    table = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert [r["id"] for r in table] == [h["id"] for h in hits]
    first = table[0]
    assert first["score"] == str(hits[0]["score"]).replace(".", ",")  # French Excel reads decimal commas
    assert first["permalink"] == f"http://h:8/reports/{hits[0]['id']}"


def test_the_web_export_names_its_file_after_the_search_and_links_each_report(index):
    with make_client(index) as client:
        r = client.get("/export.excel", params={"q": "Frappes Alep", "source": "Le Levant", "from": "mars 2023"})
        assert r.status_code == 200 and r.text.startswith("\ufeffid;title;")
        assert r.headers["content-disposition"] == 'attachment; filename="frappes-alep_le-levant_2023-03.csv"'
        table = list(csv.DictReader(io.StringIO(r.text.removeprefix("\ufeff"), newline=""), delimiter=";"))
        assert table and all(line["permalink"] == f"http://testserver/reports/{line['id']}" for line in table)
        plain_csv = client.get("/export.csv", params={"q": "Alep"})
        assert plain_csv.text.startswith("id,title,") and 'filename="alep.csv"' in plain_csv.headers["content-disposition"]
        lines = client.get("/export.jsonl", params={"q": ""}).text.splitlines()
        assert json.loads(lines[0])["permalink"].startswith("http://testserver/reports/")
        assert client.get("/export.jsonl", params={"q": "", "vue": "tableau"}).status_code == 400  # the page's only
        assert client.get("/export.pdf").status_code == 404
