"""Where index generations live on disk, and the lock that lets one writer at a time in.

    index/
      CURRENT          the name of the live generation, replaced atomically
      gen-<stamp>/     complete indexes; the live one and its predecessor are kept
                       (a server may still read the predecessor for a moment)
      tmp-<stamp>/     a build in progress; never read; swept by the next writer
      .lock            held (flock) by the process that writes

A rebuild writes a ``tmp-`` folder, renames it to ``gen-`` when complete, then
points CURRENT at it. A crash at any moment leaves CURRENT on a whole index.
When CURRENT is missing, unreadable or names no generation, the newest complete
generation is read instead, and a log line says so: a generation that holds
reports is never taken for an empty index folder.
The kernel drops the flock when its process dies, so no lock goes stale: the
indexing workers the engine forks while the lock is held let go of their copy
of it, and die with the writer (see ``_after_fork``).
"""
from __future__ import annotations

import ctypes
import fcntl
import logging
import os
import re
import shutil
import signal
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from search.engine import manifest
from search.errors import IndexBusy, IndexDamaged, IndexMissing
from search.fields import ANALYSIS_VERSION

POINTER = "CURRENT"
POINTER_BYTES = 256  # a generation's name is 46 characters; more is not a pointer
GENERATION = re.compile(r"gen-\d{20}-\d+")
log = logging.getLogger("search.engine.store")
_HELD: dict[int, int] = {}  # descriptor of each lock held -> the pid that holds it


