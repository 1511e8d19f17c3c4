"""A generation's judged name forms: each distinct query form's candidates and verdicts, worked out once.

Finding a name's candidates (the lexicon's forms under its blocking keys) and judging each
took a common name's first search 0.1 to 0.9 s. Within one index generation the answer only
depends on the form typed (its units), the alias rows that block and anchor it, and the judge:
the same inputs give the same candidates and the same verdicts. So they are remembered per
generation, by the judge's ``identity`` (a new judge never reads another judge's decisions):

- in memory (``MEMORY`` forms, the most recent), and
- on disk, in the generation's folder (``JUDGED``): one line per form, appended as forms are
  first judged (by any process: server, command line) and, for the collection's most reported
  names, right after a rebuild or update (``search.indexing.prejudge``). Each line carries a
  checksum of itself: a line damaged, cut short or glued to another is never trusted, only
  judged again and written anew. The file is no part of the generation's manifest (it grows
  after it is sealed); an update starts a new generation, hence a new file: its lexicon differs.

A folder that cannot be written (read-only, full) leaves the memory only.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path

from search.names.variants import Variant
from search.recent import Recent

JUDGED = "JUDGED.jsonl"
MEMORY = 4096           # forms remembered in memory, per generation
MOST_BYTES = 64 << 20   # the file stops growing past this (a form is a few KB at most)
log = logging.getLogger("search.names.judged")


class Decisions:
    """``search.names.variants.Decisions`` of one generation: ``path`` its file, or None (memory only)."""

    def __init__(self, path: Path | None, memory: int = MEMORY):
        self.path = path
        self._memory: Recent[str] = Recent(memory)  # digest of (identity, key) -> the variants, as JSON
        self._lock = threading.Lock()
        self._read = 0          # bytes of the file read so far
        self._writable = path is not None
        self.damaged = 0        # lines found damaged (and judged again)

    @property
    def writable(self) -> bool:
        """Whether what is judged is still written down (not after the file failed to be written)."""
        return self._writable

    def recall(self, identity: str, key: tuple) -> list[Variant] | None:
        """The candidates judged for this form, fresh objects (the caller may steer them), or None."""
        name = digest(identity, key)
        with self._lock:
            found = self._memory.get(name)
            if found is None and self.path is not None:
                self._read_more(self.path)
                found = self._memory.get(name)
        return parse_body(found) if found is not None else None

    def keep(self, identity: str, key: tuple, judged: list[Variant]) -> tuple[str, str]:
        """Remember the form's judged candidates; its line's (digest, body)."""
        name, body = digest(identity, key), json.dumps([_row(v) for v in judged], ensure_ascii=False)
        self.carry(name, body)
        return name, body

    def carry(self, name: str, body: str) -> None:
        """Remember a line as it was judged (in a generation before: ``search.names.carried``)."""
        with self._lock:
            self._memory.put(name, body)
            if self._writable and self.path is not None:
                self._append(self.path, f"{_check(name, body)}\t{name}\t{body}\n".encode("utf-8"))

    def _read_more(self, path: Path) -> None:
        """The lines other processes (or a rebuild) appended since last read; damaged ones skipped."""
        try:
            size = path.stat().st_size
        except OSError:
            return
        if size == self._read:
            return
        if size < self._read:  # replaced or cut: read again from the start
            self._read = 0
        with open(path, "rb") as fh:
            fh.seek(self._read)
            data = fh.read(size - self._read)
        whole = data.rfind(b"\n") + 1  # a line being written (or cut short) waits for its end
        self._read += whole
        for line in data[:whole].splitlines():
            self._take(line)

    def _take(self, line: bytes) -> None:
        try:
            check, name, body = line.decode("utf-8").split("\t", 2)
            if check != _check(name, body):
                raise ValueError("checksum")
        except ValueError:  # UnicodeDecodeError too
            self.damaged += 1
            if self.damaged == 1:
                log.warning("%s : une ligne endommagée, ignorée (la forme sera jugée à nouveau)", self.path)
            return
        self._memory.put(name, body)

    def _append(self, path: Path, line: bytes) -> None:
        try:
            if _size(path) + len(line) > MOST_BYTES:
                return
            # One write of a whole line, appended: lines of processes writing at once never mix.
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
            finally:
                os.close(fd)
        except OSError as e:
            # A cache only: a read-only folder or a full disk costs judging again, said in the log.
            self._writable = False
            log.info("%s ne peut pas être écrit (%s) : les formes jugées restent en mémoire seulement",
                     path, e.strerror or e)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def digest(identity: str, key: tuple) -> str:
    # The key's repr: units and origins are frozen dataclasses and tuples of strings, written the
    # same by every process.
    return hashlib.sha256(f"{identity}\n{key!r}".encode("utf-8")).hexdigest()[:40]


def _check(name: str, body: str) -> str:
    return hashlib.sha256(f"{name}\t{body}".encode("utf-8")).hexdigest()[:16]


def _row(v: Variant) -> list:
    return [v.spelling, v.reports, v.score, v.accepted, sorted(v.terms), v.exact, v.partial,
            list(v.forms.items()), v.cost, v.reason]


def parse_body(body: str) -> list[Variant]:
    out = []
    for row in json.loads(body):
        spelling, reports, score, accepted, terms, exact, partial, forms, cost = row[:9]
        reason = row[9] if len(row) > 9 else None  # lines written before reasons were kept have none
        out.append(Variant(spelling, reports, score, accepted, set(terms), exact, partial,
                           {f: n for f, n in forms}, cost=cost, reason=reason))
    return out
