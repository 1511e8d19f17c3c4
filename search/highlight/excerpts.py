"""Excerpts: a window of a text with the spans inside it, what every formatter writes out."""
from __future__ import annotations

from dataclasses import dataclass

from search.highlight.spans import Span

SNAP_CHARS = 30  # how far a window may widen to reach a word boundary


@dataclass(frozen=True)
class Excerpt:
    """``text`` (a window of a longer text, or all of it) and the spans in it, relative to it.

    ``cut_before`` / ``cut_after``: the longer text goes on that side (a formatter writes '…').
    """
    text: str
    spans: tuple[Span, ...] = ()
    cut_before: bool = False
    cut_after: bool = False


def whole(text: str, spans: list[Span]) -> Excerpt:
    return Excerpt(text, tuple(spans))


def snippet(text: str, spans: list[Span], width: int) -> Excerpt:
    """A window of ``text`` around its matches, on one line."""
    start, end = best_window(text, spans, width)
    inside = tuple((max(s, start) - start, min(e, end) - start) for s, e in spans if e > start and s < end)
    return Excerpt(text[start:end].replace("\n", " "), inside, start > 0, end < len(text))


def fitted(text: str, spans: list[Span], width: int) -> Excerpt:
    """The text whole when it fits ``width``, else a window around its matches (a one-line paste is all title)."""
    return whole(text, spans) if len(text) <= width else snippet(text, spans, width)


def best_window(text: str, spans: list[Span], width: int) -> tuple[int, int]:
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


def _snap(text: str, start: int, width: int) -> tuple[int, int]:
    """Widen to whole words at both ends, by at most SNAP_CHARS (minified text has no spaces)."""
    start = max(0, start)
    floor = max(0, start - SNAP_CHARS)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + SNAP_CHARS:
        end += 1
    return start, end


def paragraphs(text: str, spans: list[Span]) -> list[Excerpt]:
    """The whole text as paragraphs (blank lines separate them), each with its spans.

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
            inside = tuple((max(s, start) - start, min(e, end) - start) for s, e in spans[first:last])
            out.append(Excerpt(block, inside))
    return out
