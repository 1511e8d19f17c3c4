"""Filters: small generators over tokens, each doing one thing (``per_word`` ones touch a word alone)."""
from __future__ import annotations

import re
from typing import Callable

from search.text.analyzers import Filter
from search.text.fold import APOSTROPHES, fold_accents
from search.text.wordlists import FRENCH_STOP_WORDS

_ELISION_RE = re.compile(rf"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)[{APOSTROPHES}](?=\w)", re.I)


class ElisionFilter(Filter):
    """Drops French elided articles and pronouns: l’, d’, qu’, jusqu’... (both apostrophes)."""

    per_word = True

    def __call__(self, tokens, query=False):
        for t in tokens:
            m = _ELISION_RE.match(t.text)
            if m:
                cut = m.end()
                t.text, t.original, t.start = t.text[cut:], t.original[cut:], t.start + cut
                t.gap = t.gap + m.group()
            yield t


class LowercaseFilter(Filter):
    per_word = True

    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = t.text.lower()
            yield t


class AccentFoldFilter(Filter):
    per_word = True

    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = fold_accents(t.text)
            if t.text:
                yield t


class StopFilter(Filter):
    per_word = True

    def __init__(self, stop_words: frozenset[str] = FRENCH_STOP_WORDS):
        self.stop_words = stop_words

    def __call__(self, tokens, query=False):
        return (t for t in tokens if t.text not in self.stop_words)


def light_stem(word: str) -> str:
    """French plural folding only: 'frappes' -> 'frappe', 'journaux' -> 'journal'.

    Deliberately light: a stronger stemmer merges 'hommes' with 'Homs'.
    """
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx" and word[-2] not in "su":
        return word[:-1]
    return word


class LightStemFilter(Filter):
    per_word = True

    def __init__(self, stem: Callable[[str], str] = light_stem):
        self.stem = stem

    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = self.stem(t.text)
            yield t
