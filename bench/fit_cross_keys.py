"""Learn which consonant-skeleton changes block a name's spellings in another script, from ../shared/names.

    .venv/bin/python bench/fit_cross_keys.py            # 3 entity folds: held-out blocking recall per table size
    .venv/bin/python bench/fit_cross_keys.py --write    # ... and save the chosen table to search/data/cross_keys.json

A Latin query meets its Arabic, Persian and Hebrew spellings through consonant skeletons
(``search.names.keys``): the report indexes its own skeleton, the query asks for its own. The two
skeletons of one name often differ by one consonant class: Persian چ read ch and written ج in the
keys (Chadugan, چادگان), و written where the Latin has a vowel (Bozuyuk, بوزویوک), ک for a g, an h
or a final vowel one side writes and the other does not. Then the name is never a candidate,
whatever the verdict would say: on the groups of ``../shared/names``, 38 % of the Latin-Arabic
spelling pairs and 53 % of the Latin-Hebrew ones that the verdict accepts are never looked up.

This script counts, over those pairs, the single changes (one class for another, one put in, one
left out) that turn the query's skeleton into the report's, and keeps the most frequent: the query
then also asks for its skeleton with each kept change applied once (``search.names.crosskeys``);
the verdict, not the key, still decides. A table is chosen by entity folds: groups split in three
by a hash of their id, each fold's pairs counted against the changes the two others chose, for
several minimum shares; the table shipped is the smallest that serves ``--min-share`` of what the largest tried serves,
fitted on all groups.

Data: the groups of ``../shared/names/variants.tsv``, cleaned as ``bench/names_heldout.py`` cleans
them, but for the groups its seeds 1 and 2 draw (kept unseen); pairs of a Latin spelling (at most
6 a group) and an Arabic-script or Hebrew one, each of 1-3 name units. No randomness. About a
minute on one core.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import names_heldout as nh  # noqa: E402

from search.names import crosskeys  # noqa: E402
from search.names import variants as V  # noqa: E402
from search.names.keys import index_keys  # noqa: E402
from search.names.lexicon import MemoryLexicon  # noqa: E402
from search.names.query import query_keys, widened_keys  # noqa: E402
from search.names.units import WORDS, runs  # noqa: E402

HELD_OUT_SEEDS = (1, 2)
PER_GROUP = 6
FOLDS = 3
SHARES = (0.04, 0.02, 0.01, 0.005, 0.0025, 0.00125)
SCRIPTS = {"arabic": "a", "hebrew": "h"}


def units(spelling: str) -> list:
    return [u for run in runs(WORDS(spelling)) for u in run]


def pairs() -> list[dict]:
    """Each pair the verdict accepts: its group, script, whether today's keys block it, and the
    single changes that would (from the Latin query's skeletons to the report's)."""
    groups = nh.read_groups()
    held = {g for s in HELD_OUT_SEEDS for g in nh.draw(groups, 60, s)}
    lexicon = MemoryLexicon({"x": "rien"})
    out = []
    for key, g in sorted(groups.items()):
        if key in held:
            continue
        latin = [u for s, sc in g["rows"] if sc == "latin" and _usable(u := units(s), "l")][:PER_GROUP]
        for spelling, sc in g["rows"]:
            script = SCRIPTS.get(sc)
            other = units(spelling) if script else []
            if not script or not _usable(other, script):
                continue
            for mine in latin:
                if not V._compare(mine, other, lexicon)[1]:
                    continue  # the verdict turns it down: a key would change nothing
                prefix = "s" + script + ":"
                asked = {k[3:] for k in query_keys(mine) if k.startswith(prefix)}
                written = {k[3:] for k in index_keys(other) if k.startswith(prefix)}
                out.append({"group": key, "script": script, "blocked": bool(asked & written),
                            "changes": sorted({c for a in asked for b in written for c in crosskeys.one_change(a, b)})})
    return out


def _usable(u: list, script: str) -> bool:
    return 0 < len(u) <= 3 and all(x.script == script for x in u)


def fold_of(group: str) -> int:
    return int(hashlib.sha256(group.encode()).hexdigest(), 16) % FOLDS


def choose(train: list[dict], share: float) -> dict[str, list]:
    """Per script, the changes met in at least ``share`` of its unblocked pairs (a share, not a
    count: the Hebrew pairs are eight times fewer)."""
    unblocked = [p for p in train if not p["blocked"]]
    counts = collections.Counter((p["script"], tuple(c)) for p in unblocked for c in p["changes"])
    size = collections.Counter(p["script"] for p in unblocked)
    table: dict[str, list] = {"a": [], "h": []}
    for (script, change), n in counts.most_common():
        if n >= share * size[script]:
            table[script].append(list(change))
    return table


def served(test: list[dict], table: dict[str, list]) -> dict[str, float]:
    """Per script, the share of accepted pairs looked up: today's, and with the table."""
    out = {}
    for script in ("a", "h"):
        mine = [p for p in test if p["script"] == script]
        kept = {tuple(c) for c in table[script]}
        before = sum(p["blocked"] for p in mine)
        after = sum(p["blocked"] or any(tuple(c) in kept for c in p["changes"]) for p in mine)
        out[script] = (before / max(1, len(mine)), after / max(1, len(mine)), len(mine))
    return out


