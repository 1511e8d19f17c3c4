"""Writing the index, whatever engine holds it: files -> reports -> a new generation, or nothing.

The policy lives here, once, above every adapter:

- a rebuild indexes every report read, and lists what it skipped and why;
- an update indexes new and changed reports (by content hash), and removes a report only
  when its file is really gone: a file or folder that cannot be read now (permissions, a
  truncated ``.jsonl.gz``, a bad JSON line…) keeps the reports indexed from it as they were,
  and the summary names it (the command line then exits 3).

An adapter (``search.engine.<name>``) only answers what the live generation holds
(``Held``: each report's hash and origin) and applies what a job gives it
(``RebuildJob.reports``, ``UpdateJob.changes`` then ``UpdateJob.removals``), in a new
generation that it publishes only when whole.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from search.engine import adapter
from search.engine.contract import Held, Location
from search.errors import ReportsMissing
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


class RebuildJob(_Job):
    """A rebuild: every report the items give, each counted, skips and warnings noted."""

    def __init__(self, items: Iterable[Report | Skipped], progress: Progress | None = None):
        self.items, self.progress = items, progress
        self.summary = Summary()

    def reports(self) -> Iterator[Report]:
        for item in self.items:
            report = _take(item, self.summary, self.progress)
            if report is not None:
                self.summary.indexed += 1
                yield report


class UpdateJob(_Job):
    """An update against what the live generation holds: ``changes`` first, then ``removals``."""

    def __init__(self, items: Iterable[Report | Skipped], progress: Progress | None = None):
        self.items, self.progress = items, progress
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


def _take(item: Report | Skipped, summary: Summary, progress: Progress | None) -> Report | None:
    """The report to index, or None for a skipped item (``iter_reports`` already skips duplicate ids)."""
    if progress:
        progress(item)
    if isinstance(item, Skipped):
        summary.skipped.append(item)
        return None
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


def rebuild(reports: Path, index: Location, progress: Progress | None = None, procs: int | None = None,
            follow_links: bool = False, engine: str = "whoosh") -> Summary:
    """A complete new index from ``reports`` (a folder, or one file), swapped in only when whole.

    ``follow_links``: read the files that links in ``reports`` point to out of it (skipped otherwise).
    """
    procs = procs or min(2, os.cpu_count() or 1)
    job = RebuildJob(read_reports(reports, follow_links), progress)
    job.origin = str(Path(reports).resolve())
    return _timed(job, lambda: adapter(engine).rebuild(index, job, procs=procs))


def update(reports: Path, index: Location, progress: Progress | None = None, follow_links: bool = False,
           engine: str = "whoosh") -> Summary:
    """New and changed reports indexed, deleted ones removed; a rebuild when there is no index."""
    if not adapter(engine).exists(index):
        return rebuild(reports, index, progress, follow_links=follow_links, engine=engine)
    job = UpdateJob(read_reports(reports, follow_links), progress)
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
    """
    return None if adapter(engine).exists(index) else rebuild(reports, index, progress, engine=engine)


def built_from(index: Location, engine: str = "whoosh") -> str | None:
    """The reports folder or file the live generation of ``index`` was built (or last updated) from."""
    if engine != "whoosh":
        return adapter(engine).origin(index)
    from search.engine.store import IndexStore  # the store is the engines' common ground: no engine loaded
    return IndexStore(Path(str(index))).origin()


def open_index(index: Location, engine: str = "whoosh"):
    """The live index (an ``Engine``); raises IndexMissing or IndexDamaged when there is none whole."""
    return adapter(engine).open(index)
