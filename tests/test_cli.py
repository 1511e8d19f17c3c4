"""python -m search: exit codes and exact output, run as a user would (a real subprocess)."""
import json
import subprocess
import sys

import pytest

from search.store import IndexStore

from .conftest import ROOT, SEEDS, make_client


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


def test_rebuild_prints_a_summary(tmp_path):
    r = run("rebuild", "--reports", SEEDS, "--index", tmp_path / "ix")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"rebuilt {tmp_path / 'ix'}: 2 report(s) indexed, 0 skipped, ")
    assert IndexStore(tmp_path / "ix").exists()


def test_query_prints_ranked_hits(seeds_index):
    r = run("query", "Perspectives", "--index", seeds_index)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "1 report(s), page 1/1"
    assert lines[2] == "1. Revue de presse : Perspectives Med (1er novembre 2023)"
    assert lines[3] == "   004_5f5f0d47140a8dcd | 2023-11-01 | Perspectives Med"


def test_query_json_is_exactly_the_api_object(seeds_index):
    r = run("query", "Hezbollah", "--source", "Perspectives Med", "--from", "2023", "--index", seeds_index, "--json")
    assert r.returncode == 0, r.stderr
    with make_client(seeds_index) as c:
        api = c.get("/api/search", params={"q": "Hezbollah", "source": "Perspectives Med", "from": "2023"}).json()
    assert json.loads(r.stdout) == api


def test_environment_sets_the_index_and_flags_win(seeds_index, tmp_path):
    import os
    env = {**os.environ, "SEARCH_INDEX": str(seeds_index)}
    assert run("query", "Hezbollah", env=env).stdout.startswith("2 report(s)")
    r = run("query", "Hezbollah", "--index", tmp_path / "none", env=env)
    assert r.returncode == 1


@pytest.mark.parametrize("args, message", [
    (("query", "x", "--index", "/nonexistent/ix"), "error: no index in /nonexistent/ix: run `python -m search rebuild`\n"),
    (("query", "x", "--from", "2023-13"), "error: from : "),
    (("query", "x", "--limit", "0"), "error: per_page doit être un nombre entier de 1 à 100"),
    (("rebuild", "--reports", "/nonexistent/reports", "--index", "/tmp/unused-ix"), "error: reports folder not found: /nonexistent/reports\n"),
])
def test_errors_are_one_line_and_nonzero(args, message, seeds_index):
    args = args if "--index" in args else (*args, "--index", seeds_index)
    r = run(*args)
    assert r.returncode == 1
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_rebuild_while_another_runs_exits_at_once(seeds_index):
    with IndexStore(seeds_index).lock():
        r = run("rebuild", "--reports", SEEDS, "--index", seeds_index)
    assert r.returncode == 1 and "another rebuild or update is running" in r.stderr


def test_update_reports_what_changed(tmp_path, seeds_copy):
    assert run("rebuild", "--reports", seeds_copy, "--index", tmp_path / "ix").returncode == 0
    (seeds_copy / "new.txt").write_text("Nouveau rapport\n\nÀ Alep.", encoding="utf-8")
    r = run("update", "--reports", seeds_copy, "--index", tmp_path / "ix")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"updated {tmp_path / 'ix'}: 1 report(s) indexed, 2 unchanged, 0 removed, 0 skipped")


def test_every_command_has_help():
    for cmd in ("rebuild", "update", "query"):
        r = run(cmd, "--help")
        assert r.returncode == 0 and "usage: python -m search " + cmd in r.stdout
