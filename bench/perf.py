"""Speed and scale on the real corpus: rebuild, queries (in process and over HTTP), update.

    .venv/bin/python bench/perf.py [--size 5000|34133|340000] [--skip-rebuild] [--rounds 5]
                                   [--distinct N] [--index DIR] [--compare PROJECT]

1. builds the index with ``python -m search rebuild`` (wall time, CPU time, cores used, each
   process's peak RSS, the load average before and after, size and its ratio to FTS5's);
2. builds the same articles into SQLite FTS5 (``bench/fts5.py``), the yardstick;
3. runs the fixed query set (``bench/queries.py``) in process, then over HTTP against
   ``server.py``, an FTS5 endpoint and, when it is installed (``pip install datasette``, for the
   benchmark only), Datasette serving the same FTS5 database: interleaved, query by query;
4. adds 100 reports, runs ``python -m search update``, and waits for the server to see them;
   then removes them again.

It prints p50/p95/p99 per engine, our p50 over FTS5's, the server's memory, and writes
every figure to ``bench/out/results-<size>.json``. The first round is also reported
alone ("cold"): a query the server has never seen.

``--distinct N`` sends N distinct searches drawn from the corpus's titles (``queries.distinct_set``:
words, pairs, names, phrases, prefixes, exclusions, filters) instead of the fixed set: with
``--rounds 1``, every one is a first-time search. ``--index DIR`` measures a prebuilt index (no
rebuild). ``--compare PROJECT`` also serves the same index with another checkout's code (``../main``:
the code before a change), interleaved query by query as engine ``before``; ``--compare-index`` gives it
a copy of the index of its own (each server then judges the name forms it meets itself, as on a
first search, rather than reading the other's verdicts from the generation's ``JUDGED.jsonl``).
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import corpus  # noqa: E402
import fts5  # noqa: E402
from queries import describe, distinct_set, query_set  # noqa: E402

PY = sys.executable


def main() -> None:
    a = _args()
    a.work.mkdir(parents=True, exist_ok=True)
    corpus.CORPUS = a.corpus
    reports = corpus.reports_folder(a.work, a.size, a.corpus)
    corpus.remove_update(reports)
    index, db = a.index or a.work / f"index-{a.size}", a.work / f"fts5-{a.size}.sqlite"
    out: dict = {"size": a.size, "rounds": a.rounds, "load_before": os.getloadavg()}
    if a.index is None and (not a.skip_rebuild or not index.exists()):
        out["rebuild"] = rebuild(reports, index, a.procs)
    out["index_mb"] = _index_mb(index)
    if not a.skip_rebuild or not db.exists():
        out["fts5_build"] = build_fts5(reports, db)
    out["fts5_mb"] = db.stat().st_size / 2**20
    out["index_over_fts5"] = out["index_mb"] / out["fts5_mb"]
    print(f"index: {out['index_mb']:.0f} MB; FTS5 database: {out['fts5_mb']:.0f} MB; "
          f"index = {out['index_over_fts5']:.2f} × FTS5", flush=True)
    queries = distinct_set(corpus.records(a.corpus), a.distinct) if a.distinct else query_set()
    if not a.no_inproc:
        out["inproc"] = inproc(index, db, queries, a.rounds, a.fts_facets)
    if not a.no_http:
        out["http"] = over_http(reports, index, db, queries, a)
    out["load_after"] = os.getloadavg()
    print(f"load average before {out['load_before'][0]:.1f}, after {out['load_after'][0]:.1f}")
    path = a.work / f"results-{a.size}.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print(f"\nall figures: {path}")


def _args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=corpus.FULL, help="articles: 5000, 34133 (the corpus), 340000")
    ap.add_argument("--corpus", type=Path, default=corpus.CORPUS, help="the corpus file (fr_news.jsonl.gz)")
    ap.add_argument("--work", type=Path, default=HERE / "out", help="folder for reports, indexes and results")
    ap.add_argument("--skip-rebuild", action="store_true", help="reuse the index and FTS5 database if present")
    ap.add_argument("--rounds", type=int, default=5, help="times each query is run, per engine")
    ap.add_argument("--port", type=int, default=0, help="server.py's port (default: a free one); FTS5's is the next one")
    ap.add_argument("--fts-facets", action="store_true", help="FTS5 counts source and month facets too")
    ap.add_argument("--no-inproc", action="store_true", help="skip the in-process queries")
    ap.add_argument("--no-http", action="store_true", help="skip the HTTP queries and the update")
    ap.add_argument("--no-update", action="store_true", help="skip the update of 100 reports")
    ap.add_argument("--procs", type=int, help="the rebuild's analysis processes (default: the command's own)")
    ap.add_argument("--distinct", type=int, default=0, help="N distinct searches drawn from the corpus, not the fixed set")
    ap.add_argument("--index", type=Path, help="a prebuilt index to measure (no rebuild)")
    ap.add_argument("--settle", type=float, default=10.0, help="seconds to wait once the servers answer")
    ap.add_argument("--compare", type=Path, help="another checkout whose server.py also serves the index ('before')")
    ap.add_argument("--compare-index", type=Path,
                    help="the index 'before' serves (default: the same): a copy keeps each server's judged name "
                         "forms (JUDGED.jsonl, written as forms are judged) its own")
    return ap.parse_args()


# --- building ---------------------------------------------------------------------


def rebuild(reports: Path, index: Path, procs: int | None = None) -> dict:
    """``python -m search rebuild``: wall and CPU time, the load average around it, each process's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load_before = os.getloadavg()
    started = time.perf_counter()
    command = [PY, "-m", "search", "rebuild", "--reports", str(reports), "--index", str(index)]
    proc = subprocess.Popen(command + (["--procs", str(procs)] if procs else []), cwd=HERE.parent,
                            stderr=subprocess.DEVNULL)
    peaks = _watch_peaks(proc)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, command)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_mb = after.ru_maxrss / 1024  # the largest process of the rebuild (a worker or the reader), in MB
    n = _doc_count(index)
    load = [round(x, 2) for x in (*load_before, *os.getloadavg())]
    r = {"seconds": wall, "articles": n, "per_second": n / wall, "cpu_seconds": cpu, "cores": cpu / wall,
         "peak_process_mb": peak_mb, "process_peaks_mb": peaks, "load_before_after": load}
    print(f"rebuild: {wall:.1f} s, {n} articles, {n / wall:.0f} articles/s, "
          f"CPU {cpu:.1f} s = {cpu / wall:.2f} cores, largest process {peak_mb:.0f} MB; "
          f"each process's peak RSS (MB): {', '.join(f'{mb:.0f}' for mb in peaks)}; "
          f"load average before {load[0]}/{load[1]}/{load[2]}, after {load[3]}/{load[4]}/{load[5]}", flush=True)
    return r


