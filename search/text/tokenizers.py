"""Tokenizers: where words start and end in a text, in Latin, Arabic and Hebrew script."""
from __future__ import annotations

import re
from typing import Iterator

from search.text.analyzers import Token, Tokenizer
from search.text.fold import APOSTROPHES

# Letters and digits, the combining marks of Latin, Arabic and Hebrew (harakat, niqqud),
# and apostrophes between letters: "l’armée", "Sana'a", "Ba‘ath" stay one word here.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
_LETTER = rf"(?:[^\W_]|[{_MARKS}])"
WORD_RE = re.compile(rf"{_LETTER}+(?:[{APOSTROPHES}]{_LETTER}+)*")
_GAP_MAX = 8


class WordTokenizer(Tokenizer):
    per_word = True  # its tokens are the matches of WORD_RE, each standing alone (see ``matches``)
    pattern = WORD_RE

    def __call__(self, text: str) -> Iterator[Token]:
        prev_end = 0
        for pos, m in enumerate(WORD_RE.finditer(text)):
            start, end = m.span()
            word = m.group()
            yield Token(word, word, start, end, pos, text[max(prev_end, start - _GAP_MAX):start])
            prev_end = end

    @staticmethod
    def matches(text: str) -> list[tuple[str, str, int, int, int]]:
        """The tokens as (text, original, start, end, pos) tuples, without their gaps: the fast path."""
        return [(m.group(), m.group(), *m.span(), pos) for pos, m in enumerate(WORD_RE.finditer(text))]


# What surrounds a word in running text but is not part of its spelling. Apostrophes and
# ʿayn marks are kept: "‘Adan" and "San'a'" are spellings of their own.
CHUNK_EDGES = ".,;:!?()[]{}«»\"“”„<>/\\|*…–—-‹›"
_CHUNK_RE = re.compile(r"\S+")


class ChunkTokenizer(Tokenizer):
    """Whitespace-separated words as written, hyphens and apostrophes inside kept:
    "al-Bukamal" and "al Bukamal" differ here, and the spelling typed can rank first."""

    per_word = False
    pattern = _CHUNK_RE  # each match gives at most one token, from its own text alone (see FanOut.spans)

    def __call__(self, text: str) -> Iterator[Token]:
        for pos, m in enumerate(_CHUNK_RE.finditer(text)):
            chunk = m.group()
            word = chunk.strip(CHUNK_EDGES)
            if word:
                start = m.start() + len(chunk) - len(chunk.lstrip(CHUNK_EDGES))
                yield Token(word, word, start, start + len(word), pos)
