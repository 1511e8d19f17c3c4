"""Reading the index: the Whoosh adapter's ``Engine``, reopened when a rebuild or update lands.

A plan is evaluated over whole-index arrays (``evaluate``), filtered and counted
over per-document columns (``search.engine.facets``), both built once per searcher;
results are kept in a small cache that each reopened searcher starts afresh.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter

from whoosh import index as windex

from search.engine import facets
from search.engine.contract import EngineResult, Filters, Hit, StoredReport
from search.engine.store import IndexStore
from search.engine.whoosh.evaluate import Evaluator
from search.engine.whoosh.lexicon import WhooshLexicon
from search.errors import IndexDamaged, IndexMissing
from search.query.nodes import Node
from search.recent import Recent
from search.text.fold import fold

RECHECK_SECONDS = 1.0
log = logging.getLogger("search.searcher")
CACHED_RESULTS = 256  # searches remembered per searcher (a page of hits each)
RELATED_CHARS = 20_000  # of a report's text, read for its related reports


def _columns(reader) -> facets.Columns:
    """Source and dates of every document, read leaf by leaf: Whoosh's multi-segment
    column reader trips over emptied segments."""
    n = reader.doc_count_all()
    source: list[str | None] = [None] * n
    start, end = [0] * n, [0] * n
    for leaf, offset in reader.leaf_readers():
        count = leaf.doc_count_all()
        if leaf.has_column("source"):
            column = leaf.column_reader("source")
            source[offset:offset + count] = [column[d] or None for d in range(count)]
        # An undated report reads back as the column's fill value, not 0: Columns keeps positive dates only.
        start[offset:offset + count] = list(leaf.column_reader("date_start"))[:count]
        end[offset:offset + count] = list(leaf.column_reader("date_end"))[:count]
    return facets.Columns.build(source, start, end)


def stored_report(fields: dict) -> StoredReport:
    return StoredReport(id=fields["id"], title=fields.get("title", ""), body=fields.get("body", ""),
                        source=fields.get("source") or None, date_start=max(fields.get("date_start") or 0, 0),
                        date_end=max(fields.get("date_end") or 0, 0), precision=fields.get("precision"),
                        path=fields.get("path"), hash=fields.get("hash"))


class WhooshEngine:
    """The live index of one store (``search.engine.contract.Engine``). Thread-safe: Whoosh calls are serialised."""

    def __init__(self, store: IndexStore):
        self.store = store
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        self._stamp = self.store.stamp()
        self._searcher = windex.open_dir(str(self.store.current())).searcher()
        self._columns = _columns(self._searcher.reader())
        self._evaluator = Evaluator(self._searcher)
        self._lexicon = WhooshLexicon(self._searcher.reader(), self._lock)
        self._checked = time.monotonic()
        self._cache: Recent[EngineResult] = Recent(CACHED_RESULTS)  # (node, filters, sort, offset, limit, facets) ->

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

    def get(self, report_id: str) -> StoredReport | None:
        with self._lock:
            fields = self._fresh().document(id=report_id)
        return stored_report(fields) if fields is not None else None

    def related(self, report_id: str, top: int = 5) -> list[StoredReport]:
        """Whoosh's more-like-this over the folded words of the report's opening."""
        with self._lock:
            searcher = self._fresh()
            docnum = searcher.document_number(id=report_id)
            if docnum is None:
                return []
            # The key words of a report show in its opening: a 1 MB paste would take seconds to analyse whole.
            body = searcher.stored_fields(docnum).get("body", "")[:RELATED_CHARS]
            return [stored_report(dict(hit)) for hit in searcher.more_like(docnum, "folded", text=body, top=top,
                                                                           numterms=12)]

    def suggest(self, word: str, limit: int = 5) -> list[tuple[str, int]]:
        """Words a couple of edits from ``word`` (as written, else folded), with their report counts."""
        with self._lock:
            searcher = self._fresh()
            for field_name, text in (("verbatim", word), ("folded", fold(word))):
                found = [w for w in searcher.suggest(field_name, text, limit=limit, maxdist=2) if w != text]
                if found:
                    return [(w, searcher.doc_frequency(field_name, w)) for w in found]
            return []

    def vocabulary(self) -> WhooshLexicon:
        with self._lock:
            self._fresh()
            return self._lexicon

    def search(self, node: Node | None, filters: Filters, sort: str, offset: int, limit: int,
               facets: bool = True) -> EngineResult:
        with self._lock:
            searcher = self._fresh()
            key = (node, filters, sort, offset, limit, facets)
            result = self._cache.get(key) or self._cache.put(key, self._search(searcher, node, filters, sort, offset,
                                                                                 limit, facets))
            return dataclasses.replace(result, hits=list(result.hits), sources=Counter(result.sources),
                                       months=Counter(result.months))

    def _search(self, searcher, node, filters: Filters, sort: str, offset: int, limit: int,
                with_facets: bool) -> EngineResult:
        by_score = node is not None and sort == "relevance"
        if node is None:
            matched, scores = self._evaluator.live.copy(), None
        else:
            matched, scores = self._evaluator.matches(node)
        counts = facets.count(matched, self._columns, filters.sources, filters.start, filters.end, filters.undated,
                              with_facets)
        top = facets.top(counts.allowed, scores if by_score else None, self._columns.start, offset + limit,
                         oldest=sort == "oldest")
        hits = [Hit(stored_report(searcher.stored_fields(int(d))), float(scores[d]) if scores is not None else None)
                for d in top[offset:]]
        return EngineResult(counts.total, hits, counts.sources, counts.months, counts.undated)