def _watch_peaks(proc: subprocess.Popen, every: float = 0.25) -> list[float]:
    """Waits for ``proc``; the peak RSS of it and of each process it started, in MB (VmHWM, read while alive)."""
    peaks: dict[int, float] = {}
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            family = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in family:
            try:
                peaks[p.pid] = max(peaks.get(p.pid, 0.0), _memory(p.pid)["peak_mb"])
            except psutil.Error:  # it ended meanwhile
                pass
        time.sleep(every)
    proc.wait()
    return sorted(peaks.values(), reverse=True)


def _doc_count(index: Path) -> int:
    from search import indexing
    ix = indexing.open_index(index)
    try:
        return ix.doc_count()
    finally:
        ix.close()


def _index_mb(index: Path) -> float:
    from search.engine.store import IndexStore
    live = IndexStore(index).current()
    return sum(p.stat().st_size for p in live.iterdir()) / 2**20


def build_fts5(reports: Path, db: Path) -> dict:
    from search.ingest.reports import iter_reports
    started = time.perf_counter()
    n = fts5.build(db, iter_reports(reports))
    wall = time.perf_counter() - started
    print(f"FTS5 build: {wall:.1f} s, {n} rows", flush=True)
    return {"seconds": wall, "rows": n}


# --- querying -----------------------------------------------------------------------


def inproc(index: Path, db: Path, queries, rounds: int, facets: bool) -> dict:
    from search.params import parse_params
    from search.service import SearchService
    ours, theirs = SearchService.open(index), fts5.Fts5Search(db)

    def run_ours(p):
        raw = {k: (v if isinstance(v, list) else [v]) for k, v in p.items()}
        return ours.run(parse_params(raw)).total

    times = _interleave(queries, rounds, {"ours": run_ours, "fts5": lambda p: theirs.search(p, facets)["total"]})
    ours.close()
    return _report("in process", times, queries)


