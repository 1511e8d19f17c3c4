"""The page of a search that finds nothing, at scale: its time beside the same query's API answer
and beside Whoosh's own near-word suggestion (the vocabulary scan the page used before), in one run.

    .venv/bin/python bench/no_results.py --index INDEX [--queries 60] [--baseline 6] [--settle 20]

The queries are misspellings drawn from the index's own vocabulary (seeded): a name or a word
written with one edit (a letter dropped, doubled, changed, or swapped with its neighbour), kept
only when the search finds nothing (checked in this process, so that the server sees each query
for the first time when it is timed); a third of them are three words long. ``python server.py``
serves INDEX, over one kept-alive connection:

- the first half of the queries: each query's page (``/?q=``: the search, its near spellings, the
  page) the first time the server sees it, its plan included (judging a misspelt name's candidates);
- the second half: each query's API answer first (``/api/search?q=``, the first time: the same plan
  to make), then its page: the page's own work on top of the answer (the near spellings, the
  filters lifted, the template), which is what this page added before;
- then every query's page again (plan and near spellings remembered).

Whoosh's ``searcher.suggest`` (both fields, as the page asked before) is timed in this process on
the first ``--baseline`` queries: seconds each, so not on all of them.

It prints p50 / p95 / max in milliseconds and writes ``bench/out/no-results.json``.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]

from search.engine.whoosh.words import field_counts  # noqa: E402
from search.text.fold import fold  # noqa: E402

PY = sys.executable
LETTERS = "aeiourstnlcdm"


def main() -> None:
    a = _args()
    queries = _queries(a.index, _vocabulary(a.index), a.queries, random.Random(a.seed))
    print(f"{len(queries)} queries that find nothing, e.g. {queries[:4]}", flush=True)
    port = _free_port()
    server = subprocess.Popen([PY, "server.py", "--host", "127.0.0.1", "--port", str(port), "--index", str(a.index)],
                              cwd=HERE.parent, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        started = time.monotonic()
        server.stdout.readline()  # the start-up line: it listens
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        first = _get(conn, "/", {"q": "Zorglubxx"})[0]  # the word lists: read once per generation
        print(f"server up in {time.monotonic() - started:.1f} s; first no-results page {first:.0f} ms "
              "(it waits for the word lists, read on start-up in the background)", flush=True)
        if a.settle:
            time.sleep(a.settle)  # the rest of the server's reading ahead (name forms): not a search's time
            conn.close()  # the server closed the idle connection meanwhile: the next request opens another
        times = _rounds(conn, queries)
    finally:
        server.terminate()
        server.wait(30)
    times["whoosh suggest (before)"] = _baseline(a.index, queries[:a.baseline])
    out = {name: _stats(v) for name, v in times.items() if v}
    for name, s in out.items():
        print(f"{name:38} p50 {s['p50']:8.1f}   p95 {s['p95']:8.1f}   max {s['max']:8.1f}   (n={s['n']})")
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "no-results.json").write_text(json.dumps({"index": str(a.index), "queries": queries,
                                                              "stats": out}, ensure_ascii=False, indent=1))


def _args():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--baseline", type=int, default=6, help="queries timed with Whoosh's suggest (seconds each)")
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--settle", type=float, default=0.0, help="seconds to wait after the first page, before timing")
    return ap.parse_args()


def _vocabulary(index: Path) -> list[str]:
    """Words of the collection worth misspelling: 5 to 12 letters, in 5 reports or more."""
    from search.engine.store import IndexStore
    from whoosh import index as windex
    with windex.open_dir(str(IndexStore(index).current())).searcher() as searcher:
        counts = field_counts(searcher.reader(), "verbatim")
    return sorted(w for w, n in counts.items() if n >= 5 and 5 <= len(w) <= 12 and w.isalpha())


def _misspelt(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + rng.choice(LETTERS.replace(word[i].lower(), "")) + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _queries(index: Path, vocabulary: list[str], wanted: int, rng: random.Random) -> list[str]:
    """Misspellings the search finds nothing for: names (capitalised) and words, a third three words long."""
    from search.params import SearchParams
    from search.service import SearchService
    names = [w for w in vocabulary if w[0].isupper()]
    words = [w for w in vocabulary if w[0].islower()]
    out: list[str] = []
    seen = {fold(w) for w in vocabulary}
    service = SearchService.open(index)
    try:
        while len(out) < wanted:
            pool = names if len(out) % 2 else words
            picked = [_misspelt(rng.choice(pool), rng) for _ in range(3 if len(out) % 3 == 0 else 1)]
            q = " ".join(picked)
            if any(fold(p) in seen for p in picked) or q in out:
                continue
            if service.run(SearchParams(q=q, per_page=1)).total == 0:
                out.append(q)
    finally:
        service.close()
    return out


def _get(conn, path: str, params: dict) -> tuple[float, dict]:
    started = time.perf_counter()
    conn.request("GET", f"{path}?{urlencode(params)}")
    resp = conn.getresponse()
    body = resp.read()
    elapsed = (time.perf_counter() - started) * 1000
    if resp.status != 200:
        raise RuntimeError(f"HTTP {resp.status} on {path}: {body[:200]!r}")
    return elapsed, json.loads(body) if path.startswith("/api/") else {}


def _rounds(conn, queries: list[str]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"page, first time (plan too)": [], "API, first time": [],
                                     "page after the API (plan remembered)": [], "page, again": []}
    half = len(queries) // 2
    for q in queries[:half]:
        times["page, first time (plan too)"].append(_get(conn, "/", {"q": q})[0])
    for q in queries[half:]:
        times["API, first time"].append(_get(conn, "/api/search", {"q": q})[0])
        times["page after the API (plan remembered)"].append(_get(conn, "/", {"q": q})[0])
    for q in queries:
        times["page, again"].append(_get(conn, "/", {"q": q})[0])
    return times


def _baseline(index: Path, queries: list[str]) -> list[float]:
    """Whoosh's suggest for every word of each query, both fields: what the page waited for before."""
    from search.engine.store import IndexStore
    from whoosh import index as windex
    out = []
    with windex.open_dir(str(IndexStore(index).current())).searcher() as searcher:
        for q in queries:
            started = time.perf_counter()
            for word in q.split():
                for field, text in (("verbatim", word), ("folded", fold(word))):
                    if [w for w in searcher.suggest(field, text, limit=5, maxdist=2) if w != text]:
                        break
            out.append((time.perf_counter() - started) * 1000)
            print(f"  whoosh suggest {q!r}: {out[-1]:.0f} ms", flush=True)
    return out


def _stats(values: list[float]) -> dict:
    v = sorted(values)
    q = statistics.quantiles(v, n=100, method="inclusive") if len(v) > 1 else v * 99
    return {"p50": statistics.median(v), "p95": q[94], "max": v[-1], "n": len(v)}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
