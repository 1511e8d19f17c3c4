"""The page's state lives in its URL: pure functions from parameters to links.

    /?q=Boukamal&source=AFP&source=BFMTV&from=2023-11&to=2024&sort=date&page=2

A URL carries only what differs from the defaults: no empty ``from=&to=``, no ``sort=relevance``.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence
from urllib.parse import quote, urlencode

from search.params import SearchParams


def state_pairs(params: SearchParams) -> list[tuple[str, str]]:
    """The search's parameters as query-string pairs, defaults left out."""
    p = params
    pairs = [("q", p.q)] + [("source", s) for s in p.sources]
    pairs += [("from", p.date_from), ("to", p.date_to), ("undated", "1" if p.undated else "")]
    pairs += [("sans", v) for v in p.without] + [("avec", v) for v in p.extra]
    pairs += [("sort", p.sort if p.sort != "relevance" else ""), ("page", str(p.page) if p.page > 1 else "")]
    if p.per_page != SearchParams.per_page:
        pairs.append(("per_page", str(p.per_page)))
    return [(k, v) for k, v in pairs if v]


def hidden_fields(params: SearchParams, edits: Sequence[str] = ()) -> list[tuple[str, str]]:
    """What a form must carry for the search to stay as it is, but the fields it ``edits``
    (and the page: a submitted form starts at page 1). One source for every form's hidden inputs.

    >>> hidden_fields(SearchParams(q="Alep", sources=("AFP",), per_page=50), edits=("q",))
    [('source', 'AFP'), ('per_page', '50')]
    """
    return [(k, v) for k, v in state_pairs(replace(params, page=1)) if k not in edits]


def search_url(params: SearchParams, path: str = "/", **changes) -> str:
    """The page for ``params`` with some of them changed; the page resets unless given."""
    query = urlencode(state_pairs(replace(params, **{"page": 1, **changes})))
    return path + ("?" + query if query else "")


def report_url(report_id: str, state: SearchParams | str = "") -> str:
    """A report's page; ``state``: the search it was opened from (its query, or all its parameters)."""
    params = SearchParams(q=state) if isinstance(state, str) else state
    return search_url(params, "/reports/" + quote(report_id, safe="/"), page=params.page)


def permalink(report_id: str) -> str:
    return "/reports/" + quote(report_id, safe="/")


def needs_tidying(raw: Mapping[str, Sequence[str]]) -> bool:
    """Whether a page's query string carries empty or default values (a GET form sends them all):
    the page then redirects to its tidy URL, the one ``search_url`` writes."""
    defaults = {"sort": "relevance", "page": "1", "undated": "0"}
    return any(v.strip() == "" or defaults.get(k) == v for k, values in raw.items() for v in values)


def toggle(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != value) if value in values else values + (value,)
