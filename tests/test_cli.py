"""python -m search: exit codes and exact output, run as a user would (a real subprocess)."""
import json
import subprocess
import sys

import pytest

from search.engine.store import IndexStore

from .conftest import ROOT, SEEDS, make_client


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "search", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


def test_rebuild_prints_a_summary(tmp_path):
    r = run("rebuild", "--reports", SEEDS, "--index", tmp_path / "ix")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"reconstruit {tmp_path / 'ix'} : 2 rapports indexés, 0 ignoré, ")
    assert IndexStore(tmp_path / "ix").exists()


def test_query_prints_ranked_hits(seeds_index):
    r = run("query", "Perspectives", "--index", seeds_index)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "1 rapport, page 1/1"
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
    assert run("query", "Hezbollah", env=env).stdout.startswith("2 rapports, page 1/1")
    r = run("query", "Hezbollah", "--index", tmp_path / "none", env=env)
    assert r.returncode == 1


@pytest.mark.parametrize("args, message", [
    (("query", "x", "--index", "/nonexistent/ix"), "erreur : pas d'index dans /nonexistent/ix : lancez `python -m search rebuild`\n"),
    (("query", "x", "--from", "2023-13"), "erreur : from : "),
    (("query", "x", "--limit", "0"), "erreur : per_page doit être un nombre entier de 1 à 100"),
    (("rebuild", "--reports", "/nonexistent/reports", "--index", "/tmp/unused-ix"), "erreur : ni dossier ni fichier de rapports : /nonexistent/reports\n"),
])
def test_errors_are_one_line_and_nonzero(args, message, seeds_index):
    args = args if "--index" in args else (*args, "--index", seeds_index)
    r = run(*args)
    assert r.returncode == 1
    assert r.stderr.startswith(message) and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_rebuild_while_another_runs_exits_at_once(seeds_index):
    with IndexStore(seeds_index).lock():
        r = run("rebuild", "--reports", SEEDS, "--index", seeds_index)
    assert r.returncode == 1 and "erreur : une autre reconstruction ou mise à jour est en cours" in r.stderr


def test_update_reports_what_changed(tmp_path, seeds_copy):
    assert run("rebuild", "--reports", seeds_copy, "--index", tmp_path / "ix").returncode == 0
    (seeds_copy / "new.txt").write_text("Nouveau rapport\n\nÀ Alep.", encoding="utf-8")
    r = run("update", "--reports", seeds_copy, "--index", tmp_path / "ix")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"mis à jour {tmp_path / 'ix'} : 1 rapport indexé, 2 inchangés, 0 retiré, 0 ignoré")


def test_every_command_has_help():
    for cmd in ("rebuild", "update", "query", "names"):
        r = run(cmd, "--help")
        assert r.returncode == 0 and "usage : python -m search " + cmd in r.stdout


# --- export, reports as one file, progress, French, running without the virtualenv ---------------

import csv  # noqa: E402
import gzip  # noqa: E402
import io  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402

from search import export, indexing, settings  # noqa: E402
from search.cli import commands as cli  # noqa: E402
from search.cli import texts
from search.cli.progress import ProgressReporter  # noqa: E402

from .conftest import built  # noqa: E402


def _dispatch(i: int) -> str:
    return json.dumps({"id": f"d{i}", "source": ("Orient Hebdo", "Le Levant")[i % 2], "date": f"2023-{1 + i % 12:02d}",
                       "title": f"Frappes à Alep n°{i}", "text": f"Des frappes sur Alep, dit « l’observatoire » ; jour {i}."},
                      ensure_ascii=False) + "\n"


@pytest.fixture(scope="module")
def wire(tmp_path_factory):
    """23 reports: more than a page of the text format."""
    return built(tmp_path_factory.mktemp("wire"), {"wire.jsonl": "".join(_dispatch(i) for i in range(23))}) / "index"


def _api(index, **params):
    with make_client(index) as c:
        return c.get("/api/search", params={**params, "per_page": 100}).json()["hits"]


def test_query_csv_is_every_hit_not_one_page(wire):
    r = run("query", "Alep", "--source", "Le Levant", "--format", "csv", "--index", wire)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    table = list(csv.DictReader(io.StringIO(r.stdout, newline="")))
    hits = _api(wire, q="Alep", source="Le Levant")
    assert len(table) == len(hits) == 11  # the text format would show 10
    assert [line["id"] for line in table] == [h["id"] for h in hits]
    assert table[0]["matched"] == "Alep" and "<mark>" not in table[0]["snippet"] and "« l’observatoire »" in r.stdout


