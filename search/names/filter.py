"""``NameFilter``: the ``names`` field of a report, every window of 1-3 name units under each of its keys.

For every window of a run (``search.names.units``) it writes one term per key
(``search.names.terms``): ``Abou Kamal`` (two units) and ``Boukamal`` (one) share ``l:bukamal``.
A term spans the spelling it came from, article included, so highlighting marks it whole.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

from search.names import translit as tr
from search.names.keys import index_keys, skips_middle
from search.names.terms import PART, WORD, form_term, spelling_key
from search.names.units import Unit, runs, segments, stretches, window_text
from search.names.words import ARTICLES, EZAFE, NAME_HEADS, PARTICLES, head_form
from search.text.analyzers import Filter, Token
from search.text.fold import fold
from search.text.wordlists import is_common_word

MAX_UNITS = 3           # keys for windows of 1, 2 and 3 units


class NameFilter(Filter):
    """Name keys for the ``names`` field, each spanning the spelling it came from.

    >>> from search.text.filters import ElisionFilter
    >>> from search.text.tokenizers import WordTokenizer
    >>> from search.names.terms import split_term
    >>> names = WordTokenizer() | ElisionFilter() | NameFilter()
    >>> [(split_term(t.text), t.start, t.end) for t in names("près d'Abou Kamal.") if t.text.startswith(("l:", "~l:"))]
    [(('~l:bu', 'Abou'), 7, 11), (('l:bukamal', 'Abou Kamal'), 7, 17), (('~l:kamal', 'Kamal'), 12, 17)]
    """

    changes = False  # its terms are new tokens; the words are only read

    def __call__(self, tokens: Iterable[Token], query: bool = False) -> Iterator[Token]:
        tokens = list(tokens)
        for stretch in stretches(tokens, query):
            # The same names come back report after report (Donald Trump, Bachar al-Assad): a
            # stretch's terms are worked out once per shape, then placed where it stands.
            s0, p0 = stretch[0].start, stretch[0].pos
            shape = tuple((t.original, t.gap, t.start - s0, t.end - s0, t.pos - p0) for t in stretch)
            for text, original, start, end, pos in _stretch_terms(shape, p0 == 0, query):
                yield Token(text, original, s0 + start, s0 + end, p0 + pos)
        for t in tokens:
            term = _lower_case_term(t.original)
            if term is not None:
                yield Token(term, t.original, t.start, t.end, t.pos)

    def positions(self, tokens: Iterable[Token], query: bool = False) -> dict[str, list[int]]:
        """Each term's positions, in the order of this filter's tokens: what an index writes, without a
        token made for each (``FanOut.positions``)."""
        tokens = list(tokens)
        out: dict[str, list[int]] = {}
        for stretch in stretches(tokens, query):
            p0 = stretch[0].pos
            shape = tuple((t.original, t.gap, t.start - stretch[0].start, t.end - stretch[0].start, t.pos - p0)
                          for t in stretch)
            for text, _, _, _, pos in _stretch_terms(shape, p0 == 0, query):
                _add(out, text, p0 + pos)
        for t in tokens:
            term = _lower_case_term(t.original)
            if term is not None:
                _add(out, term, t.pos)
        return out


def _add(table: dict[str, list[int]], term: str, pos: int) -> None:
    held = table.get(term)
    if held is None:
        table[term] = [pos]
    else:
        held.append(pos)


@lru_cache(maxsize=100_000)
def _stretch_terms(shape: tuple, first: bool, query: bool) -> tuple[tuple[str, str, int, int, int], ...]:
    """(text, original, start, end, pos) of the terms of one stretch (``search.names.units.stretches``)
    given by its tokens' shape, spans and positions from its first token's. ``first``: that token
    opens the text (position 0), which the article rules read; the others never are."""
    lift = 0 if first else 1  # a position as the rules must see it: 0 only for the text's first word
    tokens = [Token(original, original, start, end, pos + lift, gap) for original, gap, start, end, pos in shape]
    out = []
    for run in runs(tokens, query):
        for segment in segments(run):
            out += [(t.text, t.original, t.start, t.end, t.pos - lift) for t in _segment_tokens(segment)]
        key = spelling_key(u.spelled for u in run)
        out.append((key, key, run[0].start, run[-1].end, run[0].pos - lift))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _lower_case_term(word: str) -> str | None:
    """The term of a lower-case word that a query would take for a name (``_is_lower_case_word``), or None."""
    return WORD + fold(word) if _is_lower_case_word(word) else None


def _is_lower_case_word(word: str) -> bool:
    """A lower-case word that a query would take for a name ('boukamal', but also
    'santé', which French capitalises too often to count as common): indexed as it
    is, folded, so that typed it finds itself."""
    folded = fold(word)
    return (word[:1].islower() and word[:1].isalpha() and tr.is_latin_word(word)
            and folded not in ARTICLES | PARTICLES | EZAFE and not is_common_word(folded))


def _segment_tokens(units: list[Unit]) -> Iterator[Token]:
    """Keys of every window of 1-3 units (PART: not a whole name), and of a three-unit
    window without its middle unit; each distinct segment is worked out once."""
    shape = tuple((u.script, u.word, u.text, u.gap, u.starts) for u in units)
    for term, form, i, j in _segment_terms(shape):
        yield Token(term, form, units[i].start, units[j].end, units[i].pos)


@lru_cache(maxsize=200_000)
def _segment_terms(shape: tuple) -> tuple[tuple[str, str, int, int], ...]:
    """(term, form, first unit, last unit) of a segment given by its units' shape."""
    units = [Unit(script, word, 0, 0, 0, starts=starts, text=text, gap=gap) for script, word, text, gap, starts in shape]
    out = []
    for i, first in enumerate(units):
        for n in range(1, min(MAX_UNITS, len(units) - i) + 1):
            whole = _stands_alone(units, i, i + n)
            mark = "" if whole else PART
            keys = [mark + k for k in index_keys(units[i:i + n])]
            if n == 3 and skips_middle(units[i:i + n]):
                keys += [PART + k for k in index_keys([first, units[i + 2]])]
            form = window_text(units[i:i + n])
            out += [(form_term(k, form), form, i, i + n - 1) for k in keys]
    return tuple(out)


def _stands_alone(units: list[Unit], i: int, j: int) -> bool:
    """Whether units[i:j] names something by itself: the whole name; or, unless the name
    starts with a place or group head (Aïn al-Assad, Kataëb Hezbollah, Deir ez-Zor), its
    surname (Macron in Emmanuel Macron) or its first names (Qassem in Qassem Soleimani).
    A single search word looks for such names; the eval's distractors (Hezbollah /
    Kataëb Hezbollah) are kept apart by the heads, users' surnames are found."""
    start = max((k for k in range(i + 1) if k == 0 or units[k].starts), default=0)
    at_start, at_end = i == start, j == len(units) or units[j].starts
    if at_start and at_end:
        return True
    if head_form(units[start].word) in NAME_HEADS or head_form(units[j - 1].word) in PARTICLES:
        return False  # Abou alone is no name of Abou Kamal
    # After Abu / ibn / Umm comes a name that is not this one (Kamal in Abou Kamal).
    return at_start or at_end and head_form(units[i - 1].word) not in PARTICLES
