"""Reading the index: one searcher, reopened when a rebuild or update lands.

Matching and scoring are Whoosh's, in one pass over the matches; filters, facets
and date ordering run over per-document arrays built once per searcher, so every
facet costs one pass over the matches. Results are kept in a small cache that
each reopened searcher starts afresh.
"""
from __future__ import annotations

import dataclasses
import heapq
import logging
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Iterable

from whoosh import index as windex

from .. import aliases
from ..analysis import fold_accents
from .. import query as uq
from ..store import IndexDamaged, IndexMissing, IndexStore
from .compiler import QueryCompiler, Steer
from .lexicon import WhooshLexicon

RECHECK_SECONDS = 1.0
log = logging.getLogger("search.searcher")
CACHED_RESULTS = 256  # searches remembered per searcher (a page of hits each)
RELATED_CHARS = 20_000  # of a report's text, read for its related reports


@dataclass
class Filters:
    sources: tuple[str, ...] = ()
    start: int | None = None  # YYYYMMDD: the range's first day
    end: int | None = None    # YYYYMMDD: the range's last day
    undated: bool = False     # only the reports without a date

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass
class Hit:
    fields: dict
    score: float | None


@dataclass
class EngineResult:
    total: int
    hits: list[Hit]
    sources: Counter
    months: Counter
    undated: int
    terms: dict[str, set[str]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    variants: list = field(default_factory=list)  # search.variants.Variant of each name searched


class Columns:
    """Source and dates of every document of one searcher, by document number."""

    def __init__(self, reader):
        n = reader.doc_count_all()
        self.source: list[str | None] = [None] * n
        self.start, self.end = [0] * n, [0] * n
        # Leaf by leaf: Whoosh's multi-segment column reader trips over emptied segments.
        for leaf, offset in reader.leaf_readers():
            self._fill(leaf, offset)

    def _fill(self, leaf, offset: int) -> None:
        count = leaf.doc_count_all()
        if leaf.has_column("source"):
            column = leaf.column_reader("source")
            self.source[offset:offset + count] = [column[d] or None for d in range(count)]
        for name in ("start", "end"):
            column = leaf.column_reader("date_" + name)
            # An undated report reads back as the column's fill value, not 0: keep positive dates only.
            getattr(self, name)[offset:offset + count] = [max(column[d], 0) for d in range(count)]

    def month(self, d: int) -> str | None:
        start, end = self.start[d], self.end[d]
        if not start or start // 100 != end // 100:
            return None  # undated, or only the year is known
        return f"{start // 10000:04d}-{start // 100 % 100:02d}"


class SearchIndex:
    """The live index of one store. Thread-safe: Whoosh calls are serialised."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._lock = threading.Lock()
        self._open()

    def _open(self) -> None:
        self._stamp = self.store.stamp()
        self._searcher = windex.open_dir(str(self.store.current())).searcher()
        self._columns = Columns(self._searcher.reader())
        self._lexicon = WhooshLexicon(self._searcher.reader())
        self._checked = time.monotonic()
        self._cache: OrderedDict = OrderedDict()  # (query, filters, sort, offset, limit) -> EngineResult

    def _fresh(self):
        """The searcher, reopened at most once a second if the index changed on disk."""
        if time.monotonic() - self._checked >= RECHECK_SECONDS:
            self._checked = time.monotonic()
            if self.store.stamp() != self._stamp or not self._searcher.up_to_date():
                # A fresh searcher, not refresh(): refresh() reuses segment readers
                # and misses the deletions an update made in them.
                old = self._searcher
                try:
                    self._open()
                except (IndexDamaged, IndexMissing) as e:  # no whole generation to move to: stay
                    log.error("%s; still serving the generation opened before", e)
                    return old  # _open took the new stamp: tried again when CURRENT changes again
                old.close()
        return self._searcher

    def close(self) -> None:
        with self._lock:
            self._searcher.close()

    def doc_count(self) -> int:
        with self._lock:
            return self._fresh().doc_count()

    def get(self, doc_id: str) -> dict | None:
        with self._lock:
            return self._fresh().document(id=doc_id)

    def related(self, doc_id: str, top: int = 5) -> list[dict]:
        """Reports like this one, best first: Whoosh's more-like-this over the folded words of its text."""
        with self._lock:
            searcher = self._fresh()
            docnum = searcher.document_number(id=doc_id)
            if docnum is None:
                return []
            # The key words of a report show in its opening: a 1 MB paste would take seconds to analyse whole.
            body = searcher.stored_fields(docnum).get("body", "")[:RELATED_CHARS]
            return [dict(hit) for hit in searcher.more_like(docnum, "folded", text=body, top=top, numterms=12)]

    def suggest(self, word: str, limit: int = 5) -> list[tuple[str, int]]:
        """Words of the collection a couple of edits away from ``word`` (as written, else folded),
        with the number of reports holding each."""
        with self._lock:
            searcher = self._fresh()
            for field_name, text in (("verbatim", word), ("folded", fold_accents(word).lower())):
                found = [w for w in searcher.suggest(field_name, text, limit=limit, maxdist=2) if w != text]
                if found:
                    return [(w, searcher.doc_frequency(field_name, w)) for w in found]
            return []

    def terms(self, node: uq.Node, steer: Steer = Steer()) -> dict[str, set[str]]:
        """The query's positive terms per field, to highlight a whole report."""
        with self._lock:
            searcher = self._fresh()
            return QueryCompiler(searcher.reader(), self._lexicon, steer).compile(node).terms

    def search(self, node: uq.Node | None, filters: Filters, sort: str, offset: int, limit: int,
               steer: Steer = Steer()) -> EngineResult:
        with self._lock:
            searcher = self._fresh()
            key = (node, filters.sources, filters.start, filters.end, filters.undated, sort, offset, limit, steer,
                   aliases.version())
            result = self._cache.get(key)
            if result is None:
                result = self._cache[key] = self._search(searcher, node, filters, sort, offset, limit, steer)
                if len(self._cache) > CACHED_RESULTS:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            return _copy(result)

    def _search(self, searcher, node, filters: Filters, sort: str, offset: int, limit: int,
                steer: Steer) -> EngineResult:
        compiler = QueryCompiler(searcher.reader(), self._lexicon, steer)
        compiled = compiler.compile(node) if node is not None else None
        by_score = compiled is not None and sort == "relevance"
        if compiled is None:
            scores = dict.fromkeys(searcher.reader().all_doc_ids())
        else:
            scores = _match(searcher, compiled.query, scored=by_score)
        result = _facets(scores, filters, self._columns)
        allowed = result.pop("allowed")
        n = offset + limit
        top = self._top_by_score(scores, allowed, n) if by_score else self._top_by_date(allowed, n, sort == "oldest")
        hits = [Hit(searcher.stored_fields(d), scores[d]) for d in top[offset:]]
        return EngineResult(hits=hits, terms=compiled.terms if compiled else {},
                            notices=compiled.notices if compiled else [],
                            variants=compiled.variants if compiled else [], **result)

    def _top_by_date(self, allowed: list[int], n: int, oldest: bool = False) -> list[int]:
        start = self._columns.start
        if oldest:  # undated reports last either way
            return heapq.nsmallest(n, allowed, key=lambda d: (not start[d], start[d], d))
        return heapq.nsmallest(n, allowed, key=lambda d: (-start[d], d))

    @staticmethod
    def _top_by_score(scores: dict[int, float], allowed: list[int], n: int) -> list[int]:
        return heapq.nsmallest(n, allowed, key=lambda d: (-scores[d], d))  # ties: index order, as Whoosh


def _match(searcher, q, scored: bool) -> dict[int, float | None]:
    """Every matching document and, if ``scored``, its score: one pass, segment by segment."""
    out: dict[int, float | None] = {}
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, sub.context() if scored else sub.boolean_context())
        if scored:
            while m.is_active():
                out[offset + m.id()] = m.score()
                m.next()
        else:
            out.update(dict.fromkeys(d + offset for d in m.all_ids()))
    return out


