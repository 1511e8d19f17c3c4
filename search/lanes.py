"""Two lanes for searches: heavy work takes turns, cheap work never waits behind it.

The server answers from one Python process on a couple of cores: eight threads each running a
heavy search (a phrase of common words, a hundred snippets a page, an export of thousands of
reports) share the interpreter with a cheap one, which then gets an eighth of it and waits
seconds. Here heavy work (``Lanes.heavy``) runs at most ``heavy_searches`` at a time; the others
queue for a turn, and a cheap search only ever shares the interpreter with those few.

Heavy is known before the engine is asked (:func:`heavy_plan`: a phrase, a prefix, more than
20 hits a page, an export's page) or found on the way: a search that has worked ``CHEAP_SECONDS`` (its thread's own time,
not the time others took from it) without being done takes a turn before it shapes its hits.

    >>> from search.query.nodes import And, Phrase, Term
    >>> heavy_plan(Term("folded", "alep"), per_page=10), heavy_plan(And((Term("f", "a"), Phrase("f", ("a", "b")))), 10)
    (False, True)
"""
from __future__ import annotations

import contextlib
import threading
from typing import Iterator

from search.query import nodes

CHEAP_SECONDS = 0.5   # a search that has worked this long (its thread's time) is heavy for what it has left
CHEAP_PAGE = 20       # more hits than this on a page: heavy (each one is a snippet to find)


class Lanes:
    """At most ``heavy`` heavy pieces of work at once; nothing holds a turn for cheap work."""

    def __init__(self, heavy: int):
        self._turns = threading.BoundedSemaphore(max(1, heavy))
        self._local = threading.local()  # whether this thread holds a turn: a turn is never asked for twice

    @contextlib.contextmanager
    def heavy(self) -> Iterator[None]:
        """A turn in the heavy lane for the block (at once when this thread holds one already)."""
        if getattr(self._local, "holding", False):
            yield
            return
        with self._turns:
            self._local.holding = True
            try:
                yield
            finally:
                self._local.holding = False

    @property
    def holding(self) -> bool:
        return bool(getattr(self._local, "holding", False))


def heavy_plan(node: nodes.Node | None, per_page: int) -> bool:
    """Whether a search is heavy before it runs: a long page, or a phrase or a prefix to read
    (a phrase reads the positions of its words in every report holding them all)."""
    return per_page > CHEAP_PAGE or (node is not None and _reads_positions_or_many(node))


def _reads_positions_or_many(node: nodes.Node) -> bool:
    if isinstance(node, (nodes.Phrase, nodes.Prefix)):
        return True
    if isinstance(node, (nodes.Or, nodes.And, nodes.DisMax)):
        return any(_reads_positions_or_many(p) for p in node.parts)
    if isinstance(node, nodes.AndMaybe):
        return _reads_positions_or_many(node.required) or _reads_positions_or_many(node.optional)
    if isinstance(node, nodes.AndNot):
        return _reads_positions_or_many(node.positive) or _reads_positions_or_many(node.negative)
    return False
