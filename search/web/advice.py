"""What the page offers when a search finds nothing: the nearest spellings in the collection,
as searches, and the filters that removed the results, each with what lifting it would find."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from search.names.match import typed_key
from search.names.variants import Variant, group_key
from search.params import SearchParams
from search.query import syntax as uq
from search.query.syntax import parse
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
    """Close spellings that the reports write, each a link to the query with it instead; never
    another name (Moselle, Moscou for Mossoul).

    - a quoted spelling (that spelling only): the other spellings of its name, quoted;
    - a word that no name of the query accounts for (a French word, a name no report writes):
      the collection's words a couple of edits away (convoi for convoie, Homs for Homz).

    A name the reports write is searched under all its spellings already: its close ones
    that the verdict turned down, and its neighbours in the lexicon, are other names.
    """
    out: dict[str, Suggestion] = {}
    for text in positive_phrases(result.query.node):
        for v in _same_name(service, text):
            quoted = f'"{v.spelling}"'
            out.setdefault(v.spelling.casefold(), Suggestion(v.spelling, v.reports, search_url(
                params, q=params.q.replace(f'"{text}"', quoted), without=(), extra=())))
    known = _known_names(result, params)
    for word in (w for w in positive_words(result.query.node) if typed_key(w) not in known):
        for spelling, count in service.engine.suggest(word):
            out.setdefault(spelling.casefold(), Suggestion(spelling, count, search_url(
                params, q=_swap(params.q, spelling, word), without=(), extra=())))
    return list(out.values())[:MOST_SPELLINGS]


def _same_name(service: SearchService, text: str) -> list[Variant]:
    """The accepted spellings that reports write of the name quoted in ``text``, but itself."""
    planned = service.plan(parse(text))
    found = [v for v in (planned.variants if planned else []) if v.accepted and v.reports and not v.phrase]
    return [v for v in found if typed_key(v.spelling) != typed_key(text)]


def _known_names(result: SearchResult, params: SearchParams) -> set[str]:
    """The names of the query that reports write (under a spelling searched, or one the
    analyst dropped), and each of their words, as typed keys."""
    dropped = {group_key(s) for s in params.without}
    known = [g.name for g in result.names
             if any(v.reports and (v.accepted or group_key(v.spelling) in dropped) for v in g.variants)]
    return {typed_key(part) for name in known for part in [name, *name.split()]}


def _swap(q: str, spelling: str, word: str) -> str:
    """``q`` with ``word`` replaced by ``spelling``."""
    return " ".join(spelling if part == word else part for part in q.split())


def positive_phrases(node: uq.Node | None) -> list[str]:
    """The quoted phrases the query requires."""
    if isinstance(node, uq.Phrase):
        return [node.text]
    if isinstance(node, (uq.All, uq.Any)):
        return [t for n in node.nodes for t in positive_phrases(n)]
    return []


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