class IndexStore:
    """The generations of one index folder; ``analysis``: the rules of analysis it must have been built under."""

    def __init__(self, root: Path, analysis: int = ANALYSIS_VERSION):
        self.root = Path(root)
        self.analysis = analysis

    def stamp(self) -> str | None:
        """The generation CURRENT names, or None when it names none (it may be gone)."""
        return self._pointer()[0]

    def _pointer(self) -> tuple[str | None, str | None]:
        """The name CURRENT holds, and what is wrong with it (None when it names a generation here)."""
        try:
            with open(self.root / POINTER, "rb") as fh:
                raw = fh.read(POINTER_BYTES)
        except FileNotFoundError:
            return None, "CURRENT manque"
        except OSError as e:
            return None, f"CURRENT est illisible ({e.strerror})"
        name = raw.decode("ascii", "replace").strip()
        if not name:
            return None, "CURRENT est vide"
        if not GENERATION.fullmatch(name):
            return None, "CURRENT ne nomme aucune génération"
        if not (self.root / name).is_dir():
            return name, f"CURRENT nomme {name}, qui n'est pas là"
        return name, None

    def generations(self) -> list[Path]:
        """Every generation folder, newest first (names sort by time)."""
        found = [p for p in self.root.glob("gen-*") if GENERATION.fullmatch(p.name) and p.is_dir()]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def current(self) -> Path:
        """The generation to read, checked against its manifest.

        The one CURRENT names when it is whole, else the newest whole one (and a log line says why).
        """
        generations = self.generations()
        if not generations:
            raise IndexMissing(f"pas d'index dans {self.root} : lancez `python -m search rebuild`")
        named, problem = self._pointer()
        problems = [problem] if problem else []
        for path in sorted(generations, key=lambda p: p.name != named):  # CURRENT's first
            try:
                sealed = manifest.verify(path)
            except manifest.Damaged as e:
                problems.append(f"{path.name} est endommagée ({e})")
                continue
            if sealed.analysis != self.analysis:
                problems.append(f"{path.name} a été construite selon d'autres règles d'analyse (version "
                                f"{sealed.analysis}, celle-ci lit la version {self.analysis}) : une reconstruction est nécessaire")
                continue
            if problems:
                log.warning("index %s : %s ; lecture de %s, la génération complète la plus récente",
                            self.root, "; ".join(problems), path.name)
            return path
        raise IndexDamaged(f"aucun index complet dans {self.root} : {' ; '.join(problems)} ; lancez `python -m search rebuild`")

    def origin(self) -> str | None:
        """The reports folder (or file) the live generation was built from, when its manifest says."""
        live = self.live()
        if live is None:
            return None
        try:
            return manifest.read(live).origin
        except manifest.Damaged:
            return None

    def exists(self) -> bool:
        """Whether any generation is here, whole or not: only a folder without one is built afresh."""
        return bool(self.generations())

    @contextmanager
    def lock(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexBusy(f"une autre reconstruction ou mise à jour est en cours sur {self.root} ; réessayez quand elle sera finie") from None
            _HELD[fh.fileno()] = os.getpid()
            try:
                yield
            finally:
                _HELD.pop(fh.fileno(), None)
                fcntl.flock(fh, fcntl.LOCK_UN)

    def new_build(self, base: Path | None = None) -> Path:
        """A fresh folder to build into (call with the lock held), holding ``base``'s files if given.

        The files are hard links (copies where the file system has none): Whoosh never rewrites
        a file it wrote, so the build shares them without ever changing ``base``.
        """
        self.sweep()
        path = self.root / f"tmp-{_stamp()}"
        path.mkdir(parents=True)
        if base is not None:
            for name in manifest.data_files(base):
                _link(base / name, path / name)
        return path

    def live(self) -> Path | None:
        """The generation to read (see :meth:`current`), or None when there is no whole one."""
        try:
            return self.current()
        except (IndexMissing, IndexDamaged):
            return None

    def publish(self, build: Path, reports: int, previous: Path | None, origin: str | None = None) -> Path:
        """Seal a finished build with its manifest, rename it into place and point CURRENT at it (atomic).

        ``previous``: the generation read until now (``live()`` when the build began), kept beside it;
        ``origin``: the reports folder or file it was built from.
        """
        manifest.seal(build, reports, self.analysis, origin)
        final = self.root / ("gen-" + build.name.removeprefix("tmp-"))
        tmp = self.root / (POINTER + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:  # first: a full disk fails here, before any rename
            fh.write(final.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.rename(build, final)
        os.replace(tmp, self.root / POINTER)
        self._drop_old(final.name, previous.name if previous else None)
        return final

    def discard(self, build: Path) -> None:
        shutil.rmtree(build, ignore_errors=True)

    def sweep(self) -> None:
        """Remove builds that a killed writer left behind."""
        for path in self.root.glob("tmp-*"):
            for _ in range(3):  # a dying worker of the killed writer may still add a file
                shutil.rmtree(path, ignore_errors=True)
                if not path.exists():
                    break

    def _drop_old(self, live: str, previous: str | None) -> None:
        """Every generation but the live one and the one it replaced (not merely the newest:
        a writer killed between renaming its build and pointing CURRENT at it leaves a newer one),
        and but the damaged ones, which are left for a human to look at."""
        for path in self.generations():
            if path.name in (live, previous):
                continue
            try:
                manifest.verify(path, sums=False)
            except manifest.Damaged as e:  # not ours to delete: it may be all that is left of some reports
                log.warning("index %s : la génération endommagée %s est laissée en place (%s)", self.root, path.name, e)
                continue
            shutil.rmtree(path, ignore_errors=True)


def _link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # no hard links here (some network or FAT file systems)
        shutil.copy2(source, target)


def _after_fork() -> None:
    """In a process forked while this one holds a lock (the engine's indexing workers).

    A forked child shares the lock's open file, so it would hold the lock for as
    long as it lives: after a writer is killed, its orphaned workers would keep
    every later rebuild out. The child points its copy at /dev/null instead
    (the parent's lock stands), and asks the kernel to kill it with its parent.
    """
    if not _HELD:
        return
    parent = next(iter(_HELD.values()))
    null = os.open(os.devnull, os.O_RDONLY)
    for fd in _HELD:
        os.dup2(null, fd)
    os.close(null)
    _HELD.clear()
    _die_with(parent)


def _die_with(parent: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _stamp() -> str:
    # Sortable and unique within one machine: time, then pid.
    return f"{time.time_ns():020d}-{os.getpid()}"
