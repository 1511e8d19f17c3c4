"""Name words grouped: roles, units, runs.

``runs`` follows ``WordTokenizer() | ElisionFilter()`` (original spellings, hyphenated
words split, ``Token.gap`` holding what separates a word from the previous one):

1. **roles**: each word is a name (``search.names.words``), an Arabic article joined to the
   next name (al-, el-, and ez-, as-, an-... where the sun letter assimilates), a Persian
   ezafe (Bandar-e Abbas), or nothing;
2. **units**: an article joins the name it precedes: ``al-Bukamal`` is one unit;
3. **runs**: consecutive units with only spaces, hyphens or apostrophes between.

A run holding names side by side (Al-Qaim Al-Bukamal, la guerre Israël-Hamas) marks where
each starts (``Unit.starts``).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator

from search.names import translit as tr
from search.names.aliases import fixed_names
from search.names.keys import is_particle_unit
from search.names.words import ALWAYS_ARTICLES, ARTICLES, EZAFE, HEADS, PARTICLES, is_name_word
from search.text.analyzers import Token
from search.text.filters import ElisionFilter
from search.text.fold import fold
from search.text.tokenizers import WordTokenizer
from search.text.wordlists import FRENCH_STOP_WORDS, is_common_word

JOINING = r"\s\-‐‑'’`‘ʿʾ"  # the characters of a gap that joins two words of a name (``joins``)
_JOINING_GAP = re.compile(rf"[{JOINING}]*")
ACRONYM = re.compile(r"[A-Z]{2,4}")
WORDS = WordTokenizer() | ElisionFilter()
NAME, ARTICLE, JOINER = "name", "article", "joiner"


@dataclass(frozen=True)
class Unit:
    script: str   # "l" Latin, "a" Arabic, "h" Hebrew, "=" acronym
    word: str     # the name word, article left out
    start: int    # span of the spelling, article included
    end: int
    pos: int
    starts: bool = False  # a name may start here though the run goes on (Israël-Hamas)
    spelled: str = ""     # the words as written, article and ezafe included
    text: str = ""        # the same with what joins them as written ("al-Bukamal")
    gap: str = ""         # what joins this unit to the previous one, spaces made one


@lru_cache(maxsize=4096)
def joins(gap: str) -> bool:
    return _JOINING_GAP.fullmatch(gap) is not None and gap.count("\n") < 2


def _roles(tokens: list[Token], query: bool) -> list[str | None]:
    names = [is_name_word(t.original, query) and not _head_alone(t, query) for t in tokens] + [False]
    nexts = tokens[1:] + [None]
    articles = [_is_article(t, n, names[i + 1], query) for i, (t, n) in enumerate(zip(tokens, nexts))] + [False]
    roles: list[str | None] = []
    for i, t in enumerate(tokens):
        if articles[i]:
            roles.append(ARTICLE)
        elif t.original.lower() in EZAFE and roles[-1:] == [NAME] and (t.gap == "-" or query and joins(t.gap)):
            roles.append(JOINER)
        elif t.original in EZAFE:
            roles.append(None)  # an ezafe after no name (Sang-e Māsheh: sang is French) joins nothing
        elif _is_stray_article(t):
            roles.append(None)
        elif names[i] or (articles[i + 1] and _is_head(t, nexts[i])) or _is_particle(t, nexts[i], names[i + 1]):
            roles.append(NAME)
        else:
            roles.append(None)
    return roles


def _head_alone(token: Token, query: bool) -> bool:
    """A place head that French writes too (Ras, Tel), typed capitalised: the query reads it as
    the reports do, a name only before an article (Ras al-Aïn); Ras Tanoura, Tel Abyad are
    filed under Tanoura and Abyad, and a query of the head too would never meet them."""
    return query and fold(token.original) in HEADS and is_common_word(fold(token.original))


def _is_article(token: Token, nxt: Token | None, next_is_name: bool, query: bool) -> bool:
    folded = fold(token.original)
    if folded not in ARTICLES | ALWAYS_ARTICLES or nxt is None or not next_is_name or not joins(nxt.gap):
        return False
    if folded in ALWAYS_ARTICLES or (query and folded == "a"):
        return True  # a bare a is an article only before a name: Safi a-Din
    if not query and folded in FRENCH_STOP_WORDS and _french_before_name(token, nxt):
        return False
    if not query and "-" in nxt.gap:
        return True
    return tr.article_assimilates(tr.prepare_latin(token.original), tr.prepare_latin(nxt.original))


def _french_before_name(token: Token, nxt: Token) -> bool:
    """An article form that French writes (et, en, es, a, as, un) is the French word before a
    name ("et Téhéran", "En Normandie." opening a sentence, Meurthe-et-Moselle), not the Arabic
    article that a hyphen (es-Salt) or a capital inside a sentence (Es Suweida) shows."""
    if token.gap == "-":
        return True
    return "-" not in nxt.gap and (token.original.islower() or token.pos == 0 or any(c in token.gap for c in ".!?:\n«\""))


def _is_stray_article(token: Token) -> bool:
    """An article form with no name after it is no name: 'un an', 'Al' alone."""
    folded = fold(token.original)
    return folded in ALWAYS_ARTICLES or (folded in ARTICLES and token.original.islower())


def _is_head(token: Token, nxt: Token | None) -> bool:
    """A capitalised French word before an article heads a name: Ras al-Aïn, Tel al-Zaatar."""
    return (nxt is not None and token.original[:1].isupper() and fold(token.original) not in FRENCH_STOP_WORDS
            and joins(nxt.gap))


def _is_particle(token: Token, nxt: Token | None, next_is_name: bool) -> bool:
    """bin, ibn, bu... in lower case between names: Oussama ben Laden, Al-bu-Kamal."""
    return nxt is not None and next_is_name and joins(nxt.gap) and token.original.lower() in PARTICLES


def _unit(token: Token, article: Token | None, run: list[Unit]) -> Unit:
    word = token.original
    script = "=" if ACRONYM.fullmatch(word) else "a" if tr.is_arabic(word) else "h" if tr.is_hebrew(word) else "l"
    if script == "l" and fold(word) in fixed_names():
        script, word = "=", fold(word)  # Ghana: not a transliteration, never folded
    first = article if article is not None else token
    spelled = token.original if article is None else f"{article.original} {token.original}"
    text = token.original if article is None else f"{article.original}{_gap(token.gap)}{token.original}"
    unit = Unit(script, word, first.start, token.end, first.pos, spelled=spelled, text=text, gap=_gap(first.gap))
    return replace(unit, starts=bool(run) and _starts_name(unit, first, run[-1]))


def _gap(gap: str) -> str:
    """What joins two words of a name, as a spelling shows it: spaces made one."""
    return re.sub(r"\s+", " ", gap) or " "


def window_text(units: list[Unit]) -> str:
    """The spelling of consecutive units as written: 'Abou Kamal', 'Al-Qaim Al-Bukamal'."""
    return units[0].text + "".join(u.gap + u.text for u in units[1:])


def _starts_name(unit: Unit, first: Token, previous: Unit) -> bool:
    """Where two names meet in a run: a capitalised article (Al-Qaim Al-Bukamal), or a
    hyphen between capitalised names that no particle joins (la guerre Israël-Hamas)."""
    if first.original[:1].isupper() and first.original != unit.word:
        return True
    return (first.gap == "-" and unit.word[:1].isupper() and previous.word[:1].isupper()
            and not is_particle_unit(unit) and not is_particle_unit(previous))


def runs(tokens: Iterable[Token], query: bool = False) -> list[list[Unit]]:
    """Units grouped into runs: only names and their articles, no punctuation, between them."""
    out: list[list[Unit]] = []
    for stretch in stretches(tokens, query):
        out += _runs(stretch, query)
    return out


def stretches(tokens: Iterable[Token], query: bool = False) -> Iterator[list[Token]]:
    """The tokens between inert words (``_inert``): nine words in ten of a report are, and roles
    read only the words of a stretch, so the others are looked at once, by a remembered test.
    Runs never cross an inert word: ``runs`` is the runs of each stretch, in order.

    >>> [[t.original for t in s] for s in stretches(WORDS("la route de Deir ez-Zor à Abou Kamal"))]
    [['Deir', 'ez', 'Zor', 'à', 'Abou', 'Kamal']]
    >>> [[t.original for t in s] for s in stretches(WORDS("Le président a dit qu'Ali Khamenei"))]
    [['Le'], ['a'], ['Ali', 'Khamenei']]
    """
    stretch: list[Token] = []
    for t in tokens:
        if not _inert(t.original, query):
            stretch.append(t)
        elif stretch:
            yield stretch
            stretch = []
    if stretch:
        yield stretch


@lru_cache(maxsize=200_000)
def _inert(word: str, query: bool) -> bool:
    """A word that takes no part in a name whatever surrounds it, and makes its neighbours' roles what
    the end of the text would: no name, article, ezafe or particle form, not capitalised (a head
    before an article). Its role is None, so it ends a run and the article before it, and no role
    test of a neighbour passes for it (each needs the next word a name or an article)."""
    return (not is_name_word(word, query) and not word[:1].isupper()
            and fold(word) not in ARTICLES | ALWAYS_ARTICLES and word.lower() not in EZAFE | PARTICLES)


def _runs(tokens: list[Token], query: bool) -> list[list[Unit]]:
    """``runs`` over one stretch."""
    out: list[list[Unit]] = [[]]
    article = None
    for t, role in zip(tokens, _roles(tokens, query)):
        if not joins(t.gap) or role is None:
            out.append([])
        if role == ARTICLE:
            article = t
        elif role == JOINER and out[-1]:
            last = out[-1][-1]
            out[-1][-1] = replace(last, spelled=f"{last.spelled} {t.original}",
                                  text=f"{last.text}{_gap(t.gap)}{t.original}", end=t.end)
        else:
            out[-1] += [_unit(t, article, out[-1])] if role == NAME else []
            article = None
    return [r for r in out if r]


def segments(run: list[Unit]) -> Iterator[list[Unit]]:
    """A run split where the script changes (acronyms stand alone)."""
    for _, group in itertools.groupby(run, key=lambda u: u.script if u.script != "=" else id(u)):
        yield list(group)
