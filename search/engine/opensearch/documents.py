"""A report as OpenSearch receives it: our analyzers' tokens, never the cluster's own analysis.

Each text field is sent as the Python analyzer's tokens joined by single spaces, and mapped
to the built-in ``whitespace`` analyzer, so the cluster indexes exactly our terms at the
positions our analyzer gave them (phrases need ``verbatim`` and ``folded``, whose positions
follow one another). The ``names`` terms (``key<US>form``: U+001F is whitespace to Java) go
as a ``keyword`` array.

Two limits of that analyzer are ours to keep, the same way at indexing and at query time
(``as_term``), so that a token stays one term and the term a query looks for is the one indexed:

- a character Java counts as whitespace would split a token in two. Our tokenizers split on
  whitespace, but folding does not promise none comes back: ``unidecode`` spells a CJK character
  with a trailing space (the mojibake ``actualit頻`` folds to ``actualitPin ``, ``Tour頠A`` to
  ``tourWei a``). Such a character becomes a no-break space (U+00A0, not whitespace to Java);
- Lucene cuts a token at 255 UTF-16 units: a longer one is cut here, a surrogate pair never split.

A report longer than ``max_indexed_chars`` is analysed up to its ``limit`` (``Report.searchable``),
its ``body`` is that opening (what hits and its page read) and its whole text goes in
``fulltext``, kept in ``_source`` and read only by ``Engine.text``, as on the Whoosh side.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from search import settings
from search.text.fanout import FanOut
from search.ingest.dates import day_number
from search.fields import FIELD_ANALYZERS
from search.names.terms import FORM_SEP, SPELLING
from search.ingest.reports import Report

FANOUT = FanOut(FIELD_ANALYZERS)
PRETOKENIZED = ("verbatim", "folded", "stem")
# java.lang.Character.isWhitespace: the space separators but the no-break ones, and \t-\r, U+001C-U+001F.
JAVA_WHITESPACE = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f \u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]")
MAX_TOKEN_UNITS = 255  # Lucene's CharTokenizer cuts a token there (UTF-16 units)
NO_BREAK = "\u00a0"


def doc_id(report_id: str) -> str:
    """The document's ``_id``: a report id reaches 1,000 characters, an ``_id`` at most 512 bytes."""
    return hashlib.sha256(report_id.encode("utf-8", "surrogatepass")).hexdigest()


def as_term(token: str) -> str:
    """The token as one term of the cluster's ``whitespace`` analyzer (see the module's doc)."""
    if JAVA_WHITESPACE.search(token):
        token = JAVA_WHITESPACE.sub(NO_BREAK, token)
    if len(token) <= MAX_TOKEN_UNITS // 2:
        return token or NO_BREAK  # an empty token keeps its position too
    units = 0
    for i, ch in enumerate(token):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > MAX_TOKEN_UNITS:
            return token[:i]
    return token


def joined(tokens: list[str]) -> str:
    """Tokens as one whitespace-separated string: one term each, at the position it had."""
    return " ".join(as_term(t) for t in tokens)


def in_place(tokens: list[tuple[str, int, int, int]]) -> list[str]:
    """A field's terms in the order of their positions: a run of words written as one (``verbatim``'s
    "al-Bukamal", at its first word's position) goes after the words, where it shifts none of them
    (a phrase is searched word by word, never through it)."""
    seen: set[int] = set()
    words: list[str] = []
    more: list[str] = []
    for text, _, _, pos in tokens:
        (more if pos in seen else words).append(text)
        seen.add(pos)
    return words + more


def month(start: int, end: int) -> str | None:
    """``YYYY-MM`` for a period inside one month (the month facet's rule); None otherwise."""
    if start <= 0 or start // 100 != end // 100:
        return None
    return f"{start // 10000:04d}-{start // 100 % 100:02d}"


@dataclass
class Analyzed:
    """One report's document, and the lexicon terms it holds (each once)."""
    id: str
    source: dict
    forms: set[str] = field(default_factory=set)   # names terms key<US>form
    words: set[str] = field(default_factory=set)   # folded words
    lowers: set[str] = field(default_factory=set)  # words written in lower case (verbatim terms)
    spellings: set[str] = field(default_factory=set)  # names as written (``v:`` terms), for completion


def lexicon_terms(source: dict) -> Analyzed:
    """Only what a stored report (its ``_source``: title, body, limit) counts in the lexicon: an update
    subtracting a report it replaces analyses again what was analysed then."""
    stored = Report(source["id"], source.get("title", ""), source.get("body", ""), None, None, "", "",
                    limit=source.get("limit"))
    tokens = FANOUT.tokens(stored.searchable(), only=("names", "folded", "verbatim"))
    return Analyzed("", {}, _forms(tokens), _words(tokens), _lowers(tokens), _spellings(tokens))


def _forms(tokens: dict) -> set[str]:
    return {t[0] for t in tokens["names"] if FORM_SEP in t[0]}


def _words(tokens: dict) -> set[str]:
    return {as_term(t[0]) for t in tokens["folded"]}


def _spellings(tokens: dict) -> set[str]:
    return {t[0] for t in tokens["names"] if t[0].startswith(SPELLING)}


def _lowers(tokens: dict) -> set[str]:
    return {as_term(t[0]) for t in tokens["verbatim"] if t[0] == t[0].lower()}


def analyzed(report: Report) -> Analyzed:
    tokens = FANOUT.tokens(report.searchable())
    names = sorted({t[0] for t in tokens["names"]})
    doc: dict[str, object] = {"id": report.id, "title": report.title, "body": report.text, "path": report.path,
                              "hash": report.hash, **{f: joined(in_place(tokens[f])) for f in PRETOKENIZED},
                              "names": names}
    if report.limit is not None:
        doc["limit"] = report.limit  # what an update's lexicon subtraction analyses again
    opening = int(settings.get("max_indexed_chars"))
    if len(report.text) > opening:
        doc.update(body=report.text[:opening], length=len(report.text), fulltext=report.text)
    if report.source:
        doc["source"] = report.source
    if report.date:
        start, end = day_number(report.date.start), day_number(report.date.end)
        doc.update(date_start=start, date_end=end, precision=report.date.precision)
        if month(start, end):
            doc["month"] = month(start, end)
    return Analyzed(report.id, doc, _forms(tokens), _words(tokens), _lowers(tokens), _spellings(tokens))


@dataclass
class LexiconCounts:
    """Reports per name form, folded word, word written in lower case and name as written, summed over reports."""
    forms: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    lowers: Counter = field(default_factory=Counter)
    spellings: Counter = field(default_factory=Counter)

    def add(self, a: Analyzed, sign: int = 1) -> None:
        for counts, terms in ((self.forms, a.forms), (self.words, a.words), (self.lowers, a.lowers),
                              (self.spellings, a.spellings)):
            for t in terms:
                counts[t] += sign

    def merge(self, other: "LexiconCounts") -> None:
        self.forms.update(other.forms)
        self.words.update(other.words)
        self.lowers.update(other.lowers)
        self.spellings.update(other.spellings)
