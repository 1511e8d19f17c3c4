"""Names that no spelling rule reaches (Alep / Halab, Daech / État islamique / EI).

Two files of the same format, one row a name:

    Alep, Aleppo, Halab, Haleb, حلب<TAB>where the spellings come from (optional)

- ``search/data/exonyms.tsv``, shipped: exonyms, Kurdish and Turkish names, classical
  names. A spelling written ``=Name`` is no transliteration and is never folded.
- the analyst's own file (setting ``aliases``: ``$SEARCH_ALIASES``, default
  ``aliases.tsv`` beside the index folder): read again whenever it changes, so a new
  alias works at the next search, without a rebuild.

A query naming any spelling of a row also looks for every other spelling of it, as
written (accents aside).
"""
from __future__ import annotations

import os
from pathlib import Path

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


_SHIPPED_ROWS = read_rows(SHIPPED)
_ANALYST = AliasFile(None)


def use_analyst_file(path: Path | None) -> None:
    """Where the analyst's alias file is (the server and the command line set it)."""
    global _ANALYST
    _ANALYST = AliasFile(path)


def shipped_rows() -> Rows:
    return _SHIPPED_ROWS


def version() -> tuple:
    """Changes whenever the rows do: a cached search result is only good for one version."""
    return (id(_ANALYST), _ANALYST._stamp) if _ANALYST.rows() is not None else ()


def all_rows() -> Rows:
    """The shipped rows, then the analyst's."""
    return _SHIPPED_ROWS + _ANALYST.rows()