def _copy(result: EngineResult) -> EngineResult:
    """A cached result, its containers the caller's own."""
    return dataclasses.replace(result, hits=list(result.hits), sources=Counter(result.sources),
                               months=Counter(result.months), terms={k: set(v) for k, v in result.terms.items()},
                               notices=list(result.notices), variants=list(result.variants))


def _facets(matched: Iterable[int], f: Filters, cols: Columns) -> dict:
    """Filter the matches; count each facet with every filter but its own."""
    wanted = set(f.sources)
    in_source = (lambda d: cols.source[d] in wanted) if wanted else (lambda d: True)
    if f.undated:
        in_dates = lambda d: not cols.start[d]  # noqa: E731
    elif f.dated:
        lo, hi = f.start or 0, f.end or 99999999
        in_dates = lambda d: cols.start[d] and cols.start[d] <= hi and cols.end[d] >= lo  # noqa: E731
    else:
        in_dates = lambda d: True  # noqa: E731
    sources, months, undated, allowed = Counter(), Counter(), 0, []
    for d in matched:
        ok_source, ok_dates = in_source(d), in_dates(d)
        if ok_dates and cols.source[d]:
            sources[cols.source[d]] += 1
        if ok_source:
            month = cols.month(d)
            if month:
                months[month] += 1
            undated += not cols.start[d]
        if ok_source and ok_dates:
            allowed.append(d)
    return {"total": len(allowed), "sources": sources, "months": months, "undated": undated, "allowed": allowed}
