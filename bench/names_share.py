"""The names field's share of the analysis a rebuild does, for this checkout and a baseline.

    .venv/bin/python bench/names_share.py [--articles 2000] [--baseline DIR]

Analyzes the first N corpus articles as a rebuild does (``FanOut`` over every field,
one text per report), then again without the ``names`` field, and prints the seconds and
the names' share. ``--baseline DIR`` runs the same measure, in the same run, on another
checkout (e.g. a worktree of an older commit: ``git worktree add /tmp/base <commit>``)
and prints the ratio of the two names costs.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = r"""
import gzip, json, sys, time, itertools
sys.path.insert(0, sys.argv[1])
from search.analysis import FanOut
from search.fields import FIELD_ANALYZERS
with gzip.open(sys.argv[2], "rt", encoding="utf-8") as fh:
    texts = [f"{r['title']}\n\n{r['text']}" for r in map(json.loads, itertools.islice(fh, int(sys.argv[3])))]
def run(fields):
    fan = FanOut({k: v for k, v in FIELD_ANALYZERS.items() if k in fields})
    started = time.process_time()
    for t in texts:
        fan.tokens(t)
    return time.process_time() - started
every = run(set(FIELD_ANALYZERS))
rest = run(set(FIELD_ANALYZERS) - {"names"})
print(json.dumps({"all": every, "without_names": rest}))
"""


def measure(project: Path, articles: int) -> dict:
    corpus = ROOT.parent / "shared" / "corpus" / "fr_news.jsonl.gz"
    out = subprocess.run([sys.executable, "-c", MEASURE, str(project), str(corpus), str(articles)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def show(label: str, m: dict) -> float:
    names = m["all"] - m["without_names"]
    print(f"{label:<10} all fields {m['all']:6.1f} s   without names {m['without_names']:6.1f} s   "
          f"names {names:6.1f} s = {names / m['all']:.0%} of the analysis")
    return names


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--baseline", type=Path)
    a = ap.parse_args()
    now = show("this", measure(ROOT, a.articles))
    if a.baseline:
        before = show("baseline", measure(a.baseline, a.articles))
        print(f"names cost, this / baseline: {now / before:.2f}")


if __name__ == "__main__":
    main()
