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

An adapter (``search.engine.<name>``) only answers what the live generation holds
(``Held``: each report's hash and origin), applies what a job gives it
(``RebuildJob.reports``, ``UpdateJob.changes`` then ``UpdateJob.removals``) in a new
generation, and calls ``job.publishing(live, new)`` right before it publishes it: the job
raises to refuse (see ``search.engine.contract``).
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from search import settings
from search.engine import adapter
from search.engine.contract import GenerationInfo, Held
from search.errors import RemovalRefused, ReportsMissing
from search.ingest.reports import Report, Skipped, comes_from, iter_reports, report_files

Progress = Callable[[Report | Skipped], None]


class _Job:
    """What both jobs share: the progress they tell."""

    progress: Progress | None
    origin: str | None = None  # the reports folder or file read, resolved: the new generation records it

    def writing(self, analysed: int, share: float) -> None:
        """The adapter says how far its writing is: passed on to a progress that listens (the command line's)."""
        listener = getattr(self.progress, "writing", None)
        if listener is not None:
            listener(analysed, share)


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

    def __init__(self, items: Iterable[Report | Skipped], progress: Progress | None = None,
                 removal: RemovalGuard | None = None):
        self.items, self.progress = items, progress
        self.removal = removal or guard()
        self.summary = Summary()

    def publishing(self, live: int | None, new: int) -> None:
        """Right before the new generation is published: raises RemovalRefused to keep the live one."""
        self.removal.check("la reconstruction", live, new, max(0, (live or 0) - new))

    def reports(self) -> Iterator[Report]:
        for item in self.items:
            report = _take(item, self.summary, self.progress)
            if report is not None:
                self.summary.indexed += 1
                yield report


class UpdateJob(_Job):
    """An update against what the live generation holds: ``changes`` first, then ``removals``."""

    def __init__(self, items: Iterable[Report | Skipped], progress: Progress | None = None,
                 removal: RemovalGuard | None = None):
        self.items, self.progress = items, progress
        self.removal = removal or guard()
        self.summary = Summary()
        self._seen: set[str] = set()
        self._unread: list[str] = []  # files and folders that may hold reports this run could not read

    def changes(self, held: Mapping[str, Held]) -> Iterator[Report]:
        """The new and changed reports, to add or replace."""
        for item in self.items:
            report = _take(item, self.summary, self.progress)
            if report is None:
                if isinstance(item, Skipped) and not item.refused:
                    self._unread.append(item.file)
                continue
            self._seen.add(report.id)
            if report.id in held and held[report.id].hash == report.hash:
                self.summary.unchanged += 1
                continue
            self.summary.indexed += 1
            yield report

    def removals(self, held: Mapping[str, Held]) -> list[str]:
        """The ids whose file is really gone (``changes`` read every item first)."""
        gone = []
        for doc_id in sorted(held.keys() - self._seen):
            place = next((u for u in self._unread if comes_from(held[doc_id].path, u)), None)
            if place is None:
                gone.append(doc_id)
            else:  # its file is there, or may be: keep the version indexed
                self.summary.kept[place] = self.summary.kept.get(place, 0) + 1
        self.summary.removed = len(gone)
        return gone

    @property
    def changed(self) -> bool:
        return bool(self.summary.indexed or self.summary.removed)

    def publishing(self, live: int | None, new: int) -> None:
        """Right before the new generation is published: raises RemovalRefused to keep the live one."""
        self.removal.check("la mise à jour", live, new, self.summary.removed)


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


def read_reports(reports: Path, follow_links: bool = False) -> Iterator[Report | Skipped]:
    """The items of a reports folder or file, checked first."""
    check_reports(reports)
    return iter_reports(Path(reports), follow_links)


def rebuild(reports: Path, index: Path, progress: Progress | None = None, procs: int | None = None,
            follow_links: bool = False, engine: str = "whoosh", allow_removal: bool = False) -> Summary:
    """A complete new index from ``reports`` (a folder, or one file), swapped in only when whole.

    ``follow_links``: read the files that links in ``reports`` point to out of it (skipped otherwise).
    ``allow_removal``: publish it even if it holds no report, or far fewer than the live index
    (raises RemovalRefused otherwise, and the live index stays).
    """
    procs = procs or min(2, os.cpu_count() or 1)
    job = RebuildJob(read_reports(reports, follow_links), progress, guard(allow_removal))
    job.origin = str(Path(reports).resolve())
    return _timed(job, lambda: adapter(engine).rebuild(index, job, procs=procs))


def update(reports: Path, index: Path, progress: Progress | None = None, follow_links: bool = False,
           engine: str = "whoosh", allow_removal: bool = False) -> Summary:
    """New and changed reports indexed, deleted ones removed; a rebuild when there is no index.

    Raises RemovalRefused, and publishes nothing, when it would drop too many reports (see ``rebuild``).
    """
    if not adapter(engine).exists(index):
        return rebuild(reports, index, progress, follow_links=follow_links, engine=engine, allow_removal=allow_removal)
    job = UpdateJob(read_reports(reports, follow_links), progress, guard(allow_removal))
    job.origin = str(Path(reports).resolve())
    return _timed(job, lambda: adapter(engine).update(index, job))


def _timed(job: RebuildJob | UpdateJob, write: Callable[[], object]) -> Summary:
    started = time.monotonic()
    write()
    job.summary.seconds = time.monotonic() - started
    return job.summary


def ensure_index(reports: Path, index: Path, progress: Progress | None = None,
                 engine: str = "whoosh") -> Summary | None:
    """Build the index when the folder holds no generation at all (the server's first start).

    A folder with generations, whole or damaged, is never built over: see ``IndexStore.current``.
    There is nothing to lose then: an empty reports folder makes an empty index, which opens and answers.
    """
    if adapter(engine).exists(index):
        return None
    return rebuild(reports, index, progress, engine=engine, allow_removal=True)


def built_from(index: Path) -> str | None:
    """The reports folder or file the live generation of ``index`` was built (or last updated) from."""
    from search.engine.store import IndexStore  # the store is the engines' common ground: no engine loaded
    return IndexStore(index).origin()


def open_index(index: Path, engine: str = "whoosh"):
    """The live index (an ``Engine``); raises IndexMissing or IndexDamaged when there is none whole."""
    return adapter(engine).open(index)


def generations(index: Path, engine: str = "whoosh") -> list[GenerationInfo]:
    """Every generation of the index, newest first: its reports, and whether it is whole and live."""
    return adapter(engine).generations(index)


def restore(index: Path, name: str, engine: str = "whoosh") -> GenerationInfo:
    """Make the whole generation ``name`` the live one (raises NotFound, or IndexDamaged when it is not whole).

    Nothing is deleted: the generations after it stay, and can be restored in turn.
    """
    return adapter(engine).restore(index, name)