# ---------------------------------------------------------------- the threshold for what they bring

THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 13))
LENGTHS = (3, 4, 5, 6, 7)


def brought(per_group: int = 2) -> tuple[list, list]:
    """(candidates under the query's own keys, candidates only the table's changes bring): each
    (query's group, same entity, cost per Latin sound, enough consonants), over a lexicon of the
    training groups' spellings in every script, for ``per_group`` queries a group and script side."""
    groups = nh.read_groups()
    held = {g for s in HELD_OUT_SEEDS for g in nh.draw(groups, 60, s)}
    lexicon: dict[str, list] = collections.defaultdict(list)
    queries = []
    for key, g in sorted(groups.items()):
        if key in held:
            continue
        sides = collections.Counter()
        for spelling, sc in g["rows"]:
            script = "l" if sc == "latin" else SCRIPTS.get(sc)
            mine = units(spelling) if script else []
            if not script or not _usable(mine, script):
                continue
            for k in index_keys(mine):
                if k[:3] in ("sl:", "sa:", "sh:"):
                    lexicon[k].append((spelling, mine, key))
            sides[script == "l"] += 1
            if sides[script == "l"] <= per_group:
                queries.append((spelling, mine, key))
    own, wide = [], []
    for spelling, mine, key in queries:
        near = _met(lexicon, query_keys(mine), mine)
        for out, found in ((own, near), (wide, {s: f for s, f in _met(lexicon, widened_keys(mine), mine).items() if s not in near})):
            for other, group in found.values():
                cost, enough = V._cross(mine, other)
                out.append((key, group == key, cost, enough, _length(mine, other)))
    return own, wide


def _length(*names: list) -> int:
    """The consonants of the shorter skeleton of the two names."""
    return min(max((len(V._consonants(k)) for k in index_keys(n) if k[:3] in ("sl:", "sa:", "sh:")), default=0)
               for n in names)


def _met(lexicon: dict, keys: list[str], mine: list) -> dict:
    """{spelling: (units, group)} of the lexicon's spellings under ``keys`` in another script than the query's."""
    found = {}
    for k in keys:
        for spelling, other, group in lexicon.get(k, ()):
            if other[0].script != mine[0].script and "l" in (other[0].script, mine[0].script):
                found.setdefault(spelling, (other, group))
    return found


def precision(rows: list, threshold: float, length: int = 0) -> tuple[int, int]:
    """(right, wrong) candidates taken at ``threshold``, among names of ``length`` consonants or more."""
    taken = [r for r in rows if r[3] and r[2] <= threshold and r[4] >= length]
    return sum(r[1] for r in taken), sum(not r[1] for r in taken)


