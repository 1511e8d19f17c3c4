"""The workbench's endpoints: saved searches (save, list with what is new, open, delete, export,
import) and each browser's history (list, clear).

A form posts, then the browser is sent to a page (303): reloading it posts nothing again.
"""
from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from search.errors import BadRequest, NotFound, SearchError
from search.params import from_query_string
from search.saved import History, SavedSearches
from search.saved.transfer import export, import_into
from search.web import forms, pages
from search.web.routes import page, service_of

FRESH_SHOWN = 50  # new reports listed first on an opened saved search


def _saved(request: Request) -> SavedSearches:
    return request.app.state.saved


def _history(request: Request) -> History:
    return request.app.state.history


async def saved_list(request: Request) -> Response:
    if request.method == "POST":
        return await _save(request)
    return _list_page(request)


def _list_page(request: Request, status: int = 200, **extra) -> Response:
    """Each saved search: what it is, what it finds now, what is new since it was last opened."""
    saved = _saved(request)
    rows = []
    for search in saved.all():
        try:
            params = search.params
            found = service_of(request).ids(params)
            rows.append({"search": search, "params": params, "total": len(found),
                         "new": len(found - saved.seen(search)), "error": None})
        except SearchError as e:  # a search that no longer reads: shown, with why, never a crash
            rows.append({"search": search, "params": None, "total": 0, "new": 0, "error": str(e)})
    return page(request, "saved.html", {"rows": rows, **extra}, status)


async def _save(request: Request) -> Response:
    form = await forms.read_form(request)
    try:
        params = from_query_string(form.get("recherche"))
    except BadRequest as e:
        raise BadRequest(f"recherche illisible : {e}", "recherche") from None
    try:
        saved = _saved(request).save(form.get("nom"), params)
    except SearchError as e:
        return _list_page(request, e.status, error=str(e), name=form.get("nom"))
    return RedirectResponse(f"/recherches?enregistree={saved.id}#recherche-{saved.id}", 303)


def saved_open(request: Request) -> Response:
    """The saved search's page: its results, the reports new since the last visit first, marked."""
    opened = _saved(request).open(request.path_params["search_id"])
    params = opened.search.params
    service = service_of(request)
    context = pages.search_context(service, params)
    fresh = set(opened.fresh) & service.ids(params)
    context.update(saved=opened, fresh=fresh, fresh_hits=service.shaped(sorted(fresh), params)[:FRESH_SHOWN],
                   nav=request.url.path)
    return page(request, "search.html", context)


async def saved_delete(request: Request) -> Response:
    await forms.read_form(request)
    if not _saved(request).delete(request.path_params["search_id"]):
        raise NotFound("Cette recherche enregistrée n’existe pas (ou plus).")
    return RedirectResponse("/recherches", 303)


def saved_export(request: Request) -> Response:
    body = json.dumps(export(_saved(request)), ensure_ascii=False, indent=1)
    return Response(body, media_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="recherches-enregistrees.json"'})


async def saved_import(request: Request) -> Response:
    form = await forms.read_form(request)
    text = form.files.get("fichier") or form.get("json").encode("utf-8")
    if not text.strip():
        return _list_page(request, 400, error="choisissez un fichier d’export (JSON) à importer")
    try:
        done = import_into(_saved(request), text)
    except BadRequest as e:
        return _list_page(request, 400, error=str(e))
    return _list_page(request, imported=done)


def history_page(request: Request) -> Response:
    visitor = forms.visitor(request)
    entries = _history(request).entries(visitor) if visitor else []
    rows = []
    for entry in entries:
        try:
            rows.append({"entry": entry, "params": entry.params})
        except SearchError:
            continue  # a search that no longer reads is not offered again
    return page(request, "history.html", {"rows": rows})


async def history_clear(request: Request) -> Response:
    await forms.read_form(request)
    visitor = forms.visitor(request)
    if visitor:
        _history(request).clear(visitor)
    return RedirectResponse("/historique?efface=1", 303)

