"""What the page offers when a search finds nothing: the nearest spellings in the collection,
as searches, and the filters that removed the results, each with what lifting it would find."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from search.params import SearchParams
from search.query import syntax as uq
from search.results import SearchResult
from search.service import SearchService
from search.web.urls import search_url

MOST_SPELLINGS = 6


@dataclass(frozen=True)
class Suggestion:
    label: str
    count: int  # reports it finds (for a spelling: reports writing it)
    url: str


def nearest_spellings(service: SearchService, params: SearchParams, result: SearchResult) -> list[Suggestion]:
    """Close spellings of the query's words: the name's turned-down variants that reports write,
    then the collection's words a couple of edits away; each a link to the query with it instead."""
    out: dict[str, Suggestion] = {}
    for v in result.rejected:
        if v.reports:
            out.setdefault(v.spelling.casefold(), Suggestion(v.spelling, v.reports, search_url(
                params, q=_swap(params.q, v.spelling), without=(), extra=())))
    for word in positive_words(result.query.node):
        for spelling, count in service.engine.suggest(word):
            out.setdefault(spelling.casefold(), Suggestion(spelling, count, search_url(
                params, q=_swap(params.q, spelling, word), without=(), extra=())))
    return list(out.values())[:MOST_SPELLINGS]


def _swap(q: str, spelling: str, word: str | None = None) -> str:
    """``q`` with ``word`` replaced by ``spelling``; without a word (a name's variant), the spelling alone."""
    if word is None:
        return spelling
    return " ".join(spelling if part == word else part for part in q.split())


def positive_words(node: uq.Node | None) -> list[str]:
    """The plain words the query requires (not those it excludes, nor phrases or prefixes)."""
    if isinstance(node, uq.Words):
        return list(node.words)
    if isinstance(node, (uq.All, uq.Any)):
        return [w for n in node.nodes for w in positive_words(n)]
    return []


def lifted_filters(service: SearchService, params: SearchParams) -> list[Suggestion]:
    """For each filter in force, what the search finds without it ('sans le filtre source : 12 rapports')."""
    lifts: list[tuple[str, dict[str, Any]]] = []
    if params.sources:
        lifts.append(("sans le filtre de source", {"sources": ()}))
    if params.date_from or params.date_to or params.undated:
        lifts.append(("sans le filtre de dates", {"date_from": "", "date_to": "", "undated": False}))
    if len(lifts) > 1:
        lifts.append(("sans aucun filtre", {k: v for _, change in lifts for k, v in change.items()}))
    out = []
    for label, change in lifts:
        total = service.page_titles(replace(params, page=1, per_page=1, **change))[0]
        if total:
            out.append(Suggestion(label, total, search_url(params, **change)))
    return out
