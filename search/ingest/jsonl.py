"""A JSON Lines collection (``.jsonl``, ``.jsonl.gz``) read into reports, one per line, streamed,
each line's failure a :class:`Skipped` of its own; the file hashed as it is read (:class:`Hashing`)
for the ledger."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import unicodedata
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator

from search.ingest.dates import find_date, more_precise
from search.ingest.files import MAX_JSONL_BYTES, MAX_LINE_BYTES, Unusable, bounded_lines, open_regular
from search.ingest.items import Report, Skipped
from search.ingest.textfile import header_date, normalize, source_of


class Hashing:
    """A file read through: its stat when opened, and the SHA-1 of the bytes read."""

    def __init__(self) -> None:
        self.stat: os.stat_result | None = None
        self._sha1 = hashlib.sha1()
        self._fh: BinaryIO | None = None

    def wrap(self, fh: BinaryIO) -> Hashing:
        self.stat, self._fh = os.fstat(fh.fileno()), fh
        return self

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)  # type: ignore[union-attr]
        self._sha1.update(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self._fh.readline(size)  # type: ignore[union-attr]
        self._sha1.update(data)
        return data

    def hexdigest(self) -> str:
        """Of the whole file once read to its end (the gzip reader and the line reader both do)."""
        return self._sha1.hexdigest()


def read_jsonl(root: Path, rel: str, through: Hashing | None = None) -> Iterator[tuple[Report | Skipped, str]]:
    """One report per line and where it is ("file#line"), streamed: the corpus is 83 MB.

    The file gets a text file's checks (a regular file, of bounded size), its lines a length
    limit (a longer one is skipped unread), and its decompressed bytes a bound too.
    """
    lineno, records = 0, 0
    try:
        with open_regular(root / rel, MAX_JSONL_BYTES) as opened:
            raw_file = (through or Hashing()).wrap(opened)
            gz = rel.lower().endswith(".gz")
            lines = gzip.GzipFile(fileobj=raw_file, mode="rb") if gz else raw_file  # type: ignore[call-overload]
            for lineno, raw in bounded_lines(lines):
                if raw is None:
                    where = f"{rel}#{lineno}"
                    yield Skipped(where, f"ligne de plus de {MAX_LINE_BYTES // 2**20} Mo", rel), where
                elif raw.strip():
                    records += 1
                    yield _read_record(raw, rel, lineno), f"{rel}#{lineno}"
        if not records:  # emptied (by a crash, a full disk, a bad copy): what it held is kept, as for a text file
            yield Skipped(rel, "vide : aucun enregistrement"), rel
    except Unusable as err:
        yield Skipped(rel, str(err)), rel
    except (OSError, EOFError, zlib.error) as err:  # missing, not gzip, or truncated
        yield Skipped(rel, f"illisible après la ligne {lineno} : {err}"), rel


def _read_record(raw: bytes, rel: str, lineno: int) -> Report | Skipped:
    where = f"{rel}#{lineno}"
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError) as err:  # bad JSON, bad UTF-8, absurd nesting
        return Skipped(where, f"JSON invalide : {err}", rel)
    if not isinstance(record, dict):
        return Skipped(where, "pas un objet JSON", rel)
    text, record_id = record.get("text"), record.get("id")
    if not isinstance(text, str) or not text.strip():
        return Skipped(where, "texte manquant", rel)
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        record_id = str(record_id)
    if not isinstance(record_id, str) or not record_id.strip():
        return Skipped(where, "identifiant manquant", rel)
    # NFC, as a text file's id: a link written either way opens it (the page reads ids as NFC).
    return _record_report(record, unicodedata.normalize("NFC", record_id), rel, raw)


def _record_report(record: dict, record_id: str, rel: str, raw: bytes) -> Report:
    text = normalize(record["text"]).strip()
    title = record.get("title")
    title = normalize(title).strip() if isinstance(title, str) else ""
    title = title or text.split("\n", 1)[0].strip()  # no title: its first line stands in
    warnings: list[str] = []
    dated = header_date(record.get("date"), warnings)
    return Report(
        id=record_id,
        title=title,
        text=text,
        date=more_precise(dated, find_date(title)),
        source=source_of(record.get("source"), title, rel),
        path=f"{rel}#{record_id}",
        hash=hashlib.sha1(raw.rstrip(b"\r\n")).hexdigest(),
        warnings=warnings,
    )
