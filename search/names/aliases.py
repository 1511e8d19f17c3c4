"""Names that no spelling rule reaches (Alep / Halab, Daech / État islamique / EI).

Two files of the same format, one row a name:

    Alep, Aleppo, Halab, Haleb, حلب<TAB>where the spellings come from (optional)

- ``search/data/exonyms.tsv``, shipped: exonyms, Kurdish and Turkish names, classical
  names. A spelling written ``=Name`` is no transliteration and is never folded.
- the analyst's own file (setting ``aliases``: ``$SEARCH_ALIASES``, default
  ``aliases.tsv`` beside the index folder): read again whenever it changes, so a new
  alias works at the next search, without a rebuild.

A query naming any spelling of a row also looks for every other spelling of it, as
written (accents aside). The rows reach the query side as an argument (``AliasTable.rows``,
one snapshot per search), never through a module's state.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from search.text.fold import fold

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "exonyms.tsv"

Rows = tuple[tuple[str, ...], ...]


def read_rows(path: Path) -> Rows:
    """The spellings of each row of an alias file; a missing or unreadable file has none."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ()
    rows = (tuple(s.strip() for s in line.split("\t")[0].split(",") if s.strip())
            for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return tuple(row for row in rows if len(row) > 1)


SHIPPED_ROWS = read_rows(SHIPPED)  # read once: the shipped table only changes with the code


@lru_cache(maxsize=1)
def fixed_names() -> frozenset[str]:
    """Spellings written =Name in the shipped exonyms file, folded: names that are never folded
    (the index depends on them, so the analyst's file, read without a rebuild, has no say)."""
    return frozenset(fold(s[1:]) for row in SHIPPED_ROWS for s in row if s.startswith("="))


class AliasFile:
    """An analyst's alias file, read again when its size or time changes."""

    def __init__(self, path: Path | None):
        self.path = Path(path) if path else None
        self._stamp: tuple | None = None
        self._rows: Rows = ()

    def rows(self) -> Rows:
        if self.path is None:
            return ()
        try:
            st = os.stat(self.path)
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp != self._stamp:
            self._stamp, self._rows = stamp, read_rows(self.path) if stamp else ()
        return self._rows


class AliasTable:
    """The alias rows a service searches with: the shipped table, then the analyst's file.

    >>> AliasTable(None).rows() == SHIPPED_ROWS
    True
    """

    def __init__(self, analyst_file: Path | None = None, shipped: Rows = SHIPPED_ROWS):
        self.shipped = shipped
        self.analyst = AliasFile(analyst_file)

    def rows(self) -> Rows:
        """The rows now, read once: a search plans with one snapshot (hashable: plans are cached by it)."""
        return self.shipped + self.analyst.rows()
