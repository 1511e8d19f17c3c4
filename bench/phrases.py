"""Phrase searches the first time, in process, beside another checkout's code in the same run.

    .venv/bin/python bench/phrases.py --index INDEX [--against OTHER_CHECKOUT] [--rounds 3]

Each round runs in a fresh process (so every search is its first: no plan, result or postings
memory), each phrase once, through ``SearchService.run`` as the server does; with ``--against``,
the other checkout's code runs the same phrases on the same index in alternate processes. It
prints each phrase's milliseconds per round, then the medians. The phrases mix rare words
("Muja plus", found nowhere) with the corpus's most common ones ("fin de semaine").
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
PHRASES = ['"estime Macron"', '"sans ordonnance"', '"virus hors"', '"Muja plus"', '"livre coulisses"',
           '"prix du pétrole"', '"fin de semaine"', '"selon des sources"']
CHILD = """
import json, sys, time
from pathlib import Path
from search.engine import whoosh
from search.names.aliases import AliasTable
from search.params import parse_params
from search.service import SearchService
service = SearchService(whoosh.open(Path(sys.argv[1])), AliasTable(None))
service.run(parse_params({"q": ['"premier essai"']}))  # the generation opened once, as a server has it
out = {}
for q in json.loads(sys.argv[2]):
    started = time.perf_counter()
    service.run(parse_params({"q": [q]}))
    out[q] = (time.perf_counter() - started) * 1000
print(json.dumps(out))
"""


def timed(project: Path, index: Path) -> dict[str, float]:
    """One fresh process of ``project``'s code: each phrase's milliseconds."""
    env = {**os.environ, "PYTHONPATH": str(project)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(index), json.dumps(PHRASES)], env=env, cwd=project,
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--against", type=Path, help="another checkout (the baseline), run on the same index")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sides = {"this": HERE.parent} | ({"against": args.against.resolve()} if args.against else {})
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    for _ in range(args.rounds):
        for name, project in sides.items():  # alternate, so both meet the same load
            runs[name].append(timed(project, args.index))
    print(f"load average {os.getloadavg()[0]:.1f}; ms, first time, median of {args.rounds} fresh processes")
    print(f"{'phrase':24}" + "".join(f"{name:>10}" for name in sides))
    for q in PHRASES:
        print(f"{q:24}" + "".join(f"{statistics.median(r[q] for r in runs[name]):10.1f}" for name in sides))


if __name__ == "__main__":
    main()
