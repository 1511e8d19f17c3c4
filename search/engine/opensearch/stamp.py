"""The analysis version an index is stamped with: an index built under other rules is refused.

The cluster holds our analyzers' tokens, and the query side analyzes with today's code: an index
built by other analyzers would silently miss matches. The version is a digest of what makes the
tokens (the field analyzers, the name keys and terms, their word lists); a change there means a
rebuild, which ``generations.check`` says in one line.
"""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
ANALYZERS = ("fields.py", "text", "names/filter.py", "names/keys.py", "names/terms.py", "names/units.py",
             "names/words.py", "names/aliases.py", "names/translit", "data/french_common.txt", "data/exonyms.tsv")


@functools.lru_cache(maxsize=1)
def analysis_version() -> str:
    digest = hashlib.sha256()
    for name in ANALYZERS:
        path = PACKAGE / name
        for f in sorted([path] if path.is_file() else path.rglob("*")):
            if f.is_file() and f.suffix in (".py", ".txt", ".tsv"):
                digest.update(f.relative_to(PACKAGE).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:16]
