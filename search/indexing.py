"""Writing the index, whatever engine holds it: files -> reports -> a new generation, or nothing.

The policy lives here, once, above every adapter:

- a rebuild indexes every report read, and lists what it skipped and why;
- an update indexes new and changed reports (by content hash), and removes a report only
  when its file is really gone: a file or folder that cannot be read now (permissions, a
  truncated ``.jsonl.gz``, a bad JSON line…) keeps the reports indexed from it as they were,
  and the summary names it (the command line then exits 3).

- neither publishes a generation that would lose reports in bulk (:class:`RemovalGuard`): one
  holding none, or one dropping more than ``max_removal_share`` of the live index's reports
  (20 %), is refused, unless the operator says so (``--allow-removal``). An emptied or unmounted
  reports folder looks exactly like a collection whose reports were all deleted: the guard is
  what tells a cron job's update during an unmount from a real clean-up.

- every generation carries a ledger of the report files it was made from (``job.record()``,
  see ``search.ingest.ledger``): an update does not open a file whose size, time and inode are
  as recorded, hashes one whose stat changed and parses it only when its bytes did, and reads
  what the generation holds from the ledger rather than from every stored report.

An adapter (``search.engine.<name>``) only answers what the live generation holds
(``Held``: each report's hash and origin, and the ledger stored with it), applies what a job
gives it (``RebuildJob.reports``, ``UpdateJob.changes`` then ``UpdateJob.removals``) in a new
generation with the job's ``record()``, and calls ``job.publishing(live, new)`` right before it
publishes it: the job raises to refuse (see ``search.engine.contract``).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from search import settings
from search.engine import adapter
from search.engine.contract import GenerationInfo, Held, Location
from search.errors import RemovalRefused, ReportsMissing
from search.ingest.ledger import FileRecord, Ledger
from search.ingest.reports import Report, Skipped, Unchanged, comes_from, iter_reports, report_files

Item = Report | Skipped | Unchanged
Progress = Callable[[Item], None]


class FileBook:
    """The ledgers of one run (see ``search.ingest.ledger``): the live generation's, which vouches for a
    file only when every report it gave is held as recorded, and the new generation's records."""

    def __init__(self) -> None:
        self.previous: Ledger | None = None
        self.held: Mapping[str, tuple[str, str]] = {}  # id -> (hash, path) the live generation holds
        self.files: dict[str, FileRecord] = {}

    def known(self, path: str, info: os.stat_result) -> FileRecord | None:
        record = self.previous.unchanged(path, info) if self.previous is not None else None
        return record if record is not None and self._agrees(record) else None

    def has(self, path: str) -> bool:
        return self.previous is not None and path in self.previous.files

    def same_content(self, path: str, sha1: str) -> FileRecord | None:
        record = self.previous.files.get(path) if self.previous is not None else None
        return record if record is not None and record.sha1 == sha1 and self._agrees(record) else None

    def add(self, record: FileRecord) -> None:
        self.files[record.path] = record

    def _agrees(self, record: FileRecord) -> bool:
        """Whether every report the file gave (and that was taken) is held with the recorded hash."""
        for doc_id, digest, _, taken in record.reports:
            held = self.held.get(doc_id) if taken else None
            if taken and (held is None or held[0] != digest):
                return False
        return True


class _Job:
    """What both jobs share: the progress they tell, the ledger they keep."""

    progress: Progress | None
    origin: str | None = None  # the reports folder or file read, resolved: the new generation records it
    book: FileBook
    summary: "Summary"

    def writing(self, analysed: int, share: float) -> None:
        """The adapter says how far its writing is: passed on to a progress that listens (the command line's),
        with the number of reports to analyse (not every report read: an update analyses the changed ones)."""
        listener = getattr(self.progress, "writing", None)
        if listener is not None:
            listener(analysed, share, self.summary.indexed)

    def record(self) -> bytes:
        """The new generation's ledger: its files' records and what it holds of each report."""
        return Ledger(self.book.files, self._held()).to_bytes()

    def _held(self) -> dict[str, tuple[str, str]]:
        raise NotImplementedError


