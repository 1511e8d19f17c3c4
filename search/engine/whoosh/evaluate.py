"""A plan evaluated over whole-index arrays: every match and its score at once.

Whoosh's matchers walk the matches one by one in Python, which made a common
word's search cost 100 ms at 34,000 reports. Here each term's postings are read
block by block into numpy arrays (ids, weights), scored with Whoosh's BM25F
over the quantized field lengths, and the plan's operators combine dense
arrays: the scores are Whoosh's own (tests/test_whoosh_evaluate.py compares
them), the work per query is a few vector operations per term. A phrase decodes
positions only in the reports that hold all its words.

One :class:`Evaluator` serves every search of one generation at once: what it shares (the
live documents, the field lengths, the scored postings remembered) is read-only or guarded by
a lock held for a dictionary look-up, never for a search; each search reads the index through
the Whoosh searcher it was lent. Past its deadline a search stops where it stands and gives a
subset of its matches (``Run.partial``): a part of an OR, a prefix's word or a phrase's
candidate left unread only loses matches, and an AND or NOT that could not be finished
gives none, never a report that does not match.
"""
from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from math import log

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader, _lenfield
from whoosh.reading import TermNotFound
from whoosh.scoring import WeightingModel
from whoosh.util.numeric import byte_to_length

from search.engine.whoosh import phrases
from search.engine.whoosh.codec import VarintPositions
from search.engine.whoosh.reading import block_ids, block_values, info_matcher, leaf_matcher, matcher_postings
from search.query import nodes as plan

B, K1 = 0.75, 1.2  # whoosh.scoring.BM25F's defaults, the weighting our searchers use
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
# Scored postings remembered per searcher (16 bytes each): a common word's are read once.
CACHED_POSTINGS = 2_000_000


