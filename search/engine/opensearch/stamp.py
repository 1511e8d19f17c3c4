"""The analysis version an index is stamped with: an index built under other rules is refused."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
ANALYZERS = ("analysis.py", "fields.py", "names.py", "wordlists.py", "translit", "data")


@functools.lru_cache(maxsize=1)
def analysis_version() -> str:
    """SHA-256 of the analyzers' code and word lists (provisional: the layout stamps a version)."""
    digest = hashlib.sha256()
    for name in ANALYZERS:
        path = PACKAGE / name
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file() and f.suffix in (".py", ".txt", ".tsv", ".json"):
                digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]
