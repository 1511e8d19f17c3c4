"""Whether two checkouts answer the same searches alike: hits, totals, scores, order, snippets and marks.

    nice -n 5 .venv/bin/python bench/spans_same.py --index COPY --against CHECKOUT --against-index COPY2 \
        [--distinct 600] [--per-page 20]

Each checkout's own code (a child process, its folder first on the path) opens its index copy (a service
writes the names it judges into its generation: give each side a copy of its own, ``cp -a``), warms it
as the server does, and runs the same distinct searches drawn from the corpus (``queries.distinct_set``),
``--per-page`` hits each, every one a first-time search. Per search it digests the API's answer
(``SearchResult.to_json()``: total, facets, names, and per hit its id, score, snippet HTML with its
marks and matched spellings); per (search, hit) pair it digests the spans the highlighter finds in
the hit's title and in the opening of its text (``snippet_scan_chars``). Prints both sides' CPU
seconds in the highlighter, the pairs and searches compared and those that differ; exits 1 if any do.
A speed-up of highlighting that changes no answer passes.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def answers(root: Path, index: Path, distinct: int, per_page: int) -> dict:
    """Run in the checkout at ``root``: each search's answer digest, each pair's spans, and the highlighter's CPU."""
    sys.path[:0] = [str(root), str(HERE)]
    import corpus
    from queries import distinct_set

    from search import settings
    from search.params import parse_params
    from search.query.syntax import parse
    from search.service import SearchService

    service = SearchService.open(index)
    service.warm()
    spent = _timed(service.highlighter)
    scan = int(settings.get("snippet_scan_chars"))
    searches, pairs = {}, {}
    for _, params in distinct_set(corpus.records(corpus.CORPUS), distinct):
        raw = {k: (v if isinstance(v, list) else [v]) for k, v in {**params, "per_page": str(per_page)}.items()}
        query = parse_params(raw)
        result = service.run(query)
        key = json.dumps(params, sort_keys=True, ensure_ascii=False)
        searches[key] = _digest(result.to_json())
        planned = service.plan(parse(query.q), query.steer)
        if planned is None:
            continue
        for hit in result.hits:
            report = service.engine.get(hit.id)
            pairs[f"{key} {hit.id}"] = _digest([service.highlighter.find_spans(report.title, planned.marks),
                                                service.highlighter.find_spans(report.body[:scan], planned.marks)])
    return {"searches": searches, "pairs": pairs, "cpu": spent["cpu"]}


def _timed(highlighter) -> dict:
    """The highlighter's ``find_spans`` timed (thread CPU seconds) from now on."""
    spent = {"cpu": 0.0}
    find = highlighter.find_spans

    def timed(*args, **kwargs):
        started = time.thread_time()
        try:
            return find(*args, **kwargs)
        finally:
            spent["cpu"] += time.thread_time() - started
    highlighter.find_spans = timed
    return spent


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:20]


def _child(root: Path, index: Path, distinct: int, per_page: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(root), "--index", str(index),
                          "--distinct", str(distinct), "--per-page", str(per_page)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def compare(mine: dict, theirs: dict) -> int:
    """Prints the differences; returns how many searches and pairs differ (or are missing on one side)."""
    differ = 0
    for what in ("searches", "pairs"):
        keys = sorted(set(mine[what]) | set(theirs[what]))
        wrong = [k for k in keys if mine[what].get(k) != theirs[what].get(k)]
        print(f"{what}: {len(keys)} compared, {len(wrong)} differ")
        for k in wrong[:20]:
            print("   ", k)
        differ += len(wrong)
    return differ


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, required=True, help="this checkout's copy of the index")
    ap.add_argument("--against", type=Path, help="the other checkout")
    ap.add_argument("--against-index", type=Path, help="the other checkout's copy of the index")
    ap.add_argument("--distinct", type=int, default=600)
    ap.add_argument("--per-page", type=int, default=20)
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        json.dump(answers(a.child, a.index, a.distinct, a.per_page), sys.stdout)
        return
    if not (a.against and a.against_index):
        ap.error("--against and --against-index are needed")
    mine = _child(HERE.parent, a.index, a.distinct, a.per_page)
    theirs = _child(a.against, a.against_index, a.distinct, a.per_page)
    print(f"highlighter CPU: this checkout {mine['cpu']:.2f} s, {a.against} {theirs['cpu']:.2f} s")
    sys.exit(1 if compare(mine, theirs) else 0)


if __name__ == "__main__":
    main()
