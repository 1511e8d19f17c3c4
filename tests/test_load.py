"""Rebuilds under load, against a real server on 127.0.0.1 and real `python -m search rebuild` processes.

While four clients query without pause, two rebuilds run, a third one tries to
start beside the second (and must give up at once), and a fourth is killed with
SIGKILL half-way. Then a fifth must succeed. Every answer along the way must be
a 2xx from a whole index: the right totals, never an empty page for a query that
matches.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from search import indexing, settings
from search.engine.store import IndexStore

from .conftest import ROOT, serving

REPORTS = 1500          # a rebuild takes a couple of seconds
MATCHING = 300          # reports that mention "Boukamal"
BOUND_SECONDS = 55      # the whole scenario, server start to last check


def _corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    with open(folder / "reports.jsonl", "w", encoding="utf-8") as out:
        for n in range(REPORTS):
            place = "Boukamal" if n % (REPORTS // MATCHING) == 0 else "Alep"
            record = {"id": f"r{n:04d}", "title": f"Rapport {n} sur la route de {place}",
                      "date": f"{2010 + n % 14}-{1 + n % 12:02d}", "source": f"Source {n % 7}",
                      "text": f"Le convoi numéro {n} a quitté Homs pour {place}. " * 5}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


@dataclass
class Tally:
    answers: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, failure: str | None) -> None:
        with self.lock:
            self.answers += 1
            if failure:
                self.failures.append(failure)


def _get(base: str, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(base + path, timeout=15) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _check(path: str, status: int, body: str) -> str | None:
    """What is wrong with this answer, or None."""
    if status != 200:
        return f"{path}: HTTP {status}"
    if path.startswith("/api/"):
        data = json.loads(body)
        expected = MATCHING if "Boukamal" in path else REPORTS
        if data["total"] != expected or len(data["hits"]) != min(expected, 10):
            return f"{path}: total {data['total']}, {len(data['hits'])} hits"
    elif "<mark>Boukamal</mark>" not in body:
        return f"{path}: no highlighted match"
    return None


PATHS = ["/api/search?q=Boukamal", "/api/search", "/?q=Boukamal", "/reports/r0005?q=Boukamal",
         "/api/search?q=" + urllib.parse.quote('Boukamal "Homs pour'),
         "/api/search?q=" + urllib.parse.quote("Bouk* OR Boukamal ((("),
         "/api/search?q=" + urllib.parse.quote("Boukamal " * 2500)]  # 20,000 characters, through uvicorn too


def _client(base: str, stop: threading.Event, tally: Tally, start: int) -> None:
    n = start
    while not stop.is_set():
        path = PATHS[n % len(PATHS)]
        n += 1
        try:
            tally.add(_check(path, *_get(base, path)))
        except Exception as e:  # a refused or dropped connection is a failure too
            tally.add(f"{path}: {type(e).__name__}: {e}")


def _rebuild(reports: Path, index: Path) -> subprocess.Popen:
    # Own session: teardown can end the rebuild and whatever it started, by group id.
    return subprocess.Popen([sys.executable, "-m", "search", "rebuild", "--reports", str(reports), "--index", str(index)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _wait_for(condition, what: str, deadline: float) -> None:
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _building(index: Path) -> bool:
    """A build folder with index files in it (more than the empty index a build starts from)."""
    return any(len(list(p.glob("*"))) > 1 for p in index.glob("tmp-*"))


@pytest.fixture
def server(tmp_path):
    reports, index = _corpus(tmp_path / "reports"), tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    started = time.monotonic()
    with serving(index, reports) as base:
        yield base, reports, index, started


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=40)
    return proc.returncode, out, err


def test_rebuilds_under_load_never_show_a_broken_index(server):
    base, reports, index, started = server
    deadline = started + BOUND_SECONDS
    stop, tally = threading.Event(), Tally()
    clients = [threading.Thread(target=_client, args=(base, stop, tally, n), daemon=True) for n in range(4)]
    rebuilds: list[subprocess.Popen] = []
    during: list[int] = []  # answers while each complete rebuild ran
    for c in clients:
        c.start()
    try:
        # 1. A rebuild from start to end.
        rebuilds.append(_rebuild(reports, index))
        before = tally.answers
        code, out, err = _finish(rebuilds[-1])
        during.append(tally.answers - before)
        assert code == 0 and out.startswith(f"reconstruit {index} : {REPORTS} rapports indexés"), err

        # 2. A second rebuild; a third one started beside it gives up at once, while the second still runs.
        rebuilds.append(_rebuild(reports, index))
        second, before = rebuilds[-1], tally.answers
        _wait_for(lambda: _building(index), "the second rebuild's build folder", deadline)
        rebuilds.append(_rebuild(reports, index))
        code, out, err = _finish(rebuilds[-1])
        assert second.poll() is None, "the refused rebuild should return before the running one ends"
        assert code == 1 and err.startswith("erreur : une autre reconstruction ou mise à jour est en cours sur"), err
        code, out, err = _finish(second)
        during.append(tally.answers - before)
        assert code == 0, err

        # 3. A rebuild killed half-way: its build folder has files, and it dies without a word.
        rebuilds.append(_rebuild(reports, index))
        killed = rebuilds[-1]
        live = IndexStore(index).stamp()
        _wait_for(lambda: _building(index), "the third rebuild's build folder", deadline)
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(10)
        assert killed.returncode == -signal.SIGKILL
        assert IndexStore(index).stamp() == live

        # 4. The next rebuild succeeds at once: no stale lock, and it sweeps the half-built folder.
        rebuilds.append(_rebuild(reports, index))
        before = tally.answers
        code, out, err = _finish(rebuilds[-1])
        during.append(tally.answers - before)
        assert code == 0, err
        assert not list(index.glob("tmp-*"))
        assert IndexStore(index).stamp() != live

        # The server picks up the last generation (it looks once a second); clients keep going meanwhile.
        time.sleep(1.5)
    finally:
        stop.set()
        for c in clients:
            c.join(20)
        for proc in rebuilds:
            _end_session(proc)
    assert time.monotonic() < deadline, "the scenario should end within its bound"
    assert not tally.failures, f"{len(tally.failures)} of {tally.answers} answers failed: {tally.failures[:5]}"
    assert all(during), f"the clients should have been answered while each rebuild ran: {during}"
    assert len(list(index.glob("gen-*"))) == settings.get("keep_generations")  # the live one, the one before...


def _end_session(proc: subprocess.Popen) -> None:
    """Ends a rebuild we started and anything it forked (its own session), if still there."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if proc.returncode is None:
        proc.wait(10)


