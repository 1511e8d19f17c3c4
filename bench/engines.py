"""Both engines on the same reports in one run: Whoosh (a folder) and OpenSearch (a cluster).

    python3 tools/opensearch_cluster.py start          # the local three-node test cluster
    .venv/bin/python bench/engines.py [--size 34133] [--procs 1 2] [--queries 300] [--clients 8]

1. rebuilds each engine's index with ``python -m search rebuild --procs N`` for each N given
   (reports per second; for OpenSearch also the CPU the cluster's JVMs spent);
2. serves each with ``python server.py --engine …`` and sends ``--queries`` distinct searches drawn
   from the corpus (``bench/queries.py``: words, pairs, names, phrases, prefixes, exclusions,
   filters), each engine seeing each one for the first time, interleaved query by query;
   checks that both find the same number of reports;
3. sends ``--queries`` other distinct searches from ``--clients`` concurrent clients, engine by
   engine: searches per second, and latency under that load;
4. adds 100 reports with ``python -m search update``, waits until the server sees them, removes them;
5. reads the servers' memory, the index sizes and the cluster nodes' memory.

Every figure goes to ``bench/out/engines-<size>.json``.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

import corpus  # noqa: E402
from perf import Client, _free_ports, _memory, _stats, _watch_peaks  # noqa: E402
from queries import describe, distinct_set  # noqa: E402

from tools import opensearch_cluster  # noqa: E402

PY = sys.executable
ENGINES = ("whoosh", "opensearch")


def main() -> None:
    a = _args()
    a.work.mkdir(parents=True, exist_ok=True)
    reports = corpus.reports_folder(a.work, a.size, a.corpus)
    corpus.remove_update(reports)
    naming = {"whoosh": ["--index", str(a.work / f"index-{a.size}")],
              "opensearch": ["--engine", "opensearch", "--opensearch-url", a.opensearch_url,
                             "--opensearch-index", f"bench-{a.size}"]}
    out: dict = {"size": a.size, "queries": a.queries, "clients": a.clients, "rebuild": {}}
    if not a.skip_rebuild:
        for procs in a.procs:
            for engine in ENGINES:
                out["rebuild"][f"{engine} procs={procs}"] = rebuild(reports, naming[engine], procs, engine)
    out["index_mb"] = {"whoosh": _folder_mb(a.work / f"index-{a.size}"), "opensearch": _cluster_mb(a, f"bench-{a.size}")}
    print(f"index: {json.dumps(out['index_mb'])}", flush=True)
    searches = distinct_set(corpus.records(a.corpus), 2 * a.queries)
    out.update(serve_and_measure(reports, naming, searches[:a.queries], searches[a.queries:], a))
    out["cluster_nodes"] = _cluster_memory()
    path = a.work / f"engines-{a.size}.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print(f"\nall figures: {path}")


def _args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=corpus.FULL, help="articles: 5000, 34133 (the corpus), 340000")
    ap.add_argument("--corpus", type=Path, default=corpus.CORPUS)
    ap.add_argument("--work", type=Path, default=HERE / "out")
    ap.add_argument("--procs", type=int, nargs="+", default=[2], help="analysis processes of each rebuild measured")
    ap.add_argument("--queries", type=int, default=300, help="distinct searches timed one by one (as many again under load)")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients of the throughput run")
    ap.add_argument("--opensearch-url", default=",".join(opensearch_cluster.from_env().urls))
    ap.add_argument("--skip-rebuild", action="store_true", help="use the indexes a previous run built")
    ap.add_argument("--no-update", action="store_true")
    return ap.parse_args()


# --- building -----------------------------------------------------------------------------


def rebuild(reports: Path, naming: list[str], procs: int, engine: str) -> dict:
    before, cluster_cpu = resource.getrusage(resource.RUSAGE_CHILDREN), _cluster_cpu()
    load_before = os.getloadavg()
    started = time.perf_counter()
    # Output to files, not pipes: the watcher reads nothing until the rebuild ends, and a long
    # rebuild's progress lines would fill a pipe and stall it.
    with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
        proc = subprocess.Popen([PY, "-m", "search", "rebuild", "--reports", str(reports), "--procs", str(procs),
                                 *naming], cwd=ROOT, stdout=out_file, stderr=err_file, text=True)
        peaks = _watch_peaks(proc, every=0.5)
        out_file.seek(0)
        err_file.seek(0)
        stdout, stderr = out_file.read(), err_file.read()
    if proc.returncode != 0:
        raise SystemExit(f"rebuild {engine} failed: {stderr.strip().splitlines()[-1:]}")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    n = int(stdout.split(" : ", 1)[1].split()[0])
    out = {"seconds": wall, "reports": n, "per_second": n / wall, "python_cpu_seconds": cpu,
           "process_peaks_mb": peaks, "load_before_after": [load_before, os.getloadavg()]}
    if engine == "opensearch":
        out["cluster_cpu_seconds"] = _cluster_cpu() - cluster_cpu
    print(f"rebuild {engine} procs={procs}: {wall:.0f} s, {n / wall:.0f} reports/s, Python CPU {cpu:.0f} s"
          + (f", cluster CPU {out['cluster_cpu_seconds']:.0f} s" if engine == "opensearch" else "")
          + f"; peak RSS per process (MB) {', '.join(f'{mb:.0f}' for mb in peaks)}"
          + f"; load {load_before[0]:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
    return out


def _folder_mb(index: Path) -> float:
    from search.engine.store import IndexStore
    live = IndexStore(index).current()
    return sum(p.stat().st_size for p in live.iterdir()) / 2**20


def _cluster_mb(a, name: str) -> dict:
    from search.engine.opensearch import Cluster, pairs
    client = Cluster.parse(a.opensearch_url, name=name).client()
    live = pairs.live(client, name)
    stats = client.indices.stats(index=",".join(live.indexes), metric="store")["indices"]
    return {"primaries_mb": sum(s["primaries"]["store"]["size_in_bytes"] for s in stats.values()) / 2**20,
            "with_replicas_mb": sum(s["total"]["store"]["size_in_bytes"] for s in stats.values()) / 2**20}


def _cluster_cpu() -> float:
    """CPU seconds the local test cluster's JVMs have used so far (0 when it is not the local one)."""
    cluster, total = opensearch_cluster.from_env(), 0.0
    for i in range(cluster.nodes):
        pid = opensearch_cluster.node_pid(cluster, i)
        if pid:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _cluster_memory() -> dict:
    cluster = opensearch_cluster.from_env()
    pids = [opensearch_cluster.node_pid(cluster, i) for i in range(cluster.nodes)]
    return {f"node-{i}_rss_mb": opensearch_cluster.rss_mb(pid) for i, pid in enumerate(pids) if pid}


