"""One outlet under several names (L'Opinion / Lopinion.fr, LeHuffPost / Huffington Post):
the analyst's file of sources to merge, applied at search time, read without a rebuild.

The file (setting ``sources``: ``$SEARCH_SOURCES``, ``server.py --sources FILE``, default
``sources.tsv`` beside the index folder) has the alias file's format, one row an outlet,
the name to show first:

    L'Opinion, Lopinion.fr<TAB>the site's name in the older reports
    LeHuffPost, Huffington Post, HuffPost

A name matches a report's source case and accents aside. The facets count an outlet once,
under its first name; ticking it keeps every report of any of its names; a hit shows it under
its first name. The index keeps each report's source as written: removing a row undoes it.

    >>> merge = SourceMerge((("L'Opinion", "Lopinion.fr"),))
    >>> merge.name("lopinion.fr"), merge.name("AFP")
    ("L'Opinion", 'AFP')
    >>> sorted(merge.counts({"Lopinion.fr": 2, "L'Opinion": 1, "AFP": 4}).items())
    [('AFP', 4), ("L'Opinion", 3)]
    >>> merge.expand(("L'Opinion",), ["L'Opinion", "Lopinion.fr", "AFP"])
    ("L'Opinion", 'Lopinion.fr')
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Iterable, Mapping

from search.names.aliases import AliasFile, Rows
from search.text.fold import fold


class SourceMerge:
    """One snapshot of the file: each name's outlet, by its folded form."""

    def __init__(self, rows: Rows = ()):
        self.rows = rows
        self._outlet: dict[str, str] = {}
        for row in rows:
            for name in row:
                self._outlet.setdefault(fold(name), row[0])

    def __bool__(self) -> bool:
        return bool(self._outlet)

    def name(self, source: str | None) -> str | None:
        """The name a source is shown under: its outlet's first name, else its own."""
        if source is None or not self._outlet:
            return source
        return self._outlet.get(fold(source), source)

    def counts(self, counts: Mapping[str, int]) -> Counter:
        """Reports per source, each outlet once under its first name."""
        merged: Counter = Counter()
        for source, n in counts.items():
            merged[self.name(source) or source] += n
        return merged

    def expand(self, chosen: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
        """The sources to filter on: each chosen one with every name of its outlet that the index knows."""
        chosen = tuple(chosen)
        if not self._outlet or not chosen:
            return chosen
        outlets = {self.name(s) for s in chosen}
        return tuple(dict.fromkeys(chosen + tuple(s for s in known if self.name(s) in outlets)))


class SourceTable:
    """The analyst's file of sources to merge, read again when it changes (``AliasFile``'s check)."""

    def __init__(self, path: Path | None = None):
        self.file = AliasFile(path)
        self._rows: Rows | None = None
        self._merge = SourceMerge()

    @property
    def path(self) -> Path | None:
        return self.file.path

    def merge(self) -> SourceMerge:
        rows = self.file.rows()
        if rows is not self._rows:
            self._rows, self._merge = rows, SourceMerge(rows)
        return self._merge
