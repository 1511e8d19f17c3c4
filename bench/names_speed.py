"""How long a name's first search takes in process, the name model judging its candidates.

    .venv/bin/python bench/names_speed.py --index INDEX [--rounds 3]
    .venv/bin/python bench/names_speed.py --index INDEX --fresh --context both   # without, then with, the evidence from context

INDEX is an index of the corpus (``../shared/corpus/fr_news.jsonl.gz`` and the seeds, 34k reports).
Each round opens a fresh service (so no plan, verdict or result is remembered from the round
before) and searches every name once: the names of ``bench/queries.py`` and the judged real-news
queries, the common names an analyst types. A search's time is ``SearchService.run`` of its first
page, planning (candidates, judging) included; a name's first search is what each round measures.
Prints p50 and p95 over all rounds, the planning share, the slowest names, and the candidates judged.

``--fresh``: each round's service keeps its judged forms in memory only, reading none that an
earlier round, a server or the rebuild's prejudging wrote in the generation's folder (otherwise a
name judged once is looked up, not judged). ``--context both``: each round runs without the
evidence from context (``search.names.context``), then with it, alternately in one process, and
prints both.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from queries import NAMES  # noqa: E402

from search.names.judged import Decisions  # noqa: E402
from search.params import parse_params  # noqa: E402
from search.query.syntax import parse  # noqa: E402
from search.service import SearchService  # noqa: E402

JUDGMENTS = HERE / "realnews_judgments.tsv"


def names() -> list[str]:
    judged = {line.split("\t")[0] for line in JUDGMENTS.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    return list(dict.fromkeys(NAMES + sorted(judged)))


def one_round(index: Path, queries: list[str], context: bool | None = None,
              fresh: bool = False) -> list[tuple[str, float, float, int]]:
    """(query, seconds of the search, seconds of its planning, candidates judged) for each query."""
    service = SearchService.open(index)
    if context is not None:
        service.name_context = context
    if fresh:
        service.engine.vocabulary().decisions = Decisions(None)
    try:
        service.run(parse_params({"q": ["gouvernement"]}))  # the searcher and its columns opened
        out = []
        for q in queries:
            started = time.perf_counter()
            plan = service.plan(parse(q))
            planned = time.perf_counter() - started
            service.run(parse_params({"q": [q]}))
            out.append((q, time.perf_counter() - started, planned, len(plan.variants) if plan else 0))
        return out
    finally:
        service.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--fresh", action="store_true", help="judge every name anew (no judged forms read from disk)")
    ap.add_argument("--context", choices=["setting", "off", "on", "both"], default="setting",
                    help="the evidence from context: as the setting says, off, on, or off then on each round")
    a = ap.parse_args()
    queries = names()
    modes = {"setting": [None], "off": [False], "on": [True], "both": [False, True]}[a.context]
    runs: dict = {m: [] for m in modes}
    for _ in range(a.rounds):
        for m in modes:
            runs[m] += one_round(a.index, queries, m, a.fresh)
    for m in modes:
        if len(modes) > 1:
            print(f"\n== evidence from context {'on' if m else 'off'}")
        report(runs[m], len(queries), a.rounds)


def report(runs: list, queries: int, rounds: int) -> None:
    times = sorted(r[1] * 1000 for r in runs)
    plans = sorted(r[2] * 1000 for r in runs)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"{queries} names x {rounds} rounds, first search of each name in a fresh service:")
    print(f"  search p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms")
    print(f"  planning (candidates + judging) p50 {statistics.median(plans):.1f} ms, "
          f"p95 {plans[min(len(plans) - 1, int(0.95 * len(plans)))]:.1f} ms")
    slowest = sorted(runs, key=lambda r: -r[1])[:8]
    for q, took, planned, candidates in slowest:
        print(f"  {q:<28} {took * 1000:7.1f} ms (planning {planned * 1000:.1f} ms, {candidates} candidates)")


if __name__ == "__main__":
    main()
