"""The web app: the routes of the search page, a report view, the facet lists, the export and the JSON API.

``create_app`` builds it; ``server.py`` serves it (``search.web.serve``).
"""
from __future__ import annotations

import contextlib
import logging
import unicodedata
from pathlib import Path
from typing import Any, Iterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from search import export, indexing, settings
from search.engine.contract import Engine, StoredReport
from search.errors import BadRequest, NotFound, SearchError
from search.ingest.ids import MAX_ID_CHARS
from search.names.aliases import AliasTable
from search.params import SearchParams, parse_params
from search.service import SearchService
from search.web import bidi, errors, pages, urls
from search.web.middleware import QueryStringLimit, SecurityHeaders

HERE = Path(__file__).resolve().parent  # templates/ and static/ are package data beside this module
log = logging.getLogger("search.server")
EXPORTS = {"csv": (export.csv_chunks, "text/csv; charset=utf-8"),
           "jsonl": (export.jsonl_chunks, "application/x-ndjson; charset=utf-8")}


def _multi(request: Request) -> dict[str, list[str]]:
    return {k: request.query_params.getlist(k) for k in request.query_params.keys()}


def _service(request: Request) -> SearchService:
    return request.app.state.service


def api_search(request: Request) -> Response:
    params = parse_params(_multi(request))
    return JSONResponse(_service(request).run(params).to_json())


def _query_only(raw: dict[str, list[str]]) -> SearchParams:
    """What is left of a request whose parameters are refused: its query, to show back."""
    return SearchParams(q=(raw.get("q") or [""])[-1][:settings.get("max_query_chars")])


def page_search(request: Request) -> Response:
    raw = _multi(request)
    try:
        params = parse_params(raw)
    except BadRequest as e:
        return _page(request, "search.html", {"params": _query_only(raw), "result": None, "error": str(e)}, 400)
    if urls.needs_tidying(raw):  # a GET form sends its empty fields: the page lives at its tidy URL
        return RedirectResponse(urls.search_url(params, page=params.page), 302)
    return _page(request, "search.html", pages.search_context(_service(request), params))


def page_facet(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ("sources", "mois"):
        raise NotFound("Cette liste n’existe pas : sources ou mois.")
    params = parse_params(_multi(request))
    contains = request.query_params.get("filtre", "").strip()[: settings.get("max_param_chars")]
    return _page(request, "facet.html", pages.facet_context(_service(request), params, name, contains))


def _report(request: Request) -> StoredReport:
    """The report the path names, its id read as NFC first (a file name may be written decomposed on disk,
    and so in a link typed or pasted from it: "e" and a combining accent for "é"); raises NotFound."""
    report_id = request.path_params["report_id"]
    engine = _service(request).engine
    if len(report_id) <= MAX_ID_CHARS:
        for candidate in dict.fromkeys((unicodedata.normalize("NFC", report_id), report_id)):
            report = engine.get(candidate)
            if report is not None:
                return report
    raise NotFound("Ce rapport n’existe pas dans l’index.")


def page_report(request: Request) -> Response:
    service = _service(request)
    report = _report(request)
    raw = _multi(request)
    try:
        params = parse_params(raw)
    except BadRequest:  # the report still opens, with the query's matches marked
        params = _query_only(raw)
    return _page(request, "report.html", pages.report_context(service, params, report))


TEXT_CHUNK = 1 << 16


def report_text(request: Request) -> Response:
    """A report's whole text (its title, a blank line, its body) as plain text, streamed: its page shows
    a window of a long one."""
    report = _report(request)
    body = report.body if report.length is None else _service(request).engine.text(report.id) or report.body

    def chunks() -> Iterator[str]:
        yield report.title + "\n\n"
        for start in range(0, len(body), TEXT_CHUNK):
            yield body[start:start + TEXT_CHUNK]

    return StreamingResponse(chunks(), media_type="text/plain; charset=utf-8")


def export_results(request: Request) -> Response:
    """Every hit of the search (all pages, the page's filters), streamed as CSV or JSON Lines."""
    fmt = request.path_params["fmt"]
    if fmt not in EXPORTS:
        raise NotFound("Export en csv ou jsonl seulement.")
    params = parse_params(_multi(request))
    chunks, media_type = EXPORTS[fmt]
    # A sync iterator: Starlette walks it in a worker thread, so the blocking searches never hold the loop.
    return StreamingResponse(chunks(export.hits(_service(request), params)), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="recherche.{fmt}"'})


def _page(request: Request, name: str, context: dict, status: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, name, context, status_code=status)


def make_templates() -> Jinja2Templates:
    """The page's templates, with the URL helpers and the French count of reports."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(search_url=urls.search_url, report_url=urls.report_url, permalink=urls.permalink,
                                 hidden_fields=urls.hidden_fields, text_url=urls.text_url)
    templates.env.filters["rapports"] = lambda n: f"{n:,}".replace(",", "\u202f") + (" rapports" if n > 1 else " rapport")
    templates.env.filters["nombre"] = lambda n: f"{n:,}".replace(",", "\u202f")
    templates.env.filters.update(bdi=bidi.bdi, isolated_text=bidi.isolated_text, visible_controls=bidi.visible_controls)
    return templates


def open_engine(index_dir: Path, reports_dir: Path) -> Engine:
    """The index, built first into a folder without any generation; raises IndexDamaged when none is whole."""
    summary = indexing.ensure_index(reports_dir, index_dir)
    if summary is not None:
        log.warning("built the missing index %s: %d reports in %.1f s", index_dir, summary.indexed, summary.seconds)
    return indexing.open_index(index_dir)


def create_app(index: Path | None = None, reports: Path | None = None,
               opened: Engine | None = None, alias_file: Path | None = None) -> Starlette:
    """The app; nothing is opened before its lifespan starts. ``opened``: the index, opened already
    (``python server.py`` does, to refuse a damaged one in one line); ``alias_file``: the analyst's
    aliases (default: aliases.tsv beside the index)."""
    index_dir, reports_dir = settings.index_dir(index), settings.reports_dir(reports)
    aliases = settings.aliases_file(alias_file, index_dir)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        engine = opened or open_engine(index_dir, reports_dir)
        app.state.service = SearchService(engine, AliasTable(aliases))
        yield
        app.state.service.close()

    routes = [
        Route("/", page_search),
        Route("/api/search", api_search),
        Route("/facettes/{name}", page_facet),
        Route("/export.{fmt}", export_results),
        Route("/reports/{report_id:path}", page_report),
        Route("/texte/{report_id:path}", report_text),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    handlers: dict[Any, Any] = {SearchError: errors.search_error, HTTPException: errors.http_error,
                                Exception: errors.server_error}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.state.templates = make_templates()
    app.add_middleware(QueryStringLimit, most=settings.get("max_query_string_bytes"), answer=errors.http_error)
    app.add_middleware(SecurityHeaders)  # the outermost: on every answer, a 414 too
    return app
