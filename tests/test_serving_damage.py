"""Never down: independent generations, damage found while serving, an index of no report, real server processes.

- an update links the live generation's files (hard links: Whoosh never rewrites one) and keeps a
  checked copy that shares no file with the live one: one file damaged on disk, even one that every
  linked generation shares, leaves that copy whole, and it is served;
- a file truncated under a running server gives a clear 503 (one line, no traceback anywhere), and
  the server moves to the newest whole generation;
- a generation that fails to open never half-switches the server; an index of no report opens and answers.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from search import indexing
from search.engine import manifest
from search.engine.store import IndexStore

from .conftest import ROOT, fetch, serving, write_reports

OLD = {f"old{n}.txt": f"date: 2023-0{n + 1}-01\nAncien {n}\n\nLe convoi est à Alep, près de Vexilor ({n})."
       for n in range(6)}
NEW = {"new.txt": "date: 2024-01-01\nNouveau\n\nLe convoi est à Homs, loin de Vexilor."}


@pytest.fixture
def updated(tmp_path):
    """A generation of 6 reports, then one of 7 made from it by an update."""
    reports, index = write_reports(tmp_path / "reports", OLD), tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    older = IndexStore(index).stamp()
    write_reports(reports, NEW)
    indexing.update(reports, index)
    newer = IndexStore(index).stamp()
    assert older != newer
    return reports, index, older, newer


def inodes(generation: Path) -> dict[str, int]:
    return {p.name: p.stat().st_ino for p in generation.iterdir() if p.is_file()}


def total(base: str, q: str = "") -> tuple[int, dict]:
    status, _, body = fetch(f"{base}/api/search?q={q}&per_page=100")
    return status, json.loads(body)


def test_an_update_links_its_files_and_one_damaged_file_leaves_the_independent_copy_whole(updated):
    reports, index, older, newer = updated
    old_files, new_files = inodes(index / older), inodes(index / newer)
    [segment] = [n for n in set(old_files) & set(new_files) if n.endswith(".pst")]
    assert old_files[segment] == new_files[segment]  # linked, not copied: the update wrote its own files only
    [copy] = {p.name for p in index.glob("gen-*")} - {older, newer}
    copied = inodes(index / copy)
    assert copy < newer and not set(copied.values()) & set(new_files.values())  # shares no file with the live one
    assert IndexStore(index).problem(index / copy) is None and IndexStore(index).reports(index / copy) == len(OLD) + 1
    os.truncate(index / newer / segment, 10)  # one file, damaged in the live generation and the one before at once
    with serving(index, reports) as base:
        status, body = total(base)
        assert status == 200 and body["total"] == len(OLD) + 1  # the copy: whole, nothing lost
    listed = subprocess.run([sys.executable, "-m", "search", "generations", "--index", str(index)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    rows = {line.split()[0]: line for line in listed.stdout.splitlines()[1:]}
    assert f"endommagée ({segment} : 10 octets, " in rows[newer] and f"endommagée ({segment} : 10 octets, " in rows[older]
    assert rows[copy].endswith(f"copie indépendante de {newer}, en service")


def test_the_copy_is_made_once_a_day_not_on_every_update(updated):
    reports, index, older, newer = updated
    before = {p.name for p in index.glob("gen-*")}
    write_reports(reports, {"later.txt": "date: 2024-02-01\nPlus tard\n\nLe convoi repart de Homs."})
    indexing.update(reports, index)
    latest = IndexStore(index).stamp()
    after = {p.name for p in index.glob("gen-*")}
    assert latest not in before and after - before == {latest}  # no second copy within the day
    store = IndexStore(index)
    live = inodes(index / latest)
    apart = [g for g in after if g != latest and not set(inodes(index / g).values()) & set(live.values())]
    assert apart and all(store.problem(index / g) is None for g in apart)


def _until(condition, what: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_file_truncated_under_a_running_server_is_a_503_then_the_generation_before(updated, tmp_path):
    reports, index, older, newer = updated
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log, serving(index, reports, log, seconds=30) as base:
        assert total(base, "Homs")[1]["total"] == 1
        for path in (index / newer).iterdir():  # every segment's postings and stored fields, cut short
            if path.suffix == ".pst" or path.name.endswith("_stored.col"):
                os.truncate(path, path.stat().st_size // 3)
        status, headers, body = fetch(base + "/api/search?q=Vexilor")
        assert status == 503 and headers.get("retry-after"), (status, body)
        error = json.loads(body)
        assert set(error) == {"error", "param"} and error["error"].startswith("L’index en service est endommagé (")
        assert "\n" not in error["error"] and "dernière génération complète" in error["error"]
        page = fetch(base + "/?q=Vexilor")
        assert page[0] in (200, 503) and "Traceback" not in page[2]
        # The server moves to the newest whole generation: the copy that shares no file with the live one.
        _until(lambda: fetch(base + "/api/search?q=Vexilor")[0] == 200, "the switch to the independent copy")
        assert total(base, "Vexilor")[1]["total"] == len(OLD) + 1 and total(base, "Homs")[1]["total"] == 1
    logged = log_path.read_text()
    assert "Traceback" not in logged, logged
    assert f"{newer} est endommagée (" in logged and "passage à la génération complète la plus récente" in logged
    [copy] = {p.name for p in index.glob("gen-*")} - {older, newer}
    assert f"{copy} en service" in logged


def test_a_generation_that_fails_to_open_leaves_the_served_one_in_place(updated, tmp_path):
    reports, index, older, newer = updated
    log_path = tmp_path / "server.log"
    with open(log_path, "w") as log, serving(index, reports, log, seconds=30) as base:
        write_reports(reports, {"extra.txt": "En plus\n\nÀ Raqqa."})
        indexing.update(reports, index)
        third = IndexStore(index).stamp()
        # Whole by its manifest (a writer's bug, not damage on disk: the checks pass), yet Whoosh cannot open it.
        toc = next((index / third).glob("*.toc"))
        toc.write_bytes(b"\x00" * toc.stat().st_size)
        manifest.seal(index / third, len(OLD) + 2, IndexStore(index).analysis)

        def refused() -> bool:  # each look sends a search: the server looks at CURRENT when searched
            assert total(base, "Raqqa")[1]["total"] == 0  # never half-switched: every answer from one generation
            return f"{third} ne s'ouvre pas (" in log_path.read_text()

        _until(refused, "the failure to open in the log")
        for q in ("", "Homs", "Alep"):
            status, body = total(base, q)
            assert status == 200 and body["total"] == {"": len(OLD) + 1, "Homs": 1, "Alep": len(OLD)}[q]
    logged = log_path.read_text()
    assert "Traceback" not in logged and logged.count(f"{third} ne s'ouvre pas") == 1, logged
    assert f"la génération {newer} reste en service" in logged


def test_an_index_of_no_report_opens_and_answers(updated, tmp_path):
    """Published on purpose (--allow-removal) under a running server: it moves to it whole, and answers."""
    reports, index, older, newer = updated
    empty = tmp_path / "empty"
    empty.mkdir()
    with open(tmp_path / "server.log", "w") as log, serving(index, reports, log, seconds=30) as base:
        r = subprocess.run([sys.executable, "-m", "search", "rebuild", "--reports", str(empty), "--index",
                            str(index), "--allow-removal"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        _until(lambda: total(base)[1]["total"] == 0, "the empty generation")
        for url in ("/api/search?q=Alep", "/?q=Alep", "/", "/facettes/sources", "/facettes/mois",
                    "/export.csv?q=Alep", "/api/search?q=Alep&sort=date"):
            assert fetch(base + url)[0] == 200, url
        assert fetch(base + "/reports/old1")[0] == 404
    assert "Traceback" not in (tmp_path / "server.log").read_text()
    q = subprocess.run([sys.executable, "-m", "search", "query", "Alep", "--index", str(index)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert q.returncode == 0 and q.stdout.startswith("0 rapport") and q.stderr == ""
    with serving(index, reports) as base:  # a server started on it
        assert total(base, "Alep") == (200, total(base, "Alep")[1]) and total(base)[1]["total"] == 0
