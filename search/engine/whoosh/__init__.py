"""The Whoosh adapter: the only code that imports Whoosh.

- ``schema``: the fields and the face of our analyzers Whoosh sees;
- ``segments`` and ``writer``: rebuild a whole index into a new generation, or update one;
- ``generation``: one open generation, its shared arrays and a pool of searchers;
- ``searcher``: the live index (``WhooshEngine``), moving to a new generation when one lands;
- ``evaluate``: a plan's matches and scores over whole-index arrays (``reading``: a term's postings by
  blocks; ``phrases``: a phrase's positions);
- ``translate``: a plan as a Whoosh query (the reference ``evaluate`` is checked against);
- ``lexicon``: the name lexicon and words by prefix, read from the term dictionary.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from search.engine.contract import GenerationInfo
from search.engine.store import IndexStore
from search.engine.whoosh.writer import rebuild, update

if TYPE_CHECKING:
    from search.engine.whoosh.searcher import WhooshEngine


def open(location: Path) -> WhooshEngine:  # noqa: A001 (the contract's name)
    from search.engine.whoosh.searcher import WhooshEngine  # here: an update needs no searcher (nor numpy), 0.5 s
    return WhooshEngine(IndexStore(location))


def __getattr__(name: str):
    if name == "WhooshEngine":
        from search.engine.whoosh.searcher import WhooshEngine
        return WhooshEngine
    raise AttributeError(name)


def exists(location: Path) -> bool:
    """Whether the folder holds any generation, whole or damaged (never built over)."""
    return IndexStore(location).exists()


def generations(location: Path) -> list[GenerationInfo]:
    return IndexStore(location).infos()


def restore(location: Path, name: str) -> GenerationInfo:
    store = IndexStore(location)
    path = store.restore(name)
    return next(info for info in store.infos() if info.name == path.name)


__all__ = ["WhooshEngine", "exists", "generations", "open", "rebuild", "restore", "update"]
