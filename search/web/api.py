"""The JSON API (``/api/search``, ``/api/reports/{id}``, ``/api/suggest``), its OpenAPI document and its docs page.

Every endpoint refuses a parameter it does not know (400, with the list of those it knows), so a
typo in a script is told, not silently ignored.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from search import settings
from search.errors import BadRequest
from search.export import permalink
from search.params import API_PARAMS, parse_params
from search.service import report_period
from search.web import openapi
from search.web.routes import find_report, multi, page, service_of
from search.web.urls import text_url

REPORT_PARAMS = ("q", "sans", "avec")
SUGGEST_PARAMS = ("q", "limit")
SUGGEST_MOST = 20


def search(request: Request) -> Response:
    params = parse_params(multi(request), API_PARAMS)
    return JSONResponse(service_of(request).run(params).to_json())


def report(request: Request) -> Response:
    """A report, and the search's matches in it: in its first ``page_chars`` characters when it is longer
    (``matches_in`` says how far they were looked for); a text longer than its searchable part is its
    opening here (``length``: the whole text's; ``text_url``: all of it)."""
    params = parse_params(multi(request), REPORT_PARAMS)
    service = service_of(request)
    found = find_report(service, request.path_params["report_id"])
    period = report_period(found)
    searched = found.body[:int(settings.get("page_chars"))]
    spans = service.highlighter.find_spans(searched, service.marks(params.q, params.steer)) if params.q else []
    return JSONResponse({
        "id": found.id, "title": found.title, "date": period.iso if period else None,
        "date_precision": period.precision if period else None, "source": service.source_name(found.source),
        "source_written": found.source, "file": found.path, "text": found.body, "permalink": permalink(found.id),
        "length": found.text_length, "text_url": text_url(found.id), "matches_in": len(searched),
        "matches": [{"start": s, "end": e, "text": found.body[s:e]} for s, e in spans]})


def suggest(request: Request) -> Response:
    raw = multi(request)
    unknown = [k for k in raw if k not in SUGGEST_PARAMS]
    if unknown:
        raise BadRequest(f"paramètre inconnu : {unknown[0][:40]!r} ; les paramètres connus sont "
                         f"{', '.join(SUGGEST_PARAMS)}", unknown[0][:40])
    text = (raw.get("q") or [""])[-1]
    limit = (raw.get("limit") or ["8"])[-1]
    if not limit.isascii() or not limit.isdigit() or not 1 <= int(limit) <= SUGGEST_MOST:
        raise BadRequest(f"limit doit être un nombre entier de 1 à {SUGGEST_MOST} (reçu : {limit[:40]!r})", "limit")
    fragment, names = service_of(request).complete(text[:200], int(limit))
    return JSONResponse({"query": text[:200], "fragment": fragment,
                         "suggestions": [{"name": n, "reports": c} for n, c in names]})


def openapi_document(request: Request) -> Response:
    return JSONResponse(openapi.document())


def docs(request: Request) -> Response:
    """The API's docs page, written from the OpenAPI document itself."""
    return page(request, "api.html", {"doc": openapi.document()})
