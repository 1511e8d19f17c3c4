"""Which generation a server and a writer read, whatever state CURRENT and the generations are in.

Real indexes in a tmp folder, the real app (its lifespan opens the index) and the real
command line. The rule checked throughout: a generation that holds reports is only ever
replaced by a complete newer one, and what is served is said in one log line.
"""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from search import indexing
from search.engine import manifest
from search.engine.store import IndexStore
from search.params import SearchParams
from search.service import SearchService

from .conftest import ROOT, SEEDS, built, make_client, write_reports

OLD = {f"old{n}.txt": f"date: 2023-0{n + 1}-01\nAncien {n}\n\nLe convoi est à Alep ({n})." for n in range(3)}
NEW = {f"new{n}.txt": f"date: 2024-0{n + 1}-01\nNouveau {n}\n\nLe convoi est à Homs ({n})." for n in range(2)}


def files(index: Path) -> dict[str, int]:
    """Every file of every generation, with its size: what a fault must leave as it was."""
    return {str(p.relative_to(index)): p.stat().st_size for p in index.glob("gen-*/**/*") if p.is_file()}


def served(index: Path, reports: Path = SEEDS) -> dict:
    """What a freshly started app serves: the API's answer to an empty query."""
    with make_client(index, reports) as client:
        return client.get("/api/search", params={"per_page": 100}).json()


@pytest.fixture
def two_generations(tmp_path):
    """A generation of 3 reports, then a newer live one of 5."""
    reports, index = tmp_path / "reports", tmp_path / "index"
    write_reports(reports, OLD)
    indexing.rebuild(reports, index, procs=1)
    older = IndexStore(index).stamp()
    write_reports(reports, NEW)
    indexing.rebuild(reports, index, procs=1)
    newer = IndexStore(index).stamp()
    assert older < newer
    return reports, index, older, newer


BROKEN_POINTERS = {
    "missing": None,
    "empty": b"",
    "garbage": b"\xff\xfe\x00\x80\x81garbage\n",
    "a missing generation": b"gen-00000000000000000001-1\n",
}


@pytest.mark.parametrize("pointer", BROKEN_POINTERS.values(), ids=BROKEN_POINTERS.keys())
def test_a_broken_current_serves_the_newest_generation_and_deletes_nothing(two_generations, pointer, caplog):
    reports, index, older, newer = two_generations
    if pointer is None:
        (index / "CURRENT").unlink()
    else:
        (index / "CURRENT").write_bytes(pointer)
    before = files(index)
    with caplog.at_level(logging.WARNING):
        body = served(index)  # the seeds folder (2 other reports) must not be indexed over it
    assert body["total"] == len(OLD) + len(NEW)
    assert {h["title"] for h in body["hits"]} >= {"Nouveau 0", "Nouveau 1"}
    assert files(index) == before and sorted(p.name for p in index.glob("gen-*")) == [older, newer]
    lines = [r.getMessage() for r in caplog.records if newer in r.getMessage()]
    assert len(lines) == 1 and "lecture de " + newer in lines[0] and "CURRENT" in lines[0], caplog.text


def test_an_update_with_a_broken_current_starts_from_the_newest_generation(two_generations):
    reports, index, older, newer = two_generations
    (index / "CURRENT").write_bytes(b"\x00\x00")
    write_reports(reports, {"extra.txt": "En plus\n\nÀ Deir ez-Zor."})
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.unchanged, summary.removed) == (1, len(OLD) + len(NEW), 0)
    assert served(index)["total"] == len(OLD) + len(NEW) + 1
    assert newer in {p.name for p in index.glob("gen-*")}  # the one it replaced stays, as the previous


@pytest.mark.parametrize("leftover", [None, "tmp-00000000000000000001-1"])
def test_only_an_index_folder_without_any_generation_is_built_from_the_reports(tmp_path, leftover):
    index = tmp_path / "index"
    index.mkdir()
    if leftover:
        (index / leftover).mkdir()
        (index / leftover / "junk").write_text("half a build")
    body = served(index, SEEDS)
    assert body["total"] == 2 and not list(index.glob("tmp-*"))


# --- damaged generations ----------------------------------------------------------


def one_file(generation: Path, pattern: str) -> Path:
    [path] = generation.glob(pattern)
    return path


def truncate(pattern: str, keep: float = 0.5):
    def damage(generation: Path) -> None:
        path = one_file(generation, pattern)
        os.truncate(path, int(path.stat().st_size * keep))
    return damage


def empty_folder(generation: Path) -> None:
    for path in generation.iterdir():
        path.unlink()


DAMAGES = {
    "truncated terms": truncate("*.trm"),
    "truncated postings": truncate("*.pst"),
    "truncated stored fields": truncate("*._stored.col"),
    "truncated table of contents": truncate("*.toc"),
    "zero-length date column": truncate("*.date_start.col", 0),
    "empty folder": empty_folder,
    "manifest cut short": truncate("MANIFEST.json", 0.3),
}


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_generation_is_refused_and_the_previous_one_served(two_generations, damage, caplog):
    reports, index, older, newer = two_generations
    damage(index / newer)
    before = files(index)
    with caplog.at_level(logging.WARNING):
        body = served(index)
    assert body["total"] == len(OLD)  # the generation before, whole, and dated: never the damaged one
    assert all(hit["date"] for hit in body["hits"]) and body["facets"]["undated"] == 0
    assert files(index) == before  # nothing deleted
    [line] = [r.getMessage() for r in caplog.records if "endommagée" in r.getMessage()]
    assert f"{newer} est endommagée (" in line and f"lecture de {older}" in line, line


