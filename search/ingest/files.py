"""Opening report files without trusting them: regular files only, bounded in size and in line length.

A reports folder may hold anything with a report's name: a FIFO (opening it waits for a
writer forever), a link to ``/dev/zero`` or ``/dev/urandom`` (endless bytes), a sparse file
of terabytes, a gzip bomb, a "line" of a gigabyte, a link to ``/etc/passwd``.
:func:`open_regular` refuses the first ones before reading a byte; :func:`bounded_lines`
reads the rest in bounded memory; :func:`link_out` tells a link that leaves the folder.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO, Iterator, Protocol

MAX_FILE_BYTES = 64 * 1024 * 1024  # a larger "report" is a disk image or a log, not a report
MAX_LINE_BYTES = MAX_FILE_BYTES    # a JSONL record is one report: the same bound
MAX_JSONL_BYTES = 4 * 1024 ** 3    # a record set's bytes (after gunzip); split a larger one
_SKIP_CHUNK = 1024 * 1024


class Lines(Protocol):
    """A file of bytes read by lines: a plain file or a gzip stream."""

    def readline(self, size: int = -1, /) -> bytes: ...


class Unusable(Exception):
    """Why a file gives no report; becomes a ``Skipped``."""


def open_regular(path: Path, most: int) -> BinaryIO:
    """``path`` open for reading, once it is known to be a regular file of at most ``most`` bytes.

    Opened non-blocking, then checked on the open file: a FIFO put in its place after a
    look at the name could not make the open wait.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unusable("pas un fichier ordinaire")
        if info.st_size > most:
            raise Unusable(f"plus de {_size(most)}")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def bounded_lines(fh: Lines) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; None for a line over MAX_LINE_BYTES, which is passed over unread.

    Raises :class:`Unusable` past MAX_JSONL_BYTES in all (a gzip bomb).
    """
    total, lineno = 0, 0
    while raw := fh.readline(MAX_LINE_BYTES + 1):
        lineno += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            total += len(raw) + _skip_line(fh)
            yield lineno, None
        else:
            total += len(raw)
            yield lineno, raw
        if total > MAX_JSONL_BYTES:
            raise Unusable(f"plus de {_size(MAX_JSONL_BYTES)} de lignes : la suite, après la ligne {lineno}, n'est pas lue")


def _skip_line(fh: Lines) -> int:
    """Read to the end of the line, a chunk at a time; the bytes passed over."""
    skipped = 0
    while chunk := fh.readline(_SKIP_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n") or skipped > MAX_JSONL_BYTES:
            break
    return skipped


def link_out(path: Path, root: Path) -> Path | None:
    """Where ``path`` leads when it is a link out of ``root`` (a real path, links resolved); else None."""
    if not path.is_symlink():
        return None
    target = Path(os.path.realpath(path))
    return None if target.is_relative_to(root) else target


def _size(n: int) -> str:
    return f"{n // 2**30} Go" if n >= 2**30 else f"{n // 2**20} Mo"