HOLDER = """
import multiprocessing, sys, time
from search.engine.store import IndexStore

def work(running):
    running.set()
    time.sleep(60)

with IndexStore(sys.argv[1]).lock():
    fork = multiprocessing.get_context("fork")
    running = fork.Event()
    worker = fork.Process(target=work, args=(running,))
    worker.start()
    running.wait(10)
    print(worker.pid, flush=True)
    time.sleep(60)
"""


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except OSError:
        return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with their writer on Linux only")
def test_workers_of_a_killed_writer_hold_no_lock(tmp_path):
    """The engine forks indexing workers while it holds the lock; they must not keep it when it dies."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE,
                              text=True, start_new_session=True)
    try:
        worker = int(holder.stdout.readline())
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        with IndexStore(tmp_path).lock():  # at once, the worker may not even be gone yet
            pass
        _wait_for(lambda: _gone(worker), "the worker to die with its writer", time.monotonic() + 10)
    finally:
        _end_session(holder)


def test_a_writer_killed_between_rename_and_pointer_does_not_cost_the_previous_index(tmp_path, monkeypatch):
    """The generation a server may still read is the one CURRENT named, not the newest folder."""
    monkeypatch.setitem(settings.DEFAULTS, "keep_generations", 2)  # the live one and the one it replaced only
    reports = _small_reports(tmp_path / "reports")
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    live = IndexStore(index).stamp()
    orphan = index / f"gen-{time.time_ns():020d}-1"  # renamed into place, then killed before CURRENT was replaced
    shutil.copytree(index / live, orphan)
    indexing.rebuild(reports, index, procs=1)
    assert sorted(p.name for p in index.glob("gen-*")) == sorted([live, IndexStore(index).stamp()])


def _small_reports(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text("Alpha\n\nLe convoi a quitté Alep.", encoding="utf-8")
    return folder
