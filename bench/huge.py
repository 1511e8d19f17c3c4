"""One 50 MB report among short ones: the memory to index it, the time of the searches matching it and of its page.

    .venv/bin/python bench/huge.py [--megabytes 50] [--rounds 3]

Writes a report of ``--megabytes`` MB of real news (the shared corpus's articles one after the
other) beside 200 short ones (the corpus's first articles), rebuilds with ``python -m search
rebuild`` (the largest process's peak memory, as the kernel counts it), starts ``server.py`` and
times, ``--rounds`` times each, over HTTP:

- searches matching the huge report and short ones, beside the same kind of searches on a word
  the huge report does not hold (the baseline, in the same run);
- the huge report's page for those searches, beside a short report's page (time and size);
- its whole text as plain text.

Figures go to ``bench/out/huge.json``.
"""
from __future__ import annotations

import argparse
import json
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE)]

import corpus  # noqa: E402
from served import get, wait_ready  # noqa: E402

MATCHING = ["gouvernement", "Macron", "police", '"premier ministre"']  # words the huge report holds early on
ELSEWHERE = "Zorblax"  # in one short report only: the baseline's searches


def main() -> None:
    a = _args()
    work = a.work / f"huge-{a.megabytes}"
    reports, index = work / "reports", work / "index"
    if not index.exists():
        _write(reports, a.megabytes * 2**20)
        print(f"rebuild of {reports}…", flush=True)
        out = {"rebuild": _rebuild(reports, index)}
    else:
        out = {"rebuild": json.loads((work / "rebuild.json").read_text())}
    (work / "rebuild.json").write_text(json.dumps(out["rebuild"]))
    r = out["rebuild"]
    print(f"rebuild: {r['seconds']:.1f} s, largest process {r['peak_mb']:.0f} MB", flush=True)
    out.update(_serve_and_time(reports, index, a.rounds))
    path = a.work / "huge.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False))
    print(f"\nall figures: {path}")


def _args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--megabytes", type=int, default=50, help="size of the huge report (default 50)")
    ap.add_argument("--rounds", type=int, default=3, help="times each request is made (default 3)")
    ap.add_argument("--work", type=Path, default=HERE / "out", help="folder for reports, index and results")
    return ap.parse_args()


def _write(reports: Path, size: int) -> None:
    reports.mkdir(parents=True, exist_ok=True)
    with open(reports / "fleuve.txt", "w", encoding="utf-8") as out:
        out.write("date: 2020-05-01\nsource: Archive\nRevue fleuve : toute la presse\n\n")
        written = 0
        for record in corpus.records(corpus.CORPUS):
            written += out.write(f"{record['title']}\n\n{record['text']}\n\n")
            if written > size:
                break
    with open(reports / "courts.jsonl", "w", encoding="utf-8") as out:
        for n, record in enumerate(corpus.records(corpus.CORPUS)):
            if n == 200:
                break
            text = record["text"] + (f" {ELSEWHERE}." if n == 7 else "")
            out.write(json.dumps({**record, "text": text}, ensure_ascii=False) + "\n")


def _rebuild(reports: Path, index: Path) -> dict:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "search", "rebuild", "--reports", str(reports), "--index", str(index)],
                   cwd=ROOT, check=True, stderr=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": time.perf_counter() - started, "peak_mb": peak}


def _serve_and_time(reports: Path, index: Path, rounds: int) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "server.py", "--port", str(port), "--index", str(index), "--reports",
                               str(reports)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, server, seconds=120)
        # A first search loads what every search needs (name tables...): made before, on a short report only.
        short = json.loads(get(port, "/api/search?" + urlencode({"q": ELSEWHERE}), timeout=600)[1])["hits"][0]["id"]
        cases = {
            "search matching the 50 MB report (first time)": [("/api/search?" + urlencode({"q": q}), 1) for q in MATCHING],
            "same searches again": [("/api/search?" + urlencode({"q": q}), 1) for q in MATCHING],
            "baseline: a search matching a short report only": [("/api/search?" + urlencode({"q": ELSEWHERE}), rounds)],
            "its page, from those searches": [("/reports/fleuve?" + urlencode({"q": q}), rounds) for q in MATCHING],
            "baseline: a short report's page": [(f"/reports/{quote(short)}?" + urlencode({"q": ELSEWHERE}), rounds)],
            "its whole text (/texte/fleuve)": [("/texte/fleuve", rounds)],
        }
        out = {}
        for name, requests in cases.items():
            timed = [_timed(port, path) for path, times in requests for _ in range(times)]
            seconds, sizes = [t for t, _ in timed], [b for _, b in timed]
            out[name] = {"median_s": statistics.median(seconds), "max_s": max(seconds), "max_bytes": max(sizes)}
            print(f"{name}: median {out[name]['median_s']:.2f} s, max {out[name]['max_s']:.2f} s, "
                  f"largest answer {max(sizes) / 2**20:.2f} MB", flush=True)
        return {"requests": out}
    finally:
        server.terminate()
        server.wait(10)


def _timed(port: int, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    status, body = get(port, path, timeout=600)
    assert status == 200, (path, status)
    return time.perf_counter() - started, len(body)


if __name__ == "__main__":
    main()
