"""A rebuild of the same reports by two checkouts, in turn: wall, CPU, each process's peak RSS, the load.

    nice -n 5 .venv/bin/python bench/rebuild_compare.py --reports FOLDER --out FOLDER
        [--against ../main] [--rounds 1] [--follow-links] [--procs N]

Each round runs ``python -m search rebuild`` with the other checkout's code, then with this one's
(each in its own folder, its own code first on the path), into ``OUT/<label>/index``, names judged
ahead left out (``SEARCH_PREJUDGED_NAMES=0``: they are timed apart). Prints per run the wall time
(and when the last report was read: the rest is the segments' writing), the CPU seconds of all its
processes (what a shared machine's load distorts least), each process's peak RSS (VmHWM) and the
load average before and after; then the medians.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from perf import _watch_peaks as watch_peaks  # noqa: E402 - the peak RSS of a process and its children

READ = re.compile(r"(\d+) rapports lus en")


def run(checkout: Path, reports: Path, index: Path, follow: bool, procs: int | None) -> dict:
    command = [sys.executable, "-m", "search", "rebuild", "--reports", str(reports), "--index", str(index)]
    command += ["--follow-links"] if follow else []
    command += ["--procs", str(procs)] if procs else []
    env = {**os.environ, "SEARCH_PREJUDGED_NAMES": "0", "PYTHONPATH": str(checkout)}
    before, load_before = resource.getrusage(resource.RUSAGE_CHILDREN), os.getloadavg()
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    read_at: list[float] = []
    reader = threading.Thread(target=_listen, args=(proc, started, read_at), daemon=True)
    reader.start()
    peaks = watch_peaks(proc, every=0.5)
    reader.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode:
        raise SystemExit(f"{checkout}: rebuild failed ({proc.returncode})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "read": read_at[0] if read_at else None, "cpu": cpu, "peaks": peaks,
            "load": [round(x, 2) for x in (*load_before, *os.getloadavg())]}


def _listen(proc: subprocess.Popen, started: float, read_at: list[float]) -> None:
    """The rebuild's progress: the moment its reading ended (the first line saying every report was read)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if not read_at and READ.search(line):
            read_at.append(time.perf_counter() - started)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--against", type=Path, default=HERE.parent.parent / "main")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--follow-links", action="store_true")
    ap.add_argument("--procs", type=int)
    args = ap.parse_args()
    sides = {"before": args.against.resolve(), "after": HERE.parent}
    results: dict[str, list[dict]] = {label: [] for label in sides}
    for round_ in range(args.rounds):
        for label, checkout in sides.items():
            r = run(checkout, args.reports.resolve(), (args.out / label / "index").resolve(), args.follow_links,
                    args.procs)
            results[label].append(r)
            read = f"{r['read']:.1f} s" if r["read"] is not None else "?"
            print(f"round {round_ + 1}, {label} ({checkout}): {r['wall']:.1f} s wall (last report read at {read}), "
                  f"{r['cpu']:.1f} s CPU, peak RSS per process (MB) {', '.join(f'{mb:.0f}' for mb in r['peaks'])}, "
                  f"load {r['load'][:3]} -> {r['load'][3:]}", flush=True)
    for label, runs in results.items():
        print(f"{label}: median {statistics.median(r['wall'] for r in runs):.1f} s wall, "
              f"{statistics.median(r['cpu'] for r in runs):.1f} s CPU over {len(runs)} run(s)")


if __name__ == "__main__":
    main()
