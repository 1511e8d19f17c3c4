"""ASGI middleware: the security headers on every answer, and the 414 of an over-long query string."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request

SECURITY_HEADERS = {
    # Our own static scripts only (keyboard moves, names as you type, which asks /api/suggest: connect-src);
    # the pages are complete without them.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
# An answer may change with the next update: a cache asks again each time (the index is reopened within a second).
API_HEADERS = {"Cache-Control": "no-cache"}

class SecurityHeaders:
    """Adds the security headers to every response, and Cache-Control to the API's (an ASGI middleware)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        extra = SECURITY_HEADERS | (API_HEADERS if scope.get("path", "").startswith("/api/") else {})

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                names = {k.lower() for k, _ in message["headers"]}
                for key, value in extra.items():
                    if key.lower().encode() not in names:
                        message["headers"].append((key.lower().encode(), value.encode()))
            await send(message)

        await self.app(scope, receive, send_with_headers if scope["type"] == "http" else send)


class QueryStringLimit:
    """Answers 414, in the one error shape, to a query string over ``most`` bytes, before anything reads it."""

    def __init__(self, app, most: int, answer):
        self.app, self.most, self.answer = app, most, answer  # answer(request, HTTPException): the app's error page

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and len(scope["query_string"]) > self.most:
            message = f"Adresse trop longue : les paramètres dépassent {self.most // 1024} Ko."
            response = await self.answer(Request(scope), HTTPException(414, message))
            return await response(scope, receive, send)
        await self.app(scope, receive, send)
