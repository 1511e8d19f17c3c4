"""The analyzer of each indexed field: the same words seen five ways.

- ``spelled``: whole words as written, hyphens and apostrophes inside kept ("al-Bukamal");
- ``verbatim``: as written (case and accents kept): the typed spelling ranks first;
- ``folded``: lowercased, accents folded: quoted phrases match here;
- ``stem``: common French words only, stop words removed, plurals folded;
- ``names``: transliteration keys of proper names (``search.names``).
"""
from __future__ import annotations

from search.text.analysis import AccentFoldFilter, Analyzer, ChunkTokenizer, ElisionFilter, LightStemFilter, LowercaseFilter, StopFilter, WordTokenizer
from search.names.filter import NameFilter
from search.names.words import CommonWordFilter

_words = WordTokenizer() | ElisionFilter()
_folded = _words | LowercaseFilter() | AccentFoldFilter()

FIELD_ANALYZERS: dict[str, Analyzer] = {
    "spelled": ChunkTokenizer() | ElisionFilter(),
    "verbatim": _words,
    "folded": _folded,
    "stem": _folded | CommonWordFilter() | StopFilter() | LightStemFilter(),
    "names": _words | NameFilter(),
}

# Matches in these fields score this much: the spelling as typed first, then
# case and accents aside, then other forms of a French word, then other
# romanizations of a name. Ranking policy, the same whatever engine holds the index.
BOOSTS = {"spelled": 16.0, "verbatim": 8.0, "folded": 4.0, "stem": 2.0, "names": 1.0}
TEXT_FIELDS = tuple(BOOSTS)
