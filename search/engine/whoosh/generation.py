"""One opened index generation: what every search of it shares, and a few Whoosh searchers lent out.

A Whoosh searcher is not thread-safe, and one searcher behind one lock made every search wait
for the one before (a cheap query waited seconds behind heavy ones). Here a generation lends
searchers, one search each, from a small pool (``searchers`` setting), made as needed; what
searches share is built once, when the generation opens, and is read-only or guarded by locks
held for a look-up only:

- ``columns``: each report's source and dates (facets and filters);
- ``evaluator``: the live documents, field lengths, scored postings remembered;
- ``lexicon``: the name lexicon, reading through a lent searcher, with the generation's judged name
  forms (``search.names.judged``: remembered in its folder's ``JUDGED.jsonl``);
- ``words``: the words for suggestions and the ids, read by a reader of their own when first asked for;
- ``results``: the ranked documents of recent searches (numbers and scores, no text).

``OpenGeneration`` is made whole or not at all: the engine swaps one in only once it is open.
A retired generation closes its searchers as they come back.
"""
from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from whoosh import index as windex

from search.engine import facets
from search.engine.whoosh.evaluate import Evaluator
from search.engine.whoosh.lexicon import WhooshLexicon
from search.engine.whoosh.words import GenerationWords
from search.names.judged import JUDGED, Decisions
from search.recent import Recent

CACHED_RESULTS = 256  # searches remembered per generation (a page of document numbers each)


@dataclass(frozen=True)
class Ranked:
    """A search's outcome without any text: the page's documents and scores, the counts."""
    total: int
    page: tuple[tuple[int, float | None], ...]
    sources: dict
    months: dict
    undated: int
    partial: bool


class OpenGeneration:
    """One generation, open: its shared arrays and memories, and searchers lent one search at a time.

    ``guard``: what the lexicon's reads run under (the engine's: it tells a damaged file from a bug).
    """

    def __init__(self, path: Path, stamp: str | None, searchers: int,
                 guard: Callable[["OpenGeneration"], ContextManager] | None = None):
        self.path, self.stamp = path, stamp
        self.index = windex.open_dir(str(path))
        first = self.index.searcher()
        try:
            self.columns = _columns(first.reader())
            self.evaluator = Evaluator(first)
        except BaseException:
            first.close()
            raise
        self.doc_count = int(self.evaluator.live.sum())
        self.results: Recent[Ranked] = Recent(CACHED_RESULTS)
        self._guard = guard or (lambda generation: contextlib.nullcontext())
        self.words = GenerationWords(path)  # suggestions', name forms' and ids' lists, read when first asked for
        self.lexicon = WhooshLexicon(borrow=self._reader, decisions=Decisions(path / JUDGED), words=self.words)
        self._idle = [first]
        self._made, self._most = 1, max(1, searchers)
        self._cond = threading.Condition()
        self._retired = False

    @contextlib.contextmanager
    def searcher(self) -> Iterator:
        """A searcher for this thread alone until the block ends (made if none is idle, up to the pool's size)."""
        searcher = self._take()
        try:
            yield searcher
        finally:
            self._give_back(searcher)

    @contextlib.contextmanager
    def _reader(self) -> Iterator:
        with self._guard(self), self.searcher() as searcher:
            yield searcher.reader()

    def _take(self):
        with self._cond:
            while not self._idle and self._made >= self._most:
                self._cond.wait()
            if self._idle:
                return self._idle.pop()
            self._made += 1
        try:
            return self.index.searcher()
        except BaseException:
            with self._cond:
                self._made -= 1
                self._cond.notify()
            raise

    def _give_back(self, searcher) -> None:
        with self._cond:
            if not self._retired:
                self._idle.append(searcher)
                self._cond.notify()
                return
            self._made -= 1
        searcher.close()

    def retire(self) -> None:
        """No longer served: close the idle searchers now, the others as they come back."""
        with self._cond:
            self._retired = True
            idle, self._idle = self._idle, []
            self._made -= len(idle)
        for searcher in idle:
            searcher.close()


def _columns(reader) -> facets.Columns:
    """Source and dates of every document, read leaf by leaf: Whoosh's multi-segment
    column reader trips over emptied segments, and an index without a report has no column at all."""
    n = reader.doc_count_all()
    source: list[str | None] = [None] * n
    start, end = [0] * n, [0] * n
    for leaf, offset in reader.leaf_readers():
        count = leaf.doc_count_all()
        if not count:
            continue
        if leaf.has_column("source"):
            column = leaf.column_reader("source")
            source[offset:offset + count] = [column[d] or None for d in range(count)]
        # An undated report reads back as the column's fill value, not 0: Columns keeps positive dates only.
        for name, values in (("date_start", start), ("date_end", end)):
            if leaf.has_column(name):
                values[offset:offset + count] = list(leaf.column_reader(name))[:count]
    return facets.Columns.build(source, start, end)