def test_query_jsonl_lines_are_the_api_hits(wire):
    r = run("query", "Alep", "--sort", "date", "--format", "jsonl", "--index", wire)
    assert r.returncode == 0, r.stderr
    assert [json.loads(line) for line in r.stdout.splitlines()] == [
        {k: h[k] for k in export.FIELDS if k != "permalink"} | {"permalink": f"/reports/{h['id']}"}
        for h in _api(wire, q="Alep", sort="date")]


def test_json_flag_is_format_json(seeds_index):
    old, new = run("query", "Hezbollah", "--json", "--index", seeds_index), run(
        "query", "Hezbollah", "--format", "json", "--index", seeds_index)
    assert old.returncode == new.returncode == 0 and json.loads(old.stdout) == json.loads(new.stdout)
    assert json.loads(old.stdout)["total"] == 2


def test_an_export_read_halfway_ends_quietly(wire):
    proc = subprocess.Popen([sys.executable, "-m", "search", "query", "", "--format", "csv", "--index", str(wire)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # `| head -0`: closed before the first row is written
    assert proc.wait(60) == 0 and proc.stderr.read() == ""


def test_reports_may_be_one_jsonl_gz_file(tmp_path):
    wire = tmp_path / "wire.jsonl.gz"
    wire.write_bytes(gzip.compress("".join(_dispatch(i) for i in range(3)).encode()))
    r = run("rebuild", "--reports", wire, "--index", tmp_path / "ix")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"reconstruit {tmp_path / 'ix'} : 3 rapports indexés, 0 ignoré, ")
    wire.write_bytes(gzip.compress("".join(_dispatch(i) for i in range(1, 5)).encode()))
    r = run("update", "--reports", wire, "--index", tmp_path / "ix")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"mis à jour {tmp_path / 'ix'} : 2 rapports indexés, 2 inchangés, 1 retiré, 0 ignoré")
    hits = json.loads(run("query", "", "--json", "--index", tmp_path / "ix").stdout)["hits"]
    assert sorted(h["id"] for h in hits) == ["d1", "d2", "d3", "d4"]


def test_reports_may_be_one_text_file(tmp_path):
    (tmp_path / "note.txt").write_text("date: 2023-11\nUne note\n\nSur Alep.", encoding="utf-8")
    r = run("rebuild", "--reports", tmp_path / "note.txt", "--index", tmp_path / "ix")
    assert r.returncode == 0 and r.stdout.startswith(f"reconstruit {tmp_path / 'ix'} : 1 rapport indexé, 0 ignoré, ")
    assert run("query", "Alep", "--index", tmp_path / "ix").stdout.splitlines()[-2] == "   note | 2023-11 | sans source"


