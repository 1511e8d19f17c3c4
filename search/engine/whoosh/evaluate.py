"""A plan evaluated over whole-index arrays: every match and its score at once.

Whoosh's matchers walk the matches one by one in Python, which made a common
word's search cost 100 ms at 34,000 reports. Here each term's postings are read
block by block into numpy arrays (ids, weights), scored with Whoosh's BM25F
over the quantized field lengths, and the plan's operators combine dense
arrays: the scores are Whoosh's own (tests/test_whoosh_evaluate.py compares
them), the work per query is a few vector operations per term. A phrase decodes
positions only in the reports that hold all its words.
"""
from __future__ import annotations

import functools
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from search.query import nodes as plan

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, the weighting our searchers use
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
# Scored postings remembered per searcher (16 bytes each): a common word's are read once.
CACHED_POSTINGS = 2_000_000


class Evaluator:
    """Plans evaluated against one Whoosh searcher (one generation)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.leaves = list(searcher.leaf_searchers())
        self.size = searcher.reader().doc_count_all()
        self.live = self._live()
        self._lengths: dict[str, np.ndarray] = {}
        self._terms: OrderedDict = OrderedDict()  # (field, text) -> (documents, scores)
        self._cached_postings = 0

    def matches(self, node: plan.Node) -> tuple[np.ndarray, np.ndarray]:
        """(matched: bool per document, score per document: 0 where unmatched)."""
        found, scores = self._node(node)
        return found & self.live, scores

    def _node(self, node) -> tuple[np.ndarray, np.ndarray]:
        if isinstance(node, plan.Term):
            found, scores = self._term(node.field, node.text)
            return found, scores * node.boost
        if isinstance(node, plan.Or):
            return self._combine(node.parts, np.logical_or, np.add)
        if isinstance(node, plan.And):
            found, scores = self._combine(node.parts, np.logical_and, np.add)
            return found, np.where(found, scores, 0.0)
        if isinstance(node, plan.DisMax):
            return self._combine(node.parts, np.logical_or, np.maximum)
        if isinstance(node, plan.AndMaybe):
            found, scores = self._node(node.required)
            _, extra = self._node(node.optional)
            return found, np.where(found, scores + extra, 0.0)
        if isinstance(node, plan.AndNot):
            found, scores = self._node(node.positive)
            excluded, _ = self._node(node.negative)
            found = found & ~excluded
            return found, np.where(found, scores, 0.0)
        if isinstance(node, plan.Prefix):
            found = np.zeros(self.size, dtype=bool)
            for word in node.words:
                found[self._scored_postings(node.field, word)[0]] = True
            return found, np.where(found, node.boost, 0.0)
        if isinstance(node, plan.Phrase):
            return self._phrase(node)
        if isinstance(node, plan.Every):
            return np.ones(self.size, dtype=bool), np.zeros(self.size)
        if isinstance(node, plan.Nothing):
            return np.zeros(self.size, dtype=bool), np.zeros(self.size)
        raise TypeError(f"not a plan node: {node!r}")

    def _combine(self, parts, join, add):
        found, scores = self._node(parts[0])
        found, scores = found.copy(), scores.copy()
        for part in parts[1:]:
            more, extra = self._node(part)
            join(found, more, out=found)
            add(scores, extra, out=scores)
        return found, scores

    def _term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        docs, scores = self._scored_postings(field, text)
        found, dense = np.zeros(self.size, dtype=bool), np.zeros(self.size)
        found[docs] = True
        dense[docs] = scores
        return found, dense

    def _scored_postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(documents, BM25 scores) of one term, remembered within a budget of postings."""
        key = (field, text)
        cached = self._terms.get(key)
        if cached is not None:
            self._terms.move_to_end(key)
            return cached
        cached = self._terms[key] = self._read_term(field, text)
        self._cached_postings += len(cached[0])
        while self._cached_postings > CACHED_POSTINGS and len(self._terms) > 1:
            _, (docs, _) = self._terms.popitem(last=False)
            self._cached_postings -= len(docs)
        return cached

    def _read_term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        searcher = self.searcher
        if (field, text) not in searcher.reader():
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        idf = searcher.idf(field, text)
        avgfl = searcher.avg_field_length(field) or 1
        scorable = searcher.schema[field].scorable
        all_docs, all_scores = [], []
        for leaf, offset in self.leaves:
            ids, weights = _postings(leaf.reader(), field, text)
            if not len(ids):
                continue
            docs = ids + offset
            if scorable:
                length = self._field_lengths(field)[docs]
                weights = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * length / avgfl)))
            all_docs.append(docs)
            all_scores.append(weights)
        if not all_docs:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(all_docs), np.concatenate(all_scores)

    def _field_lengths(self, field: str) -> np.ndarray:
        lengths = self._lengths.get(field)
        if lengths is None:
            parts = [_leaf_lengths(leaf.reader(), field) for leaf, _ in self.leaves]
            lengths = self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0)
        return lengths

    def _phrase(self, node: plan.Phrase) -> tuple[np.ndarray, np.ndarray]:
        """Whoosh's phrase rule (each word at the next position, scored as the words' sum times
        the boost), checked only in the reports holding every word."""
        if node.slop != 1:
            return self._whoosh_phrase(node)
        found, scores = np.zeros(self.size, dtype=bool), np.zeros(self.size)
        words = [self._scored_postings(node.field, t) for t in node.texts]
        candidates = functools.reduce(np.intersect1d, [docs for docs, _ in words])
        if not len(candidates):
            return found, scores
        positions = [self._positions(node.field, t, candidates) for t in node.texts]
        hits = [d for d in candidates.tolist() if _in_a_row([p[d] for p in positions])]
        found[hits] = True
        for docs, word_scores in words:
            scores[docs] += word_scores
        return found, np.where(found, scores * node.boost, 0.0)

    def _positions(self, field: str, text: str, docs: np.ndarray) -> dict[int, list[int]]:
        """The term's positions in each of ``docs`` (global numbers), decoding those documents' only."""
        fmt = self.searcher.schema[field].format
        out: dict[int, list[int]] = {}
        for leaf, offset in self.leaves:
            m = _leaf_matcher(leaf.reader(), field, text)
            if m is None:
                continue
            if not isinstance(m, W3LeafMatcher):
                while m.is_active():
                    if offset + m.id() in docs:
                        out[offset + m.id()] = list(m.value_as("positions"))
                    m.next()
                continue
            while m.is_active():
                if m._ids is None:
                    m._read_ids()
                ids = np.asarray(m._ids, dtype=np.int64) + offset
                wanted = np.flatnonzero(np.isin(ids, docs, assume_unique=True))
                if len(wanted):
                    if m._values is None:
                        m._read_values()
                    for i in wanted.tolist():
                        out[int(ids[i])] = fmt.decode_positions(m._values[i])
                m._next_block()
        return out

    def _whoosh_phrase(self, node: plan.Phrase) -> tuple[np.ndarray, np.ndarray]:
        found, scores = np.zeros(self.size, dtype=bool), np.zeros(self.size)
        query = wq.Phrase(node.field, list(node.texts), slop=node.slop, boost=node.boost)
        for leaf, offset in self.leaves:
            m = query.matcher(leaf, leaf.context())
            while m.is_active():
                found[offset + m.id()] = True
                scores[offset + m.id()] = m.score()
                m.next()
        return found, scores

    def _live(self) -> np.ndarray:
        live = np.ones(self.size, dtype=bool)
        for leaf, offset in self.leaves:
            reader = leaf.reader()
            if reader.has_deletions():
                live[[offset + d for d in range(reader.doc_count_all()) if reader.is_deleted(d)]] = False
        return live


