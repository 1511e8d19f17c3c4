"""Library entry points for writing and opening the index: files -> reports -> engine."""
from __future__ import annotations

import os
from pathlib import Path

from search import engine
from search.engine import SearchIndex, Summary
from search.ingest.reports import iter_reports, report_files
from search.engine.store import IndexStore


class ReportsMissing(FileNotFoundError):
    """Neither a reports folder nor a report file is there."""


def check_reports(reports: Path) -> None:
    """Raises ReportsMissing unless ``reports`` is a folder or a report file (a ``.jsonl.gz`` collection…).

    Refused before any writing: a rebuild from a wrong file would publish an empty index.
    """
    path = Path(reports)
    if not (path.is_dir() or path.is_file()):
        raise ReportsMissing(f"ni dossier ni fichier de rapports : {reports}")
    if path.is_file() and not report_files(path):
        raise ReportsMissing(f"pas un fichier de rapports (.txt, .md, .jsonl, .jsonl.gz) : {reports}")


def _reports(reports: Path, follow_links: bool):
    check_reports(reports)
    return iter_reports(Path(reports), follow_links)


def rebuild(reports: Path, index: Path, progress=None, procs: int | None = None,
            follow_links: bool = False) -> Summary:
    """A complete new index from ``reports`` (a folder, or one file), swapped in only when whole.

    ``follow_links``: read the files that links in ``reports`` point to out of it (skipped otherwise).
    """
    procs = procs or min(2, os.cpu_count() or 1)
    return engine.rebuild(IndexStore(index), _reports(reports, follow_links), progress, procs=procs)


def update(reports: Path, index: Path, progress=None, follow_links: bool = False) -> Summary:
    """New and changed reports indexed, deleted ones removed; a rebuild when there is no index."""
    store = IndexStore(index)
    if not store.exists():
        return rebuild(reports, index, progress, follow_links=follow_links)
    return engine.update(store, _reports(reports, follow_links), progress)


def open_index(index: Path) -> SearchIndex:
    return SearchIndex(IndexStore(index))


def ensure_index(reports: Path, index: Path, progress=None) -> Summary | None:
    """Build the index when the folder holds no generation at all (the server's first start).

    A folder with generations, whole or damaged, is never built over: see ``IndexStore.current``.
    """
    return None if IndexStore(index).exists() else rebuild(reports, index, progress)