def test_a_file_that_holds_no_reports_is_refused_before_any_writing(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    r = run("rebuild", "--reports", tmp_path / "notes.pdf", "--index", tmp_path / "ix")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == f"erreur : pas un fichier de rapports (.txt, .md, .jsonl, .jsonl.gz) : {tmp_path / 'notes.pdf'}\n"
    assert not (tmp_path / "ix").exists()


DURATION = r"(\d+ s|\d+ min \d\d s|\d+ h \d\d min)"


def test_off_a_terminal_the_rebuild_prints_its_progress(tmp_path, monkeypatch, capsys):
    wire = tmp_path / "wire.jsonl.gz"
    wire.write_bytes(gzip.compress("".join(_dispatch(i) for i in range(1500)).encode()))
    monkeypatch.setitem(settings.DEFAULTS, "progress_seconds", 0.05)  # 10 s on a real rebuild
    assert cli.main(["rebuild", "--reports", str(wire), "--index", str(tmp_path / "ix")]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert out.startswith(f"reconstruit {tmp_path / 'ix'} : 1500 rapports indexés, 0 ignoré, ")
    reading = rf"lecture : \d+ rapports? en {DURATION} \(\d+/s\)( sur ~1500(, encore ~{DURATION})?)?"
    writing = (rf"écriture de l'index : 1500 rapports lus en {DURATION}( ; analyse : \d+ sur 1500(, encore ~{DURATION})?"
               rf"| ; \d+ % écrit en {DURATION}(, encore ~{DURATION})?| ; tri des entrées de l'index)?")
    assert len(lines) >= 3 and all(re.fullmatch(f"{reading}|{writing}", line) for line in lines), lines
    assert "sur ~1500" in lines[-1] or "écriture" in lines[-1], lines  # counted beside the rebuild, long before its end
    counts = [int(re.match(r"lecture : (\d+)", line)[1]) for line in lines if line.startswith("lecture")]
    assert counts == sorted(counts) and counts[-1] <= 1500


def test_the_progress_line_gives_the_time_left_once_the_reports_are_counted(tmp_path):
    progress = ProgressReporter(tmp_path)
    progress.count, progress.started = 500, time.monotonic() - 10
    assert progress.line() == "lecture : 500 rapports en 10 s (50/s)"
    progress.total = 1500
    assert progress.line() == "lecture : 500 rapports en 10 s (50/s) sur ~1500, encore ~20 s"
    progress.count = 1500
    assert progress.line().startswith("écriture de l'index : 1500 rapports lus en ")


def test_the_writing_phase_has_its_own_estimate(tmp_path):
    progress = ProgressReporter(tmp_path)
    progress.count, progress.total, progress.started = 1500, 1500, time.monotonic() - 30
    progress.last_read = time.monotonic()
    progress.writing(1200, 0.0)  # the last reports are being analysed
    assert re.fullmatch(r"écriture de l'index : 1500 rapports lus en 30 s ; analyse : 1200 sur 1500, encore ~8 s",
                        progress.line()), progress.line()
    progress.writing(1500, 0.0)
    assert progress.line() == "écriture de l'index : 1500 rapports lus en 30 s ; tri des entrées de l'index"
    progress.writing(1500, 0.25)
    progress.writing_since = time.monotonic() - 20  # a quarter written in 20 s: a minute left
    assert progress.line() == "écriture de l'index : 1500 rapports lus en 30 s ; 25 % écrit en 20 s, encore ~1 min 00 s"


def test_an_update_tells_its_analysis_over_the_reports_it_analyses(tmp_path):
    """Not over every report read: "analyse : 100 sur 34235, encore ~1 h 53 min" was an update of 100."""
    progress = ProgressReporter(tmp_path)
    progress.count, progress.started = 34235, time.monotonic() - 10
    progress.last_read = time.monotonic()
    progress.writing(50, 0.0, 100)
    assert re.fullmatch(r"écriture de l'index : 34235 rapports lus en 10 s ; analyse : 50 sur 100, encore ~10 s",
                        progress.line()), progress.line()


def test_a_real_rebuild_reports_its_writing(tmp_path, monkeypatch, capsys):
    """The engine tells the writing phase, on real segments of a two-process rebuild."""
    wire = tmp_path / "wire.jsonl.gz"
    wire.write_bytes(gzip.compress("".join(_dispatch(i) for i in range(600)).encode()))
    heard: list[tuple[int, float]] = []

    class Listening(ProgressReporter):
        def writing(self, analysed, share, to_analyse=None):
            heard.append((analysed, share))
            assert to_analyse == 600
            super().writing(analysed, share, to_analyse)

    with Listening(wire) as progress:
        indexing.rebuild(wire, tmp_path / "ix", progress, procs=2)
    assert heard and heard[-1] == (600, 1.0), heard[-3:]
    assert [a for a, _ in heard] == sorted(a for a, _ in heard)


def test_french_counts_and_durations():
    assert [texts.plural(n, "rapport") for n in (0, 1, 2)] == ["0 rapport", "1 rapport", "2 rapports"]
    assert texts.plural(34133, "rapport indexé", "rapports indexés") == "34133 rapports indexés"
    assert [texts.duration(s) for s in (4.4, 125, 3720)] == ["4 s", "2 min 05 s", "1 h 02 min"]


def test_bad_arguments_are_one_french_line_exit_2(seeds_index):
    r = run("query", "x", "--limit", "dix", "--index", seeds_index)
    assert r.returncode == cli.EXIT_USAGE == 2
    assert r.stderr == "erreur : --limit : nombre entier attendu, reçu 'dix' (aide : python -m search query --help)\n"
    assert run("query").stderr.startswith("erreur : arguments obligatoires manquants : TEXTE")


def test_without_the_virtualenv_s_libraries_one_line_says_what_to_do():
    # -S: no site-packages, as the system's python3 run in place of .venv/bin/python
    r = subprocess.run([sys.executable, "-S", "-m", "search", "query", "Alep"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("erreur : module ") and ".venv/bin/python -m search" in r.stderr
