"""What each HTML page shows, as a template context: the search page, a facet's full list, a report.

The server only routes; these functions run the search and gather links (all from ``urls``,
``facets``, ``pagination``), so a page's content can be checked without a server.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from search.web import advice, facet_links, urls
from search import highlight, settings
from search.engine import Engine, StoredReport
from search.web.histogram import histogram
from search.web.pagination import pagination
from search.query.syntax import ranked
from search.service import SearchParams, page_titles, query_terms, run

RELATED = 5


def search_context(index: Engine, params: SearchParams) -> dict:
    result = run(index, params)
    pages = pagination(params, result.total, settings.get("max_page"))
    context = {
        "params": params, "result": result, "error": None, "pagination": pages,
        "hits": [] if pages.beyond else result.hits,
        "accepted": urls.variant_items(params, result.accepted),
        "rejected": urls.variant_items(params, result.rejected),
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
        context["spellings"] = advice.nearest_spellings(index, params, result)
        context["lifts"] = advice.lifted_filters(index, params)
    return context


def facet_context(index: Engine, params: SearchParams, name: str, contains: str) -> dict:
    """Every value of one facet ('sources' or 'mois'), with its count for the current search."""
    result = run(index, replace(params, page=1))
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


def place_in_search(index: Engine, params: SearchParams, report_id: str) -> Place:
    total, hits = page_titles(index, params)
    ids = [i for i, _ in hits]
    back = urls.search_url(params, page=params.page)
    if report_id not in ids:
        return Place(None, total, None, None, back)
    i = ids.index(report_id)
    rank = (params.page - 1) * params.per_page + i + 1
    previous = _neighbour(index, params, total, hits, i - 1)
    following = _neighbour(index, params, total, hits, i + 1)
    return Place(rank, total, previous, following, f"{back}#rang-{rank}")


def _neighbour(index: Engine, params: SearchParams, total: int, hits: list[tuple[str, str]],
               i: int) -> Neighbour | None:
    """The hit at position ``i`` of this page, or the last of the page before / the first of the next."""
    page = params.page
    if i < 0 and page > 1:
        page, hits, i = page - 1, page_titles(index, replace(params, page=page - 1))[1], params.per_page - 1
    elif i >= len(hits) and page * params.per_page < total:
        page, hits, i = page + 1, page_titles(index, replace(params, page=page + 1))[1], 0
    if not 0 <= i < len(hits):
        return None
    report_id, title = hits[i]
    return Neighbour(title, urls.report_url(report_id, replace(params, page=page)))


def report_context(index: Engine, params: SearchParams, report: StoredReport) -> dict:
    terms = query_terms(index, params.q, params.steer)
    body, title = report.body, report.title
    paragraphs, matches = highlight.anchored(highlight.paragraphs(body, highlight.find_spans(body, terms)))
    place = place_in_search(index, params, report.id)
    related = [Neighbour(r.title or r.id, urls.report_url(r.id, replace(params, page=1)))
               for r in index.related(report.id, RELATED)]
    return {"report": report, "params": params, "q": params.q, "period": report.period,
            "title_html": highlight.mark(title, highlight.find_spans(title, terms)),
            "paragraphs": paragraphs, "matches": matches, "place": place,
            "related": related,
            "permalink": urls.permalink(report.id), "source_file": report.path}
