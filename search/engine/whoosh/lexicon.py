"""The name lexicon of one index generation, read from Whoosh's term dictionary.

Each name form is indexed under each of its blocking keys as ``key<US>form``
(``search.names.terms``): the forms filed under a key are the terms that
start with it, and a term's document frequency is the number of reports that
write that form. An ``update`` adds segments, so the lexicon follows it.
"""
from __future__ import annotations

import contextlib
import itertools
import threading
from typing import TYPE_CHECKING, Callable, ContextManager

from whoosh.reading import TermNotFound

from search.engine.whoosh.reading import live_ids
from search.names.judged import Decisions
from search.names.lexicon import spread
from search.names.terms import FORM_SEP
from search.recent import Recent

if TYPE_CHECKING:
    from search.engine.whoosh.words import GenerationWords
from search.text.fold import fold

MEMO = 20_000  # look-ups remembered, of each kind
COUNTED = ("folded", "verbatim")  # the fields whose words' reports a name's judging reads


class WhooshLexicon:
    """``search.engine.contract.Vocabulary`` over one Whoosh generation (look-ups remembered, ``MEMO`` of each kind).

    ``reader``: a reader this lexicon may use alone (a script's); or ``borrow``: a callable that
    lends a reader for one read (the engine's pool: a Whoosh reader is not thread-safe);
    ``decisions``: the generation's judged name forms (``search.names.judged``; in memory if not given);
    ``words``: the generation's word lists, whose name forms (once read: ``warm``) answer ``forms``."""

    def __init__(self, reader=None, borrow: Callable[[], ContextManager] | None = None,
                 decisions: Decisions | None = None, words: "GenerationWords | None" = None):
        if borrow is None:
            lock = threading.Lock()

            @contextlib.contextmanager
            def borrow():
                with lock:
                    yield reader
        self.borrow = borrow
        self.decisions = decisions or Decisions(None)  # the generation's judged name forms
        self.words = words  # the generation's word lists: its name forms by key, once read
        self._forms: Recent[list[tuple[str, int]]] = Recent(MEMO)
        self._lower: Recent[float] = Recent(MEMO)
        self._words: Recent[int] = Recent(MEMO)

    def warm(self, counts: bool = False) -> None:
        """Read the name forms by key now (seconds at 34k reports), not key by key from Whoosh; with
        ``counts``, the ``folded`` and ``verbatim`` words with their reports too (the suggestions' lists,
        2 s more), which a name's judging counts words in (``lower_case``, ``word_reports``: a term
        looked up in Whoosh's dictionary costs 0.1 ms, a hundred of them a name's first search)."""
        if self.words is not None:
            self.words.read_forms()
            for field in COUNTED if counts else ():
                self.words.near(field)

    def _frequency(self, reader, field: str, word: str) -> int:
        """``reader.doc_frequency``, from the generation's word lists once read."""
        listed = self.words.count(field, word) if self.words is not None else None
        return listed if listed is not None else reader.doc_frequency(field, word)

    def forms(self, key: str) -> list[tuple[str, int]]:
        table = self.words.forms if self.words is not None else None
        if table is not None:
            return table.forms(key)
        found = self._forms.get(key)
        if found is None:
            with self.borrow() as reader:
                terms = [_text(t) for t in reader.expand_prefix("names", key + FORM_SEP)]
                found = [(t, reader.doc_frequency("names", t)) for t in terms]
            self._forms.put(key, found)
        return found

    def forms_of(self, keys) -> dict[str, list[tuple[str, int]]]:
        return {key: self.forms(key) for key in keys}

    def words_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        with self.borrow() as reader:
            return [_text(t) for t in itertools.islice(reader.expand_prefix(field, prefix), limit)]

    def lower_case(self, word: str) -> float:
        """Reports writing the word in lower case over reports writing it at all."""
        found = self._lower.get(word)
        if found is None:
            (_, folded), (_, lowered) = lower_case_terms(word)
            with self.borrow() as reader:
                every = self._frequency(reader, "folded", folded)
                lower = self._frequency(reader, "verbatim", lowered)
            found = min(1.0, lower / every) if every else 0.0
            self._lower.put(word, found)
        return found

    def reports(self, terms) -> int:
        """Reports holding any of the terms (deleted ones aside): case variants of one
        spelling often share a report.

        Read segment by segment from the postings' blocks (a common name's case variants hold
        thousands of reports: Whoosh's matchers gave them one at a time, tens of milliseconds a
        name); one term of a segment without deletions is its entry's document frequency."""
        terms = list(dict.fromkeys(terms))
        with self.borrow() as reader:  # a report is in one segment: the segments' counts add up
            return sum(_frequency(leaf, terms[0]) if len(terms) == 1 and not leaf.has_deletions()
                       else len(live_ids(leaf, "names", terms)) for leaf, _ in reader.leaf_readers())

    def texts(self, terms, limit: int, chars: int) -> list[str]:
        """Title and opening of up to ``limit`` reports holding any of the terms, spread evenly over
        them in the index's order (the same ones for the same generation)."""
        terms = list(dict.fromkeys(terms))
        with self.borrow() as reader:
            docs = [int(d) + offset for leaf, offset in reader.leaf_readers() for d in live_ids(leaf, "names", terms)]
            stored = [reader.stored_fields(d) for d in spread(sorted(docs), limit)]
        return [f"{f.get('title') or ''}\n{(f.get('body') or '')[:chars]}" for f in stored]

    def word_reports(self, words) -> tuple[int, dict[str, int]]:
        """(reports in the generation, reports holding each ``folded`` word), remembered."""
        found: dict[str, int] = {}
        missing = []
        for w in words:
            n = self._words.get(w)
            if n is None:
                missing.append(w)
            else:
                found[w] = n
        with self.borrow() as reader:
            for w in missing:
                found[w] = self._words.put(w, self._frequency(reader, "folded", w))
            return reader.doc_count(), found


def _frequency(leaf, term: str) -> int:
    try:
        return leaf.doc_frequency("names", term)
    except (TermNotFound, KeyError):  # a term this segment lacks
        return 0


def lower_case_terms(word: str) -> list[tuple[str, str]]:
    """The (field, term) pairs whose counts make a word's lower-case share: every use, and lower-case ones."""
    return [("folded", fold(word)), ("verbatim", word.lower())]


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
