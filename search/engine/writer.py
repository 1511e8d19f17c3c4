"""Writing the index: complete rebuilds into a new generation, and in-place updates."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from whoosh import index as windex

from ..dates import day_number
from ..reports import Report, Skipped
from ..store import IndexStore
from .schema import TEXT_FIELDS, make_schema
from .segments import ParallelWriter, SegmentBuilder

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
    started = time.monotonic()
    with store.lock():
        build = store.new_build()
        try:
            ix = windex.create_in(str(build), make_schema())
            # One segment per process: the index has ``procs`` segments, none merged at the end.
            writer = ParallelWriter(ix, procs, **WRITER_OPTIONS) if procs > 1 else SegmentBuilder(ix, **WRITER_OPTIONS)
            summary = _fill(writer, items, progress)
        except BaseException:
            store.discard(build)
            raise
        store.publish(build)
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
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    return summary


def _take(item: Report | Skipped, summary: Summary) -> bool:
    """Whether to index this item (``iter_reports`` already skips duplicate ids)."""
    if isinstance(item, Skipped):
        summary.skipped.append(item)
        return False
    summary.warnings.extend(f"{item.path}: {w}" for w in item.warnings)
    return True


def update(store: IndexStore, items: Iterable[Report | Skipped], progress: Progress | None = None) -> Summary:
    """Index new and changed reports (by content hash) and remove deleted ones, in place."""
    started = time.monotonic()
    with store.lock():
        ix = windex.open_dir(str(store.current()))
        with ix.searcher() as searcher:
            known = {f["id"]: f["hash"] for f in searcher.all_stored_fields()}
        summary = Summary()
        writer = SegmentBuilder(ix, **WRITER_OPTIONS)
        try:
            _apply(writer, items, progress, known, summary)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    summary.seconds = time.monotonic() - started
    return summary


def _apply(writer, items, progress, known: dict[str, str], summary: Summary) -> None:
    seen: set[str] = set()
    for item in items:
        if progress:
            progress(item)
        if not _take(item, summary):
            continue
        seen.add(item.id)
        if known.get(item.id) == item.hash:
            summary.unchanged += 1
            continue
        writer.update_document(**document(item))
        summary.indexed += 1
    for doc_id in known.keys() - seen:
        writer.delete_by_term("id", doc_id)
        summary.removed += 1
