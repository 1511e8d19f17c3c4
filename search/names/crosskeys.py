"""The consonant-skeleton changes that block a name's spellings in another script, learned from data.

A Latin query asks the Arabic-script and Hebrew reports for its consonant skeleton
(``search.names.query.skeleton_keys``); the two skeletons of one name often differ by one class:
Persian چ is ch in Latin and ج in the keys (Chadugan, چادگان), و is written where the Latin has a
vowel (Bozuyuk, بوزویوک), ک stands for a g. ``bench/fit_cross_keys.py`` counts these single changes
over the spelling pairs of ``../shared/names`` that the verdict accepts and ships the frequent ones
(``search/data/cross_keys.json``, with its data's checksum). The query then also asks for its
skeleton with each change applied once, from Latin to the other script, or back from it for a
query in Arabic or Hebrew script; the verdict, not the key, decides on what these bring, under
a threshold fitted for them (as strict as the verdict across scripts, or stricter).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "data" / "cross_keys.json"
Change = tuple[str, str, str]  # ("sub", x, y) x becomes y, ("ins", "", y), ("del", x, "")


def one_change(a: str, b: str) -> list[Change]:
    """The single changes that turn skeleton ``a`` into ``b`` (none when they are equal or further apart).

    >>> one_change("CDGN", "JDGN"), one_change("BDYK", "BDWYK"), one_change("GTWND", "GTND")
    ([('sub', 'C', 'J')], [('ins', '', 'W')], [('del', 'W', '')])
    """
    if len(a) == len(b):
        apart = [i for i in range(len(a)) if a[i] != b[i]]
        return [("sub", a[apart[0]], b[apart[0]])] if len(apart) == 1 else []
    if abs(len(a) - len(b)) != 1:
        return []
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    found = {long_[i] for i in range(len(long_)) if long_[:i] + long_[i + 1:] == short}
    return sorted(("ins", "", c) if long_ is b else ("del", c, "") for c in found)


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[Change, ...]]:
    """The shipped changes per script of the report ("a" Arabic and Persian, "h" Hebrew, "l" Latin),
    from a Latin query's skeleton; none when no table ships."""
    return {script: tuple(tuple(c) for c in changes) for script, changes in _data().get("changes", {}).items()}


def threshold(script: str) -> float:
    """The cost (per Latin sound across scripts, the verdict's alignment cost between Latin
    spellings) under which a spelling that only a learned change of ``script``'s table brought is
    taken: as strict as the verdict's own across scripts or stricter; between Latin spellings the
    verdict's rule applies as well."""
    return float(_data().get("threshold", {}).get(script, 0.0))


def consonants(script: str) -> int:
    """The consonants a skeleton needs, on both sides, before a learned change of ``script``'s
    table is tried on it: a short one meets other names by chance."""
    return int(_data().get("consonants", {}).get(script, 99))


@lru_cache(maxsize=1)
def _data() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8")) if TABLE.exists() else {}


def widened(skeleton: str, script: str, back: bool = False) -> list[str]:
    """``skeleton`` with each learned change of ``script`` applied once: a Latin skeleton as the
    other script's reports may write it, or, ``back``, that script's skeleton as Latin reports may."""
    out: list[str] = []
    for kind, x, y in table().get(script, ()):
        if back:
            kind, x, y = {"sub": "sub", "ins": "del", "del": "ins"}[kind], y, x
        if kind == "ins":
            out += [skeleton[:i] + y + skeleton[i:] for i in range(len(skeleton) + 1)]
        else:
            out += [skeleton[:i] + y + skeleton[i + 1:] for i, c in enumerate(skeleton) if c == x]
    return [s for s in dict.fromkeys(out) if s != skeleton and s.strip("<>'")]
