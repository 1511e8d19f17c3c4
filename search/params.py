"""What a user asked for, checked: the parameters of a search, from a URL's query string or the command line.

``parse_params`` raises ``BadRequest`` with a message to show (naming the parameter at fault);
``filters`` turns checked parameters into the engine's ``Filters``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from search import settings
from search.engine.contract import SORTS, Filters
from search.errors import BadRequest
from search.ingest.dates import DateError, Period, day_number, parse_bound
from search.query.planner import Steer

_WHOLE_RE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() also reads "²" or "١٢", or fails past 4300


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    sources: tuple[str, ...] = ()
    date_from: str = ""
    date_to: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int = settings.get("per_page")
    without: tuple[str, ...] = ()  # spellings the analyst dropped from a name's variants (sans=)
    extra: tuple[str, ...] = ()    # rejected spellings the analyst added back (avec=)
    undated: bool = False          # only the reports without a date (undated=1)

    @property
    def steer(self) -> Steer:
        return Steer(self.without, self.extra)


def parse_params(raw: Mapping[str, Sequence[str]]) -> SearchParams:
    """From a multi-valued mapping (a URL's query string) to checked parameters."""
    def one(name: str) -> str:
        values = raw.get(name) or [""]
        return values[-1].strip()

    def many(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.strip() for s in raw.get(name, []) if s.strip()))

    params = SearchParams(
        q=one("q"), sources=many("source"), date_from=one("from"), date_to=one("to"),
        without=many("sans"), extra=many("avec"), undated=_flag(one("undated"), "undated"),
        sort=one("sort") or "relevance",
        page=_whole(one("page"), "page", 1, settings.get("max_page"), 1),
        per_page=_whole(one("per_page"), "per_page", 1, settings.get("max_per_page"), settings.get("per_page")),
    )
    check(params)
    return params


def _whole(value: str, name: str, low: int, high: int, default: int) -> int:
    if not value:
        return default
    if not _WHOLE_RE.fullmatch(value) or not low <= int(value) <= high:
        raise BadRequest(f"{name} doit être un nombre entier de {low} à {high} (reçu : {value[:40]!r})", name)
    return int(value)


def _flag(value: str, name: str) -> bool:
    if value not in ("", "0", "1", "on"):  # "on": what a checkbox without a value sends
        raise BadRequest(f"{name} vaut 1 ou 0 (reçu : {value[:40]!r})", name)
    return value in ("1", "on")


def check(params: SearchParams) -> None:
    """Raises BadRequest for a sort, source or date range that cannot be searched."""
    if params.sort not in SORTS:
        raise BadRequest(f"sort doit valoir relevance, date ou oldest (reçu : {params.sort[:40]!r})", "sort")
    if len(params.sources) > settings.get("max_sources"):
        raise BadRequest(f"au plus {settings.get('max_sources')} sources à la fois", "source")
    longest = settings.get("max_param_chars")
    if any(len(s) > longest for s in params.sources):
        raise BadRequest(f"un nom de source fait au plus {longest} caractères", "source")
    if len(params.without) + len(params.extra) > settings.get("max_steer"):
        raise BadRequest(f"au plus {settings.get('max_steer')} graphies retirées (sans) ou ajoutées (avec)", "sans")
    if any(len(s) > longest for s in params.without + params.extra):
        raise BadRequest(f"une graphie (sans, avec) fait au plus {longest} caractères", "sans")
    if params.undated and (params.date_from or params.date_to):
        raise BadRequest("undated (sans date seulement) et une date (from, to) s’excluent : gardez l’un des deux", "undated")
    filters(params)


def filters(params: SearchParams) -> Filters:
    start = _bound(params.date_from, "from", end=False)
    end = _bound(params.date_to, "to", end=True)
    if start and end and start.start > end.end:
        raise BadRequest(f"la date de début ({params.date_from}) est après la date de fin ({params.date_to})", "from")
    return Filters(params.sources, day_number(start.start) if start else None, day_number(end.end) if end else None,
                   params.undated)


def _bound(value: str, name: str, end: bool) -> Period | None:
    if not value:
        return None
    if len(value) > settings.get("max_param_chars"):
        raise BadRequest(f"{name} : date trop longue", name)
    try:
        return parse_bound(value, end=end)
    except DateError as e:
        raise BadRequest(f"{name} : {e}", name) from None
