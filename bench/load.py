"""Cheap searches while heavy ones and exports run: latency under load, and the server's memory after.

    .venv/bin/python bench/load.py [--size 5000] [--clients 8] [--seconds 60] [--rounds 3] [--compare ../main]

On an index of ``--size`` articles of the shared corpus (built once, beside ``bench/perf.py``'s),
``python server.py`` is started, then:

1. alone: a client sends cheap searches (one word, 10 hits, a year's filter) one after the other:
   their latency is the baseline;
2. under load, ``--rounds`` times: ``--clients`` processes send heavy requests without pause for
   ``--seconds`` (phrases of common words, ORs of common words, prefixes and names with 100 hits a
   page, and whole-result-set CSV and JSON Lines exports), while the cheap client goes on;
   the server's memory (RSS) is read after each round.

It prints the cheap searches' p50 / p95 / max alone and under load, the heavy requests' count,
latency and answers other than 200, the exports' rows a second, and the RSS; ``--compare DIR``
runs the same on another checkout's ``server.py`` (e.g. the main branch) in the same run, as a
baseline. Every figure goes to ``bench/out/load-<size>.json``.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE)]

import corpus  # noqa: E402
from served import get, wait_ready  # noqa: E402

CHEAP_WORDS = ["vaccin", "grève", "pollution", "hôpital", "police", "élections", "retraites", "chômage", "incendie",
               "tempête", "football", "cinéma", "musée", "Bretagne", "Marseille", "Lyon", "Toulouse", "Bordeaux",
               "agriculteurs", "SNCF", "aéroport", "climat", "énergie", "impôts", "budget", "école", "université",
               "Merkel", "Trump", "Poutine", "Macron", "Sarkozy", "Hollande", "Mélenchon", "Chine", "Russie",
               "Syrie", "Iran", "Liban", "Irak", "Alep", "Damas", "Beyrouth", "Téhéran", "Bagdad", "Mossoul"]
COMMON = ["France", "Paris", "gouvernement", "président", "police", "ville", "pays", "monde", "année", "jour",
          "personnes", "ministre", "état", "place", "temps", "projet", "groupe", "travail", "vie", "droit"]
PHRASES = ['"de la"', '"il y a"', '"à la"', '"pour la"', '"dans le"', '"selon le"', '"a été"', '"en France"']
PREFIXES = ["pré*", "con*", "dé*", "pro*", "rec*", "mai*", "par*", "com*", "tra*", "ren*"]
NAMES = ["Mohamed", "Ali", "Hassan", "Mahmoud", "Ahmed", "Abdallah", "Hussein", "Youssef", "Omar", "Karim"]


def main() -> None:
    a = _args()
    a.work.mkdir(parents=True, exist_ok=True)
    reports = corpus.reports_folder(a.work, a.size, a.corpus)
    index = a.work / f"index-{a.size}"
    if not index.exists():
        print(f"building {index} from {reports}…", flush=True)
        subprocess.run([sys.executable, "-m", "search", "rebuild", "--reports", str(reports), "--index", str(index)],
                       cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
    roots = [("this checkout", ROOT)] + ([("compared", a.compare.resolve())] if a.compare else [])
    out: dict = {"size": a.size, "clients": a.clients, "seconds": a.seconds, "rounds": a.rounds, "runs": {}}
    for name, root in roots:
        print(f"\n== {name}: {root}", flush=True)
        out["runs"][name] = run(root, reports, index, a)
    _summary(out)
    path = a.work / f"load-{a.size}.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print(f"\nall figures: {path}")


def _args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=5000, help="articles of the corpus in the index (default 5000)")
    ap.add_argument("--corpus", type=Path, default=corpus.CORPUS, help="the corpus file (fr_news.jsonl.gz)")
    ap.add_argument("--work", type=Path, default=HERE / "out", help="folder for reports, index and results")
    ap.add_argument("--clients", type=int, default=8, help="processes sending heavy requests (default 8)")
    ap.add_argument("--seconds", type=float, default=60, help="length of each round under load (default 60)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds under load, memory read after each (default 3)")
    ap.add_argument("--alone", type=int, default=60, help="cheap searches sent with nothing else running (default 60)")
    ap.add_argument("--compare", type=Path, help="another checkout whose server.py runs the same, as a baseline")
    return ap.parse_args()


# --- one server ------------------------------------------------------------------------


def run(root: Path, reports: Path, index: Path, a) -> dict:
    port = _free_port()
    python = root / ".venv" / "bin" / "python"
    log = open(a.work / f"load-server-{port}.log", "w")  # a file, not a pipe nobody reads: the server never blocks on it
    server = subprocess.Popen([str(python if python.exists() else sys.executable), "server.py", "--port", str(port),
                               "--index", str(index), "--reports", str(reports)], cwd=root,
                              stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        wait_ready(port, server)
        memory = psutil.Process(server.pid)
        out: dict = {"rss_start_mb": _mb(memory)}
        rng = random.Random(1)
        out["alone"] = _stats([_cheap(port, rng)[0] for _ in range(a.alone)])
        print(f"cheap, alone: {_line(out['alone'])}; server RSS {out['rss_start_mb']:.0f} MB", flush=True)
        out["rounds"] = [_round(port, memory, rng, a, n) for n in range(a.rounds)]
        return out
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def _round(port: int, memory: psutil.Process, rng: random.Random, a, n: int) -> dict:
    stop_at = time.monotonic() + a.seconds
    results = multiprocessing.get_context("fork").Queue()
    heavy = [multiprocessing.get_context("fork").Process(target=_heavy_client, args=(port, stop_at, n * 100 + k, results))
             for k in range(a.clients)]
    for p in heavy:
        p.start()
    cheap, statuses = [], []
    while time.monotonic() < stop_at:
        seconds, status = _cheap(port, rng)
        cheap.append(seconds)
        statuses.append(status)
    done = [results.get(timeout=120) for _ in heavy]
    for p in heavy:
        p.join(30)
    requests = [r for d in done for r in d]
    queries = [r for r in requests if r["kind"] == "query"]
    exports = [r for r in requests if r["kind"] == "export"]
    out = {"cheap": _stats(cheap), "cheap_not_200": sum(s != 200 for s in statuses),
           "heavy": _stats([r["seconds"] for r in queries]), "heavy_count": len(queries),
           "heavy_not_200": sum(r["status"] != 200 for r in queries),
           "heavy_partial": sum(r.get("partial", False) for r in queries),
           "exports": len(exports), "exports_not_200": sum(r["status"] != 200 for r in exports),
           "export_rows": sum(r.get("rows", 0) for r in exports),
           "export_seconds": sum(r["seconds"] for r in exports), "rss_mb": _mb(memory)}
    rate = out["export_rows"] / out["export_seconds"] if out["export_seconds"] else 0
    print(f"round {n + 1}: cheap {_line(out['cheap'])} ({out['cheap_not_200']} not 200); heavy: {len(queries)} "
          f"{_line(out['heavy'])} ({out['heavy_not_200']} not 200, {out['heavy_partial']} cut short); "
          f"{len(exports)} exports, {rate:.0f} rows/s each; server RSS {out['rss_mb']:.0f} MB", flush=True)
    return out


# --- clients ---------------------------------------------------------------------------


def _cheap(port: int, rng: random.Random) -> tuple[float, int]:
    params = {"q": rng.choice(CHEAP_WORDS), "from": str(rng.randint(2012, 2021))}
    started = time.perf_counter()
    status, _ = get(port, "/api/search?" + urlencode(params))
    return time.perf_counter() - started, status


def _heavy_request(rng: random.Random) -> tuple[str, str]:
    kind = rng.random()
    if kind < 0.25:
        fmt = rng.choice(["csv", "jsonl"])
        return "export", f"/export.{fmt}?" + urlencode({"q": rng.choice(COMMON + PREFIXES[:3])})
    q = rng.choice([
        lambda: rng.choice(PHRASES),
        lambda: " OR ".join(rng.sample(COMMON, 6)),
        lambda: rng.choice(PREFIXES),
        lambda: rng.choice(NAMES),
        lambda: " ".join(rng.sample(COMMON, 3)),
    ])()
    return "query", "/api/search?" + urlencode({"q": q, "per_page": 100, "page": rng.randint(1, 5)})


def _heavy_client(port: int, stop_at: float, seed: int, results) -> None:
    rng, done = random.Random(seed), []
    while time.monotonic() < stop_at:
        kind, path = _heavy_request(rng)
        started = time.perf_counter()
        try:
            status, body = get(port, path, timeout=300)
        except OSError as e:
            done.append({"kind": kind, "status": type(e).__name__, "seconds": time.perf_counter() - started})
            continue
        record = {"kind": kind, "status": status, "seconds": time.perf_counter() - started}
        if kind == "export":
            record["rows"] = body.count(b"\n")
        elif status == 200:
            record["partial"] = any("arrêtée" in n for n in json.loads(body).get("notices", []))
        done.append(record)
    results.put(done)


# --- figures ---------------------------------------------------------------------------


def _stats(seconds: list[float]) -> dict:
    if not seconds:
        return {"count": 0}
    ordered = sorted(seconds)
    return {"count": len(ordered), "p50_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, "max_ms": ordered[-1] * 1000}


def _line(s: dict) -> str:
    if not s.get("count"):
        return "none"
    return f"p50 {s['p50_ms']:.0f} ms, p95 {s['p95_ms']:.0f} ms, max {s['max_ms']:.0f} ms (n={s['count']})"


def _summary(out: dict) -> None:
    print("\n== summary (cheap searches: p95 alone, then under load by round; server RSS after each round)")
    for name, run_ in out["runs"].items():
        loaded = ", ".join(f"{r['cheap'].get('p95_ms', 0):.0f}" for r in run_["rounds"])
        rss = ", ".join(f"{r['rss_mb']:.0f}" for r in run_["rounds"])
        print(f"{name:>14}: alone {run_['alone'].get('p95_ms', 0):.0f} ms; under load {loaded} ms; RSS {rss} MB")


def _mb(process: psutil.Process) -> float:
    return process.memory_info().rss / 2**20


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    main()
