"""Writing the index: every rebuild and every update makes a new generation, published when whole.

A rebuild starts from an empty folder; an update starts from hard links to the live
generation's files (Whoosh never rewrites a file it wrote: a commit adds segments and a new
table of contents). The live generation is thus never written to: a failed, interrupted or
disk-full write leaves it whole, and its own files are removed with its build folder.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from whoosh import index as windex

from search.ingest.dates import day_number
from search.ingest.reports import Report, Skipped, comes_from
from search.engine.store import IndexStore
from search.fields import TEXT_FIELDS
from search.engine.whoosh.schema import make_schema
from search.engine.whoosh.segments import ParallelWriter, SegmentBuilder

Progress = Callable[[Report | Skipped], None]
# compound=False: a compound segment is copied into every searcher's memory.
# limitmb: the postings a writer (each process of a rebuild) keeps in memory before spilling a run.
WRITER_OPTIONS = {"limitmb": 512, "compound": False}


@dataclass
class Summary:
    indexed: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    kept: dict[str, int] = field(default_factory=dict)  # unread file or folder -> reports kept as indexed


def document(report: Report) -> dict:
    """The fields Whoosh stores and indexes for one report."""
    content = f"{report.title}\n\n{report.text}"
    doc = {"id": report.id, "title": report.title, "body": report.text, "path": report.path,
           "hash": report.hash, **{name: content for name in TEXT_FIELDS}}
    if report.source:
        doc["source"] = report.source
    if report.date:
        doc["date_start"] = day_number(report.date.start)
        doc["date_end"] = day_number(report.date.end)
        doc["precision"] = report.date.precision
    return doc


def rebuild(store: IndexStore, items: Iterable[Report | Skipped], progress: Progress | None = None,
            procs: int = 1) -> Summary:
    """Build a whole new index beside the live one; swap it in only when complete."""
    def fill(build: Path) -> tuple[Summary, int]:
        ix = windex.create_in(str(build), make_schema())
        # One segment per process: the index has ``procs`` segments, none merged at the end.
        writer = ParallelWriter(ix, procs, **WRITER_OPTIONS) if procs > 1 else SegmentBuilder(ix, **WRITER_OPTIONS)
        summary = _fill(writer, items, progress)
        return summary, summary.indexed

    return _new_generation(store, fill, from_live=False)


def _new_generation(store: IndexStore, fill: Callable[[Path], tuple[Summary, int | None]], from_live: bool) -> Summary:
    """Run ``fill`` on a new build folder; publish it with the report count it gives, or remove it
    (on any error, or when ``fill`` gives None: nothing changed)."""
    started = time.monotonic()
    with store.lock():
        live = store.current() if from_live else store.live()  # checked once: it is kept as the previous one
        build = store.new_build(live if from_live else None)
        try:
            summary, reports = fill(build)
        except BaseException:
            store.discard(build)
            raise
        if reports is not None:
            store.publish(build, reports, previous=live)
        else:
            store.discard(build)
    summary.seconds = time.monotonic() - started
    return summary


def _fill(writer, items, progress) -> Summary:
    summary = Summary()
    try:
        for item in items:
            if progress:
                progress(item)
            if _take(item, summary):
                writer.add_document(**document(item))
                summary.indexed += 1
        writer.commit()
    except BaseException:
        _cancel(writer)
        raise
    return summary


def _cancel(writer) -> None:
    """Cancel a writer after an error; one the error left half-closed may refuse, which changes nothing."""
    with contextlib.suppress(Exception):
        writer.cancel()


def _take(item: Report | Skipped, summary: Summary) -> bool:
    """Whether to index this item (``iter_reports`` already skips duplicate ids)."""
    if isinstance(item, Skipped):
        summary.skipped.append(item)
        return False
    summary.warnings.extend(f"{item.path}: {w}" for w in item.warnings)
    return True


def update(store: IndexStore, items: Iterable[Report | Skipped], progress: Progress | None = None) -> Summary:
    """Index new and changed reports (by content hash) and remove deleted ones, into a new generation.

    Published only when something changed.
    """
    def fill(build: Path) -> tuple[Summary, int | None]:
        ix = windex.open_dir(str(build))
        with ix.searcher() as searcher:
            known = {f["id"]: (f["hash"], f["path"]) for f in searcher.all_stored_fields()}
        summary = Summary()
        writer = SegmentBuilder(ix, **WRITER_OPTIONS)
        try:
            _apply(writer, items, progress, known, summary)
            changed = bool(summary.indexed or summary.removed)
            writer.commit() if changed else writer.cancel()
        except BaseException:
            _cancel(writer)
            raise
        return summary, ix.doc_count() if changed else None

    return _new_generation(store, fill, from_live=True)


def _apply(writer, items, progress, known: dict[str, tuple[str, str]], summary: Summary) -> None:
    """Index what is new or changed; remove what is gone, but not what sits in a place not read now."""
    seen: set[str] = set()
    unread: list[str] = []  # files and folders that may hold reports this run could not read
    for item in items:
        if progress:
            progress(item)
        if not _take(item, summary):
            if not item.refused:
                unread.append(item.file)
            continue
        seen.add(item.id)
        if item.id in known and known[item.id][0] == item.hash:
            summary.unchanged += 1
            continue
        writer.update_document(**document(item))
        summary.indexed += 1
    for doc_id in sorted(known.keys() - seen):
        place = next((u for u in unread if comes_from(known[doc_id][1], u)), None)
        if place is None:
            writer.delete_by_term("id", doc_id)
            summary.removed += 1
        else:  # its file is there, or may be: keep the version indexed
            summary.kept[place] = summary.kept.get(place, 0) + 1
