"""How many leaf queries the service's plans make: what a cluster's clause limit must allow.

Lucene counts every leaf of a query against ``indices.query.bool.max_clause_count`` (1024 by
default; the test cluster allows 4096), nested ``bool``s included; a plan past it is a 400 saying
so (``search.engine.opensearch.connection.reading``). This plans, against a built index (the
plan depends on its vocabulary, the same on both engines), three sets of searches and counts the
leaves of each plan as the OpenSearch adapter sends it (``translate.clauses``):

- ``--queries`` distinct searches drawn from the corpus (``bench/queries.py``, as ``bench/engines.py``);
- every spelling of the names development set (``../shared/eval/variants_dev.tsv``);
- a search naming ``--names`` entities of that set at once (``A OR B OR …``, the first spelling of each).

    .venv/bin/python bench/clauses.py --index bench/out/index-34133
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import corpus  # noqa: E402
from queries import distinct_set  # noqa: E402

from search.engine.opensearch.translate import clauses  # noqa: E402
from search.query.syntax import parse  # noqa: E402
from search.service import SearchService  # noqa: E402

VARIANTS = ROOT.parent / "shared" / "eval" / "variants_dev.tsv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True, help="a Whoosh index folder (bench/engines.py builds one)")
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--names", type=int, default=32)
    ap.add_argument("--corpus", type=Path, default=corpus.CORPUS)
    a = ap.parse_args()
    spellings = _spellings()
    firsts = list({group: s for group, s in reversed(spellings)}.values())[:a.names]
    sets = {"corpus": [p["q"] for _, p in distinct_set(corpus.records(a.corpus), a.queries) if p.get("q")],
            "spellings": [s for _, s in spellings],
            f"{a.names} names at once": [" OR ".join(firsts)]}
    service = SearchService.open(a.index)
    try:
        worst = (0, "")
        for label, texts in sets.items():
            counts = [(_leaves(service, q), q) for q in texts]
            numbers = sorted(n for n, _ in counts)
            top = max(counts)
            worst = max(worst, top)
            print(f"{label}: {len(texts)} searches, leaves median {statistics.median(numbers):.0f}, "
                  f"p99 {numbers[int(len(numbers) * 0.99) - 1 if len(numbers) > 1 else 0]}, max {top[0]} ({top[1][:80]!r})")
        print(f"all {sum(len(t) for t in sets.values())} searches: at most {worst[0]} leaves")
    finally:
        service.close()


def _leaves(service: SearchService, q: str) -> int:
    planned = service.plan(parse(q))
    return clauses(planned.node) if planned is not None else 0


def _spellings() -> list[tuple[str, str]]:
    with open(VARIANTS, encoding="utf-8") as fh:
        return [(row["group"], row["variant"]) for row in csv.DictReader(fh, delimiter="\t")]


if __name__ == "__main__":
    main()
