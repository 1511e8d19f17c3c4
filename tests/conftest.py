"""Shared fixtures: real report folders, real indexes on disk, the real app."""
from __future__ import annotations

import shutil
from pathlib import Path

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


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("seeds") / "index"
    indexing.rebuild(SEEDS, index, procs=1)
    return index


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    return Path(shutil.copytree(SEEDS, tmp_path / "reports"))


@pytest.fixture(scope="session")
def seeds_search(seeds_index):
    index = indexing.open_index(seeds_index)
    yield index
    index.close()


def make_client(index: Path, reports: Path | None = None, alias_file: Path | None = None) -> TestClient:
    import server
    return TestClient(server.create_app(index, reports, alias_file), raise_server_exceptions=False)


@pytest.fixture(scope="session")
def seeds_client(seeds_index):
    with make_client(seeds_index) as client:
        yield client
