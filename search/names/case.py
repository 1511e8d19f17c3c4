"""A word's case, read as the collection writes it: capitals and lower case change nothing of a name.

**Capitals.** Analysts paste names from headlines and cables in capitals. A word of two to four
capitals is read by the index as an acronym (``search.names.units.ACRONYM``: YPG is not YPJ,
SANA is not Sanaa), so ``ALEP`` typed, or written in a headline, would never meet ``Alep``. The
collection decides: when the reports write the letters as a name at least as often as in
capitals (Alep 15 reports, ALEP 1), the capitals are that name; otherwise (SANA the agency, EI,
PKK) an acronym, and it stays one. An acronym of an alias row (``EI`` for Daech, ``ISIS``) is an
acronym by the table's word. Both ways agree: ``ALEP`` typed searches the name Alep, and a
search for Alep also finds the reports that write it ``ALEP`` (``acronym_forms``). Letters typed
in lower case are read the same way (``ypg`` is YPG, ``alep`` Alep); a word typed as a name
(``Sana``, ``Isis``) is a name, not the agency SANA or the acronym ISIS.

**Lower case.** A word typed in lower case may be a name (``boukamal``, ``mossoul``) or a French
word. The common words (``search/data/french_common.txt``) are French words already; a word
French writes capitalised as often (dôme: Dôme de fer, Puy-de-Dôme) is a French word when typed
in lower case if the reports write it in lower case in ``FRENCH_SHARE`` of its uses at least:
``dôme`` typed finds the dome, not Douma; ``mossoul`` typed still finds Mossoul. (The reports
writing it in lower case are counted by the ``names`` field's ``w:`` terms, ``search.names.terms``.)
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from search.names import translit as tr
from search.names.aliases import Rows, fixed_names
from search.names.keys import index_keys
from search.names.terms import LETTER_PREFIX, WORD, split_term
from search.names.units import ACRONYM, Unit
from search.names.words import EZAFE, QUERY_PARTICLES
from search.text.fold import fold

if TYPE_CHECKING:  # the protocol lives with the candidates: no import cycle at run time
    from search.names.variants import Lexicon, Variant

# Measured on the 34k corpus: names 0 to 0.005 of their uses in lower case (alep, mossoul, merkel,
# sarkozy), words French writes both ways 0.05 and more (jade 0.053, dôme 0.097, houthis 0.083 as
# in "les rebelles houthis", hautes 0.43).
FRENCH_SHARE = 0.03
FRENCH_REPORTS = 2


def french_word(word: str, lexicon: "Lexicon") -> bool:
    """Whether a word typed in lower case is one the reports write as a French word (dôme):
    in lower case in ``FRENCH_SHARE`` of its uses, and in ``FRENCH_REPORTS`` reports at least
    (one report writing a name in lower case, as a typo, makes no French word of it)."""
    if not word[:1].islower() or not tr.is_latin_word(word) or fold(word) in QUERY_PARTICLES | EZAFE:
        return False  # al-assad, ben laden, Bandar-e Abbas: an article, a particle, an ezafe
    return lexicon.lower_case(word) >= FRENCH_SHARE and lexicon.reports([WORD + fold(word)]) >= FRENCH_REPORTS


def reads_as_name(word: str, lexicon: "Lexicon", rows: Rows = ()) -> bool:
    """Whether a word in capitals (``ALEP``) is a name in capitals rather than an acronym.

    A word that is no acronym's shape (``MOSSOUL``: five letters and more are read as names
    anyway, ``Alep``) is not concerned: False.
    """
    if not ACRONYM.fullmatch(word) or fold(word) in fixed_names() or _row_acronym(word, rows):
        return False
    return _name_reports(word, lexicon) >= _acronym_reports(word, lexicon)


def acronym_typed(word: str, lexicon: "Lexicon", rows: Rows = ()) -> bool:
    """Whether a word typed is searched as the acronym of its letters too: typed in capitals
    (YPG, or ALEP: the name's capitals), or in lower case where the collection writes those
    capitals as an acronym (ypg); not typed as a name (Sana is no SANA, Isis no ISIS)."""
    return word.isupper() or _read(word, lexicon, rows).isupper()


def as_typed_names(words: list[str], lexicon: "Lexicon", rows: Rows = ()) -> list[str]:
    """Query words as the collection reads them: capitals that are a name written as the name
    (``ALEP`` -> ``Alep``), letters in lower case that it writes as an acronym in capitals
    (``ypg`` -> ``YPG``); a word typed as a name stays one (Sana, Isis)."""
    return [_read(w, lexicon, rows) for w in words]


def _read(word: str, lexicon: "Lexicon", rows: Rows) -> str:
    capitals = word.upper()
    if not (word.isupper() or word.islower()) or not ACRONYM.fullmatch(capitals):
        return word
    if fold(word) in QUERY_PARTICLES:  # ABOU BAKR, BEN LADEN: an article or a particle is no acronym
        return word.capitalize() if word.isupper() else word
    if reads_as_name(capitals, lexicon, rows):
        return word.capitalize() if word.isupper() else word
    return capitals


def acronym_forms(found: list["Variant"], lexicon: "Lexicon", rows: Rows = ()) -> list[tuple["Variant", str, int]]:
    """(variant, term, reports) of the accepted one-word Latin spellings (Alep) that reports
    also write in capitals as an acronym (``ALEP`` in a headline), when the collection reads
    those capitals as the name."""
    out = []
    for v in found:
        capitals = fold(v.spelling).upper()
        if v.accepted and not v.phrase and ACRONYM.fullmatch(capitals) and reads_as_name(capitals, lexicon, rows):
            out += [(v, term, reports) for term, reports in lexicon.forms(_acronym_key(capitals))]
    return out


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
