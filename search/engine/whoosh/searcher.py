"""Reading the index: the Whoosh adapter's ``Engine``, moving to a new generation when one lands.

Every search reads the generation open now (``OpenGeneration``: shared arrays, a pool of
searchers; a plan is evaluated over whole-index arrays by ``evaluate``, filtered and counted
over per-document columns by ``search.engine.facets``); no lock is held across a search. Once
a second a search looks at CURRENT: a new generation is checked and opened beside the one
served, by one thread, and swapped in only once whole (the search that noticed waits for it at
most ``SWITCH_WAIT``): a generation that fails to open leaves the one served in place, with one
log line.

A file found damaged while serving (truncated under the server, rewritten...) is told from a
bug by checking the generation against its manifest: damaged, the search answers
``IndexUnavailable`` (a 503, one line) and the engine moves to the newest whole generation;
whole, the error is a bug and goes up as it is.
"""
from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from search import settings
from search.engine import facets
from search.engine.contract import EngineResult, Filters, Hit, StoredReport
from search.engine.store import IndexStore
from search.engine.whoosh.generation import OpenGeneration, Ranked
from search.errors import IndexDamaged, IndexMissing, IndexUnavailable, SearchError
from search.query.nodes import Node
from search.text.fold import fold

RECHECK_SECONDS = 1.0
SWITCH_WAIT = 2.0  # the search that notices a new generation waits this long for it, at most
log = logging.getLogger("search.searcher")
RELATED_CHARS = 20_000  # of a report's text, read for its related reports


def stored_report(fields: dict) -> StoredReport:
    return StoredReport(id=fields["id"], title=fields.get("title", ""), body=fields.get("body", ""),
                        source=fields.get("source") or None, date_start=max(fields.get("date_start") or 0, 0),
                        date_end=max(fields.get("date_end") or 0, 0), precision=fields.get("precision"),
                        path=fields.get("path"), hash=fields.get("hash"), length=fields.get("length"))


