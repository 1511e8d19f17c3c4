"""What a report's page shows: its text with the search's matches numbered, its place in the search
(previous, next, back to the very page of results), related reports."""
from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, replace

from search import settings
from search.engine.contract import StoredReport
from search.highlight import excerpts
from search.highlight.formatters import HtmlFormatter
from search.highlight.spans import cut_point
from search.params import SearchParams
from search.service import SearchService, report_period
from search.web import urls

RELATED = 5
HTML = HtmlFormatter()
TITLE_SHOWN = 2_000  # a longer title (a one-line paste) is shown as a window around its first match
LEAD_CHARS = 1_000   # a window opens this far (and back to a paragraph's start) before the first match
FIRST_MATCH_SECONDS = 1.0  # how long a long report is searched for its first match before its opening is shown


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


@dataclass(frozen=True)
class Window:
    """The part of a long report its page shows (characters ``start`` to ``end`` of ``length``)."""
    start: int
    end: int
    length: int
    text_url: str  # the whole text, as plain text

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end == self.length


def report_window(service: SearchService, report: StoredReport, marks) -> Window:
    """All of a report up to ``page_chars``; else that many characters from a little before its first
    match (or from its opening, when none is found in time), within the part the index gives (the
    searchable part of a very long one): a 50 MB report made a page of 56 MB."""
    most, body, report_id = int(settings.get("page_chars")), report.body, report.id
    if report.text_length <= most:
        return Window(0, len(body), len(body), urls.text_url(report_id))
    first = service.highlighter.first_span(body, marks, int(settings.get("max_indexed_chars")),
                                           deadline=time.monotonic() + FIRST_MATCH_SECONDS)
    start = cut_point(body, first[0] - LEAD_CHARS) if first and first[0] > LEAD_CHARS else 0
    start = min(start, _after_break(body, max(0, len(body) - most)))  # a match near the end: the page's worth before it
    return Window(start, cut_point(body, start + most), report.text_length, urls.text_url(report_id))


def _after_break(text: str, at: int) -> int:
    """The first paragraph break (else space) at or after ``at``: where a window ending at the text's end starts."""
    for mark in ("\n\n", " "):
        found = text.find(mark, at, at + 20_000)
        if found >= 0:
            return found + len(mark)
    return at


def windowed_paragraphs(service: SearchService, report: StoredReport, marks, window: Window) -> list:
    """The window's paragraphs with their spans; "…" where the text goes on before or after it."""
    body = report.body[window.start:window.end]
    shown = excerpts.paragraphs(body, service.highlighter.find_spans(body, marks))
    if shown and not window.whole:
        shown[0] = dataclasses.replace(shown[0], cut_before=window.start > 0)
        shown[-1] = dataclasses.replace(shown[-1], cut_after=window.end < window.length)
    return shown


def report_context(service: SearchService, params: SearchParams, report: StoredReport) -> dict:
    marks = service.marks(params.q, params.steer)
    title, window = report.title, report_window(service, report, marks)
    find = service.highlighter.find_spans
    paragraphs, matches = HTML.numbered(windowed_paragraphs(service, report, marks, window))
    place = place_in_search(service, params, report.id)
    related = [Neighbour(r.title or r.id, urls.report_url(r.id, replace(params, page=1)))
               for r in service.engine.related(report.id, RELATED)]
    source = service.source_name(report.source)
    title_part = title[:int(settings.get("snippet_scan_chars"))]
    return {"report": report, "params": params, "q": params.q, "period": report_period(report),
            "title_html": HTML.format(excerpts.fitted(title_part, find(title_part, marks), TITLE_SHOWN)),
            "paragraphs": paragraphs, "matches": matches, "place": place, "window": window,
            "related": related, "source": source, "source_written": report.source if source != report.source else None,
            "permalink": urls.permalink(report.id), "source_file": report.path,
            "api_url": "/api/reports/" + urls.permalink(report.id).removeprefix("/reports/")}
