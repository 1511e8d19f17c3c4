"""The analyzer of each indexed field: the same words seen five ways.

- ``spelled``: whole words as written, hyphens and apostrophes inside kept ("al-Bukamal");
- ``verbatim``: as written (case and accents kept): the typed spelling ranks first;
- ``folded``: lowercased, accents folded: quoted phrases match here;
- ``stem``: common French words only, stop words removed, plurals folded;
- ``names``: transliteration keys of proper names (``search.names``).
"""
from __future__ import annotations

from .analysis import (AccentFoldFilter, Analyzer, ChunkTokenizer, ElisionFilter, LightStemFilter, LowercaseFilter,
                       StopFilter, WordTokenizer)
from .names import CommonWordFilter, NameFilter

_words = WordTokenizer() | ElisionFilter()
_folded = _words | LowercaseFilter() | AccentFoldFilter()

FIELD_ANALYZERS: dict[str, Analyzer] = {
    "spelled": ChunkTokenizer() | ElisionFilter(),
    "verbatim": _words,
    "folded": _folded,
    "stem": _folded | CommonWordFilter() | StopFilter() | LightStemFilter(),
    "names": _words | NameFilter(),
}
