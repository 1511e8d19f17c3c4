"""What a report's page shows: its text with the search's matches numbered, its place in the search
(previous, next, back to the very page of results), related reports."""
from __future__ import annotations

from dataclasses import dataclass, replace

from search.engine.contract import StoredReport
from search.highlight import excerpts
from search.highlight.formatters import HtmlFormatter
from search.params import SearchParams
from search.service import SearchService, report_period
from search.web import urls

RELATED = 5
HTML = HtmlFormatter()


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
    source = service.source_name(report.source)
    return {"report": report, "params": params, "q": params.q, "period": report_period(report),
            "title_html": HTML.format(excerpts.whole(title, find(title, marks))),
            "paragraphs": paragraphs, "matches": matches, "place": place,
            "related": related, "source": source, "source_written": report.source if source != report.source else None,
            "permalink": urls.permalink(report.id), "source_file": report.path,
            "api_url": "/api/reports/" + urls.permalink(report.id).removeprefix("/reports/")}
