"""The query side of names: a run of typed words -> the chunks to match and the keys to look them up by.

``query_chunks`` turns a run of query words into terms as written and chunks of 1-3 name
units; ``query_keys`` gives the keys that block a chunk's candidates in the lexicon: the
Latin codes widened by ``translit.latin_variants`` (at most two changes in the run), the
skeletons of every script (a Latin query meets Arabic and Hebrew reports, while two Latin
spellings must agree on their vowels), and, for two names or more, the keys of inner
windows ('Hezbollah' is not 'Kataëb Hezbollah', 'Qassem Soleimani' is in 'Hajj Qassem
Soleimani'). The alias rows (``search.names.aliases``) add the keys of every other
spelling of a row the query names (Alep: Halab), given as an argument: they belong to
the service that read them, never to this module.
"""
from __future__ import annotations

from functools import lru_cache

from search.names import crosskeys
from search.names import translit as tr
from search.names import verdict
from search.names.aliases import Rows
from search.names.filter import MAX_UNITS
from search.names.keys import dedupe, group_forms, index_keys, is_particle_unit, skips_middle
from search.names.terms import LETTER_PREFIX, PART, SKELETON_PREFIX, WORD, consonants, form_term, spelling_key
from search.names.units import ACRONYM, WORDS, Unit, runs, segments
from search.text.analyzers import Token
from search.text.fold import fold
from search.text.wordlists import FRENCH_STOP_WORDS

MAX_ALTERNATIVES = 400  # keys of one kind a query run may look for
VARIANT_BUDGET = 2      # vowel changes a query run may make, in all its units


def query_chunks(words: list[str]) -> tuple[list[list[str]], list[list[Unit]]]:
    """A run of query words as typed (split on spaces and hyphens) -> (terms as written,
    chunks of 1-3 name units).

    The terms as written are alternatives of their own (the whole name as typed, the
    lower-case words folded, an acronym); each chunk is matched through its
    variants (``search.names.variants``), and a report must hold every chunk.

    >>> [[u.word for u in c] for c in query_chunks(["Abou", "Kamal"])[1]]
    [['Abou', 'Kamal']]
    >>> query_chunks(["dames"])[1]
    []
    """
    found = runs(_tokens(words), query=True)
    chunks = [seg[i:i + MAX_UNITS] for run in found for seg in segments(run) for i in range(0, len(seg), MAX_UNITS)]
    spelled = [u.spelled for run in found for u in run]
    as_written = [[spelling_key(spelled)] if spelled else [],
                  [WORD + fold(w) for w in words if tr.is_latin_word(w)]]
    if len(spelled) == 1 and ACRONYM.fullmatch(spelled[0].upper()):
        as_written.append([form_term("=" + spelled[0].upper(), spelled[0].upper())])  # HOMS (AFP), ypg typed
    return [alt for alt in as_written if alt], chunks


def query_keys(units: list[Unit], inside: bool = False) -> list[str]:
    """Keys that block candidates for the 1-3 query units: the query's own letter keys
    and codes (Latin codes widened by their variants), the skeletons of every script
    (Latin too: the verdict, not the key, decides between Homs and Hamas), and the
    keys of inner windows when the query names two words or more, or when the units are
    a chunk of a longer typed name (``inside``: al-Qaysi of Nayif Salih Salim al-Qaysi is
    written inside Naif Saleh Salem al Qaisi, not alone)."""
    keys = own_script_keys(units) + _bare_letters(units) + skeleton_keys(units)
    if skips_middle(units):  # Ibrahim Mohamed Akil: also Ibrahim Akil
        keys += own_script_keys(units[::2]) + skeleton_keys(units[::2])
    parts = [PART + k for k in keys] if inside or sum(not is_particle_unit(u) for u in units) > 1 else []
    return list(dedupe(keys))[:MAX_ALTERNATIVES] + list(dedupe(parts))[:MAX_ALTERNATIVES]


def _bare_letters(units: list[Unit]) -> list[str]:
    """An Arabic query's letters without the harakat it writes: most reports write none (كِنارِه
    is کناره); the verdict turns down those that write others (``keys.harakat_differ``)."""
    if units[0].script != "a":
        return []
    return [k for k in index_keys(units) if k.startswith(LETTER_PREFIX["a"])]


