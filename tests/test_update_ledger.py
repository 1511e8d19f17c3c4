"""The ledger of the report files: an update reads what changed, and gives what a full read would give.

Real folders, real files, real generations: a file the ledger vouches for (same size, times and
inode) is not opened (the bytes the process reads say so); one whose times moved is hashed, and
parsed only when its bytes differ; what a full read would
say (skipped lines, duplicate ids, ids freed by a removal) is said the same way.
"""
from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

from search import indexing
from search.engine import manifest
from search.engine.store import IndexStore
from search.ingest.ledger import Ledger

from .conftest import indexed, write_reports


def record(n: int, text: str = "Convoi vers Alep.") -> str:
    return json.dumps({"id": f"w{n}", "title": f"Dépêche {n}", "text": f"{text} ({n})"}) + "\n"


def ledger(index: Path) -> Ledger:
    live = IndexStore(index).current()
    return Ledger.from_bytes((live / "LEDGER.json").read_bytes())


def aged(path: Path, seconds: float = 60) -> None:
    """The file as if written a minute ago: past the racy window, its record vouches for it."""
    when = time.time_ns() - int(seconds * 1e9)
    os.utime(path, ns=(when, when))


def rewrite_keeping_stat(path: Path, content: bytes) -> None:
    """New bytes of the same length, in place, the modification time put back (not the change time)."""
    info = path.stat()
    assert len(content) == info.st_size
    with open(path, "r+b") as fh:
        fh.write(content)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_the_ledger_is_sealed_and_holds_every_file_and_report(tmp_path):
    reports = write_reports(tmp_path / "r", {"a.txt": "A\n\nÀ Homs.", "wire.jsonl": "".join(record(n) for n in range(3))})
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    live = IndexStore(index).current()
    assert "LEDGER.json" in manifest.digests_of(live)  # sealed like the index's own files
    book = ledger(index)
    assert set(book.files) == {"a.txt", "wire.jsonl"}
    assert [r[0] for r in book.files["wire.jsonl"].reports] == ["w0", "w1", "w2"]
    assert book.held == {"a": (book.files["a.txt"].sha1, "a.txt"),
                         **{f"w{n}": (book.files["wire.jsonl"].reports[n][1], f"wire.jsonl#w{n}") for n in range(3)}}


