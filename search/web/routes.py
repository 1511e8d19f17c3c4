"""The pages' endpoints: the search page (and its table view), a facet's full list, a report, the export.

They only route: what a page shows is worked out in ``pages`` and ``report_page``.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from typing import Iterator

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse

from search import export, settings
from search.engine.contract import StoredReport
from search.errors import NotFound
from search.saved.database import DatabaseError
from search.ingest.ids import MAX_ID_CHARS
from search.params import API_PARAMS, PAGE_PARAMS, parse_leniently, parse_params
from search.service import SearchService
from search.web import forms, pages, report_page, urls

log = logging.getLogger("search.server")
EXPORTS = {"csv": ("text/csv; charset=utf-8", "csv"), "excel": ("text/csv; charset=utf-8", "csv"),
           "jsonl": ("application/x-ndjson; charset=utf-8", "jsonl")}


def multi(request: Request) -> dict[str, list[str]]:
    return {k: request.query_params.getlist(k) for k in request.query_params.keys()}


def service_of(request: Request) -> SearchService:
    return request.app.state.service


def page(request: Request, name: str, context: dict, status: int = 200) -> Response:
    context.setdefault("nav", request.url.path)
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def page_search(request: Request) -> Response:
    raw = multi(request)
    params, faults = parse_leniently(raw)
    if not faults and urls.needs_tidying(raw, params):  # the page lives at its tidy URL
        return RedirectResponse(urls.search_url(params, page=params.page), 302)
    history, visitor = request.app.state.history, forms.visitor(request)
    context = pages.search_context(service_of(request), params, faults, raw)
    if visitor and pages.is_home(params):
        context["history"] = _quietly(lambda: history.entries(visitor, pages.HISTORY_SHOWN), [])
    response = page(request, "search.html", context, 400 if faults else 200)
    if not faults and not pages.is_home(params):
        visitor = visitor or forms.new_visitor()
        if _quietly(lambda: history.record(visitor, params, context["result"].total) or True, False):
            forms.remember_visitor(response, request, visitor)
    return response


def _quietly(work, otherwise):
    """The history's work, or ``otherwise`` when its database cannot be used (a read-only folder…):
    searching never depends on it. The history page itself says what is wrong."""
    try:
        return work()
    except DatabaseError as e:
        log.warning("history: %s", e)
        return otherwise


def page_facet(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ("sources", "mois"):
        raise NotFound("Cette liste n’existe pas : sources ou mois.")
    raw = multi(request)
    contains = (raw.pop("filtre", None) or [""])[-1].strip()[: settings.get("max_param_chars")]
    params = parse_params(raw, PAGE_PARAMS)
    return page(request, "facet.html", pages.facet_context(service_of(request), params, name, contains))


def find_report(service: SearchService, report_id: str) -> StoredReport:
    """The report of this id, read as NFC first (a file name may be written decomposed on disk, and so
    in a link typed or pasted from it: "e" and a combining accent for "é"); raises NotFound."""
    if len(report_id) <= MAX_ID_CHARS:
        for candidate in dict.fromkeys((unicodedata.normalize("NFC", report_id), report_id)):
            report = service.engine.get(candidate)
            if report is not None:
                return report
    raise NotFound("Ce rapport n’existe pas dans l’index.")


def page_report(request: Request) -> Response:
    service = service_of(request)
    report = find_report(service, request.path_params["report_id"])
    params, _ = parse_leniently(multi(request))  # a bad parameter never keeps the report from opening
    return page(request, "report.html", report_page.report_context(service, params, report))


TEXT_CHUNK = 1 << 16


def report_text(request: Request) -> Response:
    """A report's whole text (its title, a blank line, its body) as plain text, streamed: its page shows
    a window of a long one."""
    service = service_of(request)
    report = find_report(service, request.path_params["report_id"])
    body = report.body if report.length is None else service.engine.text(report.id) or report.body

    def chunks() -> Iterator[str]:
        yield report.title + "\n\n"
        for start in range(0, len(body), TEXT_CHUNK):
            yield body[start:start + TEXT_CHUNK]

    return StreamingResponse(chunks(), media_type="text/plain; charset=utf-8")


def export_results(request: Request) -> Response:
    """Every hit of the search (all pages, the page's filters), streamed as CSV (for scripts or for
    French Excel) or JSON Lines, in a file named for the search."""
    fmt = request.path_params["fmt"]
    if fmt not in EXPORTS:
        raise NotFound("Export en csv, excel ou jsonl seulement.")
    params = replace(parse_params(multi(request), API_PARAMS), page=1)
    media_type, extension = EXPORTS[fmt]
    base = str(request.base_url)
    hits = export.hits(service_of(request), params)
    # A sync iterator: Starlette walks it in a worker thread, so the blocking searches never hold the loop.
    chunks = export.jsonl_chunks(hits, base) if fmt == "jsonl" else export.csv_chunks(hits, fmt, base)
    name = export.file_name(params, extension)
    return StreamingResponse(chunks, media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})

