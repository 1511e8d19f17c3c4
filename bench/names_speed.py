"""How long a name's first search takes in process, the name model judging its candidates.

    .venv/bin/python bench/names_speed.py --index INDEX [--rounds 3] [--against OTHER_CHECKOUT]
    .venv/bin/python bench/names_speed.py --index INDEX --context both   # without, then with, the evidence from context

INDEX is an index of the corpus (``../shared/corpus/fr_news.jsonl.gz`` and the seeds, 34k reports).
Each round runs in a fresh process (so no plan, verdict, result or postings memory is left from the
round before) and searches every name once: the names of ``bench/queries.py`` and the judged
real-news queries, the common names an analyst types. Before each process the generation's judged
forms file (``JUDGED.jsonl``) is put back as it was when the run started (as the rebuild left it:
the most written names judged ahead), and it is put back again at the end: every round is each
name's first search in the generation. The service is warmed first (``SearchService.warm``, as a
server does as it starts). A search's time is ``SearchService.run`` of its first page, planning
(candidates, judging) included.

With ``--against``, the other checkout's code runs the same names on the same index in alternate
processes (the baseline, in the same run). ``--context off|on|both``: the evidence from context
(``search.names.context``, the ``SEARCH_NAME_CONTEXT`` setting) off, on, or off and on in
alternate processes, printed apart. Prints p50 and p95 over all rounds, the planning share,
the slowest names, and the load average.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from queries import NAMES  # noqa: E402

JUDGMENTS = HERE / "realnews_judgments.tsv"
CHILD = """
import json, sys, time
from pathlib import Path
from search.params import parse_params
from search.query.syntax import parse
from search.service import SearchService
service = SearchService.open(Path(sys.argv[1]))
service.warm()
service.run(parse_params({"q": ["gouvernement"]}))  # the searcher and its columns opened
out = []
for q in json.loads(sys.argv[2]):
    started = time.perf_counter()
    plan = service.plan(parse(q))
    planned = time.perf_counter() - started
    service.run(parse_params({"q": [q]}))
    out.append((q, time.perf_counter() - started, planned, len(plan.variants) if plan else 0))
service.close()
print(json.dumps(out))
"""


def names() -> list[str]:
    judged = {line.split("\t")[0] for line in JUDGMENTS.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    return list(dict.fromkeys(NAMES + sorted(judged)))


def judged_file(index: Path) -> Path:
    from search.engine.store import IndexStore
    from search.names.judged import JUDGED
    return IndexStore(index).current() / JUDGED


def one_round(project: Path, index: Path, queries: list[str], context: str | None = None) -> list[tuple[str, float, float, int]]:
    """(query, seconds of the search, seconds of its planning, candidates judged) for each query,
    in a fresh process of ``project``'s code (``context``: "0" or "1", the evidence from context)."""
    env = {**os.environ, "PYTHONPATH": str(project)} | ({"SEARCH_NAME_CONTEXT": context} if context else {})
    done = subprocess.run([sys.executable, "-c", CHILD, str(index), json.dumps(queries)], env=env, cwd=project,
                          capture_output=True, text=True, check=True)
    return [tuple(r) for r in json.loads(done.stdout)]


def summary(runs: list[tuple[str, float, float, int]], label: str) -> None:
    times = sorted(r[1] * 1000 for r in runs)
    plans = sorted(r[2] * 1000 for r in runs)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"{label}: search p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms; "
          f"planning (candidates + judging) p50 {statistics.median(plans):.1f} ms, "
          f"p95 {plans[min(len(plans) - 1, int(0.95 * len(plans)))]:.1f} ms")
    for q, took, planned, candidates in sorted(runs, key=lambda r: -r[1])[:8]:
        print(f"  {q:<28} {took * 1000:7.1f} ms (planning {planned * 1000:.1f} ms, {candidates} candidates)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--against", type=Path, help="another checkout (the baseline), run on the same index")
    ap.add_argument("--context", choices=["setting", "off", "on", "both"], default="setting",
                    help="the evidence from context: as the setting says, off, on, or off and on alternately")
    a = ap.parse_args()
    queries = names()
    codes = {"this": HERE.parent} | ({"against": a.against.resolve()} if a.against else {})
    contexts = {"setting": [None], "off": ["0"], "on": ["1"], "both": ["0", "1"]}[a.context]
    sides = {(f"{name}, context {'on' if c == '1' else 'off'}" if c else name): (project, c)
             for name, project in codes.items() for c in contexts}
    judged = judged_file(a.index)
    kept = judged.read_bytes() if judged.exists() else None
    runs: dict[str, list] = {name: [] for name in sides}
    loads = [os.getloadavg()[0]]
    try:
        for _ in range(a.rounds):
            for name, (project, context) in sides.items():  # alternate, so all meet the same load
                _restore(judged, kept)
                runs[name] += one_round(project, a.index, queries, context)
                loads.append(os.getloadavg()[0])
    finally:
        _restore(judged, kept)
    print(f"{len(queries)} names x {a.rounds} rounds, each name's first search in a fresh process; "
          f"load average {min(loads):.1f} to {max(loads):.1f}")
    for name, found in runs.items():
        summary(found, name)


def _restore(judged: Path, kept: bytes | None) -> None:
    """The judged forms file as the run found it (none: none)."""
    if kept is None:
        judged.unlink(missing_ok=True)
    else:
        judged.write_bytes(kept)


if __name__ == "__main__":
    main()
