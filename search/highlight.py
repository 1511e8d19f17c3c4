"""Highlighting, a four-step pipeline as in Whoosh's ``highlight.py``:

1. analyze the text with each field's analyzer, keeping character spans;
2. keep the spans whose token is one of the query's terms in that field
   (so variant spellings are marked: the ``names`` field's keys span them);
3. choose a window of the text (a snippet) or take it whole (the report view);
4. format: escape every character of the text, add only ``<mark>`` around spans.

The formatter's output is the only HTML that the templates mark safe.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from search.text.analysis import WORD_RE, FanOut, fold_accents
from search.fields import FIELD_ANALYZERS
from search.names.keys import FORM_SEP

Span = tuple[int, int]
FANOUT = FanOut(FIELD_ANALYZERS)  # one pass over the text for all fields, word-level steps per distinct word


PHRASE = "phrase:"   # a terms key "phrase:<field>" holds phrases, their words joined by PHRASE_SEP
PHRASE_SEP = "\x00"


def find_spans(text: str, terms: dict[str, set[str]]) -> list[Span]:
    """Character spans of the query's terms in ``text``, merged where they overlap;
    a quoted phrase is one span from its first word to its last, never its words apart."""
    words = {k: v for k, v in terms.items() if not k.startswith(PHRASE) and k != NAMES}
    phrases = {k[len(PHRASE):]: v for k, v in terms.items() if k.startswith(PHRASE) and v}
    blocks = _paragraphs(text) if phrases or terms.get(NAMES) else []
    return _merge(FANOUT.spans(text, words) + _phrase_spans(text, blocks, phrases)
                  + _name_spans(blocks, terms.get(NAMES)))


NAMES = "names"
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # a name never runs over a blank line (names._joins)


def _name_spans(blocks: list[tuple[int, str, str]], wanted: set[str] | None) -> list[Span]:
    """Spans of the ``names`` terms, the name analyzer run only over the paragraphs that
    write a word of one of their spellings: it is the costliest analyzer by far, and a
    report names the searched place in a few of its paragraphs."""
    if not wanted:
        return []
    needles = {n for term in wanted for n in _needles(term)}
    return [(start + s, start + e) for start, block, folded in blocks if any(n in folded for n in needles)
            for s, e in FANOUT.spans(block, {NAMES: wanted})]


def _paragraphs(text: str) -> list[tuple[int, str, str]]:
    """(offset, paragraph, its folded text) of each paragraph that holds more than spaces."""
    out, start = [], 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        block = text[start:end]
        if block.strip():
            out.append((start, block, _fold(block)))
        start = brk.end() if brk else end
    return out


def _needles(term: str) -> list[str]:
    """Folded words that a text holding ``term`` must write: its spelling's longest word."""
    key, sep, form = term.partition(FORM_SEP)
    spelling = form if sep else key.split(":", 1)[-1]
    words = WORD_RE.findall(_fold(spelling))
    return [max(words, key=len)] if words else [""]


def _fold(text: str) -> str:
    return fold_accents(text).lower()


def _phrase_spans(text: str, blocks: list[tuple[int, str, str]], phrases: dict[str, set[str]]) -> list[Span]:
    """Spans of whole phrases, each looked for in the paragraphs that hold the first letters of all
    its words (in the whole text only when no paragraph alone holds it: a phrase over a break)."""
    out: list[Span] = []
    for field, wanted in phrases.items():
        for phrase in wanted:
            words = phrase.split(PHRASE_SEP)
            starts = [_fold(w)[:3] for w in words]
            found = [(start + s, start + e) for start, block, folded in blocks if all(n in folded for n in starts)
                     for s, e in _phrase_in(block, field, words)]
            # Over a break: the words' letters are each in some paragraph.
            if not found and all(any(n in folded for _, _, folded in blocks) for n in starts):
                found = _phrase_in(text, field, words)
            out += found
    return out


def _phrase_in(text: str, field: str, words: list[str]) -> list[Span]:
    tokens = FANOUT.tokens(text, only={field}).get(field, [])
    out: list[Span] = []
    for i in (i for i, t in enumerate(tokens) if t[0] == words[0]):
        window = tokens[i:i + len(words)]
        if [t[0] for t in window] == words and _adjacent(window):
            out.append((window[0][1], window[-1][2]))
    return out


