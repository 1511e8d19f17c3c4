"""The filters beside the results, as links the page renders: facet values with their counts, the
filters in force (each with a link that clears it), the sort orders. Pure functions of the
parameters and the counts; every value is a link, so a filter applies in one click, without a button.

Each facet shows its top values, then a link to the full list of them (``/facettes/sources``).
"""
from __future__ import annotations

from dataclasses import dataclass

from search.describe import dates_label
from search.ingest.dates import parse_date
from search.params import SearchParams
from search.text.fold import fold
from search.web.urls import search_url, toggle

SHOWN = 12  # values of a facet on the search page; the rest on its own page
SORT_LABELS = {"relevance": "pertinence", "date": "plus récents d’abord", "oldest": "plus anciens d’abord"}


@dataclass(frozen=True)
class FacetItem:
    label: str
    value: str
    count: int
    selected: bool
    url: str  # the page with this value toggled


@dataclass(frozen=True)
class Facet:
    name: str             # in the full list's URL: /facettes/<name>
    title: str
    items: list[FacetItem]
    hidden: int           # values left out of ``items``
    all_url: str          # the page listing every value


def source_facet(params: SearchParams, counts: dict[str, int], most: int | None = SHOWN,
                 contains: str = "") -> Facet:
    """The sources by count, the chosen ones first (so they can be unticked), ``most`` of them
    (None: all), those whose name holds ``contains`` (case and accents aside)."""
    chosen = list(params.sources)
    names = chosen + [n for n, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if n not in chosen]
    if contains:
        names = [n for n in names if fold(contains) in fold(n)]
    shown = names if most is None else names[:max(most, len(chosen))]
    items = [FacetItem(n, n, counts.get(n, 0), n in chosen, search_url(params, sources=toggle(params.sources, n)))
             for n in shown]
    return Facet("sources", "Sources", items, len(names) - len(shown), search_url(params, "/facettes/sources"))


def month_facet(params: SearchParams, counts: dict[str, int], most: int | None = SHOWN) -> Facet:
    """The months with matches, latest first; a month narrows the dates to it, the chosen one clears them."""
    months = sorted(counts, reverse=True)
    shown = months if most is None else months[:most]
    chosen = params.date_from == params.date_to and params.date_from
    items = [FacetItem(month_label(m), m, counts[m], m == chosen,
                       search_url(params, date_from="", date_to="") if m == chosen
                       else search_url(params, date_from=m, date_to=m, undated=False))
             for m in shown]
    return Facet("mois", "Mois", items, len(months) - len(shown), search_url(params, "/facettes/mois"))


def month_label(month: str) -> str:
    """'2023-11' -> 'novembre 2023'."""
    period = parse_date(month)
    return period.label_fr if period else month


@dataclass(frozen=True)
class Active:
    label: str
    url: str  # the page without this filter


def active_filters(params: SearchParams) -> list[Active]:
    """The filters in force, each with the link that clears it."""
    out = [Active(f"source : {s}", search_url(params, sources=toggle(params.sources, s))) for s in params.sources]
    if params.date_from or params.date_to:
        out.append(Active(_dates_label(params), search_url(params, date_from="", date_to="")))
    if params.undated:
        out.append(Active("sans date seulement", search_url(params, undated=False)))
    return out


def clear_all_url(params: SearchParams) -> str:
    """The same query without any filter (the name's steered spellings and the sort stay)."""
    return search_url(params, sources=(), date_from="", date_to="", undated=False)


def _dates_label(params: SearchParams) -> str:
    return dates_label(params.date_from, params.date_to)


def sort_items(params: SearchParams, used: str, ranked: bool) -> list[FacetItem]:
    """The orders, ``used`` marked; without a score to rank by (empty query, exclusions only),
    no 'pertinence': the list is by date, as the page says."""
    return [FacetItem(label, value, 0, value == used, search_url(params, sort=value))
            for value, label in SORT_LABELS.items() if ranked or value != "relevance"]
