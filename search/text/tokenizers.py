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
LETTER = _LETTER  # one letter of a word (a combining mark included)
WORD_RE = re.compile(rf"{_LETTER}+(?:[{APOSTROPHES}]{_LETTER}+)*")
_ONE_LETTER = re.compile(_LETTER)
GAP_MAX = 8


class WordTokenizer(Tokenizer):
    per_word = True  # its tokens are the matches of WORD_RE, each standing alone (see ``matches``)
    pattern = WORD_RE

    def __call__(self, text: str) -> Iterator[Token]:
        return self.between(text, 0, len(text), 0, 0)

    @staticmethod
    def between(text: str, start: int, end: int, pos: int, prev_end: int) -> Iterator[Token]:
        """``self(text)``'s tokens from ``start`` to ``end``, when no token crosses either (spans in
        ``text``'s numbers): ``pos``, the first one's position; ``prev_end``, where the token before
        it ends (0: none), for its gap. A part of a long text without the words before it."""
        for pos, m in enumerate(WORD_RE.finditer(text, start, end), pos):
            s, e = m.span()
            word = m.group()
            yield Token(word, word, s, e, pos, text[max(prev_end, s - GAP_MAX):s])
            prev_end = e

    @staticmethod
    def occurrences(text: str, word: str) -> list[tuple[int, int]]:
        """The spans where ``word`` (a token of this tokenizer) is a token of ``text``: found with
        ``str.find``, each kept when it starts a token (no letter before it, nor a letter and an
        apostrophe) and the token ends with it; the same as the tokens equal to it, without
        reading every token of the text.

        >>> WordTokenizer.occurrences("Alep, l’Alep, Alep’s, Aleppo et Alep", "Alep")
        [(0, 4), (32, 36)]
        """
        out, at = [], text.find(word)
        while at >= 0:
            before = text[max(0, at - 2):at]
            starts = not (before[-1:] and _ONE_LETTER.match(before[-1])) and not (
                len(before) == 2 and before[1] in APOSTROPHES and _ONE_LETTER.match(before[0]))
            if starts:
                token = WORD_RE.match(text, at)
                if token is not None and token.end() == at + len(word):
                    out.append((at, at + len(word)))
            at = text.find(word, at + 1)
        return out

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

    @staticmethod
    def occurrences(text: str, chunk: str) -> list[tuple[int, int]]:
        """The spans where ``chunk`` (a run of non-spaces) stands whole in ``text``, spaces or the
        text's ends on each side: the matches of ``pattern`` equal to it, found with ``str.find``.

        >>> ChunkTokenizer.occurrences("al-Bukamal, x al-Bukamal,y al-Bukamal,", "al-Bukamal,")
        [(0, 11), (27, 38)]
        """
        out, at = [], text.find(chunk)
        while at >= 0:
            end = at + len(chunk)
            if (at == 0 or text[at - 1].isspace()) and (end == len(text) or text[end].isspace()):
                out.append((at, end))
            at = text.find(chunk, at + 1)
        return out

    def __call__(self, text: str) -> Iterator[Token]:
        for pos, m in enumerate(_CHUNK_RE.finditer(text)):
            chunk = m.group()
            word = chunk.strip(CHUNK_EDGES)
            if word:
                start = m.start() + len(chunk) - len(chunk.lstrip(CHUNK_EDGES))
                yield Token(word, word, start, start + len(word), pos)