class Evaluator:
    """Plans evaluated against one generation, by any number of searches at once."""

    def __init__(self, searcher):
        self.size = searcher.reader().doc_count_all()
        self.live = _live(searcher)
        self._lengths: dict[str, np.ndarray] = {}
        self._terms: OrderedDict = OrderedDict()  # (field, text) -> (documents, scores)
        self._cached_postings = 0
        self._lock = threading.Lock()  # held for a look-up or an insertion, never while reading the index

    def matches(self, node: plan.Node, searcher, deadline: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(matched: bool per document, score per document: 0 where unmatched), through ``searcher``."""
        return self.run(searcher, deadline).matches(node)

    def run(self, searcher, deadline: float | None = None) -> "Run":
        return Run(self, searcher, deadline)

    def scored_postings(self, searcher, field: str, text: str,
                        blocks: list | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(documents, BM25 scores) of one term, remembered within a budget of postings.

        ``blocks``: when the postings are read now (not remembered), each block's (documents,
        values) is added to it, for a phrase to read its positions from (``None`` for a block whose
        values are not at hand)."""
        key = (field, text)
        with self._lock:
            cached = self._terms.get(key)
            if cached is not None:
                self._terms.move_to_end(key)
                return cached
        scorable = field in searcher.schema and searcher.schema[field].scorable
        found = _read_term(searcher, field, text, self.field_lengths(searcher, field) if scorable else None, blocks)
        with self._lock:
            self._terms[key] = found
            self._cached_postings += len(found[0])
            while self._cached_postings > CACHED_POSTINGS and len(self._terms) > 1:
                _, (docs, _) = self._terms.popitem(last=False)
                self._cached_postings -= len(docs)
        return found

    def field_lengths(self, searcher, field: str) -> np.ndarray:
        lengths = self._lengths.get(field)
        if lengths is None:
            parts = [_leaf_lengths(leaf.reader(), field) for leaf, _ in searcher.leaf_searchers()]
            lengths = np.concatenate(parts) if parts else np.zeros(0)
            with self._lock:
                lengths = self._lengths.setdefault(field, lengths)
        return lengths


class Run:
    """One search's evaluation: a lent searcher, a deadline, and whether it cut anything short."""

    def __init__(self, evaluator: Evaluator, searcher, deadline: float | None):
        self.evaluator, self.searcher, self.deadline = evaluator, searcher, deadline
        self.size = evaluator.size
        self.leaves = list(searcher.leaf_searchers())
        self.partial = False

    def matches(self, node: plan.Node) -> tuple[np.ndarray, np.ndarray]:
        found, scores = self._node(node)
        return found & self.evaluator.live, scores

    def _late(self) -> bool:
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.partial = True
        return self.partial

    def _none(self) -> tuple[np.ndarray, np.ndarray]:
        return np.zeros(self.size, dtype=bool), np.zeros(self.size)

    def _node(self, node) -> tuple[np.ndarray, np.ndarray]:
        if self._late():
            return self._none()
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
            _, extra = self._node(node.optional)  # cut short, it only lowers some scores
            return found, np.where(found, scores + extra, 0.0)
        if isinstance(node, plan.AndNot):
            return self._and_not(node)
        if isinstance(node, plan.Prefix):
            return self._prefix(node)
        if isinstance(node, plan.Phrase):
            return self._phrase(node)
        if isinstance(node, plan.Every):
            return np.ones(self.size, dtype=bool), np.zeros(self.size)
        if isinstance(node, plan.Nothing):
            return self._none()
        raise TypeError(f"not a plan node: {node!r}")

    def _combine(self, parts, join, add):
        found, scores = self._node(parts[0])
        found, scores = found.copy(), scores.copy()
        for part in parts[1:]:
            more, extra = self._node(part)
            join(found, more, out=found)
            add(scores, extra, out=scores)
        return found, scores

    def _and_not(self, node: plan.AndNot) -> tuple[np.ndarray, np.ndarray]:
        found, scores = self._node(node.positive)
        excluded, _ = self._node(node.negative)
        if self.partial:  # the exclusions may be incomplete: keeping the rest could show a report excluded
            return self._none()
        found = found & ~excluded
        return found, np.where(found, scores, 0.0)

    def _prefix(self, node: plan.Prefix) -> tuple[np.ndarray, np.ndarray]:
        found = np.zeros(self.size, dtype=bool)
        for word in node.words:
            if self._late():
                break
            found[self._postings(node.field, word)[0]] = True
        return found, np.where(found, node.boost, 0.0)

    def _postings(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        return self.evaluator.scored_postings(self.searcher, field, text)

    def _term(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        docs, scores = self._postings(field, text)
        found, dense = np.zeros(self.size, dtype=bool), np.zeros(self.size)
        found[docs] = True
        dense[docs] = scores
        return found, dense

    def _phrase(self, node: plan.Phrase) -> tuple[np.ndarray, np.ndarray]:
        """Whoosh's phrase rule (each word at the next position, scored as the words' sum times
        the boost), checked only in the reports holding every word (``phrases``)."""
        if node.slop != 1:
            return self._whoosh_phrase(node)
        found, scores = self._none()
        # A word's postings read now: its blocks' values kept for its positions.
        blocks: list[list] = [[] for _ in node.texts]
        words = [self.evaluator.scored_postings(self.searcher, node.field, t, read)
                 for t, read in zip(node.texts, blocks)]
        candidates = functools.reduce(np.intersect1d, [docs for docs, _ in words])
        if not len(candidates):
            return found, scores
        # Past the deadline, a candidate whose positions were not read is left out.
        found[phrases.in_a_row([self._positions(node.field, t, candidates, read)
                                for t, read in zip(node.texts, blocks)])] = True
        for docs, word_scores in words:
            scores[docs] += word_scores
        return found, np.where(found, scores * node.boost, 0.0)

    def _positions(self, field: str, text: str, docs: np.ndarray, blocks: list) -> tuple[np.ndarray, np.ndarray]:
        """(document, position) of each of the term's positions in ``docs`` (global numbers, sorted),
        as two arrays: from ``blocks`` read with its postings, else from the blocks that may hold one of
        ``docs`` (the others are skipped unread); past the deadline, the documents not reached are left out."""
        if not blocks or any(b is None for b in blocks):
            blocks = self._candidate_blocks(field, text, docs)
        owners, values = [], []
        for ids, held in blocks:
            if not len(ids) or not _any_within(docs, int(ids[0]), int(ids[-1])):
                continue  # no candidate in the block (a common word's many blocks, a rare one's few candidates)
            wanted = np.flatnonzero(np.isin(ids, docs, assume_unique=True))
            owners.append(ids[wanted])
            values += [held[i] for i in wanted.tolist()]
        owner = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
        fmt = self.searcher.schema[field].format
        if isinstance(fmt, VarintPositions):
            which, positions = phrases.decode(values)
            return owner[which], positions
        decoded = [fmt.decode_positions(v) for v in values]
        return (np.repeat(owner, [len(p) for p in decoded]),
                np.fromiter((p for ps in decoded for p in ps), dtype=np.int64))

    def _candidate_blocks(self, field: str, text: str, docs: np.ndarray) -> list[tuple[np.ndarray, list]]:
        """(documents, values) of each block of the term's postings that may hold one of ``docs``."""
        out: list[tuple[np.ndarray, list]] = []
        for leaf, offset in self.leaves:
            m = leaf_matcher(leaf.reader(), field, text)
            if m is None:
                continue
            if not isinstance(m, W3LeafMatcher):
                ids, values = [], []
                while m.is_active() and not self._late():
                    ids.append(offset + m.id())
                    values.append(m.value())
                    m.next()
                out.append((np.array(ids, dtype=np.int64), values))
                continue
            low = offset  # the block's ids run from past the previous block's last one to its own last
            while m.is_active() and not self._late():
                high = offset + m.block_max_id()
                if _any_within(docs, low, high):  # else its header says so: the block is never read
                    out.append((block_ids(m) + offset, block_values(m)))
                low = high + 1
                m._next_block()
        return out

    def _whoosh_phrase(self, node: plan.Phrase) -> tuple[np.ndarray, np.ndarray]:
        found, scores = self._none()
        query = wq.Phrase(node.field, list(node.texts), slop=node.slop, boost=node.boost)
        for leaf, offset in self.leaves:
            m = query.matcher(leaf, leaf.context())
            while m.is_active() and not self._late():
                found[offset + m.id()] = True
                scores[offset + m.id()] = m.score()
                m.next()
        return found, scores


def _any_within(docs: np.ndarray, low: int, high: int) -> bool:
    """Whether the sorted ``docs`` hold a number from ``low`` to ``high``."""
    at = int(np.searchsorted(docs, low))
    return at < len(docs) and int(docs[at]) <= high


def _read_term(searcher, field: str, text: str, lengths: np.ndarray | None,
               blocks: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A term's documents and BM25 scores (``lengths``: the field's, None where it is not scored);
    each block's (documents, values) added to ``blocks`` when given (see ``Evaluator.scored_postings``).

    Each segment's entry for the term is looked up once, and gives its document frequency (the
    idf) and its postings: asking the index whether it holds the term, then its idf, then its
    postings looked it up three times in every segment."""
    found = _leaf_terms(searcher, field, text)
    if not found:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    idf = _idf(searcher, field, text, sum(info.doc_frequency() for _, _, info in found))
    avgfl = searcher.avg_field_length(field) or 1
    all_docs, all_scores = [], []
    for reader, offset, info in found:
        kept: list = []
        ids, weights = matcher_postings(info_matcher(reader, field, text, info), kept if blocks is not None else None)
        if blocks is not None:
            blocks += [(block_ids + offset, values) if values is not None else None for block_ids, values in kept]
        if not len(ids):
            continue
        docs = ids + offset
        if lengths is not None:
            weights = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * lengths[docs] / avgfl)))
        all_docs.append(docs)
        all_scores.append(weights)
    if not all_docs:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(all_docs), np.concatenate(all_scores)


def _leaf_terms(searcher, field: str, text: str) -> list:
    """(segment reader, its first document number, the term's entry) of each segment holding the term."""
    out = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        try:
            out.append((reader, offset, reader.term_info(field, text)))
        except TermNotFound:
            continue
    return out


def _idf(searcher, field: str, text: str, frequency: int) -> float:
    """Whoosh's idf (``WeightingModel.idf``: the same expression), from the document frequency at hand."""
    if type(searcher.weighting).idf is not WeightingModel.idf:
        return searcher.idf(field, text)
    return log(searcher.doc_count_all() / (frequency + 1)) + 1


def _live(searcher) -> np.ndarray:
    live = np.ones(searcher.reader().doc_count_all(), dtype=bool)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if reader.has_deletions():
            live[[offset + d for d in range(reader.doc_count_all()) if reader.is_deleted(d)]] = False
    return live


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