def start_server(index: Path) -> subprocess.CompletedProcess:
    port = str(12000 + os.getpid() % 20000)
    return subprocess.run([sys.executable, "server.py", "--port", port, "--index", str(index),
                           "--reports", str(SEEDS)], cwd=ROOT, capture_output=True, text=True, timeout=60)


def flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_server_with_no_whole_generation_refuses_to_start_in_one_line(two_generations):
    reports, index, older, newer = two_generations
    truncate("*.pst")(index / newer)
    flip_a_byte(one_file(index / older, "*.pst"))  # same size: only the checksum sees it
    before = files(index)
    r = start_server(index)  # a fresh process: every file is read and checked
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert r.stderr.startswith(f"erreur : aucun index complet dans {index} : {newer} est endommagée (")
    assert f"{older} est endommagée (" in r.stderr and "contenu a changé" in r.stderr
    assert files(index) == before  # refused, not rebuilt from the seeds over it
    q = subprocess.run([sys.executable, "-m", "search", "query", "Alep", "--index", str(index)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert q.returncode == 1 and q.stderr.startswith("erreur : aucun index complet") and q.stderr.count("\n") == 1


def test_a_rebuild_replaces_a_damaged_generation_but_never_deletes_it(two_generations):
    reports, index, older, newer = two_generations
    empty_folder(index / newer)
    for _ in range(3):
        indexing.rebuild(reports, index, procs=1)
    names = sorted(p.name for p in index.glob("gen-*"))
    # The damaged one stays, left for a human; of the whole ones, the 3 newest (keep_generations).
    assert newer in names and older not in names and len(names) == 1 + 3
    assert served(index)["total"] == len(OLD) + len(NEW)


def test_a_generation_without_its_manifest_is_damaged_and_the_one_before_is_served(two_generations, caplog):
    """A deleted manifest is damage (nothing can check the files), never an index read unchecked."""
    reports, index, older, newer = two_generations
    (index / newer / "MANIFEST.json").unlink()
    with caplog.at_level(logging.WARNING):
        assert served(index)["total"] == len(OLD)
    assert f"{newer} est endommagée (MANIFEST.json manque (supprimé ou perdu)" in caplog.text


def test_a_generation_built_under_other_rules_of_analysis_is_refused(two_generations, monkeypatch):
    """An index built before a change of the name keys would silently miss matches: refused, rebuild needed."""
    from search.engine import store as store_module
    reports, index, older, newer = two_generations
    for generation in (older, newer):
        path = index / generation / "MANIFEST.json"
        sealed = json.loads(path.read_text())
        path.write_text(json.dumps({**sealed, "analysis": store_module.ANALYSIS_VERSION - 1}))
    q = subprocess.run([sys.executable, "-m", "search", "query", "Alep", "--index", str(index)], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert q.returncode == 1 and q.stderr.count("\n") == 1
    assert "construite selon d'autres règles d'analyse" in q.stderr and "rebuild" in q.stderr
    u = subprocess.run([sys.executable, "-m", "search", "update", "--reports", str(reports), "--index", str(index)],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert u.returncode == 1 and "une reconstruction est nécessaire" in u.stderr  # never mixed with newer rules
    indexing.rebuild(reports, index, procs=1)
    assert served(index)["total"] == len(OLD) + len(NEW)


def test_an_update_never_writes_the_generation_it_starts_from(two_generations):
    reports, index, older, newer = two_generations
    before = {p.name: p.read_bytes() for p in (index / newer).iterdir()}
    (reports / "old0.txt").unlink()
    write_reports(reports, {"old1.txt": "date: 2023-02-01\nAncien 1 revu\n\nÀ Raqqa.", "extra.txt": "En plus\n\nÀ Alep."})
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.removed) == (2, 1)
    assert {p.name: p.read_bytes() for p in (index / newer).iterdir()} == before  # byte for byte, still sealed
    assert manifest.verify(index / newer).reports == len(OLD) + len(NEW)
    assert served(index)["total"] == len(OLD) + len(NEW)


def test_a_generation_written_before_the_adapter_moved_still_opens(tmp_path, monkeypatch):
    """Its pickled schema names search.engine.schema.FieldAnalyzer, the class's old home."""
    from search.engine.whoosh import schema as whoosh_schema
    monkeypatch.setattr(whoosh_schema.FieldAnalyzer, "__module__", "search.engine.schema")
    root = built(tmp_path, {"a.txt": "Titre\n\nFrappes à Boukamal."})
    toc = b"".join(p.read_bytes() for p in (root / "index").rglob("_MAIN_*.toc"))
    assert b"search.engine.schema" in toc
    monkeypatch.undo()
    index = SearchService.open(root / "index")
    try:
        assert [h.id for h in index.run(SearchParams(q="Boukamal")).hits] == ["a"]
    finally:
        index.close()
