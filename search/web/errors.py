"""One error answer, whatever failed: ``{"error": message, "param": name or null}`` under ``/api/``,
the error page elsewhere, with the error's own HTTP status.

``SearchError`` (``search.errors``) carries its status and the parameter at fault; Starlette's
``HTTPException`` (404, 405, 414) its status; anything else is a bug: a 500 whose traceback goes
to the log, never to the client.
"""
from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from search.errors import SearchError
from search.web.middleware import SECURITY_HEADERS

log = logging.getLogger("search.server")
INTERNAL = "Erreur interne : elle a été consignée dans le journal du serveur."
STARLETTE_MESSAGES = {404: "Page introuvable.", 405: "Méthode non permise : cette adresse se lit par GET."}


def body(message: str, param: str | None = None) -> dict:
    """The one JSON shape of an error."""
    return {"error": message, "param": param}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


RETRY_SECONDS = "2"  # an index that cannot be read now: the next generation is being opened


async def search_error(request: Request, exc: SearchError) -> Response:
    if exc.status >= 500:
        log.warning("%s on %s: %s", exc.status, request.url.path, exc)
    response = render(request, exc.status, str(exc), exc.param)
    if exc.status == 503:
        response.headers["Retry-After"] = RETRY_SECONDS
    return response


async def http_error(request: Request, exc: HTTPException) -> Response:
    generic = exc.detail in (None, "", "Not Found", "Method Not Allowed")
    message = STARLETTE_MESSAGES.get(exc.status_code, exc.detail) if generic else exc.detail
    response = render(request, exc.status_code, message)
    response.headers.update(exc.headers or {})  # e.g. Allow on a 405
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("error on %s", request.url.path)  # the traceback goes to the log, never to the client
    # Starlette sends this response from outside the middleware: the headers go on here.
    if wants_json(request):
        return JSONResponse(body(INTERNAL), status_code=500, headers=SECURITY_HEADERS)
    return Response(f"<!doctype html><title>500</title><p>{INTERNAL}</p>", 500, media_type="text/html",
                    headers=SECURITY_HEADERS)


def render(request: Request, status: int, message: str, param: str | None = None) -> Response:
    if wants_json(request):
        return JSONResponse(body(message, param), status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message}, status_code=status)
