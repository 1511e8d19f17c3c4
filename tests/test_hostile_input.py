"""Hostile reports and requests, built by the suite: nothing crashes, leaks a file or runs a script.

Complements tests/test_api.py (the usual bad parameters, a first hostile report,
paths, headers): here the odder inputs, and reports that go through the whole
pipeline (file bytes -> index -> API, page and report view).
"""
from __future__ import annotations

import codecs
import html
import re
import subprocess
import sys
from html.parser import HTMLParser

import pytest

from search import indexing, settings
from search.highlight import excerpts
from search.query import syntax as query
from search.service import SNIPPET_SPANS

from .conftest import ROOT, make_client, write_reports

XSS = '<script>alert(1)</script><img src=x onerror=alert(2)><iframe src="javascript:alert(3)"></iframe>'
BIG = 1_000_000  # characters of the huge reports
ODD_FILES = {
    "cp1252.txt": "Café à Damas\n\nL’armée est entrée à Damas – « enfin ».".encode("cp1252"),
    "latin1.txt": "Été à Raqqa\n\nDes nouvelles de Raqqa \x81.".encode("latin-1"),
    "bom-crlf.txt": codecs.BOM_UTF8 + "date: 2024-01-05\r\nsource: Fenêtres\r\nTitre à Vexilor\r\n\r\n"
                                      "Premier paragraphe à Vexilor.\r\n\r\nSecond paragraphe.\r\n".encode("utf-8"),
    "empty.txt": "",
    "blank.md": " \r\n\t\r\n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00",
}
PASTED_LINES = 20_000
REPORTS = {
    **ODD_FILES,
    "xss.txt": f"source: \"><script>alert(4)</script>\ndate: 2024-02\nZorglub {XSS}\n\nÀ Zorglub, {XSS} & fin.",
    'id"><svg onload=alert(5)>.txt': "Rapport au nom piégé\n\nÀ Zorglub aussi.",
    "huge.txt": "Rapport fleuve\n\n" + "Le convoi est parti vers le nord. " * (BIG // 33) + "Enfin Bramtok.",
    "minified.txt": "Page copiée\n\n" + "zzq;" * 25_000 + "Quilmaz",
    "paste.txt": "Liste collée\n\n" + "Drovenka\n\n" * PASTED_LINES,
    "one-line.txt": "Ligne sans fin " * 20_000 + "Kortavel.",
    **{f"z/{n:03d}.txt": f"Mot {n}\n\nLe mot zab{n:03d} est rare." for n in range(300)},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    reports = write_reports(root / "reports", REPORTS)
    summary = indexing.rebuild(reports, root / "index", procs=1)
    return reports, root / "index", summary


@pytest.fixture(scope="module")
def client(built):
    with make_client(built[1]) as c:
        yield c


def api(client, **params) -> dict:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return r.json()


class TagParser(HTMLParser):
    """The tags and attributes of a snippet: only <mark>, balanced, with no attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.depth, self.text = [], 0, []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.depth += 1

    def handle_endtag(self, tag):
        self.tags.append(("/" + tag, []))
        self.depth -= 1

    def handle_data(self, data):
        self.text.append(data)


def assert_only_marks(snippet: str) -> str:
    """The snippet's text, once checked to be escaped HTML with only balanced <mark> tags."""
    parser = TagParser()
    parser.feed(snippet)
    parser.close()
    assert all(tag in ("mark", "/mark") and not attrs for tag, attrs in parser.tags), parser.tags
    assert parser.depth == 0 and "<" not in re.sub(r"</?mark>", "", snippet)
    return "".join(parser.text)


# --- queries ------------------------------------------------------------------

QUERIES = [
    "💥 Zorglub 🇸🇾", "🙂", "Zorglub\x00", "\x00", "\x00\x01\x1b[31m\x7f", "\u202eZorglub\u202c", "\u200f\u200e\u2066",
    "\ufeffZorglub", "Zor\u00adglub", "**", "*Zorglub", "?orglub", "Zor*glub", "Zor?", "*?*", "-*", "NOT *",
    "OR", "AND", "NOT", "-", "|", "&&", "OR OR OR", "Zorglub OR", "NOT NOT Zorglub", ")))", "[", "]", "{", "}",
    '"', '"""', '"Zorglub', 'Zorglub"', '""', "date:[oct 1970 to dec 8 19z70]", '"wild* card?"', '"*"',
    "title:x^2~", "Zorglub~2", "Zorglub^10", "\\", "%", "%00", "' OR 1=1 --", "<script>alert(1)</script>",
    "ﷺ*", "ـــ*", "a--*", "İ", "ß" * 40, "\u0301" * 50, "\U000e0041", "\ud7ff\ue000",
]


@pytest.mark.parametrize("q", QUERIES, ids=range(len(QUERIES)))
def test_any_query_answers_200(client, q):
    body = api(client, q=q)
    assert isinstance(body["notices"], list) and body["total"] >= 0
    for hit in body["hits"]:
        assert_only_marks(hit["snippet"])
    page = client.get("/", params={"q": q})
    assert page.status_code == 200 and "Traceback" not in page.text


@pytest.mark.parametrize("q", ["*Zorglub", "?orglub", "Zor*glub", "**", "a--*", "ـــ*", "*"])
def test_leading_inner_and_short_wildcards_are_refused_with_a_notice(client, q):
    parsed = query.parse(q)
    assert not _prefixes(parsed.node) and parsed.notices
    assert api(client, q=q)["notices"]


def test_a_prefix_expands_to_a_bounded_number_of_words(client):
    body = api(client, q="zab*")
    assert body["total"] == settings.get("max_prefix_terms")  # 300 words start so: only 200 are searched
    assert any(str(settings.get("max_prefix_terms")) in n for n in body["notices"])


def test_wildcards_per_query_are_bounded(client):
    many = " ".join(f"{w}*" for w in ("zab", "mot", "rap", "par", "pal", "dam", "raq", "tad", "con"))
    parsed = query.parse(many)
    assert len(_prefixes(parsed.node)) == settings.get("max_prefixes")
    assert any("jokers" in n for n in api(client, q=many)["notices"])


def _prefixes(node) -> list:
    if isinstance(node, query.Prefix):
        return [node]
    children = getattr(node, "nodes", None) or ([node.node] if isinstance(node, query.Not) else [])
    return [p for child in children for p in _prefixes(child)]


def test_a_20000_character_query_is_cut_and_still_searched(client):
    q = "Zorglub " * 2500
    assert len(q) == 20_000
    body = api(client, q=q)
    limit = settings.get("max_query_chars")
    assert any(f"coupée à {limit} caractères" in n for n in body["notices"])
    assert body["total"] == 2  # the same two reports as "Zorglub" once
    assert query.without_repeats(query.parse(q).node) == query.Words(("Zorglub",))  # searched once, not 32 times
    page = client.get("/", params={"q": q})
    assert page.status_code == 200 and f"coupée à {limit} caractères" in page.text


def test_invisible_characters_do_not_hide_a_match(client):
    for q in ("Zor\u200bglub", "\u202eZorglub", "Zorglub\x00", "\u2066Zorglub\u2069"):
        assert api(client, q=q)["total"] == 2, q


def test_query_is_escaped_wherever_it_is_shown(client):
    q = '"><script>alert(6)</script> Zorglub'
    for url in ("/", "/reports/xss"):
        text = client.get(url, params={"q": q}).text
        assert "<script>alert(6)" not in text and "&lt;script&gt;alert(6)" in text
    page = client.get("/", params={"q": q, "page": "0"})  # the error page shows it back too
    assert page.status_code == 400 and "<script>alert(6)" not in page.text


# --- parameters ---------------------------------------------------------------


@pytest.mark.parametrize("params", [
    {"page": "²"}, {"page": "١"}, {"page": "1" * 5000}, {"page": "+1"}, {"page": "1e3"},
    {"page": "0x10"}, {"per_page": "٣"}, {"per_page": "-0"}, {"page": "1001"}, {"per_page": "\x00"},
    {"from": "0000"}, {"from": "2024-02-30"}, {"to": "9" * 5000}, {"from": "2024-06", "to": "2024-05-31"},
    {"from": "\x00"}, {"sort": "RELEVANCE"}, {"sort": "date\x00"}, {"sort": "x" * 5000},
    {"source": [f"s{n}" for n in range(settings.get("max_sources") + 1)]},
])
def test_more_bad_parameters_are_400(client, params):
    r = client.get("/api/search", params={"q": "Zorglub", **params})
    assert r.status_code == 400 and set(r.json()) == {"error", "param"} and len(r.json()["error"]) < 300
    page = client.get("/", params={"q": "Zorglub", **params})
    assert page.status_code == 400 and "Paramètre invalide" in page.text


def test_undecodable_query_string_is_answered(client):
    for url in ("/api/search?q=%ff%fe", "/api/search?q=%ed%a0%80", "/api/search?q=%", "/?q=%c3", "/?q=%ff&page=%ff"):
        r = client.get(url)
        assert r.status_code in (200, 400) and "Traceback" not in r.text, url


def test_the_last_page_and_past_it(client):
    assert api(client, q="zab*", page="20", per_page="10")["hits"]  # 200 hits: page 20 is the last
    past = api(client, q="zab*", page="1000", per_page="100")
    assert past["hits"] == [] and past["total"] == 200


# --- reports ------------------------------------------------------------------


def test_html_in_a_report_is_escaped_everywhere(client):
    (hit,) = api(client, q="Zorglub", source='"><script>alert(4)</script>')["hits"]
    assert hit["title"].startswith("Zorglub <script>")  # JSON carries the text as written
    text = assert_only_marks(hit["snippet"])
    assert "<iframe" in text and "onerror=alert(2)" in text  # shown, as text
    for url in ("/?q=Zorglub", "/reports/xss?q=Zorglub", "/reports/xss"):
        page = client.get(url).text
        for raw in ("<script>alert", "<img", "<iframe", "<svg"):
            assert raw not in page, (url, raw)
        assert "&lt;script&gt;alert(1)" in page and "&lt;iframe" in page
    sources = client.get("/", params={"q": "Zorglub"}).text
    assert '<bdi>&#34;&gt;&lt;script&gt;alert(4)&lt;/script&gt;</bdi></a>' in sources  # the source's link, its name as text
    assert 'source=%22%3E%3Cscript%3Ealert%284%29%3C%2Fscript%3E"' in sources


def test_a_report_id_with_markup_is_escaped_and_reachable(client):
    ids = [h["id"] for h in api(client, q="Zorglub")["hits"]]
    assert 'id"><svg onload=alert(5)>' in ids
    page = client.get("/", params={"q": "Zorglub"}).text
    assert "<svg" not in page and 'href="/reports/id%22%3E%3Csvg%20onload%3Dalert%285%29%3E?q=Zorglub"' in page
    report = client.get("/reports/id%22%3E%3Csvg%20onload%3Dalert%285%29%3E")
    assert report.status_code == 200 and "<svg" not in report.text and "id&#34;&gt;&lt;svg" in report.text


def test_old_windows_files_are_read_whole(client, built):
    warnings = built[2].warnings
    assert "cp1252.txt: lu en cp1252" in warnings and "latin1.txt: lu en latin-1" in warnings
    (hit,) = api(client, q="armée")["hits"]
    assert hit["title"] == "Café à Damas"
    assert "<mark>armée</mark> est entrée à Damas – « enfin »" in html.unescape(hit["snippet"])
    (hit,) = api(client, q="Raqqa")["hits"]
    assert hit["title"] == "Été à Raqqa"


JUMP_RE = re.compile(r'<a class="jump" href="#m\d+" aria-label="occurrence (?:précédente|suivante)">[‹›]</a>')


def plain_marks(page: str) -> str:
    """A report page without what the report view adds to each match: its anchor, its previous/next links."""
    return JUMP_RE.sub("", re.sub(r'<mark id="m\d+">', "<mark>", page))


def test_bom_and_crlf_go_through_to_the_api_and_the_page(client):
    (hit,) = api(client, q="Vexilor")["hits"]
    assert (hit["title"], hit["date"], hit["source"]) == ("Titre à Vexilor", "2024-01-05", "Fenêtres")
    assert "\r" not in hit["snippet"] and "\ufeff" not in hit["snippet"] + hit["title"]
    report = plain_marks(client.get(f"/reports/{hit['id']}", params={"q": "Vexilor"}).text)
    assert "<p>Premier paragraphe à <mark>Vexilor</mark>.</p>" in report and "<p>Second paragraphe.</p>" in report


def test_unusable_files_are_skipped_with_their_reason(built):
    reasons = {s.path: s.reason for s in built[2].skipped}
    assert reasons == {"empty.txt": "vide", "blank.md": "vide", "binary.txt": "fichier binaire"}


def test_the_command_line_names_what_it_skipped_and_how_it_read(tmp_path):
    reports, index = write_reports(tmp_path / "reports", ODD_FILES), tmp_path / "index"
    r = subprocess.run([sys.executable, "-m", "search", "rebuild", "--reports", str(reports), "--index", str(index)],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(f"reconstruit {index} : 3 rapports indexés, 3 ignorés, ")
    assert {"  ignoré binary.txt : fichier binaire", "  ignoré empty.txt : vide", "  ignoré blank.md : vide",
            "  avertissement cp1252.txt: lu en cp1252", "  avertissement latin1.txt: lu en latin-1"} <= set(lines)


def test_a_match_at_the_very_end_of_a_1mb_report_is_highlighted(client):
    (hit,) = api(client, q="Bramtok")["hits"]
    assert "<mark>Bramtok</mark>" in hit["snippet"] and hit["snippet"].startswith("… ")
    report = plain_marks(client.get("/reports/huge", params={"q": "Bramtok"}).text)
    # The page shows a window from a little before the first match; the whole text is a link away.
    assert "Enfin <mark>Bramtok</mark>." in report and len(report) < BIG // 2
    assert re.search(r'Rapport de 1\u202f030\u202f316 caractères : cette page en montre 1\d\d\u202f\d\d\d, à partir du ', report)
    assert '<a href="/texte/huge">Texte intégral (texte brut)</a>' in report
    whole = client.get("/texte/huge")
    assert whole.headers["content-type"] == "text/plain; charset=utf-8"
    assert whole.text.startswith("Rapport fleuve\n\nLe convoi") and whole.text.endswith("Enfin Bramtok.")


def test_a_one_line_paste_is_all_title_and_its_title_is_shown_around_the_match(client):
    (hit,) = api(client, q="Kortavel")["hits"]
    # A hit's title is cut at 10,000 characters (every answer holding it would weigh as much), whole as plain text.
    assert len(hit["title"]) == 10_001 and hit["title"].endswith("…")
    assert len(client.get("/texte/one-line").text) > 300_000
    page = client.get("/", params={"q": "Kortavel"})
    (shown,) = re.findall(r'<h2><a href="/reports/one-line\?q=Kortavel"><bdi>(.*?)</bdi></a></h2>', page.text)
    assert shown.startswith("… ") and shown.endswith("<mark>Kortavel</mark>.") and len(shown) < 500


def test_a_match_after_a_long_run_without_spaces_is_highlighted(client):
    (hit,) = api(client, q="Quilmaz")["hits"]
    assert "<mark>Quilmaz</mark>" in hit["snippet"]


def test_a_huge_paste_of_one_matching_line_is_bounded_by_design(client, monkeypatch):
    """20,000 matches in one report: the snippet picks among the first few hundred only."""
    seen = []
    real = excerpts.best_window
    monkeypatch.setattr(excerpts, "best_window", lambda text, spans, width: seen.append(len(spans)) or
                        real(text, spans, width))
    (hit,) = api(client, q="Drovenka")["hits"]
    assert hit["snippet"].count("<mark>Drovenka</mark>") > 10
    assert seen and max(seen) <= SNIPPET_SPANS
    report = plain_marks(client.get("/reports/paste", params={"q": "Drovenka"}).text)  # one pass over the paragraphs
    assert report.count("<p><mark>Drovenka</mark></p>") == PASTED_LINES


# --- paths, headers, errors -----------------------------------------------------


@pytest.mark.parametrize("path", [
    "/reports/..%2f..%2fetc%2fpasswd", "/reports/%2fetc%2fpasswd", "/reports/%2e%2e%2f%2e%2e%2fserver.py",
    "/reports/..\\..\\server.py", "/reports/%00", "/reports/xss%00", "/reports/xss/..",
    "/reports/%ff", "/reports/" + "%2e%2e/" * 1000 + "etc/passwd", "/reports/" + "é" * 3000,
    "/static/%2e%2e/server.py", "/static/..%2fserver.py", "/static/", "/static/style.css/..%2f..%2fserver.py",
    "/templates/base.html", "/search/settings.py", "/.git/config", "/requirements.txt",
])
def test_no_other_file_is_served(client, path):
    r = client.get(path)
    assert r.status_code == 404, path
    assert "import " not in r.text and "root:" not in r.text and "Traceback" not in r.text


def test_a_server_error_shows_no_traceback_and_keeps_the_headers(built, monkeypatch):
    from search.engine.whoosh.searcher import WhooshEngine

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail /etc/shadow")

    monkeypatch.setattr(WhooshEngine, "search", broken)
    with make_client(built[1]) as c:
        for url in ("/api/search?q=Zorglub", "/?q=Zorglub"):
            r = c.get(url)
            assert r.status_code == 500 and "Traceback" not in r.text and "secret" not in r.text
            assert "default-src 'none'" in r.headers["content-security-policy"]
            assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"]
        body = c.get("/api/search?q=Zorglub").json()
        assert set(body) == {"error", "param"} and "journal du serveur" in body["error"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "OPTIONS"])
def test_other_methods_are_refused_with_the_error_shape(client, method):
    r = client.request(method, "/api/search")
    assert r.status_code == 405 and set(r.json()) == {"error", "param"}
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_csp_forbids_inline_script_on_every_kind_of_answer(client):
    for url in ("/static/style.css", "/?page=0", "/reports/nope", "/api/search?q=%ff"):
        csp = client.get(url).headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        # One script: our static file (keyboard moves); never an inline one.
        assert directives["default-src"] == "'none'" and directives["script-src"] == "'self'"
        assert "unsafe-inline" not in csp
