"""The manifest of an index generation: every file, its size and its SHA-256.

A build is sealed with its manifest (:func:`seal`) once the engine has committed,
before it is renamed into place; a generation is checked against it (:func:`verify`)
whenever it is opened. A truncated, emptied or rewritten file, a missing one or an
empty folder makes the generation :class:`Damaged`, so it is refused rather than
served half-read (tracebacks, 500s, or every report shown undated).

The manifest also names the rules of analysis the generation was built under
(``search.fields.ANALYSIS_VERSION``): an index built under other rules would silently
miss matches, so the store refuses it ("rebuild needed") rather than serve it. A
generation without a manifest (one whose manifest was deleted, or written by a version
before manifests and analysis versions) cannot be checked: it is damaged.

A process reads a file's bytes once: a file it has hashed already (same inode, size and
modification time: the hard links an update shares with the generation before) is not
read again, so a server reopening after an update reads only the new segments.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "MANIFEST.json"
FORMAT = 2  # 2: with the analysis version
_HASHED: dict[tuple[int, int, int, int], str] = {}  # (device, inode, size, mtime) -> SHA-256 hex
_HASHED_MOST = 100_000


class Damaged(Exception):
    """Why a generation cannot be read."""


@dataclass(frozen=True)
class Sealed:
    """What a whole generation's manifest says of it."""
    reports: int
    analysis: int  # the rules of analysis it was built under
    origin: str | None = None  # the reports folder (or file) it was built from, resolved; None when unrecorded


def seal(folder: Path, reports: int, analysis: int, origin: str | None = None) -> None:
    """Write the manifest of a finished build (its data files must not change after); ``origin``:
    the reports folder or file it was built from (the server says so, and when it differs)."""
    files = {name: {"bytes": (folder / name).stat().st_size, "sha256": _digest(folder / name)}
             for name in data_files(folder)}
    body = json.dumps({"format": FORMAT, "reports": reports, "analysis": analysis, "files": files,
                       **({"origin": origin} if origin else {})}, indent=1, sort_keys=True)
    tmp = folder / (MANIFEST + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / MANIFEST)


def verify(folder: Path, sums: bool = True) -> Sealed:
    """What the manifest of a whole generation says (its report count, its analysis version).

    Raises :class:`Damaged`. ``sums=False`` checks names and sizes only (a quick look).
    """
    sealed, files = _read(folder)
    for name, (size, digest) in sorted(files.items()):
        try:
            found = (folder / name).stat().st_size
            if found != size:
                raise Damaged(f"{name} : {found} octets, {size} attendus")
            if sums and _digest(folder / name) != digest:
                raise Damaged(f"{name} : son contenu a changé depuis son écriture")
        except OSError as e:
            raise Damaged(f"{name} : {(e.strerror or str(e)).lower()}") from None
    return sealed


def read(folder: Path) -> Sealed:
    """What the manifest says, unchecked (a quick look: the reports folder it names, its count)."""
    return _read(folder)[0]


def data_files(folder: Path) -> list[str]:
    """The files that make the index: not the manifest, nor Whoosh's empty lock file."""
    return sorted(p.name for p in folder.iterdir()
                  if p.is_file() and not p.name.startswith(MANIFEST) and not p.name.endswith("WRITELOCK"))


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
    if any(folder.glob("*.toc")):  # Whoosh writes its table of contents last: a whole index, unchecked
        return "pas de manifeste (supprimé, ou index d'une version antérieure) : impossible de la vérifier"
    return "pas de manifeste : sa construction n'a jamais fini"


def _empty(folder: Path) -> bool:
    try:
        return not any(folder.iterdir())
    except OSError:
        return True


def _digest(path: Path) -> str:
    info = path.stat()
    key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    digest = _HASHED.get(key)
    if digest is None:
        with open(path, "rb") as fh:
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        if len(_HASHED) >= _HASHED_MOST:
            _HASHED.clear()
        _HASHED[key] = digest
    return digest
