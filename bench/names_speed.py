"""How long a name's first search takes in process, the name model judging its candidates.

    .venv/bin/python bench/names_speed.py --index INDEX [--rounds 3]

INDEX is an index of the corpus (``../shared/corpus/fr_news.jsonl.gz`` and the seeds, 34k reports).
Each round opens a fresh service (so no plan, verdict or result is remembered from the round
before) and searches every name once: the names of ``bench/queries.py`` and the judged real-news
queries, the common names an analyst types. A search's time is ``SearchService.run`` of its first
page, planning (candidates, judging) included; a name's first search is what each round measures.
Prints p50 and p95 over all rounds, the planning share, the slowest names, and the candidates judged.
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

from search.params import parse_params  # noqa: E402
from search.query.syntax import parse  # noqa: E402
from search.service import SearchService  # noqa: E402

JUDGMENTS = HERE / "realnews_judgments.tsv"


def names() -> list[str]:
    judged = {line.split("\t")[0] for line in JUDGMENTS.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    return list(dict.fromkeys(NAMES + sorted(judged)))


def one_round(index: Path, queries: list[str]) -> list[tuple[str, float, float, int]]:
    """(query, seconds of the search, seconds of its planning, candidates judged) for each query."""
    service = SearchService.open(index)
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
    a = ap.parse_args()
    queries = names()
    runs = [r for _ in range(a.rounds) for r in one_round(a.index, queries)]
    times = sorted(r[1] * 1000 for r in runs)
    plans = sorted(r[2] * 1000 for r in runs)
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"{len(queries)} names x {a.rounds} rounds, first search of each name in a fresh service:")
    print(f"  search p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms")
    print(f"  planning (candidates + judging) p50 {statistics.median(plans):.1f} ms, "
          f"p95 {plans[min(len(plans) - 1, int(0.95 * len(plans)))]:.1f} ms")
    slowest = sorted(runs, key=lambda r: -r[1])[:8]
    for q, took, planned, candidates in slowest:
        print(f"  {q:<28} {took * 1000:7.1f} ms (planning {planned * 1000:.1f} ms, {candidates} candidates)")


if __name__ == "__main__":
    main()
