"""Reading press reports from a folder: one :class:`Report` per text file or JSONL record.

::

    reports/
      004_5f5f0d47140a8dcd.txt   -> id "004_5f5f0d47140a8dcd"
      Le Monde/gaza.md           -> id "Le Monde/gaza", source "Le Monde" unless the file names one
      archive.jsonl.gz           -> one report per line, id from the record

:func:`iter_reports` yields a :class:`Report` for every report it can read
and a :class:`Skipped` for everything else (binary or empty file, bad JSON
line, duplicate id...), so one bad file never stops an indexing run.  A text file is
read by :mod:`search.ingest.textfile`, a collection by :mod:`search.ingest.jsonl`; here are
the walk, the ids' uniqueness and, for an update, the ledger's files taken as they were.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterator, Protocol

from search.ingest.files import MAX_JSONL_BYTES, Unusable, open_regular
from search.ingest.ids import id_problem
from search.ingest.items import Report, Skipped, Unchanged
from search.ingest.jsonl import Hashing, read_jsonl
from search.ingest.ledger import FileRecord, record_of, where_code, where_of
from search.ingest.textfile import read_text_file
from search.ingest.walk import JSONL_SUFFIXES, list_files

__all__ = ["Report", "Skipped", "Unchanged", "FileBook", "JSONL_SUFFIXES", "comes_from", "iter_reports", "report_files"]


class FileBook(Protocol):
    """What the reader asks of the ledgers: the old one's record of a file, and the new one's entries."""

    def known(self, path: str, info: os.stat_result) -> FileRecord | None:
        """The record of ``path`` when its size, time and inode vouch for it (the file is not opened)."""

    def same_content(self, path: str, sha1: str) -> FileRecord | None:
        """The record of ``path`` when its bytes are the ones recorded (its time or inode changed)."""

    def has(self, path: str) -> bool:
        """Whether the old ledger has a record of ``path`` at all (else there is no hash to compare)."""

    def add(self, record: FileRecord) -> None:
        """A file read whole, or vouched for: its record in the new ledger."""


def comes_from(report_path: str, place: str) -> bool:
    """Whether the report read from ``report_path`` (a ``Report.path``) lives in ``place``:
    that file, that JSONL file (``file.jsonl#id``), or a folder above it ("." is the whole folder)."""
    if place in (".", report_path):
        return True
    return report_path.startswith(place + ("#" if place.lower().endswith(JSONL_SUFFIXES) else "/"))


def iter_reports(folder: Path, follow_links: bool = False,
                 book: FileBook | None = None) -> Iterator[Report | Skipped | Unchanged]:
    """Every report under ``folder`` (or in the one file ``folder``), in path order.

    Ids are unique: a second report with an id already seen (``a.txt`` and
    ``a.md``, or a repeated JSONL id) is skipped rather than silently
    replacing the first in the index.

    A link to a file out of ``folder`` is skipped unless ``follow_links``; a link to a
    folder is never followed (either is listed as skipped).

    ``book``: the ledgers of an update. A file it vouches for is not parsed: an :class:`Unchanged`
    stands for its reports (and its skipped lines are told again); every file read whole gets a record.
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"ni dossier ni fichier de rapports : {folder}")
    root = folder if folder.is_dir() else folder.parent
    names, errors = _report_files(folder, follow_links)
    yield from errors
    seen: dict[str, str] = {}  # id -> where it was first read
    for rel in names:
        record = _vouched(root, rel, book) if book is not None else None
        replayed = _replay(record, seen) if record is not None else None
        if replayed is not None:
            book.add(record)  # type: ignore[union-attr,arg-type]
            yield from replayed
        elif rel.lower().endswith(JSONL_SUFFIXES):
            yield from _read_collection(root, rel, seen, book)
        else:
            read = read_text_file(root, rel)
            item = _unique(read, rel, rel, seen)
            if book is not None and isinstance(read, Report) and read.stat is not None:
                book.add(_recorded(rel, read.stat, read.hash, [(read.id, read.hash, 0, item is read)], []))
            yield item


def _vouched(root: Path, rel: str, book: FileBook) -> FileRecord | None:
    """The old record of a file whose stat, or else whose bytes, are as recorded (with its new stat)."""
    try:
        info = os.stat(root / rel)
    except OSError:
        return None  # the reading says why
    record = book.known(rel, info)
    if record is not None or not book.has(rel):
        return record
    try:
        with open_regular(root / rel, MAX_JSONL_BYTES) as fh:
            sha1 = hashlib.file_digest(fh, "sha1").hexdigest()  # type: ignore[arg-type]  # a real file
    except (OSError, Unusable):
        return None
    record = book.same_content(rel, sha1)
    return None if record is None else _recorded(rel, info, sha1, record.reports, record.skipped)


def _recorded(rel: str, info: os.stat_result, sha1: str, reports: list, skipped: list) -> FileRecord:
    record = record_of(rel, info, sha1)
    record.reports, record.skipped = reports, skipped
    return record


def _replay(record: FileRecord, seen: dict[str, str]) -> list[Skipped | Unchanged] | None:
    """What reading the file again would give: its skipped lines, its reports (ids checked unique) unread.

    None when a report refused last time (its id was another's) would be taken now: it must be read.
    """
    rel = record.path
    for doc_id, _, code, taken in record.reports:
        if not taken and not id_problem(doc_id) and seen.get(doc_id, where_of(rel, code)) == where_of(rel, code):
            return None
    items: list[Skipped | Unchanged] = [Skipped(path, reason, rel, refused) for path, reason, refused in record.skipped]
    kept = []
    for doc_id, _, code, taken in record.reports:
        refused = _refused(doc_id, where_of(rel, code), rel, seen, usable=taken)
        if refused is not None:
            items.append(refused)
        else:
            kept.append(doc_id)
    items.append(Unchanged(rel, kept))
    return items


def _read_collection(root: Path, rel: str, seen: dict[str, str],
                     book: FileBook | None) -> Iterator[Report | Skipped]:
    """A JSONL file's items, each id checked unique; its record for the book once read whole."""
    reader = Hashing()
    reports: list[tuple[str, str, int | str, bool]] = []
    skipped: list[tuple[str, str, bool]] = []
    whole = True
    for item, at in read_jsonl(root, rel, reader):
        taken = _unique(item, at, rel, seen)
        if isinstance(item, Report):
            reports.append((item.id, item.hash, where_code(rel, at), taken is item))
        else:
            skipped.append((item.path, item.reason, item.refused))
            whole = whole and item.path != rel  # the file itself unread (or emptied): read it again next time
        yield taken
    if book is not None and whole and reader.stat is not None:
        book.add(_recorded(rel, reader.stat, reader.hexdigest(), reports, skipped))


def _unique(item: Report | Skipped, where: str, rel: str, seen: dict[str, str]) -> Report | Skipped:
    """The report, or a Skipped when its id was already read elsewhere or could not be linked to."""
    if isinstance(item, Skipped):
        return item
    return _refused(item.id, where, rel, seen) or item


def _refused(doc_id: str, where: str, rel: str, seen: dict[str, str], usable: bool = False) -> Skipped | None:
    """A Skipped when the id is unusable or was already read elsewhere; None when it is this run's first.
    ``usable``: the id was taken when last read (it was usable then, and what makes one usable is fixed)."""
    problem = None if usable else id_problem(doc_id)
    if problem:
        shown = repr(doc_id[:60]) + ("…" if len(doc_id) > 60 else "")
        return Skipped(where, f"identifiant inutilisable {shown} : {problem}", rel, refused=True)
    first = seen.setdefault(doc_id, where)
    if first != where:
        return Skipped(where, f"identifiant {doc_id!r} en double, déjà lu dans {first}", rel, refused=True)
    return None


def report_files(folder: Path, follow_links: bool = False) -> list[str]:
    """The files :func:`iter_reports` reads, in its order, relative to ``folder`` (or, for a file, to its folder)."""
    return list_files(Path(folder), follow_links)[0]


def _report_files(folder: Path, follow_links: bool) -> tuple[list[str], list[Skipped]]:
    """Relative "/"-paths of the report files, sorted, and what could not be listed or was refused."""
    found, left = list_files(folder, follow_links)
    return found, [Skipped(u.path, u.reason, refused=u.refused) for u in left]
