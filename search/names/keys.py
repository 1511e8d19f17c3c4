"""Blocking keys of a name: its words (1-3 of one script) -> the keys every spelling of it shares.

Latin words give codes over their readings (``search.names.translit``) and consonant skeletons;
Arabic and Hebrew words their letters and skeletons; an acronym or a fixed name itself. Keys are
worked out from ``(script, word)`` alone, so that the index and the query side agree by construction.
"""
from __future__ import annotations

import itertools
import unicodedata
from functools import lru_cache
from typing import Iterable, Protocol, Sequence

from search.names import translit as tr
from search.names.terms import LETTER_PREFIX, SKELETON_PREFIX


class Word(Protocol):
    """A name unit as keys see it (``search.names.units.Unit``)."""

    @property
    def script(self) -> str:
        """"l" Latin, "a" Arabic, "h" Hebrew, "=" acronym or fixed name."""

    @property
    def word(self) -> str:
        """The name word, article left out."""


MAX_KEYS = 16           # index keys of one kind for one window
Forms = tuple[tuple[str, ...], tuple[str, ...]]  # (letter keys or codes, skeletons) of one unit


@lru_cache(maxsize=200_000)
def unit_forms(script: str, word: str, query: bool = False) -> Forms:
    """Letters and skeletons of one unit.

    Arabic harakat, where written, tell names apart (عَمّان Amman, عُمان Oman):
    a report indexes the letters with and without them, a query with them asks for them
    (its candidates also come from the bare letters: ``search.names.query.query_keys``).
    """
    if script == "l":
        return _latin_forms(word)
    if script == "=":
        return (word,), ()
    if script == "h":
        return (tr.hebrew_key(word),), (tr.hebrew_skeleton(word),)
    bare, vowelled = tr.arabic_keys(word), tr.arabic_vowelled_key(word)
    letters = (vowelled,) if query and vowelled else bare + (vowelled,) if vowelled else bare
    return letters, (tr.arabic_skeleton(word),)


def harakat_differ(a: Sequence[Word], b: Sequence[Word]) -> bool:
    """Whether two Arabic-script names write different harakat on one of their letters (عَمّان,
    عُمان); a letter only one of them marks is no difference (كِنارِه, كنارِه)."""
    va, vb = ("".join(tr.arabic_vowelled_key(u.word) or u.word for u in x if u.script == "a") for x in (a, b))
    la, lb = _marked_letters(va), _marked_letters(vb)
    return len(la) == len(lb) and any(ma and mb and ma != mb for (_, ma), (_, mb) in zip(la, lb))


def _marked_letters(text: str) -> list[tuple[str, str]]:
    """(letter, the marks written on it) of each letter."""
    out: list[tuple[str, str]] = []
    for c in text:
        if unicodedata.combining(c) and out:
            out[-1] = (out[-1][0], out[-1][1] + c)
        elif not unicodedata.combining(c):
            out.append((c, ""))
    return out


def _latin_forms(word: str) -> Forms:
    """Codes and skeletons of a Latin word, over its readings and glued-article pieces."""
    codes, skeletons = [], []
    for pieces in tr.latin_pieces(tr.prepare_latin(word)):
        codes += ["".join(p) for p in _product([tr.latin_codes(x) for x in pieces])]
        skeletons += [tr.join_skeletons(list(p)) for p in _product([tr.latin_skeletons(x) for x in pieces])]
    return dedupe(codes), dedupe(s for s in skeletons if s.strip("<>'"))


def group_forms(units: Sequence[Word], query: bool = False) -> list[Forms]:
    """Each unit's forms; a case vowel before Allah goes (Ḥizbu-llāh is Hizb Allah)."""
    return _group_forms(tuple((u.script, u.word) for u in units), query)


def _group_forms(words: tuple[tuple[str, str], ...], query: bool) -> list[Forms]:
    forms = [unit_forms(script, word, query) for script, word in words]
    for i in range(len(forms) - 1):
        if words[i][0] == "l" and forms[i + 1][0] == ("la",):
            forms[i] = (tuple(c[:-1] if len(c) > 2 and c[-1] in "aiu" else c for c in forms[i][0]), forms[i][1])
    return forms


def index_keys(units: Sequence[Word], query: bool = False) -> tuple[str, ...]:
    """The keys of 1-3 consecutive units of one script, as a report indexes them."""
    return _index_keys(tuple((u.script, u.word) for u in units), query)


@lru_cache(maxsize=200_000)
def _index_keys(words: tuple[tuple[str, str], ...], query: bool) -> tuple[str, ...]:
    script = words[0][0]
    if script == "=" and len(words) > 1:
        return ()
    forms = _group_forms(words, query)
    keys = [LETTER_PREFIX[script] + "".join(p) for p in _product([f[0] for f in forms], MAX_KEYS)]
    if script != "=":
        skeletons = (tr.join_skeletons(list(p)) for p in _product([f[1] for f in forms], MAX_KEYS))
        keys += [SKELETON_PREFIX[script] + s for s in skeletons if s.strip("<>'")]
    return dedupe(keys)


def _product(options: list, limit: int = tr.MAX_READINGS) -> list[tuple]:
    return list(itertools.islice(itertools.product(*options), limit))


def dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


_PARTICLE_CODES = frozenset({"l:bu", "l:abd", "l:la", "l:din", "a:بو", "a:عبد", "a:الله", "a:الدين"})


def is_particle_unit(unit: Word) -> bool:
    """Abu, Abd, Allah, ad-Din: 'Hizb Allah' and 'Abou Kamal' name what one word does
    (Hezbollah, Boukamal), so they neither look inside longer names nor drop a middle one."""
    return any(LETTER_PREFIX[unit.script] + code in _PARTICLE_CODES for code in unit_forms(unit.script, unit.word)[0])


def skips_middle(units: Sequence[Word]) -> bool:
    """A three-word name may drop its middle one (a father's name: Ibrahim Mohamed Akil),
    unless a particle makes the name (Abu Bakr al-Baghdadi is no Abu Omar al-Baghdadi)."""
    return len(units) == 3 and not any(is_particle_unit(u) for u in units)
