"""The benchmark's report folders: the real corpus at 5k, 34k or 340k articles.

The full corpus is linked as it is (``python -m search rebuild`` must read the
file unchanged); a smaller size takes the first N articles, a larger one
repeats the corpus with new ids (``<id>~r<k>``) until N articles are written.
"""
from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "fr_news.jsonl.gz"
FULL = 34133
UPDATE_FILE = "zz-bench-update.jsonl"


def records(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def reports_folder(work: Path, size: int, corpus: Path = CORPUS) -> Path:
    """A folder holding ``size`` articles, made once and reused."""
    folder = work / f"reports-{size}"
    if size == FULL:
        target = folder / corpus.name
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            os.symlink(corpus.resolve(), target)
        return folder
    done = folder / ".complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"fr_news-{size}.jsonl", "w", encoding="utf-8") as out:
        written = 0
        for k in range(size // FULL + 1):
            for rec in records(corpus):
                if written == size:
                    break
                if k:
                    rec["id"] = f"{rec['id']}~r{k}"
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                written += 1
    done.write_text(str(size))
    return folder


def write_update(folder: Path, count: int = 100, corpus: Path | None = None) -> list[str]:
    """Add ``count`` new reports (real articles, new ids) as one more file; their ids."""
    ids = []
    with open(folder / UPDATE_FILE, "w", encoding="utf-8") as out:
        for n, rec in enumerate(records(corpus or CORPUS)):
            if n == count:
                break
            rec["id"] = f"bench-update-{n}"
            rec["title"] = f"Ajout {n} : {rec['title']}"
            ids.append(rec["id"])
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return ids


def remove_update(folder: Path) -> None:
    (folder / UPDATE_FILE).unlink(missing_ok=True)
