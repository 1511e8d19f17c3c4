"""What the service asks of a search engine, whichever holds the index.

An adapter is a package ``search.engine.<name>`` (loaded only when asked for, by
``search.engine.adapter``) with six functions over a ``location`` (the index folder for Whoosh,
a ``Cluster`` for OpenSearch):

- ``exists(location) -> bool``: whether any generation is there, whole or not;
- ``open(location) -> Engine``: the live index, following the generation in use;
- ``rebuild(location, job: RebuildWork, procs)``: a whole new generation holding ``job.reports()``;
- ``update(location, job: UpdateWork)``: the live generation's reports (``Held``) and the ledger
  stored with it given to ``job.changes`` (to add or replace) then ``job.removals`` (to delete), in
  a new generation;
- ``generations(location) -> list[GenerationInfo]``: the generations kept, newest first;
- ``restore(location, name) -> GenerationInfo``: make a kept whole generation the live one.

Each stores the job's ``record()`` (opaque bytes: the ledger of the report files, see
``search.ingest.ledger``) with the generation it publishes, and gives it back to the next update
(``changes(held, record)``): with it, the job never looks at ``held``, so an adapter may read
``held`` only when asked (a lazy mapping).

Each publishes a generation only when it is complete, or nothing, and only after
``job.publishing(live, new)`` returned (it raises ``RemovalRefused`` to keep the live one: a
new generation that would lose reports in bulk). What to index, keep, remove or publish is
the job's to decide (``search.indexing``), never the adapter's. An adapter keeps the last
``keep_generations`` whole generations (a setting), and among them at least one that shares
nothing with the live one: damage (a file truncated on disk) never reaches every generation.

``Engine.search`` takes a ``deadline`` (``time.monotonic()`` seconds): past it, the engine
answers with what it has and says so (``EngineResult.partial``). A damaged file met while
reading raises ``IndexUnavailable``, and the engine moves to the newest whole generation.

This module imports only the plan's nodes: importing the contract loads no engine.
``tests/test_engine_contract.py`` holds the behaviour any adapter must pass.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Protocol, Sequence

from search.query.nodes import Node

if TYPE_CHECKING:  # types only: importing the contract reads no report file
    from search.ingest.reports import Report
    from search.names.judged import Decisions


@dataclass(frozen=True)
class StoredReport:
    """A report as the index holds it: ``body`` is its text, or, for a text longer than its searchable
    part (``max_indexed_chars``), that opening only; ``Engine.text`` gives it whole."""
    id: str
    title: str
    body: str
    source: str | None = None
    date_start: int = 0   # YYYYMMDD of the period's first day; 0: undated
    date_end: int = 0
    precision: str | None = None  # "day", "month" or "year"
    path: str | None = None       # the file (and record) it was read from, relative to the reports folder
    hash: str | None = None       # of its content: what it says changes only with this
    length: int | None = None     # the whole text's length, when ``body`` is its opening only

    @property
    def text_length(self) -> int:
        return len(self.body) if self.length is None else self.length


@dataclass(frozen=True)
class Filters:
    sources: tuple[str, ...] = ()
    start: int | None = None  # YYYYMMDD: the range's first day
    end: int | None = None    # YYYYMMDD: the range's last day
    undated: bool = False     # only the reports without a date


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
    partial: bool = False   # the deadline passed: some matches may be missing


@dataclass(frozen=True)
class GenerationInfo:
    """One generation of an index, as ``python -m search generations`` lists it."""
    name: str
    created: float               # seconds since the epoch
    reports: int | None          # None when it cannot be read
    bytes: int                   # on disk
    live: bool                   # the one served
    problem: str | None = None   # why it cannot be served (damaged, other rules of analysis), or None
    copy_of: str | None = None   # the generation it is an independent copy of (kept apart from it), if one


# Where an adapter keeps its generations: a folder for Whoosh; for OpenSearch a cluster and a
# collection's name (``search.engine.opensearch.Cluster``). The service never looks inside.
Location = object


@dataclass(frozen=True)
class Held:
    """What a generation holds of one report: enough to tell whether it changed, and where from."""
    hash: str
    path: str


class RebuildWork(Protocol):
    origin: str | None  # the reports folder or file read (resolved): the generation records it

    def reports(self) -> Iterator["Report"]:
        """Every report of the new generation."""

    def record(self) -> bytes:
        """Once the reports are read: the ledger to store with the new generation (sealed with it)."""

    def writing(self, analysed: int, share: float) -> None:
        """How far the writing is, once the reports are read: reports analysed so far, and the share
        (0 to 1) of the index's files written. An adapter calls it as it goes (every second or so)."""

    def publishing(self, live: int | None, new: int) -> None:
        """Called right before publishing: ``live`` reports in the live generation (None: there is
        none), ``new`` in the new one. Raises (a ``SearchError``) to publish nothing."""