def alias_keys(units: list[Unit], rows: Rows) -> list[tuple[list[Unit], list[str]]]:
    """(units, keys) of each other spelling of the alias rows the query names (Alep: Halab)."""
    return [(other, own_script_keys(other) + skeleton_keys(other)) for other in _alias_spellings(units, rows)]


def own_script_keys(units: list[Unit]) -> list[str]:
    """Latin codes and their variants within the budget; Arabic and Hebrew letters."""
    script = units[0].script
    if script != "l":
        return [k for k in index_keys(units, query=True) if k.startswith(LETTER_PREFIX[script])]
    combos = [(0, "")]
    for unit, forms in zip(units, group_forms(units, query=True)):
        options = _unit_variants(forms[0], vowels=not unit.word.islower())
        combos = sorted((c + c2, s + v) for c, s in combos for c2, v in options if c + c2 <= VARIANT_BUDGET)
        combos = combos[:MAX_ALTERNATIVES]
    return ["l:" + s for _, s in combos]


@lru_cache(maxsize=20_000)
def _unit_variants(codes: tuple[str, ...], vowels: bool) -> list[tuple[int, str]]:
    """(cost, code) of a unit; a lower-case query word may be a foreign common word
    (camel is no Kamal): its vowels are not read as others then."""
    return sorted({(c, v) for code in codes for c, v in tr.latin_variants(code, vowels)})


def skeleton_keys(units: list[Unit]) -> list[str]:
    """The skeletons, as the reports of every script index them."""
    script = units[0].script
    if script == "=":
        return []
    skeletons = _own_skeletons(units)
    if script == "l" and verdict.confusions():  # a consonant romanizers write for another: Varzaqan, Verazgan
        skeletons = list(dedupe(skeletons + [w for s in skeletons for w in _confused(s)]))[:MAX_ALTERNATIVES]
    return [prefix + s for other, prefix in SKELETON_PREFIX.items() for s in _as_indexed(skeletons, script, other)]


def _as_indexed(skeletons: list[str], script: str, other: str) -> list[str]:
    """The query's skeletons as reports of script ``other`` index them. A Latin report writes NB for
    an m before b (``translit.latin_skeletons``: Jumblatt is جنبلاط), but Arabic and Hebrew writers also
    write the m they hear (Trump ترامب, Colombo كولومبو): an Arabic or Hebrew query asks Latin reports
    for NB. (The other way, a Latin query meets ترامب through the learned changes of
    ``search.names.crosskeys``, fitted on today's keys: asking for MB too would move that fit.)"""
    if script != "l" and other == "l":
        return list(dedupe(s.replace("MB", "NB") for s in skeletons))
    return skeletons


def _own_skeletons(units: list[Unit]) -> list[str]:
    """The skeletons a report of the query's script indexes for these units, without their prefix."""
    prefix = SKELETON_PREFIX[units[0].script]
    return [k[len(prefix):] for k in index_keys(units) if k.startswith(prefix)]


def widened_keys(units: list[Unit]) -> list[str]:
    """The query's skeletons with one learned change, as reports in another script or another
    romanization write the name (``search.names.crosskeys``): Chadugan's CDGN as JDGN for چادگان,
    and back. Apart from ``query_keys``: what they bring is judged more strictly."""
    script = units[0].script
    if script == "=" or not crosskeys.table():
        return []
    skeletons = _own_skeletons(units)
    if script == "l":  # towards each script of the reports, the Latin ones included
        return [SKELETON_PREFIX[other] + w for other in ("a", "h", "l") for w in _widened(skeletons, other)]
    return [SKELETON_PREFIX["l"] + w for w in _widened(skeletons, script, back=True)]


def _widened(skeletons: list[str], script: str, back: bool = False) -> list[str]:
    long_enough = [s for s in skeletons if len(consonants(s)) >= crosskeys.consonants(script)]
    return list(dedupe(w for s in long_enough for w in crosskeys.widened(s, script, back)))[:MAX_ALTERNATIVES]


def _confused(skeleton: str) -> list[str]:
    """The skeleton with one consonant class changed for one the verdict's learned costs price
    as a cheap change (``verdict.confusions``): the verdict, not the key, then decides."""
    table = verdict.confusions()
    return [skeleton[:i] + other + skeleton[i + 1:] for i, c in enumerate(skeleton) for other in table.get(c, ())]


def _tokens(words: list[str]) -> list[Token]:
    """Query words as tokens, a space between each."""
    return [Token(w, w, 0, len(w), i, " ") for i, w in enumerate(words) if w]


