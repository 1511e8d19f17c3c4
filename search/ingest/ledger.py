"""The record of the report files a generation was made from, so that an update reads only what changed.

For each report file read whole, a :class:`FileRecord`: its size, modification and change times
and inode as seen when it was opened, the SHA-1 of its bytes, every report it gave (id, hash, where, and whether it was taken or refused: an id read before) and
every line it gave none for (a :class:`Skipped`). A :class:`Ledger` holds them, with what the
generation holds of each report (its hash and path: ``held``), and travels with the generation
it describes (sealed by its manifest like its other files).

An update asks the ledger of the live generation about each file (:meth:`Ledger.unchanged`):

- same size, times and inode: the file is not opened;
- otherwise its bytes are hashed, and it is parsed only when they differ (a ``touch`` or a copy
  costs a hash, not the parse of 34,000 JSON lines). The change time moves with permissions too:
  a file made unreadable is tried, and its reports are kept as unread ones are (exit 3).

A file changed in the same instant as it was read could keep its time and size: a record made
within :data:`RACY_SECONDS` of the file's last change does not vouch for its time (as git does
for its index), so the next update hashes it. A file read only in part (a truncated gzip, a line
too long) gets no time either: it is read again each time, as its reports are kept unread.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field

from search.ingest.walk import JSONL_SUFFIXES

FORMAT = 1
RACY_SECONDS = 2.0


@dataclass
class FileRecord:
    """One report file as read: ``size`` None means "read it again", whatever its time."""
    path: str
    size: int | None
    mtime: int            # nanoseconds
    ctime: int            # nanoseconds: moves with the permissions and owner too
    inode: int
    sha1: str
    # (id, hash, where, taken): where as written (:func:`where_code`: the line number for a collection)
    reports: list = field(default_factory=list)
    skipped: list[tuple[str, str, bool]] = field(default_factory=list)    # (path, reason, refused)

    def same_stat(self, info: os.stat_result) -> bool:
        return (self.size == info.st_size and self.mtime == info.st_mtime_ns and self.ctime == info.st_ctime_ns
                and self.inode == info.st_ino)


def record_of(path: str, info: os.stat_result, sha1: str, now: float | None = None) -> FileRecord:
    """A new record for a file opened with ``info``; one changed too recently to vouch for its time gets none."""
    now = time.time() if now is None else now
    racy = now - max(info.st_mtime_ns, info.st_ctime_ns) / 1e9 < RACY_SECONDS
    return FileRecord(path, None if racy else info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino, sha1)


@dataclass
class Ledger:
    """Every file record of a generation, and what it holds of each report: id -> (hash, path)."""
    files: dict[str, FileRecord] = field(default_factory=dict)
    held: dict[str, tuple[str, str]] = field(default_factory=dict)

    def unchanged(self, path: str, info: os.stat_result) -> FileRecord | None:
        """The record of ``path`` when its size, time and inode vouch that it is as read, else None."""
        record = self.files.get(path)
        return record if record is not None and record.same_stat(info) else None

    def to_bytes(self) -> bytes:
        """Compact JSON: what a file record tells of a report (its taken reports' hashes and paths) is not
        written again in ``held``, which keeps only the reports no record gives (kept unread, moved)."""
        files, told = [], {}
        for r in self.files.values():
            given = {doc_id: (digest, _path(r.path, doc_id)) for doc_id, digest, _, taken in r.reports if taken}
            if any(doc_id not in self.held for doc_id in given):
                continue  # it would tell of a report the generation lacks: read that file next time instead
            told.update(given)
            files.append([r.path, r.size, r.mtime, r.ctime, r.inode, r.sha1, r.reports, r.skipped])
        held = {doc_id: list(v) for doc_id, v in self.held.items() if told.get(doc_id) != v}
        body = {"format": FORMAT, "files": files, "held": held}
        # ASCII: an id may hold a lone surrogate (a JSON "\ud800"), which UTF-8 cannot write.
        return json.dumps(body, separators=(",", ":")).encode("ascii")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Ledger:
        """The ledger written by :meth:`to_bytes`; raises ValueError for anything else."""
        try:
            body = json.loads(raw)
            if body["format"] != FORMAT:
                raise ValueError(f"format {body['format']}")
            files: dict[str, FileRecord] = {}
            held: dict[str, tuple[str, str]] = {}
            for path, size, mtime, ctime, inode, sha1, rows, skipped in body["files"]:
                if not isinstance(rows, list) or any(len(row) != 4 for row in rows[:1]):
                    raise ValueError(path)
                files[path] = FileRecord(path, size, int(mtime), int(ctime), int(inode), str(sha1), rows,
                                         [(str(p), str(why), bool(refused)) for p, why, refused in skipped])
                held.update((i, (d, _path(path, i))) for i, d, _, t in rows if t)
            held.update((str(k), (str(v[0]), str(v[1]))) for k, v in body["held"].items())
            return cls(files, held)
        except (KeyError, TypeError, IndexError, AttributeError, ValueError) as e:
            raise ValueError(f"registre des fichiers illisible ({type(e).__name__})") from None


def _path(file: str, doc_id: str) -> str:
    """A report's path as read: the file, or ``file#id`` for a record of a collection."""
    return f"{file}#{doc_id}" if file.lower().endswith(JSONL_SUFFIXES) else file


def where_code(file: str, where: str) -> int | str:
    """Where a report was read, short: 0 for the file itself, N for its line N, else as it is."""
    if where == file:
        return 0
    line = where.removeprefix(file + "#")
    return int(line) if line != where and line.isdigit() else where


def where_of(file: str, code: int | str) -> str:
    """The ``where`` a :func:`where_code` stands for."""
    if isinstance(code, str):
        return code
    return file if code == 0 else f"{file}#{code}"