def over_http(reports: Path, index: Path, db: Path, queries, a) -> dict:
    a.port = a.port or _free_ports(4)
    procs = {"ours": subprocess.Popen([PY, "server.py", "--host", "127.0.0.1", "--port", str(a.port),
                                       "--index", str(index), "--reports", str(reports)], cwd=HERE.parent),
             "fts5": subprocess.Popen([PY, str(HERE / "fts5.py"), "--db", str(db), "--port", str(a.port + 1)]
                                      + (["--facets"] if a.fts_facets else []))}
    clients = {"ours": Client(a.port, "/api/search"), "fts5": Client(a.port + 1, "/search")}
    if a.compare:
        procs["before"] = subprocess.Popen([PY, "server.py", "--host", "127.0.0.1", "--port", str(a.port + 3),
                                            "--index", str((a.compare_index or index).resolve()), "--reports", str(reports.resolve())],
                                           cwd=a.compare)
        clients["before"] = Client(a.port + 3, "/api/search")
    if _has_datasette():
        procs["datasette"] = _datasette(db, a.port + 2)
        clients["datasette"] = DatasetteClient(a.port + 2, db, a.fts_facets)
    else:
        print("datasette is not installed (pip install datasette): compared with FTS5 alone", flush=True)
    try:
        started = time.perf_counter()
        for name, client in clients.items():
            client.wait_ready(procs[name])
        print(f"servers ready in {time.perf_counter() - started:.1f} s", flush=True)
        time.sleep(a.settle)  # each server reads its word lists in the background at start-up
        times = _interleave(queries, a.rounds, {name: c.total for name, c in clients.items()})
        out = _report("over HTTP", times, queries)
        out["server_memory"] = _memory(procs["ours"].pid)
        print(f"server memory: RSS {out['server_memory']['rss_mb']:.0f} MB "
              f"(peak {out['server_memory']['peak_mb']:.0f} MB)", flush=True)
        if not a.no_update:
            out["update"] = update_round(reports, index, clients["ours"])
        return out
    finally:
        for p in procs.values():
            p.terminate()
            p.wait()


def _has_datasette() -> bool:
    import importlib.util
    return importlib.util.find_spec("datasette") is not None


