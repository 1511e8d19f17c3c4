"""Text analysis: a tokenizer followed by small filters joined with ``|``.

Each analyzer turns a text into a stream of :class:`Token` objects that keep
the character span of the spelling they came from, so that highlighting can
mark the very words that matched::

    >>> folded = WordTokenizer() | ElisionFilter() | LowercaseFilter() | AccentFoldFilter()
    >>> [t.text for t in folded("L’armée à Damas")]
    ['armee', 'a', 'damas']

The index has one field per analyzer (see ``search.fields.FIELD_ANALYZERS``):

- ``verbatim``: the words as written (case and accents kept) -- exact spelling ranks first;
- ``folded``: lowercased, accents folded -- quoted phrases match here;
- ``stem``: common French words only, stop words removed, plurals folded;
- ``names``: transliteration keys of proper names (see ``search.names``).

Plain Python, no search engine imported: ``search.engine`` adapts these
streams to the engine's own token type.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from unidecode import unidecode

from .wordlists import FRENCH_STOP_WORDS, is_common_word


@dataclass(slots=True)
class Token:
    text: str       # the form the filters have made so far
    original: str   # the spelling in the text, after elision
    start: int      # character span of ``original`` in the analyzed text
    end: int
    pos: int        # word position, for phrases
    gap: str = ""   # what separates this word from the previous one ("-", " ", ", "...)


class Composable:
    def __or__(self, other: "Filter") -> "Analyzer":
        return Analyzer(self, other) if not isinstance(self, Analyzer) else Analyzer(*self.parts, other)


class Tokenizer(Composable):
    def __call__(self, text: str) -> Iterator[Token]:
        raise NotImplementedError  # pragma: no cover - abstract


class Filter(Composable):
    """A generator over tokens. ``query`` is true when a query, not a report, is analyzed."""

    def __call__(self, tokens: Iterable[Token], query: bool = False) -> Iterator[Token]:
        raise NotImplementedError  # pragma: no cover - abstract


class Analyzer(Composable):
    def __init__(self, tokenizer: Tokenizer, *filters: Filter):
        self.parts = (tokenizer, *filters)

    def __call__(self, text: str, query: bool = False) -> Iterator[Token]:
        tokenizer, *filters = self.parts
        tokens: Iterable[Token] = tokenizer(text)
        for f in filters:
            tokens = f(tokens, query=query)
        return iter(tokens)

    def texts(self, text: str, query: bool = False) -> list[str]:
        return [t.text for t in self(text, query=query)]


# Letters and digits, the combining marks of Latin, Arabic and Hebrew (harakat, niqqud),
# and apostrophes between letters: "l’armée", "Sana'a", "Ba‘ath" stay one word here.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
_LETTER = rf"(?:[^\W_]|[{_MARKS}])"
_APOSTROPHES = "'’ʼ`´‘ʻ"
WORD_RE = re.compile(rf"{_LETTER}+(?:[{_APOSTROPHES}]{_LETTER}+)*")
_GAP_MAX = 8


class WordTokenizer(Tokenizer):
    def __call__(self, text: str) -> Iterator[Token]:
        prev_end = 0
        for pos, m in enumerate(WORD_RE.finditer(text)):
            word = m.group()
            yield Token(word, word, m.start(), m.end(), pos, text[prev_end:m.start()][-_GAP_MAX:])
            prev_end = m.end()


_ELISION_RE = re.compile(rf"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)[{_APOSTROPHES}](?=\w)", re.I)


class ElisionFilter(Filter):
    """Drops French elided articles and pronouns: l’, d’, qu’, jusqu’... (both apostrophes)."""

    def __call__(self, tokens, query=False):
        for t in tokens:
            m = _ELISION_RE.match(t.text)
            if m:
                cut = m.end()
                t.text, t.original, t.start = t.text[cut:], t.original[cut:], t.start + cut
                t.gap = t.gap + m.group()
            yield t


_INNER_APOSTROPHES = re.compile(f"[{_APOSTROPHES}]")


class LowercaseFilter(Filter):
    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = t.text.lower()
            yield t


def fold_accents(word: str) -> str:
    """'Aïn' -> 'Ain', 'Abū' -> 'Abu', 'œuvre' -> 'oeuvre'; other scripts are kept, marks stripped."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    stripped = _INNER_APOSTROPHES.sub("", stripped)
    if stripped.isascii():
        return stripped
    if any("LATIN" in unicodedata.name(c, "") for c in stripped):
        return unidecode(stripped)
    return stripped.replace("\u0640", "")  # tatweel stretches a word, it is not a letter


class AccentFoldFilter(Filter):
    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = fold_accents(t.text)
            if t.text:
                yield t


class StopFilter(Filter):
    def __init__(self, stop_words: frozenset[str] = FRENCH_STOP_WORDS):
        self.stop_words = stop_words

    def __call__(self, tokens, query=False):
        return (t for t in tokens if t.text not in self.stop_words)


def looks_like_name(original: str) -> bool:
    """A capitalised word that is not a common French word, or a word in another script."""
    first = original[:1]
    if not first.isalpha():
        return False
    if not first.isascii() and "LATIN" not in unicodedata.name(first, ""):
        return True
    return first.isupper() and not is_common_word(fold_accents(original).lower())


class CommonWordFilter(Filter):
    """Keeps common words only: proper names must never meet French stemming (Hama/Hamas)."""

    def __call__(self, tokens, query=False):
        return (t for t in tokens if not looks_like_name(t.original))


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
    def __init__(self, stem: Callable[[str], str] = light_stem):
        self.stem = stem

    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = self.stem(t.text)
            yield t


def __getattr__(name: str):
    # FIELD_ANALYZERS lives in search.fields (it needs search.names, which needs this module).
    if name == "FIELD_ANALYZERS":
        from .fields import FIELD_ANALYZERS
        return FIELD_ANALYZERS
    raise AttributeError(name)
