"""Folding: a word's case and accents set aside, one way everywhere (the index, queries, highlighting, facets).

    >>> fold_accents("Abū Kamāl"), fold("L’Œuvre à Téhéran")
    ('Abu Kamal', 'loeuvre a teheran')
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

APOSTROPHES = "'’ʼ`´‘ʻ"  # inside a word ("l’armée", "Sana'a"): kept by the tokenizers, dropped by folding
_INNER_APOSTROPHES = re.compile(f"[{APOSTROPHES}]")
# The accents of Latin letters once decomposed (U+0300-U+036F less the few that do not combine): removed
# in one pass. Other marks (Arabic harakat, niqqud...) one character at a time.
_LATIN_MARKS = frozenset(c for c in map(chr, range(0x300, 0x370)) if unicodedata.combining(c))
_LATIN_MARKS_RE = re.compile("[" + "".join(sorted(_LATIN_MARKS)) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


WORDS_REMEMBERED = 1 << 16  # per function: the words that recur in every text (a server's memory stays bounded)


def _fold_accents(word: str) -> str:
    """'Aïn' -> 'Ain', 'Abū' -> 'Abu', 'œuvre' -> 'oeuvre'; other scripts are kept, marks stripped."""
    if word.isascii():  # no mark to strip: only its apostrophes (most words of a French text)
        return word.replace("'", "").replace("`", "") if "'" in word or "`" in word else word
    decomposed = unicodedata.normalize("NFKD", word)
    # The combining marks, looked up once per distinct character (not once per character of a paragraph).
    marks = {c for c in set(decomposed) if not c.isascii() and unicodedata.combining(c)}
    if marks <= _LATIN_MARKS:
        decomposed = _LATIN_MARKS_RE.sub("", decomposed) if marks else decomposed
    else:
        decomposed = decomposed.translate({ord(c): None for c in marks})
    stripped = _INNER_APOSTROPHES.sub("", decomposed)
    if stripped.isascii():
        return stripped
    if any("LATIN" in unicodedata.name(c, "") for c in stripped):
        # unidecode maps each character alone: its table, taken once per distinct character, is the same.
        table = {c: unidecode(c) for c in set(stripped) if not c.isascii()}
        return _NON_ASCII.sub(lambda m: table[m.group()], stripped)
    return stripped.replace("\u0640", "")  # tatweel stretches a word, it is not a letter


fold_accents = lru_cache(maxsize=WORDS_REMEMBERED)(_fold_accents)


@lru_cache(maxsize=WORDS_REMEMBERED)
def fold(text: str) -> str:
    """Lowercase, accents folded: "Février", "fevrier" and "FÉVRIER" meet."""
    return fold_accents(text).lower()


def fold_text(text: str) -> str:
    """``fold`` for a whole text (a paragraph): the same, not remembered (each one is seldom seen twice,
    and a server remembering paragraphs grew by megabytes a minute)."""
    return _fold_accents(text).lower()
