"""The first-time tail: which distinct searches are slow the first time, and where their time goes.

    .venv/bin/python bench/tail.py --index INDEX [--distinct 300] [--over 40] [--profile 8]

Runs the distinct searches of ``bench/perf.py --distinct N`` in process, in the order its HTTP
run sends them (``perf._interleave``'s first shuffle), each once in one warmed service, as a
server meets them. Each search's milliseconds are split by phase: parsing and planning (names
judged there), the engine's search (postings, facets, the page's stored fields), the page's
hits shaped (snippets and marks), an alias row's phrase counted, and the API's JSON written.
Prints every search over ``--over`` ms with its phases, the phases' sums over those searches by
kind, and, with ``--profile K``, cProfile's top functions over the K slowest searches run again
in a fresh service (each a first time again). The generation's judged name forms
(``JUDGED.jsonl``) are put back as they were before each pass and at the end (as
``bench/names_speed.py`` does): every pass judges the names the rebuild did not.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import corpus  # noqa: E402
from queries import describe, distinct_set  # noqa: E402

from search.params import API_PARAMS, parse_params  # noqa: E402
from search.service import SearchService  # noqa: E402

PHASES = ("plan", "search", "hits", "counted", "json")


def perf_order(n: int) -> list[int]:
    """The order ``bench/perf.py``'s first round sends ``n`` queries in."""
    order = list(range(n))
    random.Random(4).shuffle(order)
    return order


def timed(spent: dict, phase: str, fn):
    """``fn`` wrapped to add its milliseconds to ``spent[phase]``."""
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[phase] += (time.perf_counter() - started) * 1000
    return wrapper


def judged_file(index: Path) -> Path:
    from search.engine.store import IndexStore
    from search.names.judged import JUDGED
    return IndexStore(index).current() / JUDGED


def opened(index: Path, judged: bytes | None) -> tuple[SearchService, dict]:
    """A warmed service whose phases add to the returned dictionary; the generation's judged forms
    put back first (``judged``: the file's bytes, None: no file)."""
    put_back(index, judged)
    service = SearchService.open(index)
    service.warm()
    spent: dict = defaultdict(float)
    for phase, name in (("plan", "plan"), ("search", "_search"), ("hits", "_hits"), ("counted", "_counted")):
        setattr(service, name, timed(spent, phase, getattr(service, name)))
    return service, spent


def put_back(index: Path, judged: bytes | None) -> None:
    path = judged_file(index)
    path.unlink(missing_ok=True)  # a new file: never written through a link to another index's
    if judged is not None:
        path.write_bytes(judged)


def one(service: SearchService, spent: dict, params: dict) -> tuple[float, dict, int]:
    """(milliseconds, by phase, total) of one search, its JSON answer written as the API does; the
    phases hold ``cpu`` too, the thread's CPU milliseconds (what a busy machine's waiting leaves out)."""
    spent.clear()
    raw = {k: (v if isinstance(v, list) else [v]) for k, v in params.items()}
    cpu, started = time.thread_time(), time.perf_counter()
    result = service.run(parse_params(raw, API_PARAMS))
    written = time.perf_counter()
    json.dumps(result.to_json(), ensure_ascii=False)
    ended = time.perf_counter()
    spent["json"] = (ended - written) * 1000
    spent["cpu"] = (time.thread_time() - cpu) * 1000
    return (ended - started) * 1000, dict(spent), result.total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--distinct", type=int, default=300)
    ap.add_argument("--over", type=float, default=40.0, help="ms: the searches shown")
    ap.add_argument("--profile", type=int, default=0, help="profile the K slowest again, in a fresh service")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--totals", type=Path, help="write each search's total here (JSON), to compare checkouts")
    a = ap.parse_args()
    queries = distinct_set(corpus.records(corpus.CORPUS), a.distinct)
    path = judged_file(a.index)
    judged = path.read_bytes() if path.exists() else None
    try:
        run(a, queries, judged)
    finally:
        put_back(a.index, judged)


def run(a, queries, judged: bytes | None) -> None:
    service, spent = opened(a.index, judged)
    rows = []
    for i in perf_order(len(queries)):
        kind, params = queries[i]
        ms, phases, total = one(service, spent, params)
        rows.append((ms, kind, describe(params), phases, total, i))
    service.close()
    times = sorted(r[0] for r in rows)
    cpus = sorted(r[3]["cpu"] for r in rows)
    print(f"{len(rows)} searches: p50 {times[len(times) // 2]:.1f} ms, p95 {times[int(0.95 * len(times))]:.1f}, "
          f"max {times[-1]:.1f}; CPU p50 {cpus[len(cpus) // 2]:.1f} ms, p95 {cpus[int(0.95 * len(cpus))]:.1f}, "
          f"sum {sum(cpus):.0f} (load average {os.getloadavg()[0]:.1f})")
    print("  all searches, wall ms by phase: " + " ".join(f"{p} {sum(r[3].get(p, 0) for r in rows):.0f}" for p in PHASES))
    slow = sorted((r for r in rows if r[0] > a.over), reverse=True)
    print(f"\n{len(slow)} over {a.over:g} ms (" + " / ".join(PHASES) + "):")
    by_kind: dict = defaultdict(lambda: defaultdict(float))
    for ms, kind, query, phases, total, _ in slow:
        print(f"  {ms:7.1f}  {kind:9} {query[:48]:48} {total:6d}  "
              + " ".join(f"{phases.get(p, 0):6.1f}" for p in PHASES))
        by_kind[kind]["n"] += 1
        for p in PHASES:
            by_kind[kind][p] += phases.get(p, 0)
    print("\nthose, summed by kind (ms):")
    for kind, sums in sorted(by_kind.items()):
        print(f"  {kind:9} n={int(sums['n']):3d} " + " ".join(f"{p} {sums[p]:7.0f}" for p in PHASES))
    if a.totals:
        a.totals.write_text(json.dumps({r[2]: r[4] for r in rows}, ensure_ascii=False, indent=0))
    if a.profile:
        service, spent = opened(a.index, judged)
        profile = cProfile.Profile()
        for ms, kind, query, phases, total, i in slow[:a.profile]:
            profile.enable()
            one(service, spent, queries[i][1])
            profile.disable()
        stats = pstats.Stats(profile).strip_dirs()
        stats.sort_stats("tottime").print_stats(a.top)
        stats.sort_stats("cumulative").print_stats(a.top)


if __name__ == "__main__":
    main()
