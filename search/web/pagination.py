"""Page links as a pure function: the first, the last, a few around the current one, '…' between.

    1 2 3 4 5 … 301        1 … 297 298 299 300 301        1 … 148 149 150 151 152 … 301
"""
from __future__ import annotations

from dataclasses import dataclass

from search.params import SearchParams
from search.web.urls import search_url


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: the gap shown as '…'
    url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    pages: list[PageLink]
    previous: str | None
    next: str | None
    last: int
    last_url: str
    beyond: bool  # the page asked for is past the last one


def pagination(params: SearchParams, total: int, max_page: int, around: int = 2) -> Pagination:
    last = min(max(1, -(-total // params.per_page)), max_page)
    page = min(params.page, last)
    numbers = sorted({1, last, *range(max(1, page - around), min(last, page + around) + 1)})
    links: list[PageLink] = []
    for n in numbers:
        if links and n - links[-1].number == 2:  # one page missing: show it rather than '…'
            links.append(PageLink(n - 1, search_url(params, page=n - 1), False))
        elif links and n - links[-1].number > 2:
            links.append(PageLink(None, "", False))
        links.append(PageLink(n, search_url(params, page=n), n == params.page))
    beyond = params.page > last
    previous = search_url(params, page=last if beyond else page - 1) if params.page > 1 else None
    return Pagination(links, previous, search_url(params, page=page + 1) if params.page < last else None,
                      last, search_url(params, page=last), beyond)