def _adjacent(tokens) -> bool:
    return all(b[3] - a[3] <= 2 for a, b in zip(tokens, tokens[1:]))  # slop 1, as the search


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spans: list[Span], offset: int = 0) -> Markup:
    """``text`` escaped, with ``<mark>`` around each span (spans relative to ``offset``)."""
    out, at = [], 0
    for start, end in spans:
        start, end = max(start - offset, at), min(end - offset, len(text))
        if start >= end:
            continue
        out += [escape(text[at:start]), Markup("<mark>"), escape(text[start:end]), Markup("</mark>")]
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def spellings(text: str, spans: list[Span]) -> list[str]:
    """The distinct spellings that matched, in the order they first appear."""
    return list(dict.fromkeys(" ".join(text[s:e].split()) for s, e in spans))


@dataclass
class Window:
    start: int
    end: int


def best_window(text: str, spans: list[Span], width: int) -> Window:
    """The ``width`` characters holding the most spans, starting a little before the first.

    Two pointers over the sorted spans: linear however many matches a paste holds.
    """
    if not spans:
        return _snap(text, 0, width)
    best, best_count, last = 0, 0, 0
    for first, (start, _) in enumerate(spans):
        last = max(last, first)
        while last < len(spans) and spans[last][1] <= start + width:
            last += 1
        if last - first > best_count:
            best, best_count = first, last - first
    lead = min(width // 5, spans[best][0])
    return _snap(text, spans[best][0] - lead, width)


SNAP_CHARS = 30  # how far a window may widen to reach a word boundary


def _snap(text: str, start: int, width: int) -> Window:
    """Widen to whole words at both ends, by at most SNAP_CHARS (minified text has no spaces)."""
    start = max(0, start)
    floor = max(0, start - SNAP_CHARS)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + SNAP_CHARS:
        end += 1
    return Window(start, end)


def snippet(text: str, spans: list[Span], width: int) -> Markup:
    """A window of ``text`` around its matches, escaped and marked, one line."""
    w = best_window(text, spans, width)
    inside = [(s, e) for s, e in spans if e > w.start and s < w.end]
    body = mark(text[w.start:w.end].replace("\n", " "), inside, offset=w.start)
    return Markup("").join([Markup("… ") if w.start > 0 else "", body, Markup(" …") if w.end < len(text) else ""])


def unmark(marked: str, before: str = "", after: str = "") -> str:
    """Plain text back from :func:`mark`'s or :func:`snippet`'s output, each match between ``before`` and ``after``.

    Exact because the formatter escaped every character of the text: a ``<mark>`` in it is ours.
    """
    return html.unescape(str(marked).replace("<mark>", before).replace("</mark>", after))


def paragraphs(text: str, spans: list[Span]) -> list[Markup]:
    """The whole text as marked paragraphs (blank lines separate them).

    One pass over the sorted spans: a huge paste of short matching lines stays linear.
    """
    out, at, first = [], 0, 0
    for block in text.split("\n\n"):
        start, end = at, at + len(block)
        at = end + 2
        while first < len(spans) and spans[first][1] <= start:
            first += 1
        last = first
        while last < len(spans) and spans[last][0] < end:
            last += 1
        if block.strip():
            out.append(mark(block, spans[first:last], offset=start))
    return out


JUMPS = 500  # matches given previous/next links in a report; past that, only their anchors
_MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.S)


def anchored(marked: list[Markup]) -> tuple[list[Markup], int]:
    """The report's marked paragraphs with each match numbered (``id="m3"``) and followed by links
    to the matches before and after it: moving between them needs no script. Returns the count.

    Safe on the formatter's output only: its text is escaped, so every ``<mark>`` is ours.
    """
    total = sum(str(p).count("<mark>") for p in marked)
    seen = 0

    def number(match: re.Match) -> str:
        nonlocal seen
        seen += 1
        n = seen
        links = ""
        if n <= JUMPS:
            links = (f'<a class="jump" href="#m{n - 1}" aria-label="occurrence précédente">‹</a>' if n > 1 else "")
            links += (f'<a class="jump" href="#m{n + 1}" aria-label="occurrence suivante">›</a>' if n < total else "")
        return f'<mark id="m{n}">{match.group(1)}</mark>{links}'

    return [Markup(_MARK_RE.sub(number, str(p))) for p in marked], total
