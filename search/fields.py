"""The analyzer of each indexed field: the same words seen four ways.

- ``verbatim``: as written (case and accents kept), and words written as one with hyphens or
  apostrophes ("al-Bukamal") as one term too: the typed spelling ranks first;
- ``folded``: lowercased, accents folded: quoted phrases match here;
- ``stem``: common French words only, stop words removed, plurals folded;
- ``names``: transliteration keys of proper names (``search.names``).
"""
from __future__ import annotations

from search.names.filter import NameFilter
from search.names.words import CommonWordFilter
from search.text.analyzers import Analyzer
from search.text.compounds import CompoundFilter
from search.text.filters import AccentFoldFilter, ElisionFilter, LightStemFilter, LowercaseFilter, StopFilter
from search.text.tokenizers import WordTokenizer

_words = WordTokenizer() | ElisionFilter()
_folded = _words | LowercaseFilter() | AccentFoldFilter()

FIELD_ANALYZERS: dict[str, Analyzer] = {
    "verbatim": _words | CompoundFilter(),
    "folded": _folded,
    "stem": _folded | CommonWordFilter() | StopFilter() | LightStemFilter(),
    "names": _words | NameFilter(),
}

# The rules of analysis the index is built under. Bump it whenever any field's tokens change
# (an analyzer, a word list, a name key rule, the shipped fixed names): a generation built under
# other rules is refused with "rebuild needed" rather than silently missing matches.
# tests/test_analysis_version.py fails until it is bumped and the new fingerprint recorded.
ANALYSIS_VERSION = 3  # 2: French words before a name (et Téhéran, Meurthe-et-Moselle) are no Arabic article;
# 3: no ``spelled`` field: ``verbatim`` holds words written as one (al-Bukamal) as one term too

# Matches in these fields score this much: the spelling as typed first, then
# case and accents aside, then other forms of a French word, then other
# romanizations of a name. Ranking policy, the same whatever engine holds the index.
BOOSTS = {"verbatim": 8.0, "folded": 4.0, "stem": 2.0, "names": 1.0}
TEXT_FIELDS = tuple(BOOSTS)
# The spelling as typed, hyphens and apostrophes included, looked up in ``verbatim``
# (``search.text.compounds.typed_spellings``), only lifts a match's score, this much:
# as much as the ``spelled`` field it replaces did.
SPELLING_BOOST = 16.0
