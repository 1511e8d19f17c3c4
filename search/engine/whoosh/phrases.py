"""A phrase's matches from its words' positions, as arrays: decoded and intersected with numpy.

A phrase's candidates are the reports holding all its words (``evaluate``); here each word's
positions in them are decoded and the phrase's rule checked (word ``i`` at ``p + i``), for every
candidate at once. Whoosh's way, a Python list of positions per report and a set test per
candidate, cost tens of milliseconds for a phrase of common words ("fin de semaine").

A posting's positions are ``VarintPositions``' bytes (``codec``): a count, then the gaps between
positions, each a variable-length integer. Many postings' bytes are joined and read in one pass:
each integer is the sum of its bytes' seven low bits, shifted by seven per byte before it.
"""
from __future__ import annotations

import numpy as np

# A (document, position) pair as one integer: positions stay below 2**32 (a report's words).
_STRIDE = np.int64(1) << np.int64(32)


def decode(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(which value, position) of every position the ``VarintPositions`` values hold, in order.

    >>> from search.engine.whoosh.codec import VarintPositions
    >>> fmt = VarintPositions()
    >>> owner, positions = decode([fmt.encode([3, 200, 201]), fmt.encode([0]), fmt.encode([70000])])
    >>> owner.tolist(), positions.tolist()
    ([0, 0, 0, 1, 2], [3, 200, 201, 0, 70000])
    """
    if not values:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    raw = np.frombuffer(b"".join(values), dtype=np.uint8)
    ends = np.flatnonzero(raw < 0x80)  # the last byte of each integer
    starts = np.concatenate(([0], ends[:-1] + 1))
    nth = np.repeat(np.arange(len(starts)), ends - starts + 1)  # each byte's integer
    shift = (np.arange(len(raw)) - starts[nth]) * 7
    numbers = np.add.reduceat((raw & 0x7F).astype(np.int64) << shift, starts)
    lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
    first = np.searchsorted(starts, np.concatenate(([0], np.cumsum(lengths)[:-1])))  # each value's count
    counts = numbers[first]
    gap = np.ones(len(numbers), dtype=bool)
    gap[first] = False
    gaps = numbers[gap]
    owner = np.repeat(np.arange(len(values)), counts)
    # Each value's positions are its gaps summed: the running sum, less the sum before the value.
    running = np.cumsum(gaps)
    before = np.concatenate(([0], running))[np.cumsum(counts) - counts]
    return owner, running - np.repeat(before, counts)


def in_a_row(words: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """The documents (sorted) where some position p holds the first word, p+1 the second, and so
    on: ``words`` gives each word's (document, position) pairs, as two arrays.

    >>> in_a_row([(np.array([1, 1, 2]), np.array([4, 9, 0])), (np.array([1, 2]), np.array([10, 5]))]).tolist()
    [1]
    """
    starts = None
    for i, (docs, positions) in enumerate(words):
        keep = positions >= i  # the first word would stand before the text's start
        keys = np.unique(docs[keep].astype(np.int64) * _STRIDE + (positions[keep] - i))
        starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
        if not len(starts):
            break
    if starts is None:
        return np.zeros(0, dtype=np.int64)
    return np.unique(starts // _STRIDE)