@dataclass
class Summary:
    indexed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    kept: dict[str, int] = field(default_factory=dict)  # unread file or folder -> reports kept as indexed


@dataclass(frozen=True)
class RemovalGuard:
    """Refuses a new generation that would lose reports in bulk, unless ``allowed``.

    >>> RemovalGuard(0.2).check("la mise à jour", live=100, new=90, dropped=10)
    >>> RemovalGuard(0.2).check("la mise à jour", live=100, new=70, dropped=30)
    Traceback (most recent call last):
    ...
    search.errors.RemovalRefused: la mise à jour retirerait 30 des 100 rapports de l'index en service (30 %, plus que les 20 % permis) : rien n'est publié, l'index en service reste tel quel. Le dossier de rapports est-il vide, incomplet ou démonté ? Si c'est voulu, relancez avec --allow-removal
    """
    most: float = 0.2      # the share of the live index's reports one generation may drop
    allowed: bool = False  # --allow-removal: the operator knows
    floor: int = 10        # so many may always go: a share of a handful of reports is no sign of anything

    def check(self, what: str, live: int | None, new: int, dropped: int) -> None:
        """``live``: the live generation's reports (None: there is none); ``new``: the new one's;
        ``dropped``: the live reports the new one lacks."""
        if self.allowed:
            return
        if new == 0:
            held = f", au lieu des {live} de l'index en service" if live else ""
            raise RemovalRefused(f"{what} publierait un index vide (0 rapport{held}) : rien n'est publié, "
                                 f"l'index en service reste tel quel{_ASK}")
        if live and dropped > max(self.most * live, self.floor):
            raise RemovalRefused(f"{what} retirerait {dropped} des {live} rapports de l'index en service "
                                 f"({_percent(dropped / live)}, plus que les {_percent(self.most)} permis) : "
                                 f"rien n'est publié, l'index en service reste tel quel{_ASK}")


_ASK = ". Le dossier de rapports est-il vide, incomplet ou démonté ? Si c'est voulu, relancez avec --allow-removal"


def _percent(share: float) -> str:
    return f"{share * 100:.0f} %"


def guard(allow_removal: bool = False) -> RemovalGuard:
    """The guard of the settings (``max_removal_share``), lifted by ``allow_removal``."""
    return RemovalGuard(float(settings.get("max_removal_share")), allow_removal, int(settings.get("removal_floor")))


class RebuildJob(_Job):
    """A rebuild: every report the items give, each counted, skips and warnings noted."""

    def __init__(self, items: Iterable[Item], progress: Progress | None = None,
                 removal: RemovalGuard | None = None, book: FileBook | None = None):
        self.items, self.progress = items, progress
        self.removal = removal or guard()
        self.summary = Summary()
        self.book = book or FileBook()
        self._written: dict[str, tuple[str, str]] = {}

    def publishing(self, live: int | None, new: int) -> None:
        """Right before the new generation is published: raises RemovalRefused to keep the live one."""
        self.removal.check("la reconstruction", live, new, max(0, (live or 0) - new))

    def reports(self) -> Iterator[Report]:
        for item in self.items:
            if isinstance(item, Unchanged):  # never, without the ledger of a live generation
                continue
            report = _take(item, self.summary, self.progress)
            if report is not None:
                self.summary.indexed += 1
                self._written[report.id] = (report.hash, report.path)
                yield report

    def _held(self) -> dict[str, tuple[str, str]]:
        return self._written