class UpdateWork(Protocol):
    changed: bool  # read after removals(): whether anything is to be published
    origin: str | None  # as RebuildWork.origin

    def changes(self, held: Mapping[str, Held], record: bytes | None = None) -> Iterator["Report"]:
        """The reports to add or replace, given what the live generation holds and the ledger stored
        with it (None: it has none)."""

    def removals(self, held: Mapping[str, Held]) -> list[str]:
        """The ids to delete (called once ``changes`` is exhausted)."""

    def record(self) -> bytes:
        """After ``removals``: the ledger to store with the new generation (sealed with it)."""

    def writing(self, analysed: int, share: float) -> None:
        """As ``RebuildWork.writing``."""

    def publishing(self, live: int | None, new: int) -> None:
        """As ``RebuildWork.publishing``; called only when ``changed``."""


class Vocabulary(Protocol):
    """What planning reads of an index generation: its name lexicon, and its words by prefix;
    ``decisions``, its name forms judged already (``search.names.judged``)."""

    decisions: Decisions

    def warm(self, counts: bool = False) -> None:
        """Read ahead what makes look-ups fast (a server does, in the background, at start-up);
        ``counts``: the words' report counts too (``lower_case``, ``word_reports``), a server's
        first names judged faster for a longer read."""

    def forms(self, key: str) -> Iterable[tuple[str, int]]:
        """(index term, reports) of every name form filed under ``key``."""

    def forms_of(self, keys: Sequence[str]) -> Mapping[str, Iterable[tuple[str, int]]]:
        """``forms`` of each key, asked at once (a cluster answers them all in one round trip)."""

    def lower_case(self, word: str) -> float:
        """The share of the word's uses written in lower case (0 where unknown)."""

    def reports(self, terms: Iterable[str]) -> int:
        """How many reports hold any of these ``names`` terms."""

    def words_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        """Up to ``limit`` words of ``field`` starting with ``prefix``, in order."""

    def texts(self, terms: Iterable[str], limit: int, chars: int) -> list[str]:
        """The title and the first ``chars`` characters of the body of up to ``limit`` reports holding
        any of these ``names`` terms, spread over them, the same ones while the generation lives
        (what a name's context is read from, ``search.names.context``)."""

    def word_reports(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(reports in the generation, reports holding each ``folded`` word)."""


class Engine(Protocol):
    def search(self, node: Node | None, filters: Filters, sort: str, offset: int, limit: int,
               facets: bool = True, deadline: float | None = None) -> EngineResult:
        """The matches of a plan's node (``None``: every report, newest first), filtered,
        counted per facet (unless ``facets`` is False), and the page ``offset:offset+limit``.
        Past ``deadline`` (``time.monotonic()``), what was found so far, ``partial``."""

    def ids(self, node: Node | None, filters: Filters) -> list[str]:
        """The id of every match of a plan's node (``None``: every report), filtered, in no set order."""

    def get(self, report_id: str) -> StoredReport | None: ...

    def text(self, report_id: str) -> str | None:
        """The report's whole text (``get`` gives a very long one's opening only), None if there is no such report."""

    def related(self, report_id: str, top: int = 5) -> list[StoredReport]:
        """Reports like this one (sharing its telling words), best first, itself left out."""

    def suggest(self, word: str, limit: int = 5) -> list[tuple[str, int]]:
        """Words of the collection a couple of edits from ``word``, with their report counts."""

    def complete(self, start: str, limit: int = 8) -> list[tuple[str, int]]:
        """Names the reports write that start with ``start`` (case and accents aside), with their
        report counts, the most reported first."""

    def vocabulary(self) -> Vocabulary:
        """The live generation's name lexicon and words, for planning."""

    def doc_count(self) -> int: ...

    def close(self) -> None: ...


__all__ = ["Engine", "EngineResult", "Filters", "GenerationInfo", "Held", "Hit", "Location", "RebuildWork", "SORTS",
           "StoredReport", "UpdateWork", "Vocabulary"]
