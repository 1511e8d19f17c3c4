"""What the workbench's forms post (save a search, import, clear the history), and who posted it.

Forms are read here with the standard library (``urllib.parse`` for ``application/x-www-form-
urlencoded``, ``email`` for the one file an import sends as ``multipart/form-data``): a few small
fields, no dependency for them. A form posted from another site is refused (its ``Origin``).

A browser is known to its history by a random id in a cookie (``VISITOR_COOKIE``), set when
it first searches: no account, nothing about who holds it.
"""
from __future__ import annotations

from email import policy
from email.parser import BytesParser
from urllib.parse import parse_qs, urlsplit

from starlette.requests import Request
from starlette.responses import Response

from search.errors import BadRequest, Forbidden, SearchError
from search.saved.history import is_visitor, new_visitor

MAX_FORM_BYTES = 2 * 1024 * 1024
VISITOR_COOKIE = "revue_visiteur"
VISITOR_DAYS = 365


__all__ = ["Form", "TooLarge", "check_origin", "new_visitor", "read_form", "remember_visitor", "visitor"]


class TooLarge(SearchError):
    status = 413


class Form:
    """A posted form's fields (each name's values) and files (each name's bytes)."""

    def __init__(self, fields: dict[str, list[str]], files: dict[str, bytes]):
        self.fields, self.files = fields, files

    def get(self, name: str, default: str = "") -> str:
        values = self.fields.get(name)
        return values[-1] if values else default


async def read_form(request: Request) -> Form:
    """The posted form; raises Forbidden (another site's), TooLarge or BadRequest."""
    check_origin(request)
    body = await _body(request)
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        return _multipart(body, kind)
    if kind.startswith("application/x-www-form-urlencoded") or not kind:
        text = body.decode("utf-8", "replace")
        return Form(parse_qs(text, keep_blank_values=True, max_num_fields=200), {})
    raise BadRequest(f"formulaire attendu, reçu : {kind[:60]}")


def check_origin(request: Request) -> None:
    """A browser names the page a form was posted from (``Origin``): it must be one of ours.
    A client that sends none (curl, a script) is not a browser fooled by another site."""
    origin = request.headers.get("origin")
    if origin is None:
        return
    if origin == "null" or urlsplit(origin).netloc != request.url.netloc:
        raise Forbidden("formulaire envoyé depuis un autre site : refusé")


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise TooLarge(f"formulaire trop gros : {MAX_FORM_BYTES // 1024 // 1024} Mo au plus")
        chunks.append(chunk)
    return b"".join(chunks)


def _multipart(body: bytes, kind: str) -> Form:
    head = f"Content-Type: {kind}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise BadRequest("formulaire multipart illisible")
    fields: dict[str, list[str]] = {}
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        data = part.get_payload(decode=True)
        data = data if isinstance(data, bytes) else b""
        if part.get_filename() is not None:
            files[name] = data
        else:
            fields.setdefault(name, []).append(data.decode("utf-8", "replace"))
    return Form(fields, files)


def visitor(request: Request) -> str | None:
    """The browser's id, when it has one of ours."""
    value = request.cookies.get(VISITOR_COOKIE)
    return value if value and is_visitor(value) else None


def remember_visitor(response: Response, request: Request, value: str) -> None:
    response.set_cookie(VISITOR_COOKIE, value, max_age=VISITOR_DAYS * 86400, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https")
