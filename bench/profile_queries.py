"""Profile the query set in process: where a search's time goes.

    .venv/bin/python bench/profile_queries.py [--index bench/out/index-34133] [--rounds 1]

Prints cProfile's top functions by their own time and by cumulative time.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from queries import query_set  # noqa: E402

from search.params import parse_params  # noqa: E402
from search.service import SearchService  # noqa: E402


def run(index, rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for _, params in query_set():
            raw = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
            index.run(parse_params(raw))
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=HERE / "out" / "index-34133")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    index = SearchService.open(a.index)
    profile = cProfile.Profile()
    profile.enable()
    took = run(index, a.rounds)
    profile.disable()
    print(f"{a.rounds * len(query_set())} searches in {took:.2f} s (profiled)")
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(a.top)
    stats.sort_stats("cumulative").print_stats(a.top)


if __name__ == "__main__":
    main()
