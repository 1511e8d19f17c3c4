"""The search as the API, the page and the command line all see it.

``parse_params`` checks what a user sent (raising ``BadRequest`` with a message
to show), ``run`` searches and shapes the answer; ``SearchResult.to_json()`` is
the API's object, the one ``python -m search query --json`` prints too.
"""
from __future__ import annotations

import dataclasses
import re
import weakref
from collections import Counter
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from search.names import aliases
from search import highlight, settings
from search.ingest.dates import DateError, Period, day_number, parse_bound
from search.engine import Engine, Filters, Hit
from search.query.planner import Plan, Planner, Steer
from search.query.syntax import ParsedQuery, parse, ranked, without_repeats
from search.recent import Recent
from search.names.variants import Variant, group_key

SORTS = ("relevance", "date", "oldest")  # date: newest first
# A snippet is chosen among the first matches only: a huge paste of one name has
# hundreds of thousands, and the choice of window is not linear in their number.
SNIPPET_SPANS = 500
# A title longer than this (a one-line paste is all title) is shown as a window around its matches.
TITLE_CHARS = 300
_WHOLE_RE = re.compile(r"[0-9]{1,9}")  # ASCII digits only: int() also reads "²" or "١٢", or fails past 4300


class BadRequest(ValueError):
    """A parameter the user can fix; its message says how. HTTP 400."""

    status = 400


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
        raise BadRequest(f"{name} doit être un nombre entier de {low} à {high} (reçu : {value[:40]!r})")
    return int(value)


def _flag(value: str, name: str) -> bool:
    if value not in ("", "0", "1", "on"):  # "on": what a checkbox without a value sends
        raise BadRequest(f"{name} vaut 1 ou 0 (reçu : {value[:40]!r})")
    return value in ("1", "on")


def check(params: SearchParams) -> None:
    """Raises BadRequest for a sort, source or date range that cannot be searched."""
    if params.sort not in SORTS:
        raise BadRequest(f"sort doit valoir relevance, date ou oldest (reçu : {params.sort[:40]!r})")
    if len(params.sources) > settings.get("max_sources"):
        raise BadRequest(f"au plus {settings.get('max_sources')} sources à la fois")
    longest = settings.get("max_param_chars")
    if any(len(s) > longest for s in params.sources):
        raise BadRequest(f"un nom de source fait au plus {longest} caractères")
    if len(params.without) + len(params.extra) > settings.get("max_steer"):
        raise BadRequest(f"au plus {settings.get('max_steer')} graphies retirées (sans) ou ajoutées (avec)")
    if any(len(s) > longest for s in params.without + params.extra):
        raise BadRequest(f"une graphie (sans, avec) fait au plus {longest} caractères")
    if params.undated and (params.date_from or params.date_to):
        raise BadRequest("undated (sans date seulement) et une date (from, to) s’excluent : gardez l’un des deux")
    filters(params)


def filters(params: SearchParams) -> Filters:
    start = _bound(params.date_from, "from", end=False)
    end = _bound(params.date_to, "to", end=True)
    if start and end and start.start > end.end:
        raise BadRequest(f"la date de début ({params.date_from}) est après la date de fin ({params.date_to})")
    return Filters(params.sources, start and day_number(start.start), end and day_number(end.end), params.undated)


def _bound(value: str, name: str, end: bool) -> Period | None:
    if not value:
        return None
    if len(value) > settings.get("max_param_chars"):
        raise BadRequest(f"{name} : date trop longue")
    try:
        return parse_bound(value, end=end)
    except DateError as e:
        raise BadRequest(f"{name} : {e}") from None


@dataclass
class ResultHit:
    id: str
    title: str
    title_html: str
    period: Period | None
    source: str | None
    score: float | None
    snippet: str
    matched: list[str]

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title,
                "date": self.period.iso if self.period else None,
                "date_precision": self.period.precision if self.period else None,
                "source": self.source, "score": None if self.score is None else round(self.score, 4),
                "snippet": str(self.snippet), "matched": self.matched}


@dataclass
class SearchResult:
    params: SearchParams
    query: ParsedQuery
    total: int
    hits: list[ResultHit]
    sources: Counter
    months: Counter
    undated: int
    sort: str = "relevance"  # the order used: an unranked query (empty, exclusions only) is by date
    notices: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)

    @property
    def accepted(self) -> list[Variant]:
        return [v for v in self.variants if v.accepted]

    @property
    def rejected(self) -> list[Variant]:
        """The closest spellings the verdict turned down, for the analyst to add."""
        dropped = {group_key(s) for s in self.params.without}
        rest = [v for v in self.variants if not v.accepted]
        return ([v for v in rest if group_key(v.spelling) in dropped]
                + [v for v in rest if group_key(v.spelling) not in dropped][:settings.get("rejected_shown")])

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.per_page))

    def to_json(self) -> dict:
        return {
            "query": self.params.q, "total": self.total, "page": self.params.page,
            "per_page": self.params.per_page, "hits": [h.to_json() for h in self.hits],
            "facets": {"source": dict(self.sources.most_common()),
                       "month": dict(sorted(self.months.items(), reverse=True)),
                       "undated": self.undated},
            "notices": self.notices,
            "variants": [v.to_json() for v in self.accepted + self.rejected],
        }