def _datasette(db: Path, port: int) -> subprocess.Popen:
    """Datasette over the FTS5 database, its ``docs`` table searched through the ``fts`` index."""
    metadata = db.with_suffix(".metadata.json")
    metadata.write_text(json.dumps({"databases": {db.stem: {"tables": {"docs": {"fts_table": "fts",
                                                                                 "fts_pk": "rowid"}}}}}))
    return subprocess.Popen([PY, "-m", "datasette", "serve", str(db), "--port", str(port), "--host", "127.0.0.1",
                             "--metadata", str(metadata), "--setting", "sql_time_limit_ms", "60000",
                             "--setting", "facet_time_limit_ms", "60000"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _free_ports(count: int) -> int:
    """A port free now, whose next ``count - 1`` are free too (other servers may run on this machine)."""
    import socket
    while True:
        socks = [socket.socket() for _ in range(count)]
        try:
            socks[0].bind(("127.0.0.1", 0))
            port = socks[0].getsockname()[1]
            for i, sock in enumerate(socks[1:], 1):
                sock.bind(("127.0.0.1", port + i))
            return port
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()


class Client:
    """One keep-alive connection to a JSON search endpoint."""

    def __init__(self, port: int, path: str):
        self.port, self.path = port, path
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def get(self, params: dict) -> dict:
        try:
            self.conn.request("GET", f"{self.path}?{urlencode(params, doseq=True)}")
            resp = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.conn.close()  # the server closed an idle keep-alive connection: open a new one
            self.conn.request("GET", f"{self.path}?{urlencode(params, doseq=True)}")
            resp = self.conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError(f"{self.port}: HTTP {resp.status}: {body[:200]!r}")
        return json.loads(body)

    def total(self, params: dict) -> int:
        return self.get(params)["total"]


    def wait_ready(self, proc: subprocess.Popen, timeout: float = 900) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server on port {self.port} exited with {proc.returncode}")
            try:
                self.get({"q": "x"})
                return
            except (OSError, http.client.HTTPException):
                self.conn.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)


class DatasetteClient(Client):
    """Datasette's table JSON for the same search: ``_search`` (its escape_fts, as ``fts_match``),
    ten rows, the filtered count, and the source facet when asked."""

    def __init__(self, port: int, db: Path, facets: bool):
        super().__init__(port, f"/{db.stem}/docs.json")
        self.facets = facets

    def get(self, params: dict) -> dict:
        out = [("_size", "10"), ("_shape", "objects"), ("_extra", "count")]
        if params.get("q"):
            out.append(("_search", params["q"].replace('"', "")))
        sources = params.get("source") or []
        if sources:
            out.append(("source__in", ",".join(sources)))
        if params.get("from"):
            out.append(("date__gte", params["from"]))
        if params.get("to"):
            out.append(("date__lte", params["to"] + "\uffff"))
        if self.facets:
            out.append(("_facet", "source"))
        return super().get(out)

    def total(self, params: dict) -> int:
        found = self.get(params)
        return found.get("count", found.get("filtered_table_rows_count", -1))


def _interleave(queries, rounds: int, engines: dict) -> dict:
    """Each query on every engine, one after the other (the order rotating); times in ms."""
    times = {name: [[] for _ in queries] for name in engines}
    times["totals"] = {}
    order = list(range(len(queries)))
    rng = random.Random(4)
    names = list(engines)
    for r in range(rounds):
        rng.shuffle(order)
        for i in order:
            shift = (r + i) % len(names)
            for name in names[shift:] + names[:shift]:
                started = time.perf_counter()
                total = engines[name](queries[i][1])
                times[name][i].append((time.perf_counter() - started) * 1000)
                times["totals"].setdefault(name, {})[i] = total
    return times


def _stats(values: list[float]) -> dict:
    v = sorted(values)
    q = statistics.quantiles(v, n=100, method="inclusive") if len(v) > 1 else v * 99
    return {"p50": statistics.median(v), "p95": q[94], "p99": q[98], "max": v[-1], "n": len(v)}


def _report(label: str, times: dict, queries) -> dict:
    engines = [name for name in times if name != "totals"]
    out = {}
    for name in engines:
        out[name] = _stats([t for per in times[name] for t in per])
        out[name + "_cold"] = _stats([per[0] for per in times[name]])
    print(f"\nqueries {label} ({len(queries)} queries x {len(times['ours'][0])} rounds), ms:")
    print(f"  {'':15} {'p50':>7} {'p95':>7} {'p99':>7} {'max':>7}")
    for name in [n + cold for n in engines for cold in ("", "_cold")]:
        s = out[name]
        print(f"  {name:15} {s['p50']:7.1f} {s['p95']:7.1f} {s['p99']:7.1f} {s['max']:7.1f}")
    for other in engines[1:]:
        out[f"ratio_p50_{other}"] = out["ours"]["p50"] / out[other]["p50"]
        print(f"  ratio p50 ours/{other}: {out[f'ratio_p50_{other}']:.2f}")
    out["ratio_p50"] = out["ratio_p50_fts5"]
    out["per_query"] = []
    print(f"    {'':8} {'':50} " + " ".join(f"{n[:9]:>9}" for n in engines) + "  hits")
    for i, (kind, params) in enumerate(queries):
        row = {"kind": kind, "query": describe(params)}
        for name in engines:
            row[name + "_ms"] = statistics.median(times[name][i])
            row[name + "_total"] = times["totals"][name][i]
        out["per_query"].append(row)
        print(f"    {kind:8} {row['query'][:50]:50} " + " ".join(f"{row[n + '_ms']:9.1f}" for n in engines)
              + "  " + " / ".join(str(row[n + "_total"]) for n in engines))
    return out


def _memory(pid: int) -> dict:
    proc = psutil.Process(pid)
    rss = proc.memory_info().rss
    peak = rss
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    except OSError:
        pass
    return {"rss_mb": rss / 2**20, "peak_mb": peak / 2**20}


# --- updating -------------------------------------------------------------------------


def update_round(reports: Path, index: Path, client: Client) -> dict:
    """Add 100 reports, update, wait for the server to see them; then take them out again."""
    corpus.remove_update(reports)  # a run stopped half-way may have left them in the index
    subprocess.run([PY, "-m", "search", "update", "--reports", str(reports), "--index", str(index)],
                   cwd=HERE.parent, check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    time.sleep(1.5)  # the server looks for a new index once a second
    base = client.total({"q": ""})
    corpus.write_update(reports)
    added = _update(reports, index, client, base + 100, "add 100")
    corpus.remove_update(reports)
    removed = _update(reports, index, client, base, "remove 100")
    return {"add": added, "remove": removed}


def _update(reports: Path, index: Path, client: Client, expect: int, label: str) -> dict:
    started = time.perf_counter()
    subprocess.run([PY, "-m", "search", "update", "--reports", str(reports), "--index", str(index)],
                   cwd=HERE.parent, check=True, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    took = time.perf_counter() - started
    while client.total({"q": ""}) != expect:
        if time.perf_counter() - started > 120:
            raise RuntimeError(f"the server never saw the update ({label})")
        time.sleep(0.05)
    seen = time.perf_counter() - started
    print(f"update ({label}): {took:.2f} s; the server saw it after {seen:.2f} s", flush=True)
    return {"seconds": took, "visible_after": seen}


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
