"""The page's state in its URL, as pure functions (no server)."""
from search.service import SearchParams
from search.urls import month_items, pagination, report_url, search_url, source_items


def test_search_url_keeps_state_and_resets_page():
    p = SearchParams(q="Abou Kamal", sources=("AFP", "BFMTV"), date_from="2023", sort="date", page=3)
    assert search_url(p) == "/?q=Abou+Kamal&source=AFP&source=BFMTV&from=2023&sort=date"
    assert search_url(p, page=2).endswith("&sort=date&page=2")
    assert search_url(SearchParams()) == "/?"


def test_source_toggles():
    p = SearchParams(q="x", sources=("AFP",))
    items = source_items(p, {"BFMTV": 5, "AFP": 3})
    assert [(i.label, i.count, i.selected) for i in items] == [("AFP", 3, True), ("BFMTV", 5, False)]
    assert items[0].url == "/?q=x" and items[1].url == "/?q=x&source=AFP&source=BFMTV"


def test_chosen_source_without_matches_stays_listed():
    items = source_items(SearchParams(sources=("Le Monde",)), {"AFP": 2})
    assert [(i.label, i.count, i.selected) for i in items] == [("Le Monde", 0, True), ("AFP", 2, False)]


def test_month_links_narrow_to_the_month():
    (item,) = month_items(SearchParams(q="x"), {"2023-11": 4})
    assert (item.label, item.url) == ("novembre 2023", "/?q=x&from=2023-11&to=2023-11")


def test_pagination_window():
    pg = pagination(SearchParams(q="x", page=5), total=200, max_page=1000)
    assert [link.number for link in pg.pages] == [1, 2, 3, 4, 5, 6, 7, 8, 20]
    assert pg.previous.endswith("page=4") and pg.next.endswith("page=6") and pg.last == 20
    single = pagination(SearchParams(q="x"), total=3, max_page=1000)
    assert single.previous is None and single.next is None and single.last == 1


def test_report_url_quotes_the_id():
    assert report_url("dir/a b#1", "Homs") == "/reports/dir/a%20b%231?q=Homs"
