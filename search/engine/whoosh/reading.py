"""A term's postings read from one Whoosh segment block by block, as numpy arrays.

Whoosh's matchers give a term's documents one call at a time; its codec (``W3LeafMatcher``) keeps
each block of postings as one pickled tuple (documents as gaps, weights, values). Here a block is
taken whole: its documents summed from their gaps by numpy, its weights and values as they are.
Another codec's matcher is walked the public way.
"""
from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.reading import TermNotFound


def info_matcher(reader, field: str, text: str, info):
    """The segment's own matcher of a term from its entry (no second look-up), deleted documents included."""
    terms = getattr(reader, "_terms", None)
    if terms is None or not hasattr(terms, "_codec") or not hasattr(terms, "_postfile"):
        return leaf_matcher(reader, field, text)
    tbytes = reader._text_to_bytes(field, text)
    return terms._codec.postings_reader(terms._postfile, info, reader.schema[field].format, term=(field, tbytes))


def matcher_postings(m, blocks: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A segment matcher's document numbers and weights, block by block where the codec allows;
    each block's (documents, values) added to ``blocks`` when given (values None: not at hand)."""
    if m is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if not isinstance(m, W3LeafMatcher):  # another codec: the slow, public way
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        found = np.array(ids, dtype=np.int64)
        if blocks is not None:
            blocks.append((found, None))
        return found, np.array(weights, dtype=np.float64)
    ids, weights = [], []
    while m.is_active():
        block = block_ids(m)
        if m._weights is None:
            m._read_weights()
        ids.append(block)
        weights.append(np.asarray(m._weights, dtype=np.float64))
        if blocks is not None:
            blocks.append((block, block_values(m)))
        m._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def block_ids(m: W3LeafMatcher) -> np.ndarray:
    """The document numbers of the matcher's current block, as Whoosh's ``_read_ids`` gives them
    (the gaps between them summed by numpy, not by a Python generator)."""
    if m._ids is not None:
        return np.asarray(m._ids, dtype=np.int64)
    if m._data is None:
        m._read_data()
    ids = np.asarray(m._data[0], dtype=np.int64)
    return ids if m._byteids else np.cumsum(ids)


def block_values(m: W3LeafMatcher) -> list:
    """The values (a positions field's: the encoded positions) of the matcher's current block."""
    if m._values is None:
        m._read_values()
    return m._values


def leaf_ids(reader, field: str, text: str) -> np.ndarray:
    """A term's document numbers in one segment (deleted ones included), block by block."""
    m = leaf_matcher(reader, field, text)
    if m is None:
        return np.zeros(0, dtype=np.int64)
    if not isinstance(m, W3LeafMatcher):
        return np.fromiter(m.all_ids(), dtype=np.int64)
    ids = []
    while m.is_active():
        ids.append(block_ids(m))
        m._next_block()
    return np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)


def live_ids(reader, field: str, texts) -> np.ndarray:
    """The documents of one segment holding any of the terms, deleted ones left out: sorted, each once."""
    found = [leaf_ids(reader, field, text) for text in texts]
    ids = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    if len(ids) and reader.has_deletions():
        ids = ids[[not reader.is_deleted(int(d)) for d in ids]]
    return ids


def leaf_matcher(reader, field: str, text: str):
    """The segment's own matcher of a term (None if the segment lacks it), deleted documents included,
    at its first posting.

    Asked of the segment's terms directly: the deletions filter that ``reader.postings`` puts around it
    moves it past the deleted documents its postings begin with as it is made, and those are what
    ``search.engine.whoosh.added`` looks for (a removed report that was a name's first)."""
    terms = getattr(reader, "_terms", None)
    if terms is not None and hasattr(terms, "matcher") and field in reader.schema:
        try:
            return terms.matcher(field, reader._text_to_bytes(field, text), reader.schema[field].format)
        except TermNotFound:
            return None
    try:
        m = reader.postings(field, text)
    except TermNotFound:
        return None
    while hasattr(m, "child") and not isinstance(m, W3LeafMatcher):
        m = m.child  # a deletions filter around the segment's matcher: deletions are ours to apply
    return m
