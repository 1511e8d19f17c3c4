"""A name lexicon held in memory: the index's ``names`` terms of a few texts, by key.

The engine reads its lexicon from the index (``search.engine.whoosh.lexicon``); this one
serves the fitting bench and the tests, built by the very analyzer the index uses,
and matches a plan (``search.names.match.Match``) by sets of text ids.
"""
from __future__ import annotations

from collections import defaultdict

from search.fields import FIELD_ANALYZERS
from search.names.terms import FORM_SEP, split_term
from search.text.filters import ElisionFilter
from search.text.fold import fold
from search.text.tokenizers import WordTokenizer

_WORDS = WordTokenizer() | ElisionFilter()


def spread(ids: list, limit: int) -> list:
    """Up to ``limit`` of the sorted ``ids``, evenly spread over them: the reports a name's context
    is read from (``search.names.context``), by the Whoosh lexicon and the one held in memory."""
    return [ids[i * len(ids) // limit] for i in range(limit)] if len(ids) > limit else ids


class MemoryLexicon:
    """``search.names.variants.Lexicon`` over texts given as {id: text}."""

    def __init__(self, docs: dict[str, str]):
        self.postings: dict[str, set[str]] = defaultdict(set)
        self.by_key: dict[str, set[str]] = defaultdict(set)
        lower: dict[str, int] = defaultdict(int)
        total: dict[str, int] = defaultdict(int)
        for doc_id, text in docs.items():
            for t in FIELD_ANALYZERS["names"](text):
                self.postings[t.text].add(doc_id)
                if FORM_SEP in t.text:
                    self.by_key[split_term(t.text)[0]].add(t.text)
            for t in _WORDS(text):
                folded = fold(t.original)
                total[folded] += 1
                lower[folded] += t.original[:1].islower()
        self.lower = {w: lower[w] / total[w] for w in total}
        self.docs_text = dict(docs)
        self.folded: dict[str, int] = defaultdict(int)
        for text in docs.values():
            for word in {t.text for t in FIELD_ANALYZERS["folded"](text)}:
                self.folded[word] += 1

    def forms(self, key: str) -> list[tuple[str, int]]:
        return [(term, len(self.postings[term])) for term in sorted(self.by_key.get(key, ()))]

    def forms_of(self, keys) -> dict[str, list[tuple[str, int]]]:
        return {key: self.forms(key) for key in keys}

    def lower_case(self, word: str) -> float:
        return self.lower.get(fold(word), 0.0)

    def reports(self, terms) -> int:
        return len(set().union(*(self.postings.get(t, set()) for t in terms)))

    def texts(self, terms, limit: int, chars: int) -> list[str]:
        ids = sorted(set().union(*(self.postings.get(t, set()) for t in terms)))
        return [self.docs_text[i][:chars] for i in spread(ids, limit)]

    def word_reports(self, words) -> tuple[int, dict[str, int]]:
        return len(self.docs_text), {w: self.folded.get(w, 0) for w in words}

    def docs(self, match) -> set[str]:
        """The ids of the texts a plan matches."""
        if match is None:
            return set()
        if match.op == "term":
            return set(self.postings.get(match.terms[0], ()))
        if match.op == "phrase":
            return set()  # no positions here: alias phrases are the engine's
        if match.op == "or" and match.terms:
            return set().union(*(self.postings.get(t, set()) for t in match.terms))
        sets = [self.docs(p) for p in match.parts]
        return set().union(*sets) if match.op == "or" else set.intersection(*sets)
