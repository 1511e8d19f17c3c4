"""An analyzer is a tokenizer followed by small filters joined with ``|``.

Each analyzer turns a text into a stream of :class:`Token` objects that keep
the character span of the spelling they came from, so that highlighting can
mark the very words that matched::

    >>> from search.text.filters import AccentFoldFilter, ElisionFilter, LowercaseFilter
    >>> from search.text.tokenizers import WordTokenizer
    >>> folded = WordTokenizer() | ElisionFilter() | LowercaseFilter() | AccentFoldFilter()
    >>> [t.text for t in folded("L’armée à Damas")]
    ['armee', 'a', 'damas']

The index has one field per analyzer (``search.fields.FIELD_ANALYZERS``). Plain Python,
no search engine imported: an engine adapter turns these streams into its own tokens.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Iterable, Iterator


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
        if isinstance(self, Analyzer):
            return Analyzer(self.tokenizer, *self.filters, other)
        assert isinstance(self, Tokenizer), "an analyzer starts with a tokenizer"
        return Analyzer(self, other)


class Tokenizer(Composable, ABC):
    @abstractmethod
    def __call__(self, text: str) -> Iterator[Token]:
        """The words of ``text``, in order."""


class Filter(Composable, ABC):
    """A generator over tokens. ``query`` is true when a query, not a report, is analyzed.

    ``per_word``: each token in gives at most one token out, made from its own
    ``text`` and ``original`` only (not its neighbours, gap or position), so
    :class:`FanOut` may analyze each distinct word once.

    ``changes``: it may set the tokens it is given in place (most do); one that only reads them and makes
    new ones says False, and :class:`FanOut` then hands it the tokens another step reads too, not copies.
    """

    per_word = False
    changes = True

    @abstractmethod
    def __call__(self, tokens: Iterable[Token], query: bool = False) -> Iterator[Token]:
        """The tokens, changed, dropped or added to."""


class Analyzer(Composable):
    def __init__(self, tokenizer: Tokenizer, *filters: Filter):
        self.tokenizer, self.filters = tokenizer, filters
        self.parts: tuple[Tokenizer | Filter, ...] = (tokenizer, *filters)

    def __call__(self, text: str, query: bool = False) -> Iterator[Token]:
        tokens: Iterable[Token] = self.tokenizer(text)
        for f in self.filters:
            tokens = f(tokens, query=query)
        return iter(tokens)

    def texts(self, text: str, query: bool = False) -> list[str]:
        return [t.text for t in self(text, query=query)]
