"""The update of 100 reports at 34k, this code beside a baseline's, on copies of the same index.

    nice -n 10 .venv/bin/python bench/update.py [--data /work/data/u17] [--baseline /work/main] [--rounds 3]

``--data`` holds ``index/`` (a built index whose live generation holds the reports of ``reports/``)
and ``reports/`` (files, or links to them). ``--baseline`` is a checkout of the code to compare
with (main's, by default): its ``python -m search update`` runs on its own copy of the index.
``--prepare INDEX --reports FOLDER`` makes ``--data`` first, once: a copy of the index, a reports
folder linking FOLDER's files with 100 ``new_*.txt`` reports more (articles of the corpus), and
one update by the baseline's code that indexes them.

Each round runs every case for the baseline, then for this code (alternating, the same copies
made for both); the table gives each figure's median over the rounds, the load average beside it.

Each case starts from a hard-linked copy of the index (neither code writes into a file it did not
create) and a copy of the reports folder, changes the folder, and times ``python -m search update``
(wall time and CPU time of the process):

- 100 added: 100 new text reports;
- 100 changed: the 100 ``new_*.txt`` reports of the folder, a paragraph appended to each;
- 100 removed: the same 100, deleted.

This code's cases start from a generation with a ledger and checks remembered (what a previous
update leaves): one preparatory update, not timed, writes them (and judges the live generation's names
again when its record is another judge's: code changed since the data was made), then ``generations``
checks every generation (a copy of the data has new inodes, so its checks are not remembered). Each
copy has a ``JUDGED.jsonl`` of its own: it is appended to, never rewritten. "100 added, daily copy" is the
same addition when the independent copy is due (``SEARCH_INDEPENDENT_HOURS=0``): once a day.
The disk each index takes after its update is measured with ``du`` (a hard-linked file counts once).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "fr_news.jsonl.gz"
CASES = ("100 added", "100 changed", "100 removed")
JUDGED = "JUDGED.jsonl"  # search.names.judged.JUDGED


def main() -> None:
    a = _args()
    if a.prepare:
        prepare(a.data, a.prepare, a.reports, a.baseline)
    work = a.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"load average before: {_load()}", flush=True)
    ours_base = _copy(a.data, work / "ours-base")
    prep = _update(ROOT, ours_base)  # the ledger and the checks that a previous update leaves
    print(f"preparation (this code, first update of an index without a ledger): {prep['wall']:.1f} s", flush=True)
    base_base = _copy(a.data, work / "base-base")
    _update(a.baseline, base_base)  # the same for the baseline: both start from what an update leaves
    for code, base in ((ROOT, ours_base), (a.baseline, base_base)):
        _checked(code, base)
    runs: dict[str, list[tuple[dict, dict]]] = {case: [] for case in CASES}
    for n in range(a.rounds):
        print(f"round {n + 1}, load average {_load()}", flush=True)
        for case in CASES:
            base = _run_case(a.baseline, _copy(base_base, work / f"base-{_slug(case)}", fresh=True), case)
            ours = _run_case(ROOT, _copy(ours_base, work / f"ours-{_slug(case)}", fresh=True), case)
            runs[case].append((base, ours))
            _print_row(case, base, ours)
    print(f"medians of {a.rounds} round(s):")
    for case in CASES if a.rounds else ():
        _print_row(case, _median([b for b, _ in runs[case]]), _median([o for _, o in runs[case]]))
    daily = _run_case(ROOT, _copy(ours_base, work / "ours-daily"), "100 added", {"SEARCH_INDEPENDENT_HOURS": "0"})
    print(f"{'100 added, daily copy':<24} {'':>24}  ours {daily['wall']:6.2f} s wall, {daily['cpu']:5.2f} s CPU "
          f"({daily['summary']})", flush=True)
    print(f"load average after: {_load()}", flush=True)
    print(f"disk after '100 added': baseline {_du(work / 'base-100-added' / 'index')}, "
          f"ours {_du(work / 'ours-100-added' / 'index')}, ours with the day's copy {_du(work / 'ours-daily' / 'index')}")
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


def _run_case(code: Path, folder: Path, case: str, env: dict | None = None) -> dict:
    reports = folder / "reports"
    news = sorted(reports.glob("new_*.txt"))
    if len(news) < 100:
        raise SystemExit(f"{reports}: 100 new_*.txt reports expected, {len(news)} found")
    for n, path in enumerate(news[:100]):
        if case == "100 added":
            text = path.read_text(encoding="utf-8")
            (reports / f"added_{n:03d}.txt").write_text(text + f"\n\nAjout {n} : Alep.\n", encoding="utf-8")
        elif case == "100 changed":
            text = path.read_text(encoding="utf-8")
            path.unlink()  # a link to the data's file: write a file of its own
            path.write_text(text + f"\n\nParagraphe ajouté {n} : Homs.\n", encoding="utf-8")
        else:
            path.unlink()
    return _update(code, folder, env)


def _update(code: Path, folder: Path, env: dict | None = None) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-m", "search", "update", "--reports", str(folder / "reports"),
                          "--index", str(folder / "index")], cwd=code, capture_output=True, text=True,
                         env={**os.environ, **(env or {})})
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode != 0:
        raise SystemExit(f"update failed in {code} ({run.returncode}): {run.stderr[-2000:]}")
    summary = run.stdout.strip().splitlines()[-1]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "summary": re.sub(r"^.*? : ", "", summary)}


def _checked(code: Path, folder: Path) -> None:
    """Every generation checked against its manifest now (``generations``), as the updates of the day
    leave them: a copy of the data (new inodes) or data older than ``recheck_hours`` would have each
    case hash the generations it keeps again, once a day's work."""
    run = subprocess.run([sys.executable, "-m", "search", "generations", "--index", str(folder / "index")],
                         cwd=code, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"generations failed in {code} ({run.returncode}): {run.stderr[-2000:]}")