class WhooshEngine:
    """The live index of one store (``search.engine.contract.Engine``), safe for many threads at once."""

    def __init__(self, store: IndexStore, searchers: int | None = None):
        self.store = store
        self._searchers = int(searchers or settings.get("searchers"))
        self._seen = store.stamp()  # the CURRENT last acted upon
        self._live = self._open(store.current(), self._seen)
        self._checked = time.monotonic()
        self._switching: threading.Thread | None = None
        self._switch_lock = threading.Lock()

    def _open(self, path, stamp) -> OpenGeneration:
        return OpenGeneration(path, stamp, self._searchers, guard=self._guarded)

    # --- which generation ----------------------------------------------------------

    def _generation(self) -> OpenGeneration:
        """The generation to read now; at most once a second, a look at CURRENT."""
        if time.monotonic() - self._checked >= RECHECK_SECONDS:
            self._checked = time.monotonic()
            stamp = self.store.stamp()
            with self._switch_lock:  # one search acts on a new CURRENT; the others keep reading
                acting, self._seen = stamp != self._seen, stamp
            if acting:
                self._switch(SWITCH_WAIT)
        return self._live

    def _switch(self, wait: float) -> None:
        """Open the generation to serve beside the one served (one thread at a time); wait for it at most ``wait``."""
        with self._switch_lock:
            if self._switching is None or not self._switching.is_alive():
                self._switching = threading.Thread(target=self._open_next, name="index-switch", daemon=True)
                self._switching.start()
            thread = self._switching
        thread.join(wait)

    def _open_next(self) -> None:
        stamp = self.store.stamp()  # a failure is tried again when CURRENT changes again
        try:
            path = self.store.current()
            if path == self._live.path:
                return
            fresh = self._open(path, stamp)
        except (IndexDamaged, IndexMissing) as e:
            log.error("%s ; la génération %s reste en service", e, self._live.path.name)
            return
        except Exception as e:  # a generation Whoosh cannot open: never half-switched
            log.error("index %s : %s ne s'ouvre pas (%s : %s) ; la génération %s reste en service", self.store.root,
                      path.name, type(e).__name__, e, self._live.path.name)
            return
        old, self._live = self._live, fresh
        old.retire()
        log.warning("index %s : %s en service (%d rapports)", self.store.root, path.name, fresh.doc_count)

    # --- damage found while reading -------------------------------------------------

    @contextlib.contextmanager
    def _guarded(self, generation: OpenGeneration) -> Iterator[OpenGeneration]:
        """Runs a read of ``generation``: an error from a damaged file becomes IndexUnavailable (see the module doc)."""
        try:
            yield generation
        except SearchError:
            raise
        except Exception as e:
            problem = self.store.problem(generation.path)  # each file hashed once: only a changed one is read
            if problem is None:
                raise
            log.warning("index %s : %s, vu en lisant (%s) ; passage à la génération complète la plus récente",
                        self.store.root, problem, type(e).__name__)
            self._switch(0)
            raise IndexUnavailable(f"L’index en service est endommagé ({problem}) : le service passe à la "
                                   "dernière génération complète ; réessayez dans un instant.") from None

    @contextlib.contextmanager
    def _reading(self) -> Iterator[tuple[OpenGeneration, Any]]:
        """The generation to read and a searcher of it, for one read."""
        generation = self._generation()
        with self._guarded(generation), generation.searcher() as searcher:
            yield generation, searcher

    # --- the contract -----------------------------------------------------------------

    def close(self) -> None:
        self._live.retire()

    def doc_count(self) -> int:
        return self._generation().doc_count

    def ids(self, node: Node | None, filters: Filters) -> list[str]:
        with self._reading() as (generation, searcher):
            evaluator = generation.evaluator
            matched = evaluator.live.copy() if node is None else evaluator.matches(node, searcher)[0]
            allowed = facets.count(matched, generation.columns, filters.sources, filters.start, filters.end,
                                   filters.undated, facets=False).allowed
        names = generation.words.ids()  # read with no searcher held: the first time takes seconds at 34k reports
        return [names[d] for d in np.flatnonzero(allowed)]

    def get(self, report_id: str) -> StoredReport | None:
        with self._reading() as (_, searcher):
            fields = searcher.document(id=report_id)
        return stored_report(fields) if fields is not None else None

    def text(self, report_id: str) -> str | None:
        """The whole text: the ``fulltext`` column's, for a text whose opening only is stored."""
        with self._reading() as (_, searcher):
            docnum = searcher.document_number(id=report_id)
            if docnum is None:
                return None
            fields = searcher.stored_fields(docnum)
            if fields.get("length") is None:
                return fields.get("body", "")
            for leaf, offset in searcher.reader().leaf_readers():
                if offset <= docnum < offset + leaf.doc_count_all() and leaf.has_column("fulltext"):
                    return leaf.column_reader("fulltext")[docnum - offset].decode("utf-8")
            return fields.get("body", "")

    def related(self, report_id: str, top: int = 5) -> list[StoredReport]:
        """Whoosh's more-like-this over the folded words of the report's opening."""
        with self._reading() as (_, searcher):
            docnum = searcher.document_number(id=report_id)
            if docnum is None:
                return []
            # The key words of a report show in its opening: a 1 MB paste would take seconds to analyse whole.
            body = searcher.stored_fields(docnum).get("body", "")[:RELATED_CHARS]
            return [stored_report(dict(hit)) for hit in searcher.more_like(docnum, "folded", text=body, top=top,
                                                                           numterms=12)]

    def suggest(self, word: str, limit: int = 5) -> list[tuple[str, int]]:
        """Words a couple of edits from ``word`` (as written, else folded), with their report counts."""
        generation = self._generation()
        words = generation.words
        with self._guarded(generation):
            for field_name, text in (("verbatim", word), ("folded", fold(word))):
                key = (field_name, text, limit)
                found = words.suggested.get(key)
                if found is None:
                    found = words.suggested.put(key, words.near(field_name).near(text, 2, limit))
                if found:
                    return list(found)
        return []

    def complete(self, start: str, limit: int = 8) -> list[tuple[str, int]]:
        """Names the reports write that start with ``start`` (case and accents aside), the most reported first."""
        generation = self._generation()
        with self._guarded(generation):
            return generation.words.starts().complete(start, limit)

    def folder(self) -> Path:
        """The live generation's folder."""
        return self._generation().path

    def vocabulary(self):
        return self._generation().lexicon

    def most_written_names(self, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` names the most reports write (their most written spelling), with their reports."""
        generation = self._generation()
        with self._guarded(generation):
            return generation.words.starts().most_written(limit)

    def search(self, node: Node | None, filters: Filters, sort: str, offset: int, limit: int,
               facets: bool = True, deadline: float | None = None) -> EngineResult:
        with self._reading() as (generation, searcher):
            key = (node, filters, sort, offset, limit, facets)
            ranked = generation.results.get(key)
            if ranked is None:
                ranked = _rank(generation, searcher, node, filters, sort, offset, limit, facets, deadline)
                if not ranked.partial:  # an answer cut short is not the answer
                    generation.results.put(key, ranked)
            hits = [Hit(stored_report(searcher.stored_fields(d)), score) for d, score in ranked.page]
        return EngineResult(ranked.total, hits, Counter(ranked.sources), Counter(ranked.months), ranked.undated,
                            ranked.partial)


def _rank(generation: OpenGeneration, searcher, node: Node | None, filters: Filters, sort: str, offset: int,
          limit: int, with_facets: bool, deadline: float | None) -> Ranked:
    by_score = node is not None and sort == "relevance"
    partial = False
    if node is None:
        matched, scores = generation.evaluator.live.copy(), None
    else:
        run = generation.evaluator.run(searcher, deadline)
        matched, scores = run.matches(node)
        partial = run.partial
    columns = generation.columns
    counts = facets.count(matched, columns, filters.sources, filters.start, filters.end, filters.undated,
                          with_facets)
    top = facets.top(counts.allowed, scores if by_score else None, columns.start, offset + limit,
                     oldest=sort == "oldest")
    page = tuple((int(d), float(scores[d]) if scores is not None else None) for d in top[offset:])
    return Ranked(counts.total, page, dict(counts.sources), dict(counts.months), counts.undated, partial)