def _postings(reader, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's document numbers and weights in one segment, block by block where the codec allows."""
    m = _leaf_matcher(reader, field, text)
    if m is None:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if not isinstance(m, W3LeafMatcher):  # another codec: the slow, public way
        ids, weights = [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)
    ids, weights = [], []
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if m._weights is None:
            m._read_weights()
        ids.append(np.asarray(m._ids, dtype=np.int64))
        weights.append(np.asarray(m._weights, dtype=np.float64))
        m._next_block()
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def _leaf_matcher(reader, field: str, text: str):
    """The segment's own matcher of a term (None if the segment lacks it), deleted documents included."""
    try:
        m = reader.postings(field, text)
    except TermNotFound:
        return None
    while hasattr(m, "child") and not isinstance(m, W3LeafMatcher):
        m = m.child  # a deletions filter around the segment's matcher: deletions are ours to apply
    return m


def _in_a_row(positions: list[list[int]]) -> bool:
    """Whether some position p of the first word has the second at p+1, the third at p+2..."""
    starts = set(positions[0])
    for i, later in enumerate(positions[1:], 1):
        starts &= {p - i for p in later}
        if not starts:
            return False
    return True


def _leaf_lengths(reader, field: str) -> np.ndarray:
    """Every document's length of ``field`` in one segment, as BM25 reads it (quantized to a byte)."""
    count = reader.doc_count_all()
    column = _lengths_column(reader, field)
    if column is None:  # another codec: one call per document
        return np.array([reader.doc_field_length(d, field) for d in range(count)], dtype=np.float64)
    raw = np.zeros(count, dtype=np.uint8)
    stored = min(column._count, count)  # documents past the column's end have length 0
    raw[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), dtype=np.uint8)
    return _LENGTH_OF_BYTE[raw]


def _lengths_column(reader, field: str):
    """The one-byte lengths column of a whoosh3 segment, or None."""
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, W3PerDocReader):
        return None
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None or getattr(column, "_fixedlen", None) != 1:
        return None
    return column
