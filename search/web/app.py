"""The web app: the routes of the search page, a report view, the facet lists, the export and the JSON API.

``create_app`` builds it; ``server.py`` serves it (``search.web.serve``).
"""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from search.names import aliases
from search import export, indexing, service, settings
from search.web import pages, urls
from search.engine import SearchIndex
from search.ingest.ids import MAX_ID_CHARS
from search.service import BadRequest
from search.web.middleware import SECURITY_HEADERS, QueryStringLimit, SecurityHeaders

HERE = Path(__file__).resolve().parent  # templates/ and static/ are package data beside this module
log = logging.getLogger("search.server")
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals.update(search_url=urls.search_url, report_url=urls.report_url, permalink=urls.permalink)
templates.env.filters["rapports"] = lambda n: f"{n:,}".replace(",", "\u202f") + (" rapports" if n > 1 else " rapport")
EXPORTS = {"csv": (export.csv_chunks, "text/csv; charset=utf-8"),
           "jsonl": (export.jsonl_chunks, "application/x-ndjson; charset=utf-8")}


def _multi(request: Request) -> dict[str, list[str]]:
    return {k: request.query_params.getlist(k) for k in request.query_params.keys()}


def api_search(request: Request) -> Response:
    params = service.parse_params(_multi(request))
    return JSONResponse(service.run(request.app.state.index, params).to_json())


def _query_only(raw: dict[str, list[str]]) -> service.SearchParams:
    """What is left of a request whose parameters are refused: its query, to show back."""
    return service.SearchParams(q=(raw.get("q") or [""])[-1][:settings.get("max_query_chars")])


def page_search(request: Request) -> Response:
    raw = _multi(request)
    try:
        params = service.parse_params(raw)
    except BadRequest as e:
        return _page(request, "search.html", {"params": _query_only(raw), "result": None, "error": str(e)}, 400)
    if urls.needs_tidying(raw):  # a GET form sends its empty fields: the page lives at its tidy URL
        return RedirectResponse(urls.search_url(params, page=params.page), 302)
    return _page(request, "search.html", pages.search_context(request.app.state.index, params))


def page_facet(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ("sources", "mois"):
        raise HTTPException(404, "Cette liste n’existe pas : sources ou mois.")
    params = service.parse_params(_multi(request))
    contains = request.query_params.get("filtre", "").strip()[: settings.get("max_param_chars")]
    return _page(request, "facet.html", pages.facet_context(request.app.state.index, params, name, contains))


def page_report(request: Request) -> Response:
    report_id = request.path_params["report_id"]
    index = request.app.state.index
    report = index.get(report_id) if len(report_id) <= MAX_ID_CHARS else None
    if report is None:
        raise HTTPException(404, "Ce rapport n’existe pas dans l’index.")
    raw = _multi(request)
    try:
        params = service.parse_params(raw)
    except BadRequest:  # the report still opens, with the query's matches marked
        params = _query_only(raw)
    return _page(request, "report.html", pages.report_context(index, params, report))


def export_results(request: Request) -> Response:
    """Every hit of the search (all pages, the page's filters), streamed as CSV or JSON Lines."""
    fmt = request.path_params["fmt"]
    if fmt not in EXPORTS:
        raise HTTPException(404, "Export en csv ou jsonl seulement.")
    params = service.parse_params(_multi(request))
    chunks, media_type = EXPORTS[fmt]
    # A sync iterator: Starlette walks it in a worker thread, so the blocking searches never hold the loop.
    return StreamingResponse(chunks(export.rows(request.app.state.index, params)), media_type=media_type,
                             headers={"Content-Disposition": f'attachment; filename="recherche.{fmt}"'})


def _page(request: Request, name: str, context: dict, status: int = 200) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def bad_request(request: Request, exc: BadRequest) -> Response:
    if _wants_json(request):
        return JSONResponse({"error": str(exc)}, status_code=400)
    return _page(request, "error.html", {"status": 400, "message": str(exc)}, 400)


async def http_error(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else "Page introuvable."
    headers = exc.headers or {}  # e.g. Allow on a 405
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=exc.status_code, headers=headers)
    response = _page(request, "error.html", {"status": exc.status_code, "message": message}, exc.status_code)
    response.headers.update(headers)
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("error on %s", request.url.path)  # the traceback goes to the log, never to the client
    message = "Erreur interne : elle a été consignée dans le journal du serveur."
    # Starlette sends this response from outside the middleware: the headers go on here.
    if _wants_json(request):
        return JSONResponse({"error": message}, status_code=500, headers=SECURITY_HEADERS)
    return Response(f"<!doctype html><title>500</title><p>{message}</p>", 500, media_type="text/html",
                    headers=SECURITY_HEADERS)


def open_index(index_dir: Path, reports_dir: Path) -> SearchIndex:
    """The index, built first into a folder without any generation; raises IndexDamaged when none is whole."""
    summary = indexing.ensure_index(reports_dir, index_dir)
    if summary is not None:
        log.warning("built the missing index %s: %d reports in %.1f s", index_dir, summary.indexed, summary.seconds)
    return indexing.open_index(index_dir)


def create_app(index: Path | None = None, reports: Path | None = None,
               opened: SearchIndex | None = None, alias_file: Path | None = None) -> Starlette:
    """The app; ``opened``: the index, opened already (``main`` does, to refuse a damaged one in one line);
    ``alias_file``: the analyst's aliases (default: aliases.tsv beside the index)."""
    index_dir, reports_dir = settings.index_dir(index), settings.reports_dir(reports)
    aliases.use_analyst_file(settings.aliases_file(alias_file, index_dir))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        app.state.index = opened or open_index(index_dir, reports_dir)
        yield
        app.state.index.close()

    routes = [
        Route("/", page_search),
        Route("/api/search", api_search),
        Route("/facettes/{name}", page_facet),
        Route("/export.{fmt}", export_results),
        Route("/reports/{report_id:path}", page_report),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    handlers = {BadRequest: bad_request, HTTPException: http_error, Exception: server_error}
    app = Starlette(routes=routes, exception_handlers=handlers, lifespan=lifespan)
    app.add_middleware(QueryStringLimit, most=settings.get("max_query_string_bytes"), answer=http_error)
    app.add_middleware(SecurityHeaders)  # the outermost: on every answer, a 414 too
    return app
