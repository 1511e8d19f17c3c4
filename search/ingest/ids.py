"""Report ids that a result link can open: ``/reports/<id>`` must lead back to the same report.

Browsers and curl resolve "." and ".." path segments away before they ask (even
percent-encoded, as the WHATWG URL standard says); the report route matches no line
break; the report page looks up no id over MAX_ID_CHARS; a lone surrogate cannot be
written as UTF-8 at all. An id with any of these is refused when the reports are read.
"""
from __future__ import annotations

import unicodedata

MAX_ID_CHARS = 1000  # the report page looks up no longer id


def id_problem(report_id: str) -> str | None:
    """Why the link to the report ``report_id`` could not open it, or None."""
    if len(report_id) > MAX_ID_CHARS:
        return f"plus de {MAX_ID_CHARS} caractères"
    if any(part in (".", "..") for part in report_id.split("/")):
        return "une partie '.' ou '..', que les navigateurs font disparaître"
    if any(unicodedata.category(c) == "Cc" for c in report_id):
        return "un caractère de contrôle"
    if any("\ud800" <= c <= "\udfff" for c in report_id):
        return "un demi-code (surrogate) isolé, qui n'est pas du texte"
    return None
