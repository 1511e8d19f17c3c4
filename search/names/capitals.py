"""Names typed or written in capitals: ALEP is Alep, unless the collection says it is an acronym.

Analysts paste names from headlines and cables in capitals. A word of two to four capitals is
read by the index as an acronym (``search.names.units.ACRONYM``: YPG is not YPJ, SANA is not
Sanaa), so ``ALEP`` typed, or written in a headline, would never meet ``Alep``. The collection
decides, as it does for a lower-case word (a French word, not a name): when the reports write
the letters as a name at least as often as in capitals (Alep 15 reports, ALEP 1), the capitals
are that name; otherwise (SANA the agency, EI, PKK) an acronym, and it stays one. An acronym of
an alias row (``EI`` for Daech, ``ISIS``) is an acronym by the table's word.

Both ways agree: ``ALEP`` typed searches the name Alep, and ``Alep`` typed also finds the
reports that write it ``ALEP``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from search.names.aliases import Rows, fixed_names
from search.names.keys import index_keys
from search.names.terms import LETTER_PREFIX, split_term
from search.names.units import ACRONYM, Unit
from search.text.fold import fold

if TYPE_CHECKING:  # the protocol lives with the candidates: no import cycle at run time
    from search.names.variants import Lexicon


def reads_as_name(word: str, lexicon: "Lexicon", rows: Rows = ()) -> bool:
    """Whether a word in capitals (``ALEP``) is a name in capitals rather than an acronym.

    A word that is no acronym's shape (``MOSSOUL``: five letters and more are read as names
    anyway, ``Alep``) is not concerned: False.
    """
    if not ACRONYM.fullmatch(word) or fold(word) in fixed_names() or _row_acronym(word, rows):
        return False
    return _name_reports(word, lexicon) >= _acronym_reports(word, lexicon)


def as_typed_names(words: list[str], lexicon: "Lexicon", rows: Rows = ()) -> list[str]:
    """Query words with the capitals that are names written as names: ``ALEP`` -> ``Alep``."""
    return [w.capitalize() if reads_as_name(w, lexicon, rows) else w for w in words]


def acronym_forms(units: list[Unit], lexicon: "Lexicon", rows: Rows = ()) -> list[tuple[str, int]]:
    """(term, reports) of the name in capitals that the reports write as an acronym
    (``ALEP`` in a headline), for a one-word Latin name whose capitals read as that name."""
    if len(units) != 1 or units[0].script != "l":
        return []
    capitals = fold(units[0].word).upper()
    if not reads_as_name(capitals, lexicon, rows):
        return []
    return list(lexicon.forms(_acronym_key(capitals)))


def _row_acronym(word: str, rows: Rows) -> bool:
    return any(s.lstrip("=") == word for row in rows for s in row)


def _acronym_key(capitals: str) -> str:
    return LETTER_PREFIX["="] + capitals


def _acronym_reports(capitals: str, lexicon: "Lexicon") -> int:
    return _total(lexicon.forms(_acronym_key(capitals)))


def _name_reports(capitals: str, lexicon: "Lexicon") -> int:
    """Reports writing the same letters as a name (Alep, Alèp), case and accents aside."""
    unit = Unit("l", capitals.capitalize(), 0, len(capitals), 0)
    letters = [k for k in index_keys([unit]) if k.startswith(LETTER_PREFIX["l"])]
    forms = {term: n for key in letters for term, n in lexicon.forms(key)
             if fold(split_term(term)[1]) == fold(capitals)}
    return _total(forms.items())


def _total(forms: Iterable[tuple[str, int]]) -> int:
    return sum(n for _, n in forms)

