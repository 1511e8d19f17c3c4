"""Whether two checkouts analyze the corpus alike: every field's tokens of N articles, compared.

    .venv/bin/python bench/tokens_same.py --against /work/main [--size 3000]

Each checkout's own code (run in a child process, its folder first on the path) analyzes the first
N articles of the corpus (title and text) with ``FanOut(FIELD_ANALYZERS)``, the rebuild's path, and
with each analyzer alone (no memory of words), and digests every field's (text, start, end, pos)
tokens per article, and each field's terms with their positions as the index writer gets them
(``FanOut.positions``, or made from the tokens in a checkout without it). Prints both sides' CPU
seconds and the articles whose tokens differ, field by field; exits 1 if any do. A speed-up of analysis that changes no token passes.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus" / "fr_news.jsonl.gz"


def articles(size: int) -> list[tuple[str, str]]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            if len(out) >= size:
                break
            record = json.loads(line)
            out.append((record.get("title") or "", record.get("text") or ""))
    return out


def digests(root: Path, size: int) -> dict:
    """Run in the checkout at ``root``: per article, per field, a digest of its tokens both ways."""
    sys.path.insert(0, str(root))
    from search.fields import FIELD_ANALYZERS
    from search.text.fanout import FanOut

    fanout, out, spent = FanOut(FIELD_ANALYZERS), [], {"fanout": 0.0, "alone": 0.0, "positions": 0.0}
    indexer = FanOut(FIELD_ANALYZERS)  # what a rebuild writes: each term's positions (tokens'), in order
    for title, text in articles(size):
        row = {}
        for part, value in (("title", title), ("text", text)):
            started = time.process_time()
            together = fanout.tokens(value)
            spent["fanout"] += time.process_time() - started
            started = time.process_time()
            if hasattr(indexer, "positions"):
                written = indexer.positions(value)
            else:  # a checkout before FanOut.positions: its writer made them from the tokens
                written = {name: _positions(tokens) for name, tokens in indexer.tokens(value).items()}
            spent["positions"] += time.process_time() - started
            for name in FIELD_ANALYZERS:
                row[f"{part}/{name}/positions"] = _digest(list(written.get(name, {}).items()))
            started = time.process_time()
            alone = {name: [(t.text, t.start, t.end, t.pos) for t in analyzer(value)]
                     for name, analyzer in FIELD_ANALYZERS.items()}
            spent["alone"] += time.process_time() - started
            for name in FIELD_ANALYZERS:
                row[f"{part}/{name}"] = _digest(together.get(name, []))
                row[f"{part}/{name}/alone"] = _digest(alone[name])
        out.append(row)
    import search
    return {"rows": out, "cpu": spent, "code": str(Path(search.__file__).parent)}


def _positions(tokens: list) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for term, _, _, pos in tokens:
        out.setdefault(term, []).append(pos)
    return out


def _digest(tokens: list) -> str:
    return hashlib.sha1(repr([tuple(t) for t in tokens]).encode("utf-8")).hexdigest()


def side(root: Path, size: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--digest", str(root), "--size", str(size)],
                          cwd=root, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--against", type=Path, help="the other checkout (main's)")
    ap.add_argument("--size", type=int, default=3000)
    ap.add_argument("--digest", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.digest:
        print(json.dumps(digests(args.digest, args.size)))
        return
    mine, theirs = side(HERE.parent, args.size), side(args.against, args.size)
    for label, got in (("this checkout", mine), (str(args.against), theirs)):
        print(f"{label} ({got['code']}): FanOut {got['cpu']['fanout']:.1f} s CPU, analyzers alone "
              f"{got['cpu']['alone']:.1f} s CPU, the writer's positions {got['cpu'].get('positions', 0.0):.1f} s CPU")
    differ = [(i, key) for i, (a, b) in enumerate(zip(mine["rows"], theirs["rows"]))
              for key in a if a[key] != b.get(key)]
    fields = len(mine["rows"][0]) if mine["rows"] else 0
    print(f"{len(mine['rows'])} articles x {fields} (part, field, path) digests compared: {len(differ)} differ")
    for i, key in differ[:20]:
        print(f"  article {i}: {key}")
    sys.exit(1 if differ or len(mine["rows"]) != len(theirs["rows"]) else 0)


if __name__ == "__main__":
    main()
