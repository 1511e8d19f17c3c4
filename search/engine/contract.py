"""What the service asks of a search engine, whichever holds the index.

An adapter (``search.engine.whoosh`` today) offers

- ``rebuild(store, items, progress, procs) -> Summary`` and ``update(store, items, progress) -> Summary``,
  each publishing a whole new generation of ``store`` or nothing;
- ``open(store) -> Engine``: the live index, following the generation that ``store`` points to.

``tests/test_engine_contract.py`` holds the behaviour any adapter must pass.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from search.ingest.dates import Period, day_of_number
from search.query.planner import Node, Plan, Vocabulary


@dataclass(frozen=True)
class StoredReport:
    """A report as the index holds it."""
    id: str
    title: str
    body: str
    source: str | None = None
    date_start: int = 0   # YYYYMMDD of the period's first day; 0: undated
    date_end: int = 0
    precision: str | None = None  # "day", "month" or "year"
    path: str | None = None       # the file (and record) it was read from, relative to the reports folder
    hash: str | None = None       # of its content: what it says changes only with this

    @property
    def period(self) -> Period | None:
        if not self.date_start or not self.precision:
            return None
        return Period(day_of_number(self.date_start), day_of_number(self.date_end), self.precision)


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()
    start: int | None = None  # YYYYMMDD: the range's first day
    end: int | None = None    # YYYYMMDD: the range's last day
    undated: bool = False     # only the reports without a date

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


SORTS = ("relevance", "date", "oldest")  # by score; newest first; oldest first (undated last either way)


@dataclass
class Hit:
    report: StoredReport
    score: float | None  # None when sorted by date


@dataclass
class EngineResult:
    total: int
    hits: list[Hit]
    sources: Counter        # each source's matches, under every filter but the source one
    months: Counter         # "YYYY-MM" -> matches, under every filter but the dates
    undated: int            # matches without a date, under the source filter


class Engine(Protocol):
    def search(self, node: Node | None, filters: Filters, sort: str, offset: int, limit: int,
               facets: bool = True) -> EngineResult:
        """The matches of a plan's node (``None``: every report, newest first), filtered,
        counted per facet (unless ``facets`` is False), and the page ``offset:offset+limit``."""

    def get(self, report_id: str) -> StoredReport | None: ...

    def related(self, report_id: str, top: int = 5) -> list[StoredReport]:
        """Reports like this one (sharing its telling words), best first, itself left out."""

    def suggest(self, word: str, limit: int = 5) -> list[tuple[str, int]]:
        """Words of the collection a couple of edits from ``word``, with their report counts."""

    def vocabulary(self) -> Vocabulary:
        """The live generation's name lexicon and words, for planning."""

    def doc_count(self) -> int: ...

    def close(self) -> None: ...


__all__ = ["Engine", "EngineResult", "Filters", "Hit", "Plan", "SORTS", "StoredReport"]
