"""The manifest of an index generation: every file, its size and its SHA-256.

A build is sealed with its manifest (:func:`seal`) once the engine has committed,
before it is renamed into place; a generation is checked against it (:func:`verify`)
whenever it is opened. A truncated, emptied or rewritten file, a missing one or an
empty folder makes the generation :class:`Damaged`, so it is refused rather than
served half-read (tracebacks, 500s, or every report shown undated).

The manifest also names the rules of analysis the generation was built under
(``search.fields.ANALYSIS_VERSION``): an index built under other rules would silently
miss matches, so the store refuses it ("rebuild needed") rather than serve it.

Every build starts with a format marker (:data:`MARKER`, written by :func:`mark`), so a
generation without a manifest tells its story: with the marker, its manifest was lost
(deleted, or its build never finished): damage; without it, an index written by a version
before manifests, which nothing can check: a rebuild is needed. Neither is ever served.

A :class:`Digests` memory (one per store) spares reading a file twice: a file hashed
already (same inode, size and modification time) is not read again; it holds a bounded
number of files. Given a ``path`` (the index folder's ``CHECKED.json``), it also remembers
across processes what was checked when: a file whose inode, size and time are as when it was
last hashed, less than ``max_age`` ago, is not read again (an update no longer re-hashes the
live generation's 528 MB each time). A file hashed within :data:`RACY_SECONDS` of its last
change is not remembered there: it could still change without its time showing it.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "MANIFEST.json"
MARKER = "FORMAT"  # written first in every build: a generation with it and without a manifest lost it
# Written beside the sealed files, after the seal: the generation's judged name forms (search.names.judged),
# each line checked on its own. Not part of the index: never sealed, carried or copied.
UNSEALED = ("JUDGED.jsonl",)
FORMAT = 2  # 2: with the analysis version
CHUNK = 1 << 20
RACY_SECONDS = 2.0


class Digests:
    """SHA-256 of the files read, by (device, inode, size, mtime): at most ``most`` remembered; with a
    ``path``, what was checked less than ``max_age`` seconds ago is remembered across processes too."""

    def __init__(self, most: int = 20_000, path: Path | None = None, max_age: float = 0.0):
        self.most, self.path, self.max_age = most, path, max_age
        self._known: dict[tuple[int, int, int, int], str] = {}
        self._lock = threading.Lock()  # a server's threads may check a generation at once
        self._checked = self._load()   # key -> (digest, when hashed), as the index folder keeps it
        self._dirty = False

    def __call__(self, path: Path) -> str:
        info = path.stat()
        key = _key(info)
        with self._lock:
            digest = self._known.get(key) or self._lasting(key)
        if digest is None:
            with open(path, "rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            self.remember(key, digest, hashed=time.time())
        return digest

    def remember(self, key: tuple[int, int, int, int], digest: str, hashed: float | None = None) -> None:
        """``hashed``: when the bytes were read (to remember it across processes, unless racy)."""
        with self._lock:
            if len(self._known) >= self.most:
                self._known.pop(next(iter(self._known)))  # the oldest entry
            self._known[key] = digest
            if self.path is not None and hashed is not None and hashed - key[3] / 1e9 >= RACY_SECONDS:
                self._checked[key] = (digest, hashed)
                self._dirty = True

    def _lasting(self, key: tuple[int, int, int, int]) -> str | None:
        found = self._checked.get(key)
        return found[0] if found is not None and time.time() - found[1] < self.max_age else None

    def save(self) -> None:
        """Write what was checked when (fresh entries only), if anything new was; a failure costs a re-check."""
        if self.path is None or not self._dirty:
            return
        with self._lock:
            now = time.time()
            body = [[*key, digest, when] for key, (digest, when) in self._checked.items() if now - when < self.max_age]
            self._dirty = False
        tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_text(json.dumps(body[-self.most:]), encoding="ascii")
            os.replace(tmp, self.path)
        except OSError:
            tmp.unlink(missing_ok=True)

    def _load(self) -> dict[tuple[int, int, int, int], tuple[str, float]]:
        if self.path is None:
            return {}
        try:
            rows = json.loads(self.path.read_bytes())
            return {(int(r[0]), int(r[1]), int(r[2]), int(r[3])): (str(r[4]), float(r[5])) for r in rows}
        except (OSError, ValueError, TypeError, IndexError):
            return {}  # none yet, or unreadable: every file is hashed again

    def __len__(self) -> int:
        return len(self._known)


def _key(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class Damaged(Exception):
    """Why a generation cannot be read."""


@dataclass(frozen=True)
class Sealed:
    """What a whole generation's manifest says of it."""
    reports: int
    analysis: int  # the rules of analysis it was built under
    origin: str | None = None  # the reports folder (or file) it was built from, resolved; None when unrecorded


