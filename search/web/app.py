"""The web app: the route table, what the lifespan opens, the page's templates.

``create_app`` builds it; ``server.py`` serves it (``search.web.serve``). The endpoints live by
what they serve: ``routes`` (the search page, a report, the facet lists, the export), ``api``
(the JSON API and its documentation), ``workbench`` (saved searches and history).
"""
from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from search import indexing, settings
from search.describe import date_box, describe
from search.engine.contract import Engine
from search.errors import SearchError
from search.names.aliases import AliasTable
from search.saved import Database, History, SavedSearches
from search.service import SearchService
from search.sources import SourceTable
from search.web import api, bidi, errors, routes, urls, workbench
from search.web.middleware import QueryStringLimit, SecurityHeaders
from search.web.when import when

HERE = Path(__file__).resolve().parent  # templates/ and static/ are package data beside this module
log = logging.getLogger("search.server")


def make_templates() -> Jinja2Templates:
    """The page's templates, with the URL helpers and the French count of reports."""
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(search_url=urls.search_url, report_url=urls.report_url, permalink=urls.permalink,
                                 hidden_fields=urls.hidden_fields, describe=describe, date_box=date_box, when=when,
                                 text_url=urls.text_url)
    templates.env.filters["rapports"] = lambda n: f"{n:,}".replace(",", "\u202f") + (" rapports" if n > 1 else " rapport")
    templates.env.filters["nombre"] = lambda n: f"{n:,}".replace(",", "\u202f")
    templates.env.filters.update(bdi=bidi.bdi, isolated_text=bidi.isolated_text, visible_controls=bidi.visible_controls)
    templates.env.filters["nouveaux"] = lambda n: ("aucun nouveau rapport" if n == 0 else "1 nouveau rapport" if n == 1
                                                   else f"{n} nouveaux rapports")
    return templates


def open_engine(choice: settings.EngineChoice, reports_dir: Path) -> Engine:
    """The index, built first where there is no generation at all; raises IndexDamaged when none is whole."""
    location = choice.location()
    summary = indexing.ensure_index(reports_dir, location, engine=choice.engine)
    if summary is not None:
        log.warning("built the missing index %s: %d reports in %.1f s", location, summary.indexed, summary.seconds)
    return indexing.open_index(location, choice.engine)


ROUTES = [
    Route("/", routes.page_search),
    Route("/facettes/{name}", routes.page_facet),
    Route("/export.{fmt}", routes.export_results),
    Route("/reports/{report_id:path}", routes.page_report),
    Route("/texte/{report_id:path}", routes.report_text),
    Route("/recherches", workbench.saved_list, methods=["GET", "HEAD", "POST"]),
    Route("/recherches/export.json", workbench.saved_export),
    Route("/recherches/importer", workbench.saved_import, methods=["POST"]),
    Route("/recherches/{search_id:int}", workbench.saved_open),
    Route("/recherches/{search_id:int}/supprimer", workbench.saved_delete, methods=["POST"]),
    Route("/historique", workbench.history_page),
    Route("/historique/effacer", workbench.history_clear, methods=["POST"]),
    Route("/api", api.docs),
    Route("/api/openapi.json", api.openapi_document),
    Route("/api/search", api.search),
    Route("/api/suggest", api.suggest),
    Route("/api/reports/{report_id:path}", api.report),
    Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
]


def create_app(index: Path | None = None, reports: Path | None = None, opened: Engine | None = None,
               alias_file: Path | None = None, sources_file: Path | None = None,
               saved_file: Path | None = None, choice: settings.EngineChoice | None = None) -> Starlette:
    """The app; nothing is opened before its lifespan starts. ``opened``: the index, opened already
    (``python server.py`` does, to refuse a damaged one in one line); ``alias_file``, ``sources_file``,
    ``saved_file``: the analyst's aliases, sources to merge and saved searches (default: beside the
    index folder); ``choice``: the engine and where it keeps the index (default: the environment's,
    SEARCH_ENGINE…, with the folder ``index``)."""
    engine_choice = choice or settings.engine_choice(index=index)
    index_dir, reports_dir = engine_choice.folder, settings.reports_dir(reports)
    aliases = settings.aliases_file(alias_file, index_dir)
    sources = settings.sources_file(sources_file, index_dir)
    database = Database(settings.saved_file(saved_file, index_dir))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        engine = opened or open_engine(engine_choice, reports_dir)
        service = app.state.service = SearchService(engine, AliasTable(aliases), SourceTable(sources))
        app.state.saved = SavedSearches(database, service)
        app.state.history = History(database, settings.get("history_kept"))
        # The word lists of suggestions, read once per generation: read now, not on the first search that needs them.
        threading.Thread(target=service.warm, daemon=True).start()
        yield
        service.close()
        database.close()

    handlers: dict[Any, Any] = {SearchError: errors.search_error, HTTPException: errors.http_error,
                                Exception: errors.server_error}
    app = Starlette(routes=ROUTES, exception_handlers=handlers, lifespan=lifespan)
    app.state.templates = make_templates()
    app.add_middleware(QueryStringLimit, most=settings.get("max_query_string_bytes"), answer=errors.http_error)
    app.add_middleware(SecurityHeaders)  # the outermost: on every answer, a 414 too
    return app
