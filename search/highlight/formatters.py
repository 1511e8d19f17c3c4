"""Formatters: an excerpt written out for its reader, the page's HTML or a terminal's plain text."""
from __future__ import annotations

from markupsafe import Markup, escape

from search.highlight.excerpts import Excerpt

ELLIPSIS = "…"


class HtmlFormatter:
    """Every character of the text escaped; ``<mark>`` around each span, and nothing else.

    >>> HtmlFormatter().format(Excerpt("Alep <b>", ((0, 4),)))
    Markup('<mark>Alep</mark> &lt;b&gt;')
    """

    JUMPS = 500  # matches given previous/next links in a report; past that, only their anchors

    def format(self, excerpt: Excerpt) -> Markup:
        return self._join(excerpt, [escape(p) if not marked else Markup("<mark>%s</mark>") % p
                                    for p, marked in _pieces(excerpt)])

    def numbered(self, excerpts: list[Excerpt]) -> tuple[list[Markup], int]:
        """Each match numbered (``id="m3"``) and followed by links to the matches before and after it:
        moving between them needs no script. Returns the formatted excerpts and the count."""
        total = sum(len(e.spans) for e in excerpts)
        seen = 0
        out = []
        for excerpt in excerpts:
            parts = []
            for piece, marked in _pieces(excerpt):
                if marked:
                    seen += 1
                    parts.append(Markup('<mark id="m%d">%s</mark>') % (seen, piece) + self._jumps(seen, total))
                else:
                    parts.append(escape(piece))
            out.append(self._join(excerpt, parts))
        return out, total

    def _jumps(self, n: int, total: int) -> Markup:
        if n > self.JUMPS:
            return Markup("")
        before = Markup('<a class="jump" href="#m%d" aria-label="occurrence précédente">‹</a>') % (n - 1) if n > 1 else ""
        after = Markup('<a class="jump" href="#m%d" aria-label="occurrence suivante">›</a>') % (n + 1) if n < total else ""
        return Markup("").join([before, after])

    @staticmethod
    def _join(excerpt: Excerpt, parts: list) -> Markup:
        lead = [Markup(ELLIPSIS + " ")] if excerpt.cut_before else []
        tail = [Markup(" " + ELLIPSIS)] if excerpt.cut_after else []
        return Markup("").join(lead + parts + tail)


class TextFormatter:
    """Plain text, each match between ``before`` and ``after`` (``[Alep]`` on a terminal; as is in a CSV).

    >>> TextFormatter("[", "]").format(Excerpt("près d'Alep", ((7, 11),), cut_before=True))
    "… près d'[Alep]"
    """

    def __init__(self, before: str = "", after: str = ""):
        self.before, self.after = before, after

    def format(self, excerpt: Excerpt) -> str:
        body = "".join(f"{self.before}{p}{self.after}" if marked else p for p, marked in _pieces(excerpt))
        return (ELLIPSIS + " " if excerpt.cut_before else "") + body + (" " + ELLIPSIS if excerpt.cut_after else "")


def _pieces(excerpt: Excerpt) -> list[tuple[str, bool]]:
    """The text cut at its spans: (piece, whether it is a match), in order, overlaps taken once."""
    out, at, text = [], 0, excerpt.text
    for start, end in excerpt.spans:
        start, end = max(start, at), min(end, len(text))
        if start >= end:
            continue
        out += [(text[at:start], False), (text[start:end], True)]
        at = end
    out.append((text[at:], False))
    return [(p, m) for p, m in out if p or m]