def choose_threshold(own: list, wide: list, cross_threshold: float) -> tuple[int, float]:
    """(the shortest skeleton, the threshold) that take the most right candidates among those the
    changes bring, as precisely as the query's own keys take theirs under the verdict's threshold:
    the candidates taken are no less precise than today's. Wrong ones are homonyms (no spelling
    tells them apart) and short skeletons met by chance."""
    right, wrong = precision(own, cross_threshold)
    floor = right / max(1, right + wrong)
    best = (0, (99, 0.0))
    for length in LENGTHS:
        for t in THRESHOLDS:
            got, bad = precision(wide, t, length)
            if got / max(1, got + bad) >= floor and got > best[0]:
                best = (got, (length, t))
    return best[1]


def data_checksum() -> str:
    return hashlib.sha256((nh.NAMES / "variants.tsv").read_bytes()).hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--share", type=float, default=None, help="the table's minimum share (default: by folds)")
    ap.add_argument("--min-share", type=float, default=0.6,
                    help="the table chosen serves this share of what the largest one tried serves, at least")
    ap.add_argument("--write", action="store_true", help="save the table fitted on all groups")
    a = ap.parse_args()
    found = [dict(p, changes=[tuple(c) for c in p["changes"]]) for p in pairs()]
    print(f"{len(found)} accepted pairs: {sum(p['script'] == 'a' for p in found)} Latin-Arabic, "
          f"{sum(p['script'] == 'h' for p in found)} Latin-Hebrew; data {data_checksum()}")
    gains = {}
    for share in SHARES:
        rows = []
        for k in range(FOLDS):
            table = choose([p for p in found if fold_of(p["group"]) != k], share)
            rows.append((served([p for p in found if fold_of(p["group"]) == k], table), sum(map(len, table.values()))))
        mean = {s: tuple(sum(r[0][s][i] for r in rows) / FOLDS for i in range(2)) for s in ("a", "h")}
        gains[share] = sum(mean[s][1] - mean[s][0] for s in mean)
        print(f"share {share:.5f}: changes {sum(r[1] for r in rows) / FOLDS:5.1f}   held-out pairs looked up: "
              f"Latin-Arabic {mean['a'][0]:.3f} -> {mean['a'][1]:.3f}   Latin-Hebrew {mean['h'][0]:.3f} -> {mean['h'][1]:.3f}")
    best = max(gains.values())
    share = a.share or max(m for m in SHARES if gains[m] >= a.min_share * best)
    table = choose(found, share)
    print(f"chosen: share {share}, {len(table['a'])} Latin-Arabic and {len(table['h'])} Latin-Hebrew changes")
    crosskeys._data = lambda: {"changes": table, "consonants": 0}  # the chosen table, every length: for the folds
    crosskeys.table.cache_clear()
    own, wide = brought()
    cross = V.verdict.weights()["cross_threshold"]
    rows = []
    for k in range(FOLDS):
        length, t = choose_threshold(*(([r for r in x if fold_of(r[0]) != k]) for x in (own, wide)), cross)
        test_own, test_wide = ([r for r in x if fold_of(r[0]) == k] for x in (own, wide))
        rows.append((t, precision(test_own, cross, length), precision(test_wide, t, length)))
        print(f"fold {k}: {length}+ consonants, threshold {t:.2f}; held out, right/wrong taken: own keys "
              f"{rows[-1][1]}, learned changes {rows[-1][2]} (own keys, all lengths: {precision(test_own, cross)})")
    length, threshold = choose_threshold(own, wide, cross)
    print(f"on all groups: {length}+ consonants, threshold {threshold:.2f} (the verdict's own across scripts: {cross})")
    if a.write:
        path = crosskeys.TABLE
        path.write_text(json.dumps({"data": data_checksum(), "share": share, "consonants": length, "threshold": threshold,
                                    "changes": table},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"written: {path}")


if __name__ == "__main__":
    main()
