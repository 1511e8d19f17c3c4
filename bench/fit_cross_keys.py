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
import csv
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
SCRIPTS = {"latin": "l", "arabic": "a", "hebrew": "h"}
KINDS = {"a": "Latin-Arabic", "h": "Latin-Hebrew", "l": "Latin-Latin"}


def units(spelling: str) -> list:
    return [u for run in runs(WORDS(spelling)) for u in run]


def training_groups() -> dict:
    groups = nh.read_groups()
    held = {g for s in HELD_OUT_SEEDS for g in nh.draw(groups, 60, s)}
    return {k: g for k, g in sorted(groups.items()) if k not in held}


def pairs() -> list[dict]:
    """Each pair of a Latin spelling and another spelling of its group (Latin, Arabic-script or
    Hebrew) that the verdict accepts: its group, the other's script, whether today's keys block it,
    and the single changes that would (from the Latin query's skeletons to the report's)."""
    lexicon = MemoryLexicon({"x": "rien"})
    out = []
    for key, g in training_groups().items():
        latin = [(s, u) for s, sc in g["rows"] if sc == "latin" and _usable(u := units(s), "l")][:PER_GROUP]
        for spelling, sc in g["rows"]:
            script = SCRIPTS[sc]
            other = units(spelling)
            if not _usable(other, script):
                continue
            for written_as, mine in latin:
                if written_as == spelling or not V._compare(mine, other, lexicon)[1]:
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
    count: the Hebrew pairs are eight times fewer than the Arabic-script ones)."""
    unblocked = [p for p in train if not p["blocked"]]
    counts = collections.Counter((p["script"], tuple(c)) for p in unblocked for c in p["changes"])
    size = collections.Counter(p["script"] for p in unblocked)
    table: dict[str, list] = {script: [] for script in KINDS}
    for (script, change), n in counts.most_common():
        if n >= share * size[script]:
            table[script].append(list(change))
    return table


def served(test: list[dict], table: dict[str, list]) -> dict[str, tuple]:
    """Per script, the share of accepted pairs looked up: today's, and with the table."""
    out = {}
    for script in KINDS:
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
    (query's group, same entity, cost, taken by the verdict's own rule, consonants of the shorter
    skeleton, the script pair, a hard negative of another entity), over a lexicon of the training groups' spellings in every script
    and the hard negatives of ``distractors.tsv``, for ``per_group`` queries a group and script
    and each side of each hard negative."""
    groups = training_groups()
    lexicon: dict[str, list] = collections.defaultdict(list)
    queries = []
    for key, g in groups.items():
        sides = collections.Counter()
        for spelling, sc in g["rows"]:
            mine = units(spelling)
            if not _usable(mine, SCRIPTS[sc]):
                continue
            _file(lexicon, spelling, mine, key, False)
            sides[sc == "latin"] += 1
            if sides[sc == "latin"] <= per_group:
                queries.append((spelling, mine, key))
    for a_, b_, ga, gb in _negatives(groups):
        for spelling, group in ((a_, ga), (b_, gb)):
            if _usable(mine := units(spelling), "l"):
                _file(lexicon, spelling, mine, group, True)
                queries.append((spelling, mine, group))  # each side of a hard negative is typed too
    own, wide = [], []
    empty = MemoryLexicon({"x": "rien"})
    for spelling, mine, key in queries:
        near = _met(lexicon, query_keys(mine), mine, spelling)
        far = {s: f for s, f in _met(lexicon, widened_keys(mine), mine, spelling).items() if s not in near}
        for out, found in ((own, near), (wide, far)):
            for other, group, hard in found.values():
                out.append((key, group == key, *_judged(mine, other, empty), _length(mine, other),
                            other[0].script if mine[0].script == "l" else mine[0].script, hard and group != key))
    return own, wide


def _file(lexicon: dict, spelling: str, mine: list, group: str, hard: bool) -> None:
    for k in index_keys(mine):
        if k[:3] in ("sl:", "sa:", "sh:"):
            lexicon[k].append((spelling, mine, group, hard))


def _negatives(groups: dict) -> list[tuple[str, str, str, str]]:
    with open(nh.NAMES / "distractors.tsv", encoding="utf-8") as f:
        return [(r["a"], r["b"], r["a_group"], r["b_group"]) for r in csv.DictReader(f, delimiter="\t")
                if r["why"] != "article_only" and r["a_group"] in groups and r["b_group"] in groups]


def _judged(mine: list, other: list, lexicon) -> tuple[float, bool]:
    """(cost, taken by the verdict's own rule): across scripts the cost per Latin sound and whether
    the skeleton has the consonants (the threshold is chosen apart); Latin against Latin, the
    verdict's cost and decision."""
    if mine[0].script == "l" and other[0].script == "l":
        _, taken, cost = V._compare(mine, other, lexicon)
        return cost, taken
    return V._cross(mine, other)


def _length(*names: list) -> int:
    """The consonants of the shorter skeleton of the two names."""
    return min(V._skeleton_length(n) for n in names)


def _met(lexicon: dict, keys: list[str], mine: list, spelling: str) -> dict:
    """{spelling: (units, group)} of the lexicon's other spellings under ``keys``, Latin on one side at least."""
    found = {}
    for k in keys:
        for written, other, group, hard in lexicon.get(k, ()):
            if written != spelling and "l" in (other[0].script, mine[0].script):
                found.setdefault(written, (other, group, hard))
    return found


def precision(rows: list, threshold: float, length: int = 0) -> tuple[int, int, int]:
    """(right, wrong, hard negatives among the wrong) candidates taken at ``threshold``, among
    names of ``length`` consonants or more."""
    taken = [r for r in rows if r[3] and r[2] <= threshold and r[4] >= length]
    return sum(r[1] for r in taken), sum(not r[1] for r in taken), sum(r[6] for r in taken)


def choose_threshold(own: list, wide: list, own_threshold: float) -> tuple[int, float]:
    """(the shortest skeleton, the threshold) that take the most right candidates among those the
    changes bring, as precisely as the query's own keys take theirs under the verdict's rule, and
    with no more hard negatives (``distractors.tsv``) for each right one: the candidates taken are
    no less precise than today's. (Held to today's precision among names as long, the choice
    swings between folds, 4 to 6 consonants, and keeps a third of the gain.) Wrong ones are homonyms (no spelling tells them apart), hard
    negatives and short skeletons met by chance."""
    right, wrong, hard = precision(own, own_threshold)
    floor, merges = right / max(1, right + wrong), hard / max(1, right)
    best = (0, (99, 0.0))
    for length in LENGTHS:
        for t in THRESHOLDS:
            got, bad, bad_hard = precision(wide, t, length)
            if got / max(1, got + bad) >= floor and bad_hard / max(1, got) <= merges and got > best[0]:
                best = (got, (length, t))
    return best[1]


def data_checksum() -> str:
    digest = hashlib.sha256()
    for name in ("variants.tsv", "distractors.tsv"):
        digest.update((nh.NAMES / name).read_bytes())
    return digest.hexdigest()[:16]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--share", type=float, default=None, help="the table's minimum share (default: by folds)")
    ap.add_argument("--min-share", type=float, default=0.6,
                    help="the table chosen serves this share of what the largest one tried serves, at least")
    ap.add_argument("--write", action="store_true", help="save the table fitted on all groups")
    a = ap.parse_args()
    found = [dict(p, changes=[tuple(c) for c in p["changes"]]) for p in pairs()]
    print(f"{len(found)} accepted pairs: " + ", ".join(f"{sum(p['script'] == s for p in found)} {name}"
                                                      for s, name in KINDS.items()) + f"; data {data_checksum()}")
    gains = {}
    for share in SHARES:
        rows = []
        for k in range(FOLDS):
            table = choose([p for p in found if fold_of(p["group"]) != k], share)
            rows.append((served([p for p in found if fold_of(p["group"]) == k], table), sum(map(len, table.values()))))
        mean = {s: tuple(sum(r[0][s][i] for r in rows) / FOLDS for i in range(2)) for s in KINDS}
        gains[share] = sum(mean[s][1] - mean[s][0] for s in mean)
        print(f"share {share:.5f}: changes {sum(r[1] for r in rows) / FOLDS:5.1f}   held-out pairs looked up: "
              + "   ".join(f"{name} {mean[s][0]:.3f} -> {mean[s][1]:.3f}" for s, name in KINDS.items()))
    best = max(gains.values())
    share = a.share or max(m for m in SHARES if gains[m] >= a.min_share * best)
    table = choose(found, share)
    print(f"chosen: share {share}, " + ", ".join(f"{len(table[s])} {name}" for s, name in KINDS.items()) + " changes")
    # The chosen table, tried on every length, for the folds.
    crosskeys._data = lambda: {"changes": table, "consonants": {s: 0 for s in KINDS}}
    crosskeys.table.cache_clear()
    own, wide = brought()
    chosen: dict[str, dict] = {}
    for s, name in KINDS.items():
        mine_own, mine_wide = ([r for r in x if r[5] == s] for x in (own, wide))
        limit = float("inf") if s == "l" else V.verdict.weights()["cross_threshold"]
        for k in range(FOLDS):
            length, t = choose_threshold(*([r for r in x if fold_of(r[0]) != k] for x in (mine_own, mine_wide)), limit)
            test_own, test_wide = ([r for r in x if fold_of(r[0]) == k] for x in (mine_own, mine_wide))
            print(f"{name}, fold {k}: {length}+ consonants, threshold {t:.2f}; held out, right/wrong taken: "
                  f"own keys {precision(test_own, limit)}, learned changes {precision(test_wide, t, length)}")
        length, t = choose_threshold(mine_own, mine_wide, limit)
        chosen[s] = {"consonants": length, "threshold": t}
        print(f"{name}, all groups: {length}+ consonants, threshold {t:.2f}")
    if a.write:
        crosskeys.TABLE.write_text(json.dumps({
            "data": data_checksum(), "share": share,
            "consonants": {s: c["consonants"] for s, c in chosen.items()},
            "threshold": {s: c["threshold"] for s, c in chosen.items()},
            "changes": table}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"written: {crosskeys.TABLE}")


if __name__ == "__main__":
    main()
