"""The page's state in its URL, facets, pages and the date bars, as pure functions (no server)."""
from collections import Counter

from search.params import PAGE_PARAMS, SearchParams, parse_params
from search.web.facet_links import active_filters, clear_all_url, month_facet, sort_items, source_facet
from search.web.histogram import histogram
from search.web.pagination import pagination
from search.web.urls import needs_tidying, report_url, search_url


def test_search_url_keeps_state_and_resets_page():
    p = SearchParams(q="Abou Kamal", sources=("AFP", "BFMTV"), date_from="2023", sort="date", page=3)
    assert search_url(p) == "/?q=Abou+Kamal&source=AFP&source=BFMTV&from=2023&sort=date"
    assert search_url(p, page=2).endswith("&sort=date&page=2")
    assert search_url(SearchParams()) == "/"
    assert search_url(SearchParams(q="x", undated=True)) == "/?q=x&undated=1"


def test_no_empty_or_default_values_in_urls():
    url = search_url(SearchParams(q="x", sort="relevance", page=1))
    assert url == "/?q=x"
    def tidy(raw):
        return needs_tidying(raw, parse_params(raw, PAGE_PARAMS))

    assert tidy({"q": ["x"], "from": [""], "to": [""]}) and tidy({"sort": ["relevance"]})
    assert tidy({"page": ["1"]}) and not tidy({"q": ["x"], "sort": ["date"], "page": ["2"]})
    assert tidy({"q": ["x"], "from": ["juillet 2016"]}) and not tidy({"q": ["x"], "from": ["2016-07"]})
    assert tidy({"undated": ["true"]}) and not tidy({"undated": ["1"]})
    assert not tidy({"q": ["x"], "vue": ["tableau"], "col": ["date", "score"]}) and tidy({"vue": ["liste"]})


def test_report_url_quotes_the_id_and_carries_the_search():
    assert report_url("dir/a b#1", "Homs") == "/reports/dir/a%20b%231?q=Homs"
    state = SearchParams(q="frappes", sources=("6Medias",), date_from="2016-05", date_to="2016-12", sort="date", page=2)
    assert report_url("r1", state) == "/reports/r1?q=frappes&source=6Medias&from=2016-05&to=2016-12&sort=date&page=2"


def test_source_toggles():
    p = SearchParams(q="x", sources=("AFP",))
    facet = source_facet(p, {"BFMTV": 5, "AFP": 3})
    assert [(i.label, i.count, i.selected) for i in facet.items] == [("AFP", 3, True), ("BFMTV", 5, False)]
    assert facet.items[0].url == "/?q=x" and facet.items[1].url == "/?q=x&source=AFP&source=BFMTV"


def test_chosen_source_without_matches_stays_listed():
    facet = source_facet(SearchParams(sources=("Le Monde",)), {"AFP": 2})
    assert [(i.label, i.count, i.selected) for i in facet.items] == [("Le Monde", 0, True), ("AFP", 2, False)]


def test_every_source_is_reachable():
    counts = {f"S{n:03d}": 200 - n for n in range(109)}
    facet = source_facet(SearchParams(q="x"), counts)
    assert len(facet.items) == 12 and facet.hidden == 97 and facet.all_url == "/facettes/sources?q=x"
    every = source_facet(SearchParams(q="x"), counts, most=None)
    assert [i.label for i in every.items] == sorted(counts) and every.hidden == 0
    assert [i.label for i in source_facet(SearchParams(), {"Perspectives Med": 1, "RTL": 9}, None, "med").items] == \
        ["Perspectives Med"]


def test_month_links_narrow_and_the_chosen_one_clears():
    (item,) = month_facet(SearchParams(q="x"), {"2023-11": 4}).items
    assert (item.label, item.url, item.selected) == ("novembre 2023", "/?q=x&from=2023-11&to=2023-11", False)
    (chosen,) = month_facet(SearchParams(q="x", date_from="2023-11", date_to="2023-11"), {"2023-11": 4}).items
    assert chosen.selected and chosen.url == "/?q=x"  # never a link to itself
    months = {f"20{y}-{m:02d}": 1 for y in (22, 23, 24) for m in range(1, 13)}
    facet = month_facet(SearchParams(), months)
    assert facet.items[0].value == "2024-12" and facet.hidden == 24


def test_active_filters_each_clear_in_one_click():
    p = SearchParams(q="x", sources=("AFP", "RTL"), date_from="2023-01", date_to="2023-06", sort="date")
    active = active_filters(p)
    assert [a.label for a in active] == ["source : AFP", "source : RTL", "dates : de janvier 2023 à juin 2023"]
    assert active[0].url == "/?q=x&source=RTL&from=2023-01&to=2023-06&sort=date"
    assert active[2].url == "/?q=x&source=AFP&source=RTL&sort=date"
    assert clear_all_url(p) == "/?q=x&sort=date"
    assert active_filters(SearchParams(undated=True))[0].url == "/"


def test_sort_offered_is_the_sort_used():
    assert [(s.value, s.selected) for s in sort_items(SearchParams(q="x"), "relevance", True)] == \
        [("relevance", True), ("date", False), ("oldest", False)]
    # An empty query is listed by date: no 'pertinence' ticked while the page says 'plus récents'.
    assert [(s.value, s.selected) for s in sort_items(SearchParams(), "date", False)] == [("date", True), ("oldest", False)]


def numbers(pg):
    return [link.number for link in pg.pages]


def test_pagination_has_ellipses():
    assert numbers(pagination(SearchParams(q="x", page=1), 3010, 1000)) == [1, 2, 3, None, 301]
    assert numbers(pagination(SearchParams(q="x", page=301), 3010, 1000)) == [1, None, 299, 300, 301]
    assert numbers(pagination(SearchParams(q="x", page=150), 3010, 1000)) == [1, None, 148, 149, 150, 151, 152, None, 301]
    assert numbers(pagination(SearchParams(q="x", page=4), 3010, 1000)) == [1, 2, 3, 4, 5, 6, None, 301]
    pg = pagination(SearchParams(q="x", page=5), total=200, max_page=1000)
    assert pg.previous.endswith("page=4") and pg.next.endswith("page=6") and pg.last == 20 and not pg.beyond
    single = pagination(SearchParams(q="x"), total=3, max_page=1000)
    assert single.previous is None and single.next is None and single.last == 1


def test_past_the_last_page():
    pg = pagination(SearchParams(q="x", page=302), 3010, 1000)
    assert pg.beyond and pg.next is None and pg.last_url == "/?q=x&page=301" and pg.previous == pg.last_url


def test_histogram_by_month_or_year():
    h = histogram(SearchParams(q="x"), Counter({"2023-11": 4, "2024-01": 2}))
    assert (h.by, [b.value for b in h.bars], [b.count for b in h.bars]) == ("mois", ["2023-11", "2023-12", "2024-01"], [4, 0, 2])
    assert h.bars[0].url == "/?q=x&from=2023-11&to=2023-11" and [b.level for b in h.bars] == [20, 0, 10]
    years = histogram(SearchParams(date_from="2012", date_to="2012"), Counter({"2011-02": 1, "2012-05": 3, "2020-09": 1}))
    assert years.by == "année" and [b.value for b in years.bars] == [str(y) for y in range(2011, 2021)]
    assert [b.value for b in years.bars if b.selected] == ["2012"] and years.bars[1].url == "/"
    assert histogram(SearchParams(), Counter()) is None
