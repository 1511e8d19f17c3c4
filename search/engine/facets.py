"""Filters and facet counts over whole-collection arrays, whatever engine found the matches.

An engine hands over the matches as a boolean array by document number; the
columns below (one value per document, built once per index generation) turn
filtering and counting into a few numpy passes instead of a Python loop over
every match. Each facet counts under every filter but its own, so that an
analyst sees what ticking another source or month would give.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np


@dataclass
class Columns:
    """Source and dates of every document of one index generation, by document number."""
    source: np.ndarray        # int32 code into ``source_names``; -1: no source
    source_names: list[str]
    start: np.ndarray         # int32 YYYYMMDD, 0: undated
    end: np.ndarray

    @classmethod
    def build(cls, sources: list[str | None], start: list[int], end: list[int]) -> "Columns":
        names = sorted({s for s in sources if s})
        code = {name: i for i, name in enumerate(names)}
        return cls(np.array([code.get(s, -1) if s else -1 for s in sources], dtype=np.int32), names,
                   np.maximum(np.array(start, dtype=np.int64), 0).astype(np.int32),
                   np.maximum(np.array(end, dtype=np.int64), 0).astype(np.int32))

    def __post_init__(self) -> None:
        # A month facet only for a period inside one month (a year-only date has none).
        same_month = (self.start // 100 == self.end // 100) & (self.start > 0)
        self.month = np.where(same_month, self.start // 100, 0).astype(np.int32)  # YYYYMM, 0: none

    def __len__(self) -> int:
        return len(self.source)


@dataclass
class Counts:
    allowed: np.ndarray  # bool: matched and inside every filter
    total: int
    sources: Counter
    months: Counter
    undated: int


def count(matched: np.ndarray, cols: Columns, sources: tuple[str, ...], start: int | None, end: int | None,
          undated: bool = False, facets: bool = True) -> Counts:
    """Filter the matches by source and date range (or undated only); count each facet with every
    filter but its own."""
    in_source = _in_sources(cols, sources)
    in_dates = cols.start == 0 if undated else _in_dates(cols, start, end)
    allowed = matched & in_source & in_dates
    total = int(allowed.sum())
    if not facets:
        return Counts(allowed, total, Counter(), Counter(), 0)
    sourced_ids = cols.source[matched & in_dates]
    by_source = np.bincount(sourced_ids[sourced_ids >= 0], minlength=len(cols.source_names))
    sources_count = Counter({cols.source_names[i]: int(by_source[i]) for i in np.flatnonzero(by_source)})
    sourced = matched & in_source
    months_found, month_counts = np.unique(cols.month[sourced], return_counts=True)
    months = Counter({f"{m // 100:04d}-{m % 100:02d}": int(n) for m, n in zip(months_found, month_counts) if m})
    undated_count = int((sourced & (cols.start == 0)).sum())
    return Counts(allowed, total, sources_count, months, undated_count)


def _in_sources(cols: Columns, sources: tuple[str, ...]) -> np.ndarray | bool:
    if not sources:
        return True
    wanted = set(sources)
    codes = [i for i, name in enumerate(cols.source_names) if name in wanted]
    return np.isin(cols.source, codes)


def _in_dates(cols: Columns, start: int | None, end: int | None) -> np.ndarray | bool:
    if start is None and end is None:
        return True
    lo, hi = start or 0, end or 99999999
    return (cols.start > 0) & (cols.start <= hi) & (cols.end >= lo)


def top(allowed: np.ndarray, scores: np.ndarray | None, start: np.ndarray, n: int, oldest: bool = False) -> np.ndarray:
    """The first ``n`` allowed documents: by score, or by date (newest first, or oldest first
    with the undated last); ties in document order."""
    docs = np.flatnonzero(allowed)
    if n <= 0 or not len(docs):
        return docs[:0]
    if scores is not None:
        key = -scores[docs]
    elif oldest:
        dates = start[docs].astype(np.int64)
        key = np.where(dates > 0, dates, np.iinfo(np.int64).max)
    else:
        key = -start[docs].astype(np.int64)
    if len(docs) > n:
        # Every document tied with the n-th stays in, so that ties break by document order.
        kth = np.partition(key, n - 1)[n - 1]
        keep = key <= kth
        docs, key = docs[keep], key[keep]
    order = np.lexsort((docs, key))
    return docs[order][:n]
