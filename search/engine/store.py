"""Where index generations live on disk, and the lock that lets one writer at a time in.

    index/
      CURRENT          the name of the live generation, replaced atomically
      gen-<stamp>/     complete indexes: the live one, the one it replaced, and more
                       whole ones up to ``keep_generations`` (3), newest first
      tmp-<stamp>/     a build in progress; never read; swept by the next writer
      .lock            held (flock) by the process that writes
      CHECKED.json     which files were checked against their manifest, and when

A rebuild writes a ``tmp-`` folder, renames it to ``gen-`` when complete, then
points CURRENT at it. A crash at any moment leaves CURRENT on a whole index.
When CURRENT is missing, unreadable or names no generation, the newest complete
generation is read instead, and a log line says so: a generation that holds
reports is never taken for an empty index folder.

An update starts from hard links to the live generation's files: Whoosh never writes into a
segment file once written (an update adds a segment and a new table of contents, and the
ledger is replaced, not rewritten), so a generation costs its new files only, not a 528 MB
copy. A file damaged on disk is then damaged in every generation that links it; so the store
keeps at least one whole generation that shares no file with the live one (:meth:`keep_apart`):
a rebuild's generation shares none, and after an update that left none younger than
``independent_hours`` (a day), a checked copy of the new live generation is made, right after
it is published (the update itself does not wait for it before publishing). Such a copy is
named just before the generation it copies, and holds the same reports.

The live generation is checked against its manifest's SHA-256 whenever it is opened, but a
file whose inode, size and time are as when it was last hashed, less than ``recheck_hours``
ago, is not read again (``CHECKED.json``, see ``manifest.Digests``): a truncated or rewritten
file shows in its size or time at once; damage that changes neither is found within the day.
``restore`` points CURRENT back at any whole generation kept.
The kernel drops the flock when its process dies, so no lock goes stale: the
indexing workers the engine forks while the lock is held let go of their copy
of it, and die with the writer (see ``_after_fork``).
"""
from __future__ import annotations

import ctypes
import errno
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

from search import settings
from search.engine import manifest
from search.engine.contract import GenerationInfo
from search.errors import IndexBusy, IndexDamaged, IndexMissing, NotFound
from search.fields import ANALYSIS_VERSION

POINTER = "CURRENT"
POINTER_BYTES = 256  # a generation's name is 46 characters; more is not a pointer
GENERATION = re.compile(r"gen-\d{20}-\d+")
CHECKED = "CHECKED.json"
COPY_OF = "COPY_OF"  # in an independent copy: the name of the generation it copies (not sealed: a label)
# os.link cannot link here (a file system without hard links, too many links): the file is copied instead.
NO_LINK = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV, errno.ENOSYS}
log = logging.getLogger("search.engine.store")
_HELD: dict[int, int] = {}  # descriptor of each lock held -> the pid that holds it