def _search(index: Engine, params: SearchParams):
    parsed = parse(params.q)
    planned = plan(index, parsed, params.steer)
    offset, limit = (params.page - 1) * params.per_page, params.per_page
    node = planned.node if planned else None
    sort = params.sort if ranked(parsed.node) or params.sort != "relevance" else "date"
    return parsed, planned, sort, index.search(node, filters(params), sort, offset, limit)


def page_titles(index: Engine, params: SearchParams) -> tuple[int, list[tuple[str, str]]]:
    """The total and the (id, title) of each hit of the page: no snippet, so no text to highlight."""
    found = _search(index, params)[-1]
    return found.total, [(h.report.id, h.report.title) for h in found.hits]


def run(index: Engine, params: SearchParams) -> SearchResult:
    parsed, planned, sort, found = _search(index, params)
    terms = planned.terms if planned else {}
    return SearchResult(params, parsed, found.total, _hits(found.hits, terms), found.sources,
                        found.months, found.undated, sort, parsed.notices + (planned.notices if planned else []),
                        _variants(planned.variants if planned else []))


_PLANNERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # vocabulary (a generation's) -> Planner


def plan(index: Engine, parsed: ParsedQuery, steer: Steer = Steer()) -> Plan | None:
    """The engine-neutral plan of a parsed query (None for the empty query: every report)."""
    node = without_repeats(parsed.node)
    if node is None:
        return None
    vocabulary = index.vocabulary()
    planner = _PLANNERS.get(vocabulary)
    if planner is None:
        planner = _PLANNERS[vocabulary] = Planner(vocabulary, settings.get("max_prefix_terms"))
    return planner.plan(node, steer, aliases.version())


def _variants(found: list[Variant]) -> list[Variant]:
    """Each spelling once (a name's chunks may share one), accepted first, as judged."""
    seen: dict[str, Variant] = {}
    for v in found:
        seen.setdefault(group_key(v.spelling), v)
    return sorted(seen.values(), key=lambda v: (not v.accepted, not v.exact, -v.reports if v.accepted else -v.score,
                                                v.spelling))


def query_terms(index: Engine, q: str, steer: Steer = Steer()) -> dict[str, set[str]]:
    """What to highlight in a report opened from a search for ``q``."""
    planned = plan(index, parse(q), steer)
    return planned.terms if planned else {}


HITS_REMEMBERED = 4096  # shaped hits (snippet, marks): paging back and forth, or a refined filter, redoes none
_shaped: Recent[ResultHit] = Recent(HITS_REMEMBERED)


def _hits(hits: list[Hit], terms: dict[str, set[str]]) -> list[ResultHit]:
    """The page's hits shaped for display, each remembered by its content and the terms marked in it."""
    marked = tuple(sorted((k, tuple(sorted(v))) for k, v in terms.items()))
    return [_hit(h, terms, marked) for h in hits]


def _hit(hit: Hit, terms: dict[str, set[str]], marked: tuple) -> ResultHit:
    report = hit.report
    if report.hash is None:
        return _shape(hit, terms)
    # The whole report but its text (its hash stands for it: a 1 MB paste is not kept as a key).
    key = (dataclasses.replace(report, body=""), marked)
    found = _shaped.get(key) or _shaped.put(key, _shape(hit, terms))
    return dataclasses.replace(found, score=hit.score, matched=list(found.matched))


def _shape(hit: Hit, terms: dict[str, set[str]]) -> ResultHit:
    report = hit.report
    body, title = report.body, report.title
    spans, title_spans = highlight.find_spans(body, terms), highlight.find_spans(title, terms)
    return ResultHit(
        id=report.id, title=title, title_html=_title_html(title, title_spans),
        period=report.period, source=report.source, score=hit.score,
        snippet=highlight.snippet(body, spans[:SNIPPET_SPANS], settings.get("snippet_chars")),
        matched=list(dict.fromkeys(highlight.spellings(title, title_spans) + highlight.spellings(body, spans))),
    )


def _title_html(title: str, spans: list[highlight.Span]):
    if len(title) <= TITLE_CHARS:
        return highlight.mark(title, spans)
    return highlight.snippet(title, spans[:SNIPPET_SPANS], TITLE_CHARS)