class UpdateJob(_Job):
    """An update against what the live generation holds: ``changes`` first, then ``removals``."""

    def __init__(self, items: Iterable[Item], progress: Progress | None = None,
                 removal: RemovalGuard | None = None, book: FileBook | None = None):
        self.items, self.progress = items, progress
        self.removal = removal or guard()
        self.summary = Summary()
        self.book = book or FileBook()
        self._seen: set[str] = set()
        self._unread: list[str] = []  # files and folders that may hold reports this run could not read
        self._live: Mapping[str, tuple[str, str]] = {}
        self._written: dict[str, tuple[str, str]] = {}
        self._gone: list[str] = []
        self._migrating = False  # the live generation has no ledger: publish one even if nothing else changed

    def changes(self, held: Mapping[str, Held], record: bytes | None = None) -> Iterator[Report]:
        """The new and changed reports, to add or replace. ``record``: the live generation's ledger
        (``record()`` of the job that made it), when it has one; what it holds is then read from it,
        and ``held`` is never looked at (an adapter may read it only when asked)."""
        ledger = _ledger(record)
        # (hash, path) tuples, as the ledger has them: no object per report (340k of them at 340k reports).
        live = ledger.held if ledger is not None else {doc_id: (h.hash, h.path) for doc_id, h in held.items()}
        self._migrating = ledger is None
        self.book.previous, self.book.held, self._live = ledger, live, live
        for item in self.items:
            if isinstance(item, Unchanged):
                self._unchanged(item)
                continue
            report = _take(item, self.summary, self.progress)
            if report is None:
                if isinstance(item, Skipped) and not item.refused:
                    self._unread.append(item.file)
                continue
            self._seen.add(report.id)
            if report.id in live and live[report.id][0] == report.hash:
                self.summary.unchanged += 1
                continue
            self.summary.indexed += 1
            self._written[report.id] = (report.hash, report.path)
            yield report

    def _unchanged(self, item: Unchanged) -> None:
        """A file the live generation's ledger vouches for: its reports are held as they are."""
        if self.progress:
            self.progress(item)
        self._seen.update(item.ids)
        self.summary.unchanged += len(item.ids)

    def removals(self, held: Mapping[str, Held]) -> list[str]:
        """The ids whose file is really gone (``changes`` read every item first); ``held`` as given to
        ``changes`` (what the ledger says, when there is one)."""
        live = self._live
        gone = []
        for doc_id in sorted(live.keys() - self._seen):
            place = next((u for u in self._unread if comes_from(live[doc_id][1], u)), None)
            if place is None:
                gone.append(doc_id)
            else:  # its file is there, or may be: keep the version indexed
                self.summary.kept[place] = self.summary.kept.get(place, 0) + 1
        self.summary.removed = len(gone)
        self._gone = gone
        return gone

    @property
    def changed(self) -> bool:
        """Whether to publish: reports indexed or removed, or a ledger to write for the first time."""
        return bool(self.summary.indexed or self.summary.removed or self._migrating)

    def _held(self) -> dict[str, tuple[str, str]]:
        held = dict(self._live)
        for doc_id in self._gone:
            held.pop(doc_id, None)
        held.update(self._written)
        return held

    def publishing(self, live: int | None, new: int) -> None:
        """Right before the new generation is published: raises RemovalRefused to keep the live one."""
        self.removal.check("la mise à jour", live, new, self.summary.removed)


def _ledger(record: bytes | None) -> Ledger | None:
    """The live generation's ledger, or None (none, or unreadable: every file is read, as before ledgers)."""
    if record is None:
        return None
    try:
        return Ledger.from_bytes(record)
    except ValueError:
        return None


def _take(item: Report | Skipped, summary: Summary, progress: Progress | None) -> Report | None:
    """The report to index, or None for a skipped item (``iter_reports`` already skips duplicate ids).

    A text longer than ``max_indexed_chars`` is analysed up to there only: analysing 50 MB at once
    took 8 GB of memory. The whole text is stored, shown and exported; the summary says what is not
    searchable.
    """
    if progress:
        progress(item)
    if isinstance(item, Skipped):
        summary.skipped.append(item)
        return None
    most, size = int(settings.get("max_indexed_chars")), len(item.title) + len(item.text)
    if size > most:
        item.limit = most
        item.warnings.append(f"rapport de {size} caractères : seuls les {most} premiers sont cherchables "
                             "(le texte entier est gardé et affiché)")
    summary.warnings.extend(f"{item.path}: {w}" for w in item.warnings)
    return item


