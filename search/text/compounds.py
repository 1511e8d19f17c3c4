"""Words written as one with hyphens or apostrophes ("al-Bukamal", "Deir-ez-Zor"): one more term, beside their words.

The index once had a field of its own for whole words as written (``spelled``), so that
"al-Bukamal" typed ranks "al-Bukamal" above "al Bukamal"; but for all but a few words its terms
were the ``verbatim`` field's (828k and 837k postings at 5k reports). Now ``verbatim`` holds its
words and, for each run of words written without a space between them, that run as one term at
the position of its first word::

    >>> from search.text.filters import ElisionFilter
    >>> from search.text.tokenizers import WordTokenizer
    >>> verbatim = WordTokenizer() | ElisionFilter() | CompoundFilter()
    >>> verbatim.texts("d’al-Bukamal, à Deir ez-Zor")
    ['al', 'Bukamal', 'al-Bukamal', 'à', 'Deir', 'ez', 'Zor', 'ez-Zor']
    >>> verbatim.texts("d’al-Bukamal", query=True), typed_spellings(verbatim, "d’al-Bukamal")
    (['al', 'Bukamal'], ['al-Bukamal'])

A query's words are never joined (a phrase is searched word by word); the spelling as typed is
looked up with :func:`typed_spellings`.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from search.text.analyzers import Analyzer, Filter, Token

_JOINED_GAP_MAX = 8  # the gap the tokenizer keeps (``tokenizers._GAP_MAX``): a longer one is not known whole


def _joined(token: Token) -> bool:
    """Whether the word follows the one before with no space between them (a hyphen, an apostrophe...)."""
    gap = token.gap
    return 0 < len(gap) < _JOINED_GAP_MAX and not any(c.isspace() for c in gap)


def runs(tokens: Iterable[Token]) -> Iterator[list[Token]]:
    """The tokens in runs of words written without a space between them."""
    run: list[Token] = []
    for t in tokens:
        if run and not _joined(t):
            yield run
            run = []
        run.append(t)
    if run:
        yield run


def compound(run: list[Token]) -> Token:
    """A run of words as one term: their spellings and what joins them, the first one's position."""
    text = run[0].text + "".join(t.gap + t.text for t in run[1:])
    return Token(text, text, run[0].start, run[-1].end, run[0].pos, run[0].gap)


class CompoundFilter(Filter):
    """Each word, and after a run of two words or more written as one, the run as one term (not for a query)."""

    def __call__(self, tokens, query=False):
        if query:
            yield from tokens
            return
        for run in runs(tokens):
            yield from run
            if len(run) > 1:
                yield compound(run)


def typed_spellings(analyzer: Analyzer, text: str) -> list[str]:
    """The terms of ``text`` as written, as ``analyzer`` indexes them with a :class:`CompoundFilter`:
    one per run of words written as one ("al-Bukamal"), a word alone otherwise."""
    return [compound(run).text for run in runs(analyzer(text, query=True))]
