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


WORDS_REMEMBERED = 1 << 16  # per function: the words that recur in every text (a server's memory stays bounded)


def _fold_accents(word: str) -> str:
    """'Aïn' -> 'Ain', 'Abū' -> 'Abu', 'œuvre' -> 'oeuvre'; other scripts are kept, marks stripped."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    stripped = _INNER_APOSTROPHES.sub("", stripped)
    if stripped.isascii():
        return stripped
    if any("LATIN" in unicodedata.name(c, "") for c in stripped):
        return unidecode(stripped)
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
