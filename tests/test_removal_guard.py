"""No report is lost to an emptied collection or an empty (unmounted) reports folder, through the real command line.

An unmounted mount point is an empty folder: a cron job's ``update`` or ``rebuild`` from it
must refuse to publish, in one line and with its own exit code (4), and leave the live index
and the generations before it as they were; ``--allow-removal`` publishes it when meant.
An emptied collection (an empty ``.jsonl.gz``, a gzip of nothing, an emptied ``.jsonl``) keeps
its reports, as an emptied text file does (exit 3).
"""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from search.engine.store import IndexStore

from .conftest import ROOT, indexed, write_reports

WIRE = 60


def run(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    import os
    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def lines(first: int, count: int) -> bytes:
    return "".join(json.dumps({"id": f"w{n}", "title": f"Dépêche {n}", "text": f"Convoi {n} vers Alep."}) + "\n"
                   for n in range(first, first + count)).encode()


@pytest.fixture
def folder(tmp_path):
    reports = write_reports(tmp_path / "reports", {
        "news.jsonl.gz": gzip.compress(lines(0, WIRE)),
        "notes.jsonl": lines(WIRE, 20),
        **{f"r{n}.txt": f"Rapport {n}\n\nÀ Homs ({n})." for n in range(5)},
    })
    index = tmp_path / "index"
    assert run("rebuild", "--reports", reports, "--index", index).returncode == 0
    return reports, index


def generations(index) -> list[str]:
    return sorted(p.name for p in index.glob("gen-*"))


EMPTIED = {
    "an empty file": b"",
    "a gzip of nothing": gzip.compress(b""),
    "a gzip of blank lines": gzip.compress(b"\n\n  \n"),
}


@pytest.mark.parametrize("content", EMPTIED.values(), ids=EMPTIED.keys())
def test_an_emptied_collection_keeps_its_reports(folder, content):
    reports, index = folder
    (reports / "news.jsonl.gz").write_bytes(content)
    (reports / "notes.jsonl").write_bytes(b"")
    r = run("update", "--reports", reports, "--index", index)
    assert r.returncode == 3, (r.stdout, r.stderr)
    assert r.stdout.startswith(f"mis à jour {index} : 0 rapport indexé, 5 inchangés, 0 retiré, ")
    assert f"  {WIRE} rapports gardés tels qu'indexés : news.jsonl.gz illisible cette fois" in r.stdout
    assert "  20 rapports gardés tels qu'indexés : notes.jsonl illisible cette fois" in r.stdout
    assert "  ignoré news.jsonl.gz : vide : aucun enregistrement" in r.stdout
    assert indexed(index) == WIRE + 25


def test_an_empty_reports_folder_publishes_nothing(folder, tmp_path):
    """A mount point with nothing mounted: update and rebuild refuse, exit 4, the index as it was."""
    reports, index = folder
    unmounted = tmp_path / "mnt"
    unmounted.mkdir()
    live, before = IndexStore(index).stamp(), generations(index)
    for command in ("update", "rebuild"):
        r = run(command, "--reports", unmounted, "--index", index)
        assert r.returncode == 4 and r.stdout == "" and r.stderr.count("\n") == 1, (command, r.stdout, r.stderr)
        verb = "la mise à jour" if command == "update" else "la reconstruction"
        assert r.stderr.startswith(f"erreur : {verb} publierait un index vide (0 rapport, au lieu des {WIRE + 25} "
                                   "de l'index en service) : rien n'est publié, l'index en service reste tel quel.")
        assert "démonté" in r.stderr and "--allow-removal" in r.stderr
        assert IndexStore(index).stamp() == live and generations(index) == before and indexed(index) == WIRE + 25
        assert not list(index.glob("tmp-*"))


def test_an_update_that_drops_too_many_reports_is_refused_until_allowed(folder):
    reports, index = folder
    (reports / "news.jsonl.gz").unlink()  # really gone: 60 of 85, 71 %
    live = IndexStore(index).stamp()
    r = run("update", "--reports", reports, "--index", index)
    assert r.returncode == 4 and r.stderr.startswith(
        f"erreur : la mise à jour retirerait {WIRE} des {WIRE + 25} rapports de l'index en service (71 %, plus que "
        "les 20 % permis) : rien n'est publié"), r.stderr
    assert IndexStore(index).stamp() == live and indexed(index) == WIRE + 25
    r = run("update", "--reports", reports, "--index", index, env={"SEARCH_MAX_REMOVAL": "80"})  # a share of one's own
    assert r.returncode == 0 and f", {WIRE} retirés, " in r.stdout, r.stderr
    assert indexed(index) == 25


def test_allow_removal_publishes_and_the_generations_before_stay_restorable(folder, tmp_path):
    reports, index = folder
    whole = IndexStore(index).stamp()
    empty = tmp_path / "mnt"
    empty.mkdir()
    r = run("update", "--reports", empty, "--index", index, "--allow-removal")
    assert r.returncode == 0 and f", {WIRE + 25} retirés, " in r.stdout, (r.stdout, r.stderr)
    assert indexed(index) == 0
    # Later updates from the empty folder change nothing, and so write nothing: what held the reports stays.
    for _ in range(3):
        assert run("update", "--reports", empty, "--index", index).returncode == 0
    assert whole in generations(index)
    listed = run("generations", "--index", index)
    assert listed.returncode == 0, listed.stderr
    # The whole one, the empty one in service, and its checked copy (the update linked the whole one's files).
    assert listed.stdout.startswith(f"3 générations dans {index} :\n")
    rows = {line.split()[0]: line for line in listed.stdout.splitlines()[1:]}
    assert rows[whole].split()[3:5] == [str(WIRE + 25), "rapports"] and rows[whole].endswith("complète")
    assert rows[IndexStore(index).stamp()].endswith("en service") and " 0 rapport " in rows[IndexStore(index).stamp()]
    r = run("restore", whole, "--index", index)
    assert r.returncode == 0 and r.stdout.startswith(f"en service dans {index} : {whole} ({WIRE + 25} rapports)")
    assert IndexStore(index).stamp() == whole and indexed(index) == WIRE + 25


def test_restore_refuses_what_it_cannot_serve(folder):
    reports, index = folder
    r = run("restore", "gen-00000000000000000001-1", "--index", index)
    assert r.returncode == 1 and r.stderr.startswith("erreur : aucune génération gen-00000000000000000001-1 dans")
    live = IndexStore(index).stamp()
    write_reports(reports, {"r9.txt": "Rapport 9\n\nÀ Alep."})
    assert run("update", "--reports", reports, "--index", index).returncode == 0
    (index / live / "MANIFEST.json").unlink()
    r = run("restore", live, "--index", index)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "est endommagée (MANIFEST.json manque" in r.stderr
    assert IndexStore(index).stamp() != live
