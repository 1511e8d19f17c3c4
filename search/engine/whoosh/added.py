"""What a generation holds beyond an earlier one of some of its segments: what an update changed.

A segment never changes once written: an update adds one, and marks the documents it replaces or
removes as deleted in the others (a mark in the table of contents; a term's count still counts
them). So the name forms under a key, in a generation made of the earlier one's segments and one
more, are the earlier answer plus the added segment's; and the reports holding some terms are the
earlier count, plus the added segment's, minus the documents newly marked deleted that held them.
``search.names.carried`` asks this, to carry judged name forms from one generation to the next.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
from whoosh import index as windex

from search.engine.whoosh.lexicon import lower_case_terms
from search.engine.whoosh.reading import leaf_ids, live_ids

FIELD = "names"


class AddedSegments:
    """The generation in ``folder`` against the earlier segments ``known`` (id -> its deleted documents
    then). ``usable`` is False when one of them is gone (merged into another), or has fewer deleted: then
    all may have changed."""

    def __init__(self, folder: Path, known: Mapping[str, Iterable[int]] | None):
        self._reader = windex.open_dir(str(folder)).reader()
        leaves = [leaf for leaf, _ in self._reader.leaf_readers()]
        ids = [leaf.segment().segment_id() for leaf in leaves]
        self.segments = {i: sorted(leaf.segment().deleted_docs()) for i, leaf in zip(ids, leaves)}
        # Usable when every earlier segment is here with its deletions at least (a generation restored from
        # before a removal has fewer: its counts are not the earlier ones plus or minus anything here).
        before = {i: set(docs) for i, docs in (known or {}).items()}
        self.usable = known is not None and all(i in self.segments and docs <= set(self.segments[i])
                                                for i, docs in before.items())
        # The earlier segments first, in their order: their documents keep their numbers (the context's
        # samples, spread over a name's reports in the index's order, are the same then).
        self.same_order = self.usable and ids[:len(before)] == list(before)
        self._new = [leaf for i, leaf in zip(ids, leaves) if i not in before]
        dropped = [(leaf, sorted(set(self.segments[i]) - before[i])) for i, leaf in zip(ids, leaves) if i in before]
        self._dropped = [(leaf, np.array(docs, dtype=np.int64)) for leaf, docs in dropped if docs]
        self.removed = bool(self._dropped)  # documents of the earlier segments deleted since

    def close(self) -> None:
        self._reader.close()

    def names(self) -> Counter:
        """The ``names`` terms of the added segments, with the reports holding each."""
        counts: Counter = Counter()
        for leaf in self._new:
            if FIELD in leaf.indexed_field_names():
                for text, info in leaf.iter_field(FIELD):
                    counts[text.decode("utf-8") if isinstance(text, bytes) else text] += info.doc_frequency()
        return counts

    def changes_lower_case(self, word: str) -> bool:
        """Whether the added segments write the word (any case): only then its lower-case share may change
        (a deleted report still counts in a term's count)."""
        return any((field, text) in leaf for leaf in self._new for field, text in lower_case_terms(word))

    def reports_change(self, terms: Iterable[str]) -> int:
        """How many more reports hold any of ``terms`` than in the earlier generation (negative: fewer)."""
        terms = list(terms)
        return self._added(terms) - self._deleted(terms)

    def reports_gone(self, terms: Iterable[str]) -> int:
        """How many reports holding any of ``terms`` the earlier generation had and this one deleted."""
        return self._deleted(list(terms))

    def _added(self, terms: list[str]) -> int:
        return sum(len(live_ids(leaf, FIELD, terms)) for leaf in self._new)

    def _deleted(self, terms: list[str]) -> int:
        """Newly deleted documents holding any of ``terms``: their postings read block by block (numpy), met
        with the documents deleted since."""
        found = 0
        for leaf, dropped in self._dropped:
            held = [np.intersect1d(leaf_ids(leaf, FIELD, term), dropped, assume_unique=True) for term in terms]
            found += len(np.unique(np.concatenate(held))) if held else 0
        return found
