"""Profile searches in process: where a search's time goes.

    .venv/bin/python bench/profile_queries.py [--index bench/out/index-34133] [--rounds 1]
                                              [--distinct N] [--kind word|pair|name|phrase|...]

Prints cProfile's top functions by their own time and by cumulative time.

``--distinct N`` profiles N distinct searches drawn from the corpus's titles
(``queries.distinct_set``) instead of the fixed set: each is a first-time search (no plan,
result or scored postings remembered), as an analyst's new query is; ``--kind`` keeps one kind
of them (``word``, ``pair``, ``name``, ``phrase``, ``prefix``, ``exclusion``, ``filtered``). The
service is opened and warmed (``SearchService.warm``, as the server does) before profiling.
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

import corpus  # noqa: E402
from queries import distinct_set, query_set  # noqa: E402

from search.params import parse_params  # noqa: E402
from search.service import SearchService  # noqa: E402


def run(index, queries, rounds: int) -> list[float]:
    """Each search's milliseconds."""
    times = []
    for _ in range(rounds):
        for _, params in queries:
            raw = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
            started = time.perf_counter()
            index.run(parse_params(raw))
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, default=HERE / "out" / "index-34133")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--distinct", type=int, default=0, help="N distinct searches drawn from the corpus")
    ap.add_argument("--kind", help="only the distinct searches of this kind (word, name, phrase...)")
    a = ap.parse_args()
    queries = distinct_set(corpus.records(corpus.CORPUS), a.distinct) if a.distinct else query_set()
    if a.kind:
        queries = [q for q in queries if q[0] == a.kind]
    index = SearchService.open(a.index)
    index.warm()
    index.run(parse_params({"q": ["gouvernement"]}))  # the searcher and its columns opened
    profile = cProfile.Profile()
    profile.enable()
    times = run(index, queries, a.rounds)
    profile.disable()
    times.sort()
    print(f"{len(times)} searches in {sum(times) / 1000:.2f} s (profiled): "
          f"p50 {times[len(times) // 2]:.1f} ms, p95 {times[min(len(times) - 1, int(0.95 * len(times)))]:.1f} ms")
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(a.top)
    stats.sort_stats("cumulative").print_stats(a.top)


if __name__ == "__main__":
    main()
