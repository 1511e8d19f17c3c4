"""What the search page and a facet's full list show, as a template context.

The app only routes; these functions run the search (the app's ``SearchService``) and gather
links (all from ``urls``, ``facet_links``, ``pagination``, ``periods``), so a page's content can
be checked without a server.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Mapping, Sequence

from search import settings
from search.describe import date_box, describe
from search.errors import BadRequest
from search.params import COLUMNS, SearchParams, query_string
from search.query.syntax import ranked
from search.service import SearchService
from search.web import advice, facet_links, spellings, urls
from search.web.histogram import histogram
from search.web.pagination import pagination
from search.web.periods import relative_dates

PER_PAGE_CHOICES = (10, 25, 50, 100)
HISTORY_SHOWN = 5
COLUMN_LABELS = {"date": "Date", "source": "Source", "graphies": "Graphies trouvées", "extrait": "Extrait",
                 "score": "Score"}
# How the page names a parameter at fault: the box or control it comes from.
LABELS = {"from": "Date « du »", "to": "Date « au »", "page": "Page", "per_page": "Résultats par page",
          "sort": "Tri", "source": "Sources", "sans": "Graphies", "avec": "Graphies", "undated": "Sans date",
          "vue": "Vue", "col": "Colonnes", "q": "Recherche"}


@dataclass(frozen=True)
class FieldError:
    param: str
    label: str     # "Date « du »"
    message: str   # what is wrong, in French
    typed: str     # what was typed, shown back in its box


@dataclass(frozen=True)
class Choice:
    label: str
    url: str
    current: bool


def is_home(params: SearchParams) -> bool:
    """The front page: no query, no filter (it lists the latest reports, and the history)."""
    return urls.search_url(urls.search_only(params)) == "/"


def field_errors(faults: Sequence[BadRequest], raw: Mapping[str, Sequence[str]]) -> dict[str, FieldError]:
    out = {}
    for e in faults:
        param = e.param or ""
        message = str(e).removeprefix(f"{param} : ")
        label = LABELS.get(param, f"Paramètre inconnu « {param} »")
        out[param] = FieldError(param, label, message, ((raw.get(param) or [""])[-1]).strip())
    return out


def search_context(service: SearchService, params: SearchParams, faults: Sequence[BadRequest] = (),
                   raw: Mapping[str, Sequence[str]] | None = None) -> dict:
    result = service.run(params)
    pages = pagination(params, result.total, settings.get("max_page"))
    errors = field_errors(faults, raw or {})
    context = {
        "params": params, "result": result, "errors": errors, "pagination": pages,
        "hits": [] if pages.beyond else result.hits,
        "names": (names := spellings.name_items(params, result.shown_names)),
        "unshown": spellings.unshown_choices(params, names),
        "steering": spellings.steering_chips(params), "clear_steering": spellings.clear_steering_url(params),
        "spellings_found": len(result.accepted),
        "sources": facet_links.source_facet(params, result.sources),
        "months": facet_links.month_facet(params, result.months),
        "histogram": histogram(params, result.months),
        "active": facet_links.active_filters(params), "clear_all": facet_links.clear_all_url(params),
        "sorts": facet_links.sort_items(params, result.sort, ranked(result.query.node)),
        "self_url": urls.search_url(params, page=params.page),
        "export": {fmt: urls.search_url(urls.search_only(params), f"/export.{fmt}") for fmt in ("excel", "csv", "jsonl")},
        "api_url": urls.search_url(urls.search_only(params), "/api/search", page=params.page),
        "save": {"query": query_string(params), "name": params.q or describe(params)},
        "spellings": [], "lifts": [], "saved": None, "fresh": frozenset(), "fresh_hits": [], "history": [],
        **_dates(service, params, errors), **_display(params),
    }
    if result.total == 0:
        context["spellings"] = advice.nearest_spellings(service, params, result)
        context["lifts"] = advice.lifted_filters(service, params)
    return context


def _dates(service: SearchService, params: SearchParams, errors: dict[str, FieldError]) -> dict:
    """The dates' controls: the du / au boxes (what was typed when it did not read), relative periods."""
    return {
        "undated_url": urls.search_url(params, date_from="", date_to="", undated=not params.undated),
        "date_boxes": {p: errors[p].typed if p in errors else date_box(v)
                       for p, v in (("from", params.date_from), ("to", params.date_to))},
        "relative": relative_dates(params, service.newest(), date.today()),
    }


def _display(params: SearchParams) -> dict:
    """How the results are shown: list or table, its columns, how many a page."""
    return {
        "per_page": [Choice(str(n), urls.search_url(params, per_page=n), n == params.per_page)
                     for n in PER_PAGE_CHOICES],
        "views": [Choice(label, urls.search_url(params, view=view, page=params.page), view == params.view)
                  for view, label in (("liste", "liste"), ("tableau", "tableau"))],
        "columns": [(c, COLUMN_LABELS[c], c in params.columns) for c in COLUMNS],
        "shown_columns": [(c, COLUMN_LABELS[c]) for c in params.columns],
    }


def facet_context(service: SearchService, params: SearchParams, name: str, contains: str) -> dict:
    """Every value of one facet ('sources' or 'mois'), with its count for the current search."""
    result = service.run(replace(params, page=1))
    if name == "sources":
        facet = facet_links.source_facet(params, result.sources, most=None, contains=contains)
    else:
        facet = facet_links.month_facet(params, result.months, most=None)
    return {"params": params, "result": result, "facet": facet, "contains": contains,
            "back": urls.search_url(params, page=params.page)}