def _median(figures: list[dict]) -> dict:
    return {"wall": statistics.median(f["wall"] for f in figures), "cpu": statistics.median(f["cpu"] for f in figures),
            "summary": figures[-1]["summary"]}


def _copy(data: Path, folder: Path, fresh: bool = False) -> Path:
    """A hard-linked copy of the index (new files only are ever written there) and a copy of the reports."""
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    subprocess.run(["cp", "-al", str(data / "index"), str(folder / "index")], check=True)
    for judged in (folder / "index").glob(f"gen-*/{JUDGED}"):  # appended to by whoever judges a name: a copy of its own
        judged.unlink()
        shutil.copy2(data / "index" / judged.parent.name / JUDGED, judged)
    shutil.copytree(data / "reports", folder / "reports", symlinks=True, copy_function=_link)
    return folder


def _link(source, target) -> None:
    """A hard link (each case writes new files and unlinks, never writes into one), or a copy across disks."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _print_row(case: str, base: dict, ours: dict) -> None:
    print(f"{case:<24} baseline {base['wall']:6.2f} s wall, {base['cpu']:5.2f} s CPU   "
          f"ours {ours['wall']:6.2f} s wall, {ours['cpu']:5.2f} s CPU   ({ours['summary']})", flush=True)


def prepare(data: Path, index: Path, reports: Path, baseline: Path) -> None:
    """``data``: a copy of ``index`` and a reports folder of ``reports``' files (linked) with 100 new
    ``new_*.txt`` reports (the corpus's articles 1000 to 1099 as text files), indexed by one update."""
    if data.exists():
        raise SystemExit(f"{data} exists: remove it or pass another --data")
    data.mkdir(parents=True)
    subprocess.run(["cp", "-a", str(index), str(data / "index")], check=True)
    folder = data / "reports"
    folder.mkdir()
    for path in sorted(reports.iterdir()):  # hard links (a link out of the folder is not read without --follow-links)
        _link(path.resolve(), folder / path.name)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(itertools.islice(fh, 1000, 1100)):
            rec = json.loads(line)
            (folder / f"new_{n:03d}.txt").write_text(f"{rec['title']}\n\n{rec['text']}\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "search", "update", "--reports", str(folder),
                          "--index", str(data / "index")], cwd=baseline, capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"the preparatory update failed ({run.returncode}): {run.stderr[-2000:]}")
    print(run.stdout.strip().splitlines()[-1])


def _slug(case: str) -> str:
    return case.replace(" ", "-")


def _du(path: Path) -> str:
    return subprocess.run(["du", "-sh", str(path)], capture_output=True, text=True).stdout.split()[0]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/work/data/u17"), help="index/ and reports/ to copy")
    ap.add_argument("--baseline", type=Path, default=Path("/work/main"), help="a checkout of the code to compare with")
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-update"), help="where the copies go (emptied)")
    ap.add_argument("--keep", action="store_true", help="keep the copies")
    ap.add_argument("--rounds", type=int, default=3, help="rounds, each case alternating baseline and this code")
    ap.add_argument("--prepare", type=Path, metavar="INDEX", help="make --data first from this index ...")
    ap.add_argument("--reports", type=Path, metavar="FOLDER", help="... and the reports folder it was built from")
    return ap.parse_args()


if __name__ == "__main__":
    main()