def rows_named(units: list[Unit], rows: Rows) -> list[int]:
    """The alias rows one of whose spellings the query is: the same letter key; for a Latin
    query, one of its codes as typed, or a code of its variants when the verdict takes the
    row's spelling for the query's (Souleimaniye for Souleimaniyeh, but Moselle is no Mosul)."""
    table, units_of = _alias_table(rows)
    named = list(dict.fromkeys(row for k in own_script_keys(units) for row in table.get(k, ())))
    if units[0].script != "l":
        return named
    codes = {k for k in index_keys(units, query=True) if k.startswith(LETTER_PREFIX["l"])}
    return [row for row in named if any(_is_spelling_of(units, other, codes) for other in units_of[row])]


def _is_spelling_of(units: list[Unit], other: list[Unit], codes: set[str]) -> bool:
    if other[0].script != "l":
        return False
    if codes & set(index_keys(other)):
        return True
    query = tuple(u.word for u in units)
    length = max(len(s) for s in verdict.latin_readings(query))
    return verdict.accepts_latin(verdict.latin_cost(query, tuple(u.word for u in other)), length)


def _alias_spellings(units: list[Unit], rows: Rows) -> list[list[Unit]]:
    """The units of every spelling of the alias rows the query names."""
    _, units_of = _alias_table(rows)
    return [other for row in rows_named(units, rows) for other in units_of[row]]


def row_names(units: list[Unit], rows: Rows) -> list[list[Unit]]:
    """The name each alias row the query names is known by: its first Latin spelling (the
    French press's usual name in the shipped table: Alep for حلب, Damas for دمشق)."""
    _, units_of = _alias_table(rows)
    named = (next((u for u in units_of[row] if u[0].script == "l"), None) for row in rows_named(units, rows))
    return [u for u in named if u is not None]


def rows_elsewhere(units: list[Unit], rows: Rows) -> set[int]:
    """For a query in Arabic or Hebrew script, the alias rows it does not name that write a spelling
    of their own in its script: a Latin spelling of one is another name (Liban is لبنان there, so
    it is no reading of لوبان, however close their letters). Empty for a Latin query."""
    script = units[0].script
    if script not in ("a", "h"):
        return set()
    _, units_of = _alias_table(rows)
    ours = set(rows_named(units, rows))
    return {row for row, spellings in enumerate(units_of)
            if row not in ours and any(other[0].script == script for other in spellings)}


def alias_phrases(units: list[Unit], rows: Rows) -> list[str]:
    """The spellings of the query's alias rows that are no name but French words
    (État islamique for Daech): searched as phrases."""
    return [s for row in rows_named(units, rows) for s in rows[row]
            if not _spelling_units(s.lstrip("=")) and not _stop_words_only(s)]


def _stop_words_only(spelling: str) -> bool:
    """A spelling of stop words alone ("Sur" in a row for Tyr) would find every report."""
    return all(fold(t.original) in FRENCH_STOP_WORDS for t in WORDS(spelling))


def prepare(rows: Rows) -> None:
    """Work out the alias rows' keys now (a third of a second for the shipped table), not on the
    first name searched: a server does it as it starts (``SearchService.warm``)."""
    _alias_table(rows)


@lru_cache(maxsize=4)
def _alias_table(rows: Rows) -> tuple[dict[str, tuple[int, ...]], list[list[list[Unit]]]]:
    """({letter key of a spelling: its rows}, [units of each spelling of each row])."""
    table: dict[str, tuple[int, ...]] = {}
    units_of = [[units for s in row if (units := _spelling_units(s.lstrip("=")))] for row in rows]
    for row, spellings in enumerate(units_of):
        for units in spellings:
            for k in index_keys(units):
                if k.startswith(tuple(LETTER_PREFIX.values())) and row not in table.get(k, ()):
                    table[k] = table.get(k, ()) + (row,)
    return table, units_of


def _spelling_units(spelling: str) -> list[Unit]:
    """The units of one spelling of an exonym row, as a report would hold them."""
    tokens = list(WORDS(spelling.strip()))
    units = [u for run in runs(tokens) for u in run]
    named = sum(1 + (u.spelled != u.word and " " in u.spelled) for u in units)
    if named < len(tokens):
        return []  # a word that is no name (État islamique): a phrase, not a name
    return units if 0 < len(units) <= MAX_UNITS and len({u.script for u in units}) == 1 else []
