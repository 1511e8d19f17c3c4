"""The page's state lives in its URL: pure functions from parameters to links.

    /?q=Boukamal&source=AFP&source=BFMTV&from=2023-11&to=2024&sort=date&page=2
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from .dates import parse_date
from .service import SearchParams


def search_url(params: SearchParams, **changes) -> str:
    """The page for ``params`` with some of them changed; the page resets unless given."""
    p = replace(params, **{"page": 1, **changes})
    pairs = [("q", p.q)] + [("source", s) for s in p.sources]
    pairs += [("from", p.date_from), ("to", p.date_to)]
    pairs += [("sans", v) for v in p.without] + [("avec", v) for v in p.extra]
    pairs += [("sort", p.sort if p.sort != "relevance" else ""), ("page", str(p.page) if p.page > 1 else "")]
    if p.per_page != SearchParams.per_page:
        pairs.append(("per_page", str(p.per_page)))
    return "/?" + urlencode([(k, v) for k, v in pairs if v])


def report_url(report_id: str, q: str = "") -> str:
    from urllib.parse import quote
    return "/reports/" + quote(report_id, safe="/") + ("?" + urlencode({"q": q}) if q else "")


@dataclass(frozen=True)
class FacetItem:
    label: str
    value: str
    count: int
    selected: bool
    url: str  # the page with this value toggled


def source_items(params: SearchParams, counts: dict[str, int], most: int = 30) -> list[FacetItem]:
    """The sources with their counts; chosen ones always shown, so they can be unticked."""
    names = [s for s in params.sources if s not in counts] + [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    chosen = set(params.sources)
    shown = [n for n in names if n in chosen] + [n for n in names if n not in chosen][: max(0, most - len(chosen))]
    return [FacetItem(n, n, counts.get(n, 0), n in chosen, search_url(params, sources=_toggle(params.sources, n)))
            for n in shown]


@dataclass(frozen=True)
class VariantItem:
    spelling: str
    reports: int
    score: float
    accepted: bool
    steered: bool   # dropped (sans) or added (avec) by the analyst
    toggle: str     # the page with this spelling dropped, or added back
    alone: str      # a search for this spelling only, quoted


def variant_items(params: SearchParams, variants) -> list[VariantItem]:
    """A name's spellings as controls: each accepted one can be dropped (sans=), each
    close-but-rejected one added (avec=); the analyst's own choices can be undone."""
    items = []
    for v in variants:
        dropped, added = v.spelling in params.without, v.spelling in params.extra
        if v.accepted and not added:
            url = search_url(params, without=_toggle(params.without, v.spelling))
        elif added:
            url = search_url(params, extra=_toggle(params.extra, v.spelling))
        else:
            url = search_url(params, without=tuple(x for x in params.without if x != v.spelling),
                             extra=params.extra + (() if dropped else (v.spelling,)))
        items.append(VariantItem(v.spelling, v.reports, v.score, v.accepted, dropped or added, url,
                                 search_url(params, q=f'"{v.spelling}"', without=(), extra=())))
    return items


def _toggle(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != value) if value in values else values + (value,)


def month_items(params: SearchParams, counts: dict[str, int], most: int = 24) -> list[FacetItem]:
    """The latest months with matches; each link narrows the dates to that month."""
    months = sorted(counts, reverse=True)[:most]
    chosen = params.date_from == params.date_to and params.date_from
    return [FacetItem(_month_label(m), m, counts[m], m == chosen, search_url(params, date_from=m, date_to=m))
            for m in months]


def _month_label(month: str) -> str:
    """'2023-11' -> 'novembre 2023'."""
    period = parse_date(month)
    return period.label_fr if period else month


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    pages: list[PageLink]
    previous: str | None
    next: str | None
    last: int


def pagination(params: SearchParams, total: int, max_page: int, around: int = 3) -> Pagination:
    last = min(max(1, -(-total // params.per_page)), max_page)
    page = min(params.page, last)
    numbers = sorted({1, last, *range(max(1, page - around), min(last, page + around) + 1)})
    links = [PageLink(n, search_url(params, page=n), n == params.page) for n in numbers]
    return Pagination(links, search_url(params, page=page - 1) if params.page > 1 else None,
                      search_url(params, page=params.page + 1) if params.page < last else None, last)