# --- serving ------------------------------------------------------------------------------


def serve_and_measure(reports: Path, naming: dict, timed, loaded, a) -> dict:
    port = _free_ports(len(ENGINES))
    procs, clients = {}, {}
    for i, engine in enumerate(ENGINES):
        procs[engine] = subprocess.Popen([PY, "server.py", "--host", "127.0.0.1", "--port", str(port + i),
                                          "--reports", str(reports), *naming[engine]], cwd=ROOT)
        clients[engine] = Client(port + i, "/api/search")
    try:
        for engine, client in clients.items():
            client.wait_ready(procs[engine])
        out = {"first_time": first_time(timed, clients)}
        out["throughput"] = {e: throughput(loaded, port + i, a.clients) for i, e in enumerate(ENGINES)}
        out["server_memory"] = {e: _memory(p.pid) for e, p in procs.items()}
        print("server RSS: " + ", ".join(f"{e} {m['rss_mb']:.0f} MB" for e, m in out["server_memory"].items()))
        if not a.no_update:
            out["update"] = {e: update_round(reports, naming[e], clients[e]) for e in ENGINES}
        return out
    finally:
        for p in procs.values():
            p.terminate()
            p.wait()


def first_time(searches, clients: dict) -> dict:
    """Each search once per engine (first time for both), the engines alternating which goes first."""
    times = {e: [] for e in clients}
    totals = {e: [] for e in clients}
    names = list(clients)
    for i, (_, params) in enumerate(searches):
        for engine in names[i % 2:] + names[:i % 2]:
            started = time.perf_counter()
            totals[engine].append(clients[engine].total(params))
            times[engine].append((time.perf_counter() - started) * 1000)
    out = {e: _stats(t) for e, t in times.items()}
    differ = [(describe(p), totals["whoosh"][i], totals["opensearch"][i]) for i, (_, p) in enumerate(searches)
              if totals["whoosh"][i] != totals["opensearch"][i]]
    out["totals_differ"] = differ
    by_kind: dict = {}
    for i, (kind, _) in enumerate(searches):
        for e in clients:
            by_kind.setdefault(kind, {}).setdefault(e, []).append(times[e][i])
    out["p50_by_kind"] = {k: {e: statistics.median(v) for e, v in per.items()} for k, per in by_kind.items()}
    print(f"\n{len(searches)} distinct searches, first time, ms:")
    for e in clients:
        print(f"  {e:11} p50 {out[e]['p50']:7.1f}  p95 {out[e]['p95']:7.1f}  max {out[e]['max']:7.1f}")
    for kind, per in out["p50_by_kind"].items():
        print(f"    {kind:10} " + "  ".join(f"{e} {v:6.1f}" for e, v in per.items()))
    print(f"  searches whose totals differ: {len(differ)}" + "".join(f"\n    {d}" for d in differ[:10]), flush=True)
    return out


def throughput(searches, port: int, clients: int) -> dict:
    """The searches shared by ``clients`` threads, each with its own connection: searches per second."""
    times: list[float] = []
    lock = threading.Lock()
    work = list(searches)

    def client() -> None:
        conn = Client(port, "/api/search")
        while True:
            with lock:
                if not work:
                    return
                params = work.pop()[1]
            started = time.perf_counter()
            conn.total(params)
            with lock:
                times.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    out = {"per_second": len(searches) / wall, "seconds": wall, **_stats(times)}
    print(f"throughput on port {port}, {clients} clients: {out['per_second']:.1f} searches/s, "
          f"p50 {out['p50']:.0f} ms, p95 {out['p95']:.0f} ms", flush=True)
    return out


def update_round(reports: Path, naming: list[str], client: Client) -> dict:
    """Add 100 reports, update, wait for the server to see them; then take them out again."""
    base = client.total({"q": ""})
    corpus.write_update(reports)
    added = _update(reports, naming, client, base + 100, "add 100")
    corpus.remove_update(reports)
    removed = _update(reports, naming, client, base, "remove 100")
    return {"add": added, "remove": removed}


def _update(reports: Path, naming: list[str], client: Client, expect: int, label: str) -> dict:
    started = time.perf_counter()
    subprocess.run([PY, "-m", "search", "update", "--reports", str(reports), *naming], cwd=ROOT, check=True,
                   capture_output=True)
    took = time.perf_counter() - started
    while client.total({"q": ""}) != expect:
        if time.perf_counter() - started > 300:
            raise RuntimeError(f"the server never saw the update ({label})")
        time.sleep(0.05)
    seen = time.perf_counter() - started
    print(f"update ({label}, {' '.join(naming[:2])}): {took:.2f} s; seen after {seen:.2f} s", flush=True)
    return {"seconds": took, "visible_after": seen}


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
