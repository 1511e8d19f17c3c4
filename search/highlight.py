"""Highlighting, a four-step pipeline as in Whoosh's ``highlight.py``:

1. analyze the text with each field's analyzer, keeping character spans;
2. keep the spans whose token is one of the query's terms in that field
   (so variant spellings are marked: the ``names`` field's keys span them);
3. choose a window of the text (a snippet) or take it whole (the report view);
4. format: escape every character of the text, add only ``<mark>`` around spans.

The formatter's output is the only HTML that the templates mark safe.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from .analysis import FanOut
from .fields import FIELD_ANALYZERS

Span = tuple[int, int]
FANOUT = FanOut(FIELD_ANALYZERS)  # one pass over the text for all fields, word-level steps per distinct word


def find_spans(text: str, terms: dict[str, set[str]]) -> list[Span]:
    """Character spans of the query's terms in ``text``, merged where they overlap."""
    return _merge(FANOUT.spans(text, terms))


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
    """The ``width`` characters holding the most spans, starting a little before the first."""
    if not spans:
        return _snap(text, 0, width)
    best, best_count = spans[0], 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best, best_count = spans[i], count
    lead = min(width // 5, best[0])
    return _snap(text, best[0] - lead, width)


def _snap(text: str, start: int, width: int) -> Window:
    """Widen to whole words at both ends."""
    start = max(0, start)
    while 0 < start < len(text) and not text[start - 1].isspace():
        start -= 1
        if start == 0:
            break
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    return Window(start, end)


def snippet(text: str, spans: list[Span], width: int) -> Markup:
    """A window of ``text`` around its matches, escaped and marked, one line."""
    w = best_window(text, spans, width)
    inside = [(s, e) for s, e in spans if e > w.start and s < w.end]
    body = mark(text[w.start:w.end].replace("\n", " "), inside, offset=w.start)
    return Markup("").join([Markup("… ") if w.start > 0 else "", body, Markup(" …") if w.end < len(text) else ""])


def paragraphs(text: str, spans: list[Span]) -> list[Markup]:
    """The whole text as marked paragraphs (blank lines separate them)."""
    out, at = [], 0
    for block in text.split("\n\n"):
        start = text.index(block, at)
        end = start + len(block)
        inside = [(s, e) for s, e in spans if e > start and s < end]
        if block.strip():
            out.append(mark(block, inside, offset=start))
        at = end
    return out