def read_bytes_of_this_process() -> int:
    """Bytes this process has read through system calls so far (Linux's /proc/self/io ``rchar``)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def test_a_file_whose_stat_is_unchanged_is_not_read_and_one_whose_time_moved_is(tmp_path):
    big = "".join(record(n, "Convoi vers Alep, puis vers Homs. " * 60) for n in range(1500))  # 3 MB
    reports = write_reports(tmp_path / "r", {"wire.jsonl": big, "b.txt": "B\n\nÀ Alep."})
    index = tmp_path / "index"
    time.sleep(2.1)  # past the racy window of their change times: the ledger vouches for them
    indexing.rebuild(reports, index, procs=1)
    assert ledger(index).files["wire.jsonl"].size == len(big.encode())
    time.sleep(2.1)  # and of the index's files: once checked, they are not hashed again within the day
    assert indexing.update(reports, index).indexed == 0
    before = read_bytes_of_this_process()
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.unchanged) == (0, 1501)
    assert read_bytes_of_this_process() - before < len(big) // 3  # the ledger and the manifest, not the file
    aged(reports / "wire.jsonl", 30)  # touched: hashed (read once), not parsed; nothing to publish
    before = read_bytes_of_this_process()
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.unchanged) == (0, 1501)
    assert len(big) <= read_bytes_of_this_process() - before < 3 * len(big)
    (reports / "b.txt").write_text("B\n\nÀ Raqa.", encoding="utf-8")
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.unchanged) == (1, 1500)
    engine = indexing.open_index(index)
    try:
        assert engine.get("b").body == "À Raqa."
    finally:
        engine.close()


def test_a_file_changed_right_after_it_was_read_is_hashed_next_time(tmp_path):
    """A record made within the racy window does not vouch for the file: a same-size rewrite in the same
    instant, its modification time put back, is still found (its change time moved too)."""
    reports = write_reports(tmp_path / "r", {"a.txt": "A\n\nÀ Homs."})
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    assert ledger(index).files["a.txt"].size is None  # racy: written less than two seconds before it was read
    rewrite_keeping_stat(reports / "a.txt", "A\n\nÀ Raqa.".encode())
    assert indexing.update(reports, index).indexed == 1


def test_a_touched_collection_is_hashed_not_reindexed_and_an_appended_record_is_the_only_change(tmp_path):
    wire = tmp_path / "r" / "wire.jsonl.gz"
    write_reports(tmp_path / "r", {"wire.jsonl.gz": gzip.compress("".join(record(n) for n in range(50)).encode())})
    aged(wire)
    index = tmp_path / "index"
    indexing.rebuild(wire.parent, index, procs=1)
    aged(wire, 30)  # touched: same bytes
    summary = indexing.update(wire.parent, index)
    assert (summary.indexed, summary.unchanged, summary.removed) == (0, 50, 0)
    wire.write_bytes(gzip.compress("".join(record(n) for n in range(51)).encode()))
    summary = indexing.update(wire.parent, index)
    assert (summary.indexed, summary.unchanged, summary.removed) == (1, 50, 0) and indexed(index) == 51


def test_skipped_lines_and_duplicate_ids_are_told_again_when_the_file_is_not_read(tmp_path):
    reports = write_reports(tmp_path / "r", {
        "a.jsonl": record(1) + "{pas du JSON\n" + record(2),
        "b.jsonl": record(2, "Un autre texte, le même identifiant.") + record(3),
    })
    for path in reports.iterdir():
        aged(path)
    index = tmp_path / "index"
    first = indexing.rebuild(reports, index, procs=1, allow_removal=True)
    again = indexing.update(reports, index)
    assert (again.indexed, again.unchanged) == (0, 3)
    assert [(s.path, s.reason) for s in again.skipped] == [(s.path, s.reason) for s in first.skipped]
    assert {s.path for s in again.skipped} == {"a.jsonl#2", "b.jsonl#1"}


def test_an_id_freed_by_a_removal_is_read_from_the_file_that_repeated_it(tmp_path):
    """b.jsonl's w2 was refused (a.jsonl had it first); a.jsonl loses it: b's must be indexed, although
    b.jsonl itself did not change (its ledger record cannot stand for a report it never gave)."""
    reports = write_reports(tmp_path / "r", {
        "a.jsonl": record(1) + record(2),
        "b.jsonl": record(2, "La version de b.") + record(3),
    })
    for path in reports.iterdir():
        aged(path)
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    (reports / "a.jsonl").write_text(record(1))
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.removed, summary.skipped) == (1, 0, [])
    engine = indexing.open_index(index)
    try:
        assert engine.get("w2").body == "La version de b. (2)" and engine.get("w2").path == "b.jsonl#w2"
    finally:
        engine.close()


def test_a_file_made_unreadable_keeps_its_reports_and_says_so(tmp_path):
    """Its change time moves with its permissions: it is tried, and kept as any unread file (root reads
    through permissions: a file turned into a folder stands for it here)."""
    reports = write_reports(tmp_path / "r", {"a.txt": "A\n\nÀ Homs.", "b.txt": "B\n\nÀ Alep."})
    for path in reports.iterdir():
        aged(path)
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    os.truncate(reports / "a.txt", 0)  # emptied: kept as it was, named in the summary
    summary = indexing.update(reports, index)
    assert summary.kept == {"a.txt": 1} and indexed(index) == 2


def test_removed_files_and_reports_leave_the_ledger(tmp_path):
    reports = write_reports(tmp_path / "r", {f"{n}.txt": f"R{n}\n\nÀ Homs ({n})." for n in range(12)})
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    (reports / "3.txt").unlink()
    summary = indexing.update(reports, index)
    assert summary.removed == 1 and "3.txt" not in ledger(index).files and "3" not in ledger(index).held
    assert len(ledger(index).held) == indexed(index) == 11


def test_a_generation_without_a_ledger_is_read_whole_once_and_given_one(tmp_path):
    """As an index written before ledgers: every file read, what it holds read from its stored fields,
    and a generation published with a ledger although no report changed; the next update reads nothing."""
    reports = write_reports(tmp_path / "r", {f"{n}.txt": f"R{n}\n\nÀ Homs ({n})." for n in range(5)})
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1, allow_removal=True)
    store = IndexStore(index)
    live = store.current()
    sealed = manifest.read(live)
    (live / "LEDGER.json").unlink()
    manifest.seal(live, sealed.reports, sealed.analysis, sealed.origin)  # a whole generation, without a ledger
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.unchanged, summary.removed) == (0, 5, 0)
    assert IndexStore(index).stamp() != live.name and len(ledger(index).held) == 5
    (reports / "2.txt").unlink()
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.unchanged, summary.removed) == (0, 4, 1) and indexed(index) == 4
