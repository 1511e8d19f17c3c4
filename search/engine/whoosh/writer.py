"""Writing the index: every rebuild and every update makes a new generation, published when whole.

A rebuild starts from an empty folder; an update starts from hard links to the live
generation's files (``IndexStore.new_build``), to which Whoosh only adds files (a segment, a
table of contents) and from which it only unlinks; the ledger is replaced by a new file. The
live generation is thus never written to: a failed, interrupted or disk-full write leaves it
whole, and the build's own files are removed with its build folder. Right before publishing, the job says whether it may (``job.publishing``:
the removal guard), with the live generation's report count and the new one's.
"""
from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Iterator

from whoosh import index as windex

from search import settings
from search.engine.contract import Held, RebuildWork, UpdateWork
from search.engine.store import IndexStore
from search.engine.whoosh.schema import make_schema
from search.engine.whoosh.segments import Meter, ParallelWriter, SegmentBuilder, watch_meter
from search.fields import TEXT_FIELDS
from search.ingest.dates import day_number
from search.ingest.reports import Report

# compound=False: a compound segment is copied into every searcher's memory.
# limitmb: the postings a writer (each process of a rebuild) keeps in memory before spilling a run.
WRITER_OPTIONS = {"limitmb": 512, "compound": False}


def document(report: Report, schema) -> dict:
    """The fields Whoosh stores and indexes for one report (analysed up to ``report.limit``).

    A text over ``max_indexed_chars`` (its searchable part) is stored as that opening (what hits and
    its page read) and whole in the ``fulltext`` column, in a generation whose schema has it (one
    built before keeps texts whole).
    """
    opening = int(settings.get("max_indexed_chars"))
    content = report.searchable()
    doc: dict[str, str | int | bytes] = {"id": report.id, "title": report.title, "body": report.text,
                                         "path": report.path, "hash": report.hash,
                                         **{name: content for name in TEXT_FIELDS}}
    if len(report.text) > opening and "fulltext" in schema:
        doc.update(body=report.text[:opening], length=len(report.text), fulltext=report.text.encode("utf-8"))
    if report.source:
        doc["source"] = report.source
    if report.date:
        doc["date_start"] = day_number(report.date.start)
        doc["date_end"] = day_number(report.date.end)
        doc["precision"] = report.date.precision
    return doc


def rebuild(location: Path, job: RebuildWork, procs: int = 1) -> None:
    """Build a whole new index beside the live one (in the folder ``location``) from the job's reports;
    swap it in only when complete."""
    def fill(build: Path) -> int:
        ix = windex.create_in(str(build), make_schema())
        meter = Meter(1)
        # One segment per process: the index has ``procs`` segments, none merged at the end.
        writer = ParallelWriter(ix, procs, report=_reporter(job), **WRITER_OPTIONS) if procs > 1 else \
            SegmentBuilder(ix, meter=meter, **WRITER_OPTIONS)
        written = 0
        try:
            for report in job.reports():
                writer.add_document(**document(report, ix.schema))
                written += 1
            with _watched(meter if procs == 1 else None, job):
                writer.commit()
        except BaseException:
            _cancel(writer)
            raise
        _write_ledger(build, job.record())
        return written

    _new_generation(IndexStore(location), fill, job, from_live=False)


def update(location: Path, job: UpdateWork) -> None:
    """Apply the job's changes and removals to a copy of the live generation; published only when
    something changed."""
    def fill(build: Path) -> int | None:
        ix = windex.open_dir(str(build))
        held = _Held(ix)
        meter = Meter(1)
        writer = SegmentBuilder(ix, meter=meter, **WRITER_OPTIONS)
        try:
            for report in job.changes(held, _read_ledger(build)):
                writer.update_document(**document(report, ix.schema))
            for doc_id in job.removals(held):
                writer.delete_by_term("id", doc_id)
            if job.changed:
                with _watched(meter, job):
                    writer.commit()
                _write_ledger(build, job.record())
            else:
                writer.cancel()
        except BaseException:
            _cancel(writer)
            raise
        return ix.doc_count() if job.changed else None

    _new_generation(IndexStore(location), fill, job, from_live=True)


def _reporter(job: RebuildWork | UpdateWork):
    """The meter's totals as the job hears them: reports analysed, and the share of postings written."""
    def report(analysed: int, pooled: int, written: int) -> None:
        job.writing(analysed, written / pooled if pooled else 0.0)
    return report


@contextlib.contextmanager
def _watched(meter: Meter | None, job: RebuildWork | UpdateWork) -> Iterator[None]:
    """While a commit runs in this process, a thread tells the job how far its writing is."""
    if meter is None:
        yield
        return
    done = threading.Event()
    thread = threading.Thread(target=watch_meter, args=(meter, _reporter(job), done), daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


LEDGER = "LEDGER.json"  # the job's record of the report files (see search.ingest.ledger)


class _Held(Mapping):
    """Every report of the generation (its content hash and the file it was read from), read from the
    stored fields only when first asked for: with a ledger, the job never asks (1.8 s at 34k reports)."""

    def __init__(self, ix):
        self.ix, self._read = ix, None

    def _all(self) -> dict[str, Held]:
        if self._read is None:
            with self.ix.searcher() as searcher:
                self._read = {f["id"]: Held(f["hash"], f["path"]) for f in searcher.all_stored_fields()}
        return self._read

    def __getitem__(self, key: str) -> Held:
        return self._all()[key]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _read_ledger(build: Path) -> bytes | None:
    """The ledger the live generation holds (its copy in the build), or None (made before ledgers)."""
    try:
        return (build / LEDGER).read_bytes()
    except FileNotFoundError:
        return None


def _write_ledger(build: Path, body: bytes) -> None:
    """The new ledger, as a new file: the one in the build is the live generation's, shared by a link."""
    tmp = build / (LEDGER + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(body)
    os.replace(tmp, build / LEDGER)


def _new_generation(store: IndexStore, fill: Callable[[Path], int | None], job: RebuildWork | UpdateWork,
                    from_live: bool) -> None:
    """Run ``fill`` on a new build folder; publish it with the report count it gives once the job agrees
    (with the reports folder it was built from, ``job.origin``), or remove it (on any error, a refusal,
    or when ``fill`` gives None: nothing changed)."""
    with store.lock():
        live = store.current() if from_live else store.live()  # checked once: it is kept as the previous one
        build = store.new_build(live if from_live else None)
        try:
            reports = fill(build)
            if reports is not None:
                job.publishing(store.reports(live) if live else None, reports)
        except BaseException:
            store.discard(build)
            raise
        if reports is None:
            store.discard(build)
            return
        published = store.publish(build, reports, previous=live, origin=job.origin)
        if from_live:  # it shares its files with the one before: one kept generation must share none
            store.keep_apart(published)


def _cancel(writer) -> None:
    """Cancel a writer after an error; one the error left half-closed may refuse, which changes nothing."""
    with contextlib.suppress(Exception):
        writer.cancel()
