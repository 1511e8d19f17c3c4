"""A full disk while the index is written, made real at the OS level, through the real command line.

The writing process runs under ``RLIMIT_FSIZE``: a write past the limit fails with EFBIG
(SIGXFSZ ignored, as Python does anyway), at the very place a full disk fails with ENOSPC,
in the middle of a segment file, in the writer or in one of its indexing processes. The
limit is far above the small files a write needs besides (pointer, manifest, table of
contents) and far below a segment's postings.
"""
from __future__ import annotations

import hashlib
import json
import random
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from search import indexing

from .conftest import ROOT, indexed, write_reports

LIMIT = 64 * 1024  # bytes a file may grow to
WORDS = "convoi frappe Alep Homs Damas armée milice frontière route village drone".split()


def corpus(folder: Path, first: int, count: int) -> Path:
    rng = random.Random(first)
    return write_reports(folder, {
        f"r{n:04d}.txt": f"Rapport {n}\n\n" + " ".join(f"{rng.choice(WORDS)}{rng.randint(0, 400)}" for _ in range(80))
        for n in range(first, first + count)})


def run(*args, limit: int | None = None) -> subprocess.CompletedProcess:
    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, preexec_fn=limited if limit else None)


def snapshot(index: Path) -> dict[str, str]:
    """Every file under the index folder with a hash of its bytes, the lock aside, and the record of the
    checks made (``CHECKED.json``: checking the live generation before writing may add to it)."""
    return {str(p.relative_to(index)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(index.rglob("*")) if p.is_file() and p.name not in (".lock", "CHECKED.json")}


def assert_one_error_line(r: subprocess.CompletedProcess) -> None:
    assert r.returncode == 1, (r.stdout, r.stderr)
    # Off a terminal, a write that lasts over 10 s (a busy machine) says how far it got first: not an error.
    errors = "".join(line for line in r.stderr.splitlines(keepends=True) if not line.startswith("lecture : "))
    assert "Traceback" not in errors and errors.count("\n") == 1, r.stderr
    assert errors.startswith("erreur : [Errno 27] File too large") and "resté tel quel" in errors, r.stderr


@pytest.fixture
def built(tmp_path):
    reports, index = corpus(tmp_path / "reports", 0, 40), tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    return reports, index


def test_a_full_disk_during_update_leaves_the_live_generation_as_it_was(built):
    reports, index = built
    corpus(reports, 40, 40)
    before = snapshot(index)
    assert indexed(index) == 40 and len(list(reports.iterdir())) == 80
    assert_one_error_line(run("update", "--reports", reports, "--index", index, limit=LIMIT))
    assert snapshot(index) == before  # not one byte of the failed write left, nothing live touched
    assert indexed(index) == 40
    r = run("update", "--reports", reports, "--index", index)  # the disk has room again: it just works
    assert r.returncode == 0 and r.stdout.startswith(f"mis à jour {index} : 40 rapports indexés, 40 inchangés"), r
    assert indexed(index) == 80


def records(folder: Path, count: int) -> Path:
    """Small reports in one JSONL file: each indexing process's stored fields outgrow the limit."""
    rng = random.Random(count)
    lines = [json.dumps({"id": f"j{n}", "title": f"Dépêche {n}",
                         "text": " ".join(f"{rng.choice(WORDS)}{rng.randint(0, 400)}" for _ in range(20))})
             for n in range(count)]
    return write_reports(folder, {"wire.jsonl": "\n".join(lines) + "\n"})


def test_a_full_disk_during_rebuild_is_one_line_and_the_old_index_serves(built, tmp_path):
    reports, index = built
    big = records(tmp_path / "wire", 1500)
    before = snapshot(index)
    # The writer's batches of 200 reports for its processes fit; each process's stored fields do not.
    r = run("rebuild", "--reports", big, "--index", index, limit=2 * LIMIT)
    assert_one_error_line(r)  # not one traceback per indexing process, and not a success
    assert r.stdout == ""
    assert snapshot(index) == before and not list(index.glob("tmp-*"))
    assert indexed(index) == 40


def test_a_full_disk_during_the_independent_copy_keeps_the_update_and_says_so(tmp_path):
    """The copy that shares no file with the live generation comes after the update is published: a disk
    too full for it leaves the update done (exit 0), one warning line, no half copy; the next update makes it."""
    reports, index = corpus(tmp_path / "reports", 0, 300), tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    live = index / (index / "CURRENT").read_text().strip()
    assert max(p.stat().st_size for p in live.iterdir()) > LIMIT  # its postings: too big to copy under the limit
    corpus(reports, 300, 1)
    r = run("update", "--reports", reports, "--index", index, limit=LIMIT)  # one report: its own files are small
    assert r.returncode == 0 and ": 1 rapport indexé, 300 inchangés" in r.stdout, (r.stdout, r.stderr)
    assert "la copie indépendante de gen-" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.count("\n") == 1 and not list(index.glob("tmp-*"))
    assert indexed(index) == 301 and len(list(index.glob("gen-*"))) == 2  # the rebuild's and the update's, linked
    corpus(reports, 301, 1)
    assert run("update", "--reports", reports, "--index", index).returncode == 0
    assert len(list(index.glob("gen-*"))) == 4  # the day's copy made at last (and nothing dropped: 3 + the copy)