def mark(folder: Path) -> None:
    """The format marker, first in a new build."""
    (folder / MARKER).write_text(f"{FORMAT}\n", encoding="ascii")


def seal(folder: Path, reports: int, analysis: int, origin: str | None = None,
         digests: Digests | None = None) -> None:
    """Write the manifest of a finished build (its data files must not change after); ``origin``:
    the reports folder or file it was built from (the server says so, and when it differs)."""
    digest = digests if digests is not None else Digests()
    files = {name: {"bytes": (folder / name).stat().st_size, "sha256": digest(folder / name)}
             for name in data_files(folder)}
    body = json.dumps({"format": FORMAT, "reports": reports, "analysis": analysis, "files": files,
                       **({"origin": origin} if origin else {})}, indent=1, sort_keys=True)
    tmp = folder / (MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / MANIFEST)


def verify(folder: Path, sums: bool = True, digests: Digests | None = None) -> Sealed:
    """What the manifest of a whole generation says (its report count, its analysis version).

    Raises :class:`Damaged`. ``sums=False`` checks names and sizes only (a quick look).
    """
    sealed, files = _read(folder)
    digest = digests if digests is not None else Digests()
    for name, (size, expected) in sorted(files.items()):
        try:
            found = (folder / name).stat().st_size
            if found != size:
                raise Damaged(f"{name} : {found} octets, {size} attendus")
            if sums and digest(folder / name) != expected:
                raise Damaged(f"{name} : son contenu a changé depuis son écriture")
        except OSError as e:
            raise Damaged(f"{name} : {(e.strerror or str(e)).lower()}") from None
    return sealed


def read(folder: Path) -> Sealed:
    """What the manifest says, unchecked (a quick look: the reports folder it names, its count)."""
    return _read(folder)[0]


def digests_of(folder: Path) -> dict[str, str]:
    """Each data file's SHA-256 as the manifest gives it (raises :class:`Damaged`)."""
    return {name: digest for name, (_, digest) in _read(folder)[1].items()}


def copy_checked(source: Path, target: Path, expected: str, digests: Digests) -> None:
    """Copy a sealed file, hashing what is copied: a copy that is not what the manifest sealed raises
    :class:`Damaged`. The copy's digest is remembered, so that checking it reads it no more."""
    hasher = hashlib.sha256()
    with open(source, "rb") as src, open(target, "wb") as out:
        while chunk := src.read(CHUNK):
            hasher.update(chunk)
            out.write(chunk)
        times = os.fstat(src.fileno())
    if hasher.hexdigest() != expected:
        raise Damaged(f"{source.name} : son contenu a changé depuis son écriture")
    # The source's times, as cp -p gives them: the copy's check is then remembered across processes (a
    # file written this instant would not be), and a later write to it still moves its time.
    os.utime(target, ns=(times.st_atime_ns, times.st_mtime_ns))
    digests.remember(_key(target.stat()), expected, hashed=time.time())


def data_files(folder: Path) -> list[str]:
    """The files that make the index: not the manifest nor the marker, nor Whoosh's empty lock file,
    nor the judged name forms (``UNSEALED``)."""
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(MANIFEST) and p.name != MARKER
                  and not p.name.endswith("WRITELOCK") and p.name not in UNSEALED)


def _read(folder: Path) -> tuple[Sealed, dict[str, tuple[int, str]]]:
    """What the manifest says, and its files with their sizes and digests."""
    try:
        raw = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        raise Damaged(_why_no_manifest(folder)) from None
    except OSError as e:
        raise Damaged(f"{MANIFEST} : {(e.strerror or str(e)).lower()}") from None
    try:
        data = json.loads(raw)
        if data["format"] not in (1, FORMAT):
            raise ValueError(data["format"])
        files = {}
        for name, entry in data["files"].items():
            if "/" in name:
                raise ValueError(name)
            files[name] = (int(entry["bytes"]), str(entry["sha256"]))
        # Format 1 was written before analysis versions: 0, which no analysis is.
        origin = data.get("origin")
        return Sealed(int(data["reports"]), int(data.get("analysis", 0)),
                      origin if isinstance(origin, str) else None), files
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise Damaged(f"{MANIFEST} est illisible ({type(e).__name__})") from None


def _why_no_manifest(folder: Path) -> str:
    if _empty(folder):
        return "dossier vide"
    if (folder / MARKER).exists():  # a build of this version: its manifest was written, or never finished
        return f"{MANIFEST} manque (supprimé ou perdu) : ses fichiers ne peuvent pas être vérifiés"
    if any(folder.glob("*.toc")):  # Whoosh writes its table of contents last: a whole index, unchecked
        return ("pas de manifeste : index d'une version antérieure, que rien ne peut vérifier ; "
                "une reconstruction est nécessaire")
    return "pas de manifeste : sa construction n'a jamais fini"


def _empty(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except OSError:
        return True
