"""The name lexicon of one index generation, read from Whoosh's term dictionary.

Each name form is indexed under each of its blocking keys as ``key<US>form``
(``search.names.terms``): the forms filed under a key are the terms that
start with it, and a term's document frequency is the number of reports that
write that form. An ``update`` adds segments, so the lexicon follows it.
"""
from __future__ import annotations

import contextlib
import itertools

from whoosh.reading import TermNotFound

from search.names.terms import FORM_SEP
from search.text.fold import fold


class WhooshLexicon:
    """``search.engine.contract.Vocabulary`` over one Whoosh reader (look-ups remembered).

    ``lock``: the engine's, held around every read (a Whoosh reader is not thread-safe)."""

    def __init__(self, reader, lock=None):
        self.reader = reader
        self.lock = lock or contextlib.nullcontext()
        self._forms: dict[str, list[tuple[str, int]]] = {}
        self._lower: dict[str, float] = {}

    def forms(self, key: str) -> list[tuple[str, int]]:
        found = self._forms.get(key)
        if found is None:
            if len(self._forms) > 100_000:
                self._forms.clear()
            with self.lock:
                terms = [_text(t) for t in self.reader.expand_prefix("names", key + FORM_SEP)]
                found = self._forms[key] = [(t, self.reader.doc_frequency("names", t)) for t in terms]
        return found

    def words_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        with self.lock:
            return [_text(t) for t in itertools.islice(self.reader.expand_prefix(field, prefix), limit)]

    def lower_case(self, word: str) -> float:
        """Reports writing the word in lower case over reports writing it at all."""
        found = self._lower.get(word)
        if found is None:
            if len(self._lower) > 100_000:
                self._lower.clear()
            folded = fold(word)
            with self.lock:
                every = self.reader.doc_frequency("folded", folded)
                lower = self.reader.doc_frequency("verbatim", word.lower())
            found = self._lower[word] = min(1.0, lower / every) if every else 0.0
        return found

    def reports(self, terms) -> int:
        """Reports holding any of the terms (deleted ones aside): case variants of one
        spelling often share a report."""
        docs: set[int] = set()
        with self.lock:
            for term in terms:
                try:
                    docs.update(self.reader.postings("names", term).all_ids())
                except TermNotFound:  # a term of no segment
                    continue
            return sum(1 for d in docs if not self.reader.is_deleted(d))



def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term