class IndexStore:
    """The generations of one index folder; ``analysis``: the rules of analysis it must have been built under;
    ``keep``: the whole generations kept (``keep_generations``)."""

    def __init__(self, root: Path, analysis: int = ANALYSIS_VERSION, keep: int | None = None):
        self.root = Path(root)
        self.analysis = analysis
        self.keep = max(2, int(keep or settings.get("keep_generations")))
        # Files this store has hashed: each read once, and across processes once per recheck_hours.
        self.digests = manifest.Digests(path=self.root / CHECKED,
                                        max_age=float(settings.get("recheck_hours")) * 3600)
        self.apart = float(settings.get("independent_hours")) * 3600

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
            problem = self.problem(path)
            self.digests.save()
            if problem:
                problems.append(problem)
                continue
            if problems:
                log.warning("index %s : %s ; lecture de %s, la génération complète la plus récente",
                            self.root, "; ".join(problems), path.name)
            return path
        raise IndexDamaged(f"aucun index complet dans {self.root} : {' ; '.join(problems)} ; lancez `python -m search rebuild`")

    def problem(self, path: Path, sums: bool = True) -> str | None:
        """Why the generation cannot be served (damaged, built under other rules), or None when it is whole."""
        try:
            sealed = manifest.verify(path, sums, self.digests)
        except manifest.Damaged as e:
            return f"{path.name} est endommagée ({e})"
        if sealed.analysis != self.analysis:
            return (f"{path.name} a été construite selon d'autres règles d'analyse (version {sealed.analysis}, "
                    f"celle-ci lit la version {self.analysis}) : une reconstruction est nécessaire")
        return None

    def reports(self, path: Path) -> int:
        """The reports a whole generation holds, as its manifest says."""
        return manifest.verify(path, sums=False).reports

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

        Hard links to them (Whoosh adds files, it never rewrites one), or checked copies where the file
        system cannot link. ``base`` must have been checked whole (``current``); its manifest is read
        again here (raises IndexDamaged): a build never starts from a damaged generation.
        """
        self.sweep()
        path = self.root / f"tmp-{_stamp()}"
        path.mkdir(parents=True)
        manifest.mark(path)
        if base is not None:
            try:
                for name, digest in manifest.digests_of(base).items():
                    self._carry(base / name, path / name, digest)
            except (manifest.Damaged, OSError) as e:
                self.discard(path)
                if isinstance(e, manifest.Damaged):
                    raise IndexDamaged(f"{base.name} est endommagée ({e}) : la mise à jour n'en part pas ; "
                                       "lancez `python -m search rebuild`") from None
                raise
        return path

    def _carry(self, source: Path, target: Path, digest: str) -> None:
        try:
            os.link(source, target)
        except OSError as e:
            if e.errno not in NO_LINK:
                raise
            manifest.copy_checked(source, target, digest, self.digests)

    def keep_apart(self, live: Path) -> Path | None:
        """Make sure a whole generation younger than ``independent_hours`` shares no file with ``live``:
        one damaged file then always leaves one whole to serve. Returns the checked copy of ``live``
        made for it, or None when one such generation was there already (or the copy failed: logged)."""
        inodes = _inodes(live)
        young = time.time() - self.apart
        for path in self.generations():
            if path != live and _created(path.name) >= young and not _inodes(path) & inodes \
                    and self.problem(path) is None:
                return None
        try:
            return self._copy(live)
        except (manifest.Damaged, OSError) as e:
            log.warning("index %s : la copie indépendante de %s n'a pas pu être faite (%s) ; "
                        "la prochaine mise à jour la refera", self.root, live.name, e)
            return None
        finally:
            self.digests.save()

    def _copy(self, live: Path) -> Path:
        """A checked copy of ``live``, named just before it (its files as sealed, sharing no inode)."""
        ns, _ = live.name.removeprefix("gen-").split("-")
        final = self.root / f"gen-{int(ns) - 1:020d}-{os.getpid()}"
        build = self.root / f"tmp-{_stamp()}"
        build.mkdir(parents=True)
        try:
            manifest.mark(build)
            for name, digest in manifest.digests_of(live).items():
                manifest.copy_checked(live / name, build / name, digest, self.digests)
            shutil.copyfile(live / manifest.MANIFEST, build / manifest.MANIFEST)
            (build / COPY_OF).write_text(live.name + "\n", encoding="ascii")
            os.rename(build, final)
        except BaseException:
            self.discard(build)
            raise
        return final

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
        manifest.seal(build, reports, self.analysis, origin, self.digests)
        self.digests.save()
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
        """Keep the live generation, the one it replaced (not merely the newest: a writer killed between
        renaming its build and pointing CURRENT at it leaves a newer one), the newest whole one that shares
        no file with the live one, and the newest whole ones, up to ``keep`` in all (or one more for that
        independent one); remove the other whole ones. Damaged ones are left for a human to look at."""
        kept = {live, previous} - {None}
        apart = self._apart(self.root / live, prefer=previous)
        if apart is not None:
            kept.add(apart.name)
        for path in self.generations():
            if path.name in kept:
                continue
            whole = len(kept) < self.keep and self.problem(path) is None
            if whole:  # one more whole generation to fall back on, or to restore
                kept.add(path.name)
                continue
            try:
                manifest.verify(path, sums=False)
            except manifest.Damaged as e:  # not ours to delete: it may be all that is left of some reports
                log.warning("index %s : la génération endommagée %s est laissée en place (%s)", self.root, path.name, e)
                continue
            shutil.rmtree(path, ignore_errors=True)
        self.digests.save()

    def _apart(self, live: Path, prefer: str | None = None) -> Path | None:
        """The whole generation ``prefer`` (kept anyway) when it shares no file with ``live``, else the
        newest one that shares none."""
        inodes = _inodes(live)
        for path in sorted(self.generations(), key=lambda p: p.name != prefer):
            if path != live and not _inodes(path) & inodes and self.problem(path) is None:
                return path
        return None

    def restore(self, name: str) -> Path:
        """Point CURRENT at the kept generation ``name``, once checked whole (raises NotFound or IndexDamaged)."""
        with self.lock():
            path = self.root / name
            if not GENERATION.fullmatch(name) or not path.is_dir():
                raise NotFound(f"aucune génération {name} dans {self.root} : `python -m search generations` les liste")
            problem = self.problem(path)
            if problem:
                raise IndexDamaged(f"{problem} : elle ne peut pas être remise en service")
            self._point(name)
            return path

    def _point(self, name: str) -> None:
        tmp = self.root / (POINTER + ".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.root / POINTER)

    def infos(self) -> list[GenerationInfo]:
        """Every generation, newest first, checked (each file read once): what ``generations`` lists."""
        live = self.live()
        out = []
        for path in self.generations():
            problem = self.problem(path)
            try:
                reports: int | None = self.reports(path)
            except manifest.Damaged:
                reports = None
            size = sum(p.stat().st_size for p in path.iterdir() if p.is_file())
            out.append(GenerationInfo(path.name, _created(path.name), reports, size, path == live, problem,
                                      _copy_of(path)))
        self.digests.save()
        return out


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


def _copy_of(generation: Path) -> str | None:
    """The generation ``generation`` is an independent copy of, as its label says (None: not a copy)."""
    try:
        name = (generation / COPY_OF).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return name if GENERATION.fullmatch(name) else None


def _inodes(generation: Path) -> set[tuple[int, int]]:
    """(device, inode) of each file of a generation but its format marker and Whoosh's lock file."""
    found = set()
    for name in manifest.data_files(generation) if generation.is_dir() else ():
        try:
            info = (generation / name).stat()
        except OSError:
            continue
        found.add((info.st_dev, info.st_ino))
    return found


def _created(name: str) -> float:
    """When a generation was begun, from its name (``gen-<time in ns>-<pid>``)."""
    return int(name.split("-")[1]) / 1e9


def _stamp() -> str:
    # Sortable and unique within one machine: time, then pid.
    return f"{time.time_ns():020d}-{os.getpid()}"
