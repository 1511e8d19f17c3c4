"""The evidence from context's share of planning: names_speed's 51 names, each planned once in a fresh service.

    .venv/bin/python bench/context_share.py --index INDEX [--rounds 3]

Each round opens a service whose judged forms stay in memory (every name judged anew), plans every
name once, and times the context's work (``ContextJudge.similarities``: reading the reports'
openings, the profiles, the cosines) inside the planning, the verdict and the candidates' look-up
around it. Prints, per round, the planning's time, the context's part, and the names it cost most.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import names_speed  # noqa: E402

from search.names import context  # noqa: E402
from search.names.judged import Decisions  # noqa: E402
from search.query.syntax import parse  # noqa: E402
from search.service import SearchService  # noqa: E402


class Timed(context.ContextJudge):
    """The context judge, its own work timed."""

    spent = 0.0

    def similarities(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return super().similarities(*args, **kwargs)
        finally:
            Timed.spent += time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    import search.service
    search.service.judge_for = lambda on: Timed()  # what the service builds for each generation
    for r in range(a.rounds):
        service = SearchService.open(a.index)
        service.engine.vocabulary().decisions = Decisions(None)
        service.plan(parse("gouvernement"))
        costs, started = [], time.perf_counter()
        for q in names_speed.names():
            before = Timed.spent
            service.plan(parse(q))
            costs.append((Timed.spent - before, q))
        total = time.perf_counter() - started
        context_part = sum(c for c, _ in costs)
        costs.sort(reverse=True)
        print(f"round {r + 1}: planning {len(costs)} names {total:.2f} s, the context {context_part:.2f} s "
              f"({context_part / total:.0%}); most: " + ", ".join(f"{q} {c * 1000:.0f} ms" for c, q in costs[:4]))
        service.close()


if __name__ == "__main__":
    main()
