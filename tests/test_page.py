"""The search page, the facet lists, the report view and the export, through the real app and a real index.

Asserts on what a reader of the page gets: texts, links and their targets (parsed from the HTML).
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import parse_qs

import pytest

from .conftest import built, make_client

SOURCES = [f"Source {chr(65 + n)}" for n in range(15)]  # 15 sources: more than the page shows at first
REPORTS = {
    **{f"r{n:02d}.txt": f"source: {SOURCES[n % 15]}\ndate: 2023-{n % 12 + 1:02d}-{n % 27 + 1:02d}\n"
                        f"Frappes près d’Alep, rapport {n}\n\nDes frappes ont visé Alep, rapport {n}."
                        + (" Le convoi venait de Homs." if n % 3 == 0 else "")
       for n in range(40)},
    "notes/sans-date.txt": "source: Notes\nNote sur Alep\n\nAlep encore, sans date.",
    "notes/damas.txt": "source: Notes\ndate: 2022-05\nDamas\n\nUne réunion à Damas.",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = built(tmp_path_factory.mktemp("page"), REPORTS)
    with make_client(root / "index") as c:
        yield c


def links(page: str, css_class: str | None = None) -> dict[str, str]:
    """Link text -> target (unescaped), optionally of the links of one class."""
    found = {}
    for attrs, target, text in re.findall(r'(<a [^>]*?href="([^"]*)"[^>]*>)(.*?)</a>', page, re.S):
        if css_class is None or f'class="{css_class}' in attrs:
            found[html.unescape(re.sub(r"<[^>]+>", "", text)).strip()] = html.unescape(target)
    return found


def text(page: str) -> str:
    # <bdi> isolates a user string inside a line (issue 16): it adds no space to what is read.
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"</?bdi>", "", page))).split())


def test_counts_are_french_and_no_results_is_no_list_item(client):
    assert "1 rapport pour « Damas »" in text(client.get("/?q=Damas").text)
    page = client.get("/?q=Zorglub").text
    assert "0 rapport pour « Zorglub »" in text(page) and '<li class="hit"' not in page and "<ol" not in page


def test_empty_query_ticks_the_order_it_says(client):
    page = client.get("/").text
    assert "les plus récents d’abord" in text(page)
    assert "<strong aria-current=\"true\">plus récents d’abord</strong>" in page and ">pertinence<" not in page
    assert "les plus anciens d’abord" in text(client.get("/?sort=oldest").text)


def test_an_exclusion_alone_lists_the_others(client):
    page = client.get("/?q=-Alep").text
    assert "1 rapport pour « -Alep »" in text(page) and "exclusion ignorée" not in page
    assert links(page)["Damas"].startswith("/reports/notes/damas?")
    assert "0 rapport" in text(client.get("/?q=NOT Alep -Damas").text)


def test_a_form_s_empty_fields_redirect_to_the_tidy_url(client):
    r = client.get("/?q=Alep&from=&to=&sort=relevance&page=1", follow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/?q=Alep"
    assert client.get("/?q=Alep&from=2023-02&to=", follow_redirects=False).headers["location"] == "/?q=Alep&from=2023-02"


def test_every_source_is_reachable_with_its_count(client):
    page = client.get("/?q=Alep").text
    more = links(page)["autres sources… (4 de plus)"]
    assert more == "/facettes/sources?q=Alep"
    full = client.get(more).text
    values = {k: v for k, v in links(full).items() if k.startswith(("☐", "Notes"))}
    assert len([k for k in values if k.startswith("☐")]) == 16  # 15 sources and Notes
    assert "(3)" in text(full) and values["☐ Source O"] == "/?q=Alep&source=Source+O"
    assert list(links(client.get(more + "&filtre=source o").text, None)).count("☐ Source O") == 1


def test_sources_tick_and_clear_in_one_click(client):
    page = client.get("/?q=Alep&source=Source+A&source=Source+B").text
    assert "6 rapports" in text(page)  # r00 r15 r30 and r01 r16 r31
    chips = links(page, "chip")
    assert chips["source : Source A ✕"] == "/?q=Alep&source=Source+B"
    assert links(page)["tout effacer"] == "/?q=Alep"
    assert links(page)["☑ Source A"] == "/?q=Alep&source=Source+B"  # a ticked source unticks


def test_the_chosen_month_does_not_link_to_itself(client):
    page = client.get("/?q=Alep&from=2023-03&to=2023-03").text
    assert "mars 2023" in text(page) and links(page).get("mars 2023") is None
    assert 'aria-label="retirer le filtre mars 2023"' in page and links(page)["date : mars 2023 ✕"] == "/?q=Alep"


def test_date_bars_narrow_the_dates_and_undated_is_counted(client):
    page = client.get("/?q=Alep").text
    bars = re.findall(r'<a role="listitem" class="bar h(\d+)[^"]*" href="([^"]+)" title="([^"]+)"', page)
    assert len(bars) == 12 and ("20", "/?q=Alep&amp;from=2023-01&amp;to=2023-01", "janvier 2023 : 4 rapports") in bars
    assert links(page)["sans date : 1 rapport"] == "/?q=Alep&undated=1"
    undated = client.get("/?q=Alep&undated=1").text
    assert "1 rapport pour « Alep »" in text(undated) and links(undated)["Note sur Alep"].startswith("/reports/notes/sans-date")


def test_sorts_and_pages(client):
    page = client.get("/?q=Alep&sort=oldest&page=2").text
    assert "page 2 sur 5" in text(page) and links(page)["suivante →"] == "/?q=Alep&sort=oldest&page=3"
    first = re.findall(r'<h2><a href="[^"]+">(.*?)</a></h2>', client.get("/?q=Alep&sort=oldest").text)[0]
    assert "rapport 0" in first  # 2023-01-01, the oldest
    assert links(page)["plus récents d’abord"] == "/?q=Alep&sort=date"


def test_past_the_last_page(client):
    page = client.get("/?q=Alep&page=9").text
    assert "page 9 sur" not in text(page) and "La page 9 n’existe pas" in text(page)
    assert links(page)["Aller à la dernière page (5)"] == "/?q=Alep&page=5"


def help_of(page: str) -> str:
    """The no-results box of a page."""
    return re.search(r'<div class="none">(.*?)</div>', page, re.S).group(1)


def test_no_results_help_names_spellings_and_filters(client):
    page = help_of(client.get("/?q=Homz+convoie").text)
    assert links(page)["Homs"] == "/?q=Homs+convoie" and links(page)["convoi"] == "/?q=Homz+convoi"
    assert "Homs (14 rapports)" in text(page)
    page = client.get("/?q=Damas&source=Source+A").text
    assert links(page)["sans le filtre de source : 1 rapport"] == "/?q=Damas"
    page = client.get("/?q=Homs&source=Notes&from=2023-01&to=2023-01").text
    assert links(page)["sans le filtre de source : 4 rapports"] == "/?q=Homs&from=2023-01&to=2023-01"
    assert "sans le filtre de dates" not in page  # Notes has no Homs, whatever the dates
    assert links(page)["sans aucun filtre : 14 rapports"] == "/?q=Homs"


STATE = "q=frappes&source=Source+A&source=Source+B&from=2023-01&to=2023-12&sort=date&page=2&per_page=2"


def test_the_report_keeps_the_search_and_moves_within_it(client):
    page = client.get("/?" + STATE).text
    hits = re.findall(r'<h2><a href="([^"]+)">', page)
    assert len(hits) == 2 and html.unescape(hits[0]).endswith("?" + STATE)
    report = client.get(html.unescape(hits[0])).text
    nav = links(report)
    back = next(v for k, v in nav.items() if k.startswith("← résultats"))
    assert back == "/?" + STATE + "#rang-3" and "rapport 3 sur 6" in text(report)
    previous = next(v for k, v in nav.items() if k.startswith("← précédent"))
    first_page = re.findall(r'<h2><a href="([^"]+)">', client.get("/?" + STATE.replace("&page=2", "")).text)
    assert previous == html.unescape(first_page[-1])  # the last hit of the page before
    following = next(v for k, v in nav.items() if k.startswith("suivant"))
    assert following == html.unescape(hits[1])


def test_the_report_numbers_its_matches_and_names_its_file(client):
    report = client.get("/reports/r03?q=Alep+Homs").text
    assert re.findall(r'<mark id="m(\d)">', report) == ["1", "2"]  # Alep, Homs in the text (the title's aside)
    assert links(report)["aller à la première"] == "#m1" and 'href="#m2" aria-label="occurrence suivante"' in report
    assert "r03.txt" in text(report) and links(report)["lien permanent du rapport"] == "/reports/r03"
    related = [v for k, v in links(report).items() if k.startswith("Frappes près d’Alep")]
    assert related and all(not v.startswith("/reports/r03?") for v in related)


def api_rows(client, params: str) -> list[dict]:
    rows, page = [], 1
    while True:
        body = client.get(f"/api/search?{params}&per_page=7&page={page}").json()
        rows += body["hits"]
        if page * 7 >= body["total"]:
            return rows
        page += 1


def test_export_is_every_hit_of_every_page_with_the_filters(client):
    page = client.get("/?q=Alep&from=2023-01&to=2023-06&page=2&per_page=5").text
    csv_url, jsonl_url = links(page)["CSV"], links(page)["JSON Lines"]
    assert csv_url == "/export.csv?q=Alep&from=2023-01&to=2023-06&per_page=5"
    expected = api_rows(client, "q=Alep&from=2023-01&to=2023-06")
    r = client.get(csv_url)
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["id"] for row in rows] == [h["id"] for h in expected] and len(rows) > 10
    lines = [json.loads(line) for line in client.get(jsonl_url).text.splitlines()]
    assert [line["id"] for line in lines] == [h["id"] for h in expected] and lines[0]["title"] == expected[0]["title"]


@pytest.mark.parametrize("url", ["/export.csv?page=0", "/export.xml", "/facettes/autre", "/facettes/sources?sort=x"])
def test_bad_export_and_list_requests_are_4xx_with_a_message(client, url):
    r = client.get(url)
    assert 400 <= r.status_code < 500 and "Traceback" not in r.text and r.headers["content-type"].startswith("text/html")


def test_first_result_comes_after_few_tab_stops(client):
    page = client.get("/?q=Alep&source=Source+A").text
    head = page[:page.index('<li class="hit"')]
    stops = re.findall(r"<a |<input(?![^>]*hidden)|<button", head)
    assert len(stops) <= 8 and '<a class="skip" href="#resultats">' in head and "<h1" in head


def test_keyboard_script_is_ours_and_optional(client):
    page = client.get("/?q=Alep").text
    assert '<script src="/static/keys.js" defer></script>' in page and "<script>" not in page
    assert "j" in client.get("/static/keys.js").text


def _forms(page: str) -> list[tuple[str, dict[str, list[str]]]]:
    """(action, hidden inputs by name) of every form of a page."""
    out = []
    for action, body in re.findall(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', page, re.S):
        hidden: dict[str, list[str]] = {}
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body):
            hidden.setdefault(name, []).append(html.unescape(value))
        out.append((action, hidden))
    return out


def test_every_form_keeps_the_search_state_it_does_not_edit(client):
    """A page at per_page=50 stays at 50 whichever of its forms is submitted (all four dropped it)."""
    params = {"q": "Alep", "source": "Source A", "sort": "date", "per_page": "50", "sans": "Halab"}
    page = client.get("/", params=params).text
    forms = _forms(page)
    assert len(forms) >= 2  # the search box and the dates (the spellings' form when a name has some)
    for action, hidden in forms:
        if action == "/recherches":  # saving: the whole search in one field
            hidden = parse_qs(hidden["recherche"][0])
        assert hidden.get("per_page") == ["50"] and hidden.get("source") == ["Source A"], (action, hidden)
        assert hidden.get("sort") == ["date"] and "page" not in hidden
    facet = client.get("/facettes/sources", params=params).text
    [(_, hidden)] = _forms(facet)
    assert hidden == {"q": ["Alep"], "source": ["Source A"], "sans": ["Halab"], "sort": ["date"], "per_page": ["50"]}
