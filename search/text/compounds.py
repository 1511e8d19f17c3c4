"""Words written as one with hyphens or apostrophes ("al-Bukamal", "Deir-ez-Zor"): one more term, beside their words.

The index once had a field of its own for whole words as written (``spelled``), so that
"al-Bukamal" typed ranks "al-Bukamal" above "al Bukamal", and "‘Adan" above "`Adan"; but for all
but a few words its terms were the ``verbatim`` field's (828k and 837k postings at 5k reports).
Now ``verbatim`` holds its words and, where a whitespace-separated chunk is written with more than
one word's letters (words joined by a hyphen or an apostrophe, an ʿayn mark before or after), that
spelling as one term at the position of its first word::

    >>> from search.text.filters import ElisionFilter
    >>> from search.text.tokenizers import WordTokenizer
    >>> verbatim = WordTokenizer() | ElisionFilter() | CompoundFilter()
    >>> verbatim.texts("d’al-Bukamal, à Deir ez-Zor")
    ['al', 'Bukamal', 'al-Bukamal', 'à', 'Deir', 'ez', 'Zor', 'ez-Zor']
    >>> verbatim.texts("‘Adan, San'a' et l’armée")
    ['Adan', '‘Adan', "San'a", "San'a'", 'et', 'armée']
    >>> verbatim.texts("d’al-Bukamal", query=True), typed_spellings(verbatim, "d’al-Bukamal, San'a'")
    (['al', 'Bukamal'], ['al-Bukamal', "San'a'"])

A query's words are never joined (a phrase is searched word by word); the spelling as typed is
looked up with :func:`typed_spellings`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

from search.text.analyzers import Analyzer, Filter, Token
from search.text.fold import APOSTROPHES
from search.text.tokenizers import CHUNK_EDGES

_JOINED_GAP_MAX = 8  # the gap the tokenizer keeps (``tokenizers._GAP_MAX``): a longer one is not known whole
_ELIDED = re.compile(rf"[^\W\d_]+[{APOSTROPHES}]$")  # what ElisionFilter moved into a gap (a gap has no letters)
_SPACE = re.compile(r"\s")


@lru_cache(maxsize=4096)
def _joins(gap: str) -> bool:
    """Whether a word after this gap follows the one before with no space between them (a hyphen, an
    apostrophe...). Gaps are few distinct strings (" ", ", ", "-"): each is looked at once."""
    return 0 < len(gap) < _JOINED_GAP_MAX and not _SPACE.search(gap)


@lru_cache(maxsize=4096)
def _lead(gap: str) -> tuple[str, int]:
    """What of a word's gap belongs to its chunk's spelling ("‘" of "‘Adan"), and the length of the
    article elided from it ("d’" of "d’Alep": no part of the spelling)."""
    if len(gap) >= _JOINED_GAP_MAX:
        return "", 0
    lead = _SPACE.split(gap)[-1].lstrip(CHUNK_EDGES)
    elided = _ELIDED.search(lead)
    if elided and elided.start() == 0:
        return "", 0  # "d’Alep" is Alep's spelling
    return lead, len(elided.group()) if elided else 0


@lru_cache(maxsize=4096)
def _trail(after: str) -> str:
    return _SPACE.split(after, 1)[0].rstrip(CHUNK_EDGES)


def runs(tokens: Iterable[Token]) -> Iterator[tuple[list[Token], str]]:
    """The tokens in runs of words written without a space between them, each with what follows
    its last word up to the next space (as far as the next word's gap tells)."""
    run: list[Token] = []
    for t in tokens:
        if run and not _joins(t.gap):
            yield run, t.gap if len(t.gap) < _JOINED_GAP_MAX else ""
            run = []
        run.append(t)
    if run:
        yield run, ""


def compound(run: list[Token], after: str = "") -> Token:
    """A run of words as written, as one term: from the first word's lead (what stands before it since
    the last space: "‘Adan") to what follows the last one ("San'a'"), edge punctuation and an elided
    article aside (the spelling of a whitespace-separated chunk, ``ChunkTokenizer | ElisionFilter``)."""
    first = run[0]
    lead, elided = _lead(first.gap)
    trail = _trail(after)
    text = lead + first.text + "".join(t.gap + t.text for t in run[1:]) + trail
    start = first.start - len(lead) - (elided if lead else 0)
    return Token(text, text, start, run[-1].end + len(trail), first.pos, first.gap)


class CompoundFilter(Filter):
    """Each word, and after a word or run of words written with more than a word's letters (a hyphen,
    an apostrophe before or after: "al-Bukamal", "‘Adan"), that spelling as one term (not for a query)."""

    changes = False  # the words pass through as they are; a spelling is a new token

    def __call__(self, tokens, query=False):
        if query:
            yield from tokens
            return
        for run, after in runs(tokens):
            yield from run
            if len(run) > 1 or _lead(run[0].gap)[0] or _trail(after):
                yield compound(run, after)


def typed_spellings(analyzer: Analyzer, text: str) -> list[str]:
    """The terms of ``text`` as written, as ``analyzer`` indexes them with a :class:`CompoundFilter`:
    one per run of words written as one ("al-Bukamal", "‘Adan"), a word alone otherwise."""
    found = list(runs(analyzer(text, query=True)))
    if found:  # what follows the last word: the text says it (an indexed text's last word has no trail)
        found[-1] = (found[-1][0], text[found[-1][0][-1].end:])
    return [compound(run, after).text for run, after in found]


def written_otherwise(spellings: list[str], i: int) -> list[str]:
    """The chunks that write ``spellings[i]`` (a word typed alone) with more than its letters: an apostrophe
    or ʿayn mark before or after it ("‘Adan" for Adan typed), or the words typed next to it joined by a
    hyphen ("al-Asad" for "al Asad" typed). A text that writes one of these does not write it as typed.

        >>> written_otherwise(["Ayn", "al", "Asad"], 2)[-2:], written_otherwise(["Adan"], 0)[:2]
        (['Ayn-al-Asad', 'al-Asad'], ["'Adan", '’Adan'])
    """
    word = spellings[i]
    out = [mark + word for mark in APOSTROPHES] + [word + mark for mark in APOSTROPHES]
    out += ["-".join(spellings[start:end]) for start in range(i + 1) for end in range(i + 1, len(spellings) + 1)
            if end - start > 1]
    return out
