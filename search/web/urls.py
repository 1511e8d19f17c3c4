"""The page's state lives in its URL: pure functions from parameters to links.

    /?q=Boukamal&source=AFP&source=BFMTV&from=2023-11&to=2024&sort=date&page=2

A URL carries only what differs from the defaults: no empty ``from=&to=``, no ``sort=relevance``.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence
from urllib.parse import quote, urlencode

from search.params import DEFAULT_COLUMNS, SearchParams, pairs


def state_pairs(params: SearchParams) -> list[tuple[str, str]]:
    """The search's parameters as query-string pairs, defaults left out."""
    return pairs(params)


def search_only(params: SearchParams) -> SearchParams:
    """The search without the page's way of showing it (list or table): what the API, an export
    or a saved search holds."""
    return replace(params, view=SearchParams.view, columns=DEFAULT_COLUMNS)


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


def text_url(report_id: str) -> str:
    """A report's whole text, as plain text (its page shows a window of a long one)."""
    return "/texte/" + quote(report_id, safe="/")


def needs_tidying(raw: Mapping[str, Sequence[str]], params: SearchParams) -> bool:
    """Whether a page's query string differs from the tidy one ``search_url`` writes for ``params``:
    empty or default values (a GET form sends them all), a date typed in French ("juillet 2016"
    is ``from=2016-07``). The page then redirects to its tidy URL.

    >>> needs_tidying({"q": ["Alep"], "from": ["juillet 2016"]}, SearchParams(q="Alep", date_from="2016-07"))
    True
    """
    tidy: dict[str, list[str]] = {}
    for k, v in state_pairs(params):
        tidy.setdefault(k, []).append(v)
    return {k: list(v) for k, v in raw.items()} != tidy


def toggle(values: tuple[str, ...], value: str) -> tuple[str, ...]:
    return tuple(v for v in values if v != value) if value in values else values + (value,)
