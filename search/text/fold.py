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


@lru_cache(maxsize=1 << 18)  # a word list's worth: the same words recur in every text
def fold_accents(word: str) -> str:
    """'Aïn' -> 'Ain', 'Abū' -> 'Abu', 'œuvre' -> 'oeuvre'; other scripts are kept, marks stripped."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    stripped = _INNER_APOSTROPHES.sub("", stripped)
    if stripped.isascii():
        return stripped
    if any("LATIN" in unicodedata.name(c, "") for c in stripped):
        return unidecode(stripped)
    return stripped.replace("\u0640", "")  # tatweel stretches a word, it is not a letter


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Lowercase, accents folded: "Février", "fevrier" and "FÉVRIER" meet."""
    return fold_accents(text).lower()