def check_reports(reports: Path) -> None:
    """Raises ReportsMissing unless ``reports`` is a folder or a report file (a ``.jsonl.gz`` collection…).

    Refused before any writing: a rebuild from a wrong file would publish an empty index.
    """
    path = Path(reports)
    if not (path.is_dir() or path.is_file()):
        raise ReportsMissing(f"ni dossier ni fichier de rapports : {reports}")
    if path.is_file() and not report_files(path):
        raise ReportsMissing(f"pas un fichier de rapports (.txt, .md, .jsonl, .jsonl.gz) : {reports}")


def read_reports(reports: Path, follow_links: bool = False, book: FileBook | None = None) -> Iterator[Item]:
    """The items of a reports folder or file, checked first; ``book``: the ledgers of the run."""
    check_reports(reports)
    return iter_reports(Path(reports), follow_links, book)


def cores() -> int:
    """The cores this process may run on (a container or ``taskset`` may allow fewer than the machine has):
    a rebuild's analysis processes, by default."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def rebuild(reports: Path, index: Location, progress: Progress | None = None, procs: int | None = None,
            follow_links: bool = False, engine: str = "whoosh", allow_removal: bool = False) -> Summary:
    """A complete new index from ``reports`` (a folder, or one file), swapped in only when whole.

    ``follow_links``: read the files that links in ``reports`` point to out of it (skipped otherwise).
    ``allow_removal``: publish it even if it holds no report, or far fewer than the live index
    (raises RemovalRefused otherwise, and the live index stays).
    """
    procs = procs or cores()
    book = FileBook()
    job = RebuildJob(read_reports(reports, follow_links, book), progress, guard(allow_removal), book)
    job.origin = str(Path(reports).resolve())
    return _timed(job, lambda: adapter(engine).rebuild(index, job, procs=procs))


def update(reports: Path, index: Location, progress: Progress | None = None, follow_links: bool = False,
           engine: str = "whoosh", allow_removal: bool = False) -> Summary:
    """New and changed reports indexed, deleted ones removed; a rebuild when there is no index.

    Raises RemovalRefused, and publishes nothing, when it would drop too many reports (see ``rebuild``).
    """
    if not adapter(engine).exists(index):
        return rebuild(reports, index, progress, follow_links=follow_links, engine=engine, allow_removal=allow_removal)
    book = FileBook()
    job = UpdateJob(read_reports(reports, follow_links, book), progress, guard(allow_removal), book)
    job.origin = str(Path(reports).resolve())
    return _timed(job, lambda: adapter(engine).update(index, job))


def _timed(job: RebuildJob | UpdateJob, write: Callable[[], object]) -> Summary:
    started = time.monotonic()
    write()
    job.summary.seconds = time.monotonic() - started
    return job.summary


def ensure_index(reports: Path, index: Location, progress: Progress | None = None,
                 engine: str = "whoosh") -> Summary | None:
    """Build the index when the folder holds no generation at all (the server's first start).

    A folder with generations, whole or damaged, is never built over: see ``IndexStore.current``.
    There is nothing to lose then: an empty reports folder makes an empty index, which opens and answers.
    """
    if adapter(engine).exists(index):
        return None
    return rebuild(reports, index, progress, engine=engine, allow_removal=True)


def built_from(index: Location, engine: str = "whoosh") -> str | None:
    """The reports folder or file the live generation of ``index`` was built (or last updated) from."""
    if engine != "whoosh":
        return adapter(engine).origin(index)
    from search.engine.store import IndexStore  # the store is the engines' common ground: no engine loaded
    return IndexStore(Path(str(index))).origin()


def open_index(index: Location, engine: str = "whoosh"):
    """The live index (an ``Engine``); raises IndexMissing or IndexDamaged when there is none whole."""
    return adapter(engine).open(index)


def generations(index: Location, engine: str = "whoosh") -> list[GenerationInfo]:
    """Every generation of the index, newest first: its reports, and whether it is whole and live."""
    return adapter(engine).generations(index)


def restore(index: Location, name: str, engine: str = "whoosh") -> GenerationInfo:
    """Make the whole generation ``name`` the live one (raises NotFound, or IndexDamaged when it is not whole).

    Nothing is deleted: the generations after it stay, and can be restored in turn.
    """
    return adapter(engine).restore(index, name)
