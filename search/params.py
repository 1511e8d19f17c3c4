"""What a user asked for, checked: the parameters of a search, from a URL's query string or the command line.

``parse_params`` raises ``BadRequest`` with a message to show (naming the parameter at fault);
``parse_leniently`` (the page's) drops each parameter at fault and keeps the rest, so that a
badly typed date leaves the results and the other filters in place; ``filters`` turns checked
parameters into the engine's ``Filters``.

Dates are read as an analyst types them (``2016-07``, ``juillet 2016``, ``15/07/2016``) and kept
in one form, ISO (``2016-07``), in the parameters and in every URL.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlencode
from typing import Mapping, Sequence

from search import settings
from search.engine.contract import SORTS, Filters
from search.errors import BadRequest
from search.ingest.dates import DateError, Period, day_number, read_bound
from search.query.planner import Steer

_WHOLE_RE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() also reads "²" or "١٢", or fails past 4300
# The API's parameters; a script that sends another one (a typo: "soure=") is told so, with this list.
API_PARAMS = ("q", "source", "from", "to", "undated", "sort", "page", "per_page", "sans", "avec")
VIEWS = ("liste", "tableau")
COLUMNS = ("date", "source", "graphies", "extrait", "score")  # the table view's columns; the title always shows
DEFAULT_COLUMNS = ("date", "source", "graphies")
# The page's: the API's, and how the results are shown (list or table, and the table's columns).
PAGE_PARAMS = API_PARAMS + ("vue", "col")
_TRUE, _FALSE = ("1", "true", "on", "oui", "yes"), ("", "0", "false", "off", "non", "no")


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
    view: str = "liste"            # the page only: a list of hits, or a dense table (vue=tableau)
    columns: tuple[str, ...] = DEFAULT_COLUMNS  # the table's columns (col=), in COLUMNS order

    @property
    def steer(self) -> Steer:
        return Steer(self.without, self.extra)


def pairs(params: SearchParams) -> list[tuple[str, str]]:
    """The parameters as query-string pairs, defaults left out: ``parse_params`` reads them back.

    >>> pairs(SearchParams(q="Alep", date_from="2016-07", sort="date", page=2))
    [('q', 'Alep'), ('from', '2016-07'), ('sort', 'date'), ('page', '2')]
    """
    p = params
    out = [("q", p.q)] + [("source", s) for s in p.sources]
    out += [("from", p.date_from), ("to", p.date_to), ("undated", "1" if p.undated else "")]
    out += [("sans", v) for v in p.without] + [("avec", v) for v in p.extra]
    out += [("sort", p.sort if p.sort != "relevance" else ""), ("page", str(p.page) if p.page > 1 else "")]
    if p.per_page != SearchParams.per_page:
        out.append(("per_page", str(p.per_page)))
    if p.view != SearchParams.view:
        out.append(("vue", p.view))
    if p.columns != DEFAULT_COLUMNS:
        out += [("col", c) for c in p.columns]
    return [(k, v) for k, v in out if v]


def query_string(params: SearchParams) -> str:
    """The search alone (first page, shown as a list), as a query string: what a saved search holds."""
    search = replace(params, page=1, view=SearchParams.view, columns=DEFAULT_COLUMNS)
    return urlencode(pairs(search))


def from_query_string(query: str) -> SearchParams:
    """The search a query string holds (raises BadRequest for one that no longer reads)."""
    raw: dict[str, list[str]] = {}
    for k, v in parse_qsl(query, keep_blank_values=True):
        raw.setdefault(k, []).append(v)
    return parse_params(raw)


def parse_params(raw: Mapping[str, Sequence[str]], known: Sequence[str] = API_PARAMS) -> SearchParams:
    """From a multi-valued mapping (a URL's query string) to checked parameters; a name not in
    ``known`` is refused, with the list of the known ones."""
    for name in raw:
        if name not in known:
            raise BadRequest(f"paramètre inconnu : {name[:40]!r} ; les paramètres connus sont {', '.join(known)}",
                             name[:40])

    def one(name: str) -> str:
        values = raw.get(name) or [""]
        return values[-1].strip()

    def many(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.strip() for s in raw.get(name, []) if s.strip()))

    params = SearchParams(
        q=one("q"), sources=many("source"), date_from=_date(one("from"), "from"),
        date_to=_date(one("to"), "to"), without=many("sans"), extra=many("avec"),
        undated=_flag(one("undated"), "undated"), sort=one("sort") or "relevance",
        page=_whole(one("page"), "page", 1, settings.get("max_page"), 1),
        per_page=_whole(one("per_page"), "per_page", 1, settings.get("max_per_page"), settings.get("per_page")),
        view=_choice(one("vue") or "liste", "vue", VIEWS), columns=_columns(raw.get("col")),
    )
    check(params)
    return params


def parse_leniently(raw: Mapping[str, Sequence[str]],
                    known: Sequence[str] = PAGE_PARAMS) -> tuple[SearchParams, list[BadRequest]]:
    """The page's reading: each parameter at fault is dropped (its error kept, to show beside its
    box) and the rest read again, so that one bad value never costs the results and the filters.
    Unknown parameters are dropped too (a link from elsewhere may carry some)."""
    rest = {k: list(v) for k, v in raw.items()}
    errors: list[BadRequest] = []
    while True:
        try:
            return parse_params(rest, known), errors
        except BadRequest as e:
            errors.append(e)
            if e.param not in rest:  # an error no single parameter carries: the query alone
                return SearchParams(q=(raw.get("q") or [""])[-1].strip()[:settings.get("max_query_chars")]), errors
            del rest[e.param]


def _whole(value: str, name: str, low: int, high: int, default: int) -> int:
    if not value:
        return default
    if not _WHOLE_RE.fullmatch(value) or not low <= int(value) <= high:
        raise BadRequest(f"{name} doit être un nombre entier de {low} à {high} (reçu : {value[:40]!r})", name)
    return int(value)


def _flag(value: str, name: str) -> bool:
    """1, true, on (a checkbox without a value), oui, yes; or 0, false, off, non, no, nothing."""
    lowered = value.lower()
    if lowered not in _TRUE + _FALSE:
        raise BadRequest(f"{name} vaut 1 ou 0, true ou false (reçu : {value[:40]!r})", name)
    return lowered in _TRUE


def _choice(value: str, name: str, choices: Sequence[str]) -> str:
    if value not in choices:
        raise BadRequest(f"{name} vaut {' ou '.join(choices)} (reçu : {value[:40]!r})", name)
    return value


def _columns(values: Sequence[str] | None) -> tuple[str, ...]:
    if not values:
        return DEFAULT_COLUMNS
    wanted = {v.strip() for v in values if v.strip()}
    unknown = wanted - set(COLUMNS)
    if unknown:
        raise BadRequest(f"col vaut {', '.join(COLUMNS)} (reçu : {sorted(unknown)[0][:40]!r})", "col")
    return tuple(c for c in COLUMNS if c in wanted)


def _date(value: str, name: str) -> str:
    """The date as typed ("juillet 2016", "15/07/2016"), in its one form ("2016-07", "2016-07-15")."""
    period = _bound(value, name)
    return str(period) if period else ""


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
    start = _bound(params.date_from, "from")
    end = _bound(params.date_to, "to")
    if start and end and start.start > end.end:
        raise BadRequest(f"la date de début ({start.label_fr}) est après la date de fin ({end.label_fr})", "from")
    return Filters(params.sources, day_number(start.start) if start else None, day_number(end.end) if end else None,
                   params.undated)


def _bound(value: str, name: str) -> Period | None:
    if not value:
        return None
    if len(value) > settings.get("max_param_chars"):
        raise BadRequest(f"{name} : date trop longue", name)
    try:
        return read_bound(value)
    except DateError as e:
        raise BadRequest(f"{name} : {e}", name) from None
