"""What each HTML page shows, as a template context: the search page, a facet's full list, a report.

The app only routes; these functions run the search (the app's ``SearchService``) and gather
links (all from ``urls``, ``facet_links``, ``pagination``), so a page's content can be checked
without a server.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from search import settings
from search.engine.contract import StoredReport
from search.highlight import excerpts
from search.highlight.formatters import HtmlFormatter
from search.params import SearchParams
from search.query.syntax import ranked
from search.service import SearchService, report_period
from search.web import advice, facet_links, spellings, urls
from search.web.histogram import histogram
from search.web.pagination import pagination

RELATED = 5
HTML = HtmlFormatter()


def search_context(service: SearchService, params: SearchParams) -> dict:
    result = service.run(params)
    pages = pagination(params, result.total, settings.get("max_page"))
    context = {
        "params": params, "result": result, "error": None, "pagination": pages,
        "hits": [] if pages.beyond else result.hits,
        "names": (names := spellings.name_items(params, result.shown_names)),
        "unshown": spellings.unshown_choices(params, names),
        "steering": spellings.steering_chips(params), "clear_steering": spellings.clear_steering_url(params),
        "spellings_found": len(result.accepted),
        "sources": facet_links.source_facet(params, result.sources),
        "months": facet_links.month_facet(params, result.months),
        "histogram": histogram(params, result.months),
        "undated_url": urls.search_url(params, date_from="", date_to="", undated=not params.undated),
        "active": facet_links.active_filters(params), "clear_all": facet_links.clear_all_url(params),
        "sorts": facet_links.sort_items(params, result.sort, ranked(result.query.node)),
        "self_url": urls.search_url(params, page=params.page),
        "export": {fmt: urls.search_url(replace(params, page=1), f"/export.{fmt}") for fmt in ("csv", "jsonl")},
        "spellings": [], "lifts": [],
    }
    if result.total == 0:
        context["spellings"] = advice.nearest_spellings(service, params, result)
        context["lifts"] = advice.lifted_filters(service, params)
    return context


def facet_context(service: SearchService, params: SearchParams, name: str, contains: str) -> dict:
    """Every value of one facet ('sources' or 'mois'), with its count for the current search."""
    result = service.run(replace(params, page=1))
    if name == "sources":
        facet = facet_links.source_facet(params, result.sources, most=None, contains=contains)
    else:
        facet = facet_links.month_facet(params, result.months, most=None)
    return {"params": params, "result": result, "facet": facet, "contains": contains,
            "back": urls.search_url(params, page=params.page)}


@dataclass(frozen=True)
class Neighbour:
    title: str
    url: str


@dataclass(frozen=True)
class Place:
    """Where a report stands in the search it was opened from."""
    rank: int | None            # 1-based, None when it is not on the page the URL names
    total: int
    previous: Neighbour | None
    next: Neighbour | None
    back: str                   # the results page, scrolled to the report


def place_in_search(service: SearchService, params: SearchParams, report_id: str) -> Place:
    total, hits = service.page_titles(params)
    ids = [i for i, _ in hits]
    back = urls.search_url(params, page=params.page)
    if report_id not in ids:
        return Place(None, total, None, None, back)
    i = ids.index(report_id)
    rank = (params.page - 1) * params.per_page + i + 1
    previous = _neighbour(service, params, total, hits, i - 1)
    following = _neighbour(service, params, total, hits, i + 1)
    return Place(rank, total, previous, following, f"{back}#rang-{rank}")


def _neighbour(service: SearchService, params: SearchParams, total: int, hits: list[tuple[str, str]],
               i: int) -> Neighbour | None:
    """The hit at position ``i`` of this page, or the last of the page before / the first of the next."""
    page = params.page
    if i < 0 and page > 1:
        page, hits, i = page - 1, service.page_titles(replace(params, page=page - 1))[1], params.per_page - 1
    elif i >= len(hits) and page * params.per_page < total:
        page, hits, i = page + 1, service.page_titles(replace(params, page=page + 1))[1], 0
    if not 0 <= i < len(hits):
        return None
    report_id, title = hits[i]
    return Neighbour(title, urls.report_url(report_id, replace(params, page=page)))


def report_context(service: SearchService, params: SearchParams, report: StoredReport) -> dict:
    marks = service.marks(params.q, params.steer)
    body, title = report.body, report.title
    find = service.highlighter.find_spans
    paragraphs, matches = HTML.numbered(excerpts.paragraphs(body, find(body, marks)))
    place = place_in_search(service, params, report.id)
    related = [Neighbour(r.title or r.id, urls.report_url(r.id, replace(params, page=1)))
               for r in service.engine.related(report.id, RELATED)]
    return {"report": report, "params": params, "q": params.q, "period": report_period(report),
            "title_html": HTML.format(excerpts.whole(title, find(title, marks))),
            "paragraphs": paragraphs, "matches": matches, "place": place,
            "related": related,
            "permalink": urls.permalink(report.id), "source_file": report.path}
