"""What reading a report folder yields: a :class:`Report` to index, a :class:`Skipped` file or line
and why, or an :class:`Unchanged` file the live generation's ledger vouches for."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from search.ingest.dates import Period


@dataclass
class Report:
    """One report, ready to index."""

    id: str            # relative path without extension, "/"-separated; or the JSONL record's id
    title: str         # whole, however long: the UI truncates
    text: str          # the body, without header lines and title line
    date: Period | None
    source: str | None
    path: str          # relative path, or "file.jsonl.gz#<id>"
    hash: str          # sha1 of the raw bytes (the file, or the JSONL line)
    warnings: list[str] = field(default_factory=list)  # e.g. "lu en cp1252"
    limit: int | None = None  # characters of title and text analysed, the rest stored only (None: all)
    stat: os.stat_result | None = field(default=None, repr=False)  # its file's, as opened (a text file's)

    def searchable(self) -> str:
        """What an engine analyses: the title, a blank line and the text, up to ``limit`` characters."""
        if self.limit is None:
            return f"{self.title}\n\n{self.text}"
        return f"{self.title[:self.limit]}\n\n{self.text[:max(0, self.limit - len(self.title))]}"[:self.limit]


@dataclass
class Skipped:
    """A file, folder or JSONL line that gave no report, and why.

    Unless ``refused``, what was indexed from its ``file`` may still be there, unread: an
    update keeps it (see :func:`comes_from`). A refused one was read and turned down by a
    rule (a duplicate id, a link out of the folder): an update drops what was indexed from it.
    """

    path: str          # relative path, or "file.jsonl#<line number>"
    reason: str
    file: str = ""     # the file or folder it is part of ("" when it is ``path`` itself)
    refused: bool = False

    def __post_init__(self) -> None:
        self.file = self.file or self.path


@dataclass
class Unchanged:
    """A file the ledger of the live generation vouches for (:class:`FileBook`): not parsed; the ids of its
    reports, as that ledger has them, already checked unique in this run."""

    file: str
    ids: list[str]
