"""Shared fixtures: real report folders, real indexes on disk, the real app."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

import pytest
from starlette.testclient import TestClient

from search import indexing

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def write_reports(folder: Path, reports: dict[str, str | bytes]) -> Path:
    """Write {relative path: text or bytes} under ``folder``."""
    for rel, content in reports.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def built(root: Path, reports: dict[str, str | bytes]) -> Path:
    """``root/reports`` written and indexed into ``root/index``; returns ``root``."""
    write_reports(root / "reports", reports)
    indexing.rebuild(root / "reports", root / "index", procs=1)
    return root


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("seeds") / "index"
    indexing.rebuild(SEEDS, index, procs=1)
    return index


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "reports"))


def indexed(index, engine: str = "whoosh") -> int:
    """How many reports the index (a folder, or an OpenSearch collection) holds, as a reader opening it now sees them."""
    ix = indexing.open_index(index, engine)
    try:
        return ix.doc_count()
    finally:
        ix.close()


def make_client(index: Path, reports: Path | None = None, alias_file: Path | None = None,
                sources_file: Path | None = None, saved_file: Path | None = None) -> TestClient:
    import server
    app = server.create_app(index, reports, alias_file=alias_file, sources_file=sources_file, saved_file=saved_file)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="session")
def seeds_client(seeds_index):
    with make_client(seeds_index) as client:
        yield client


@contextmanager
def serving(index: Path, reports: Path = SEEDS, log: IO[str] | None = None, seconds: float = 20) -> Iterator[str]:
    """The real server (``python server.py``: uvicorn) on a free port of 127.0.0.1; yields its base URL.

    ``log``: a file for its stderr (read by tests that check what it logged), else a pipe read if it dies.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "server.py", "--host", "127.0.0.1", "--port", str(port),
                             "--index", str(index), "--reports", str(reports)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log or subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while proc.poll() is None and not _answers(base):
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        assert proc.poll() is None, log.name if log else proc.stderr.read()
        yield base
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """End a server process: politely, then for sure after 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/api/search", timeout=2) as r:
            return r.status == 200
    except (OSError, urllib.error.HTTPError):
        return False


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], str]:
    """Status, headers (names in lower case) and text of an answer, errors included, as curl shows them."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=15) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")
