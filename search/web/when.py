"""A moment (ISO 8601, as the database keeps it) in French, in the server's time zone."""
from __future__ import annotations

from datetime import datetime

from search.ingest.dates import MONTH_NAMES_FR


def when(stamp: str | None) -> str:
    """'2026-12-06T13:02:00+00:00' -> '6 décembre 2026 à 14 h 02' (in Paris); '' for none.

    >>> when("2026-12-06T13:02:00+00:00").startswith("6 décembre 2026 à ")
    True
    """
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{day} {MONTH_NAMES_FR[moment.month - 1]} {moment.year} à {moment.hour} h {moment.minute:02d}"
