"""Choose the verdict's weights on the development set, and predict unseen figures by cross-validation.

    .venv/bin/python bench/fit_verdict.py                 # 3-fold CV, then fit on all, print figures
    .venv/bin/python bench/fit_verdict.py --write         # ... and save the weights to search/data/verdict.json
    .venv/bin/python bench/fit_verdict.py --evaluate      # the saved weights, in-sample and per fold

The development set's protocol (../shared/eval/translit_eval.py) is replayed in process: one
report per spelling, the names field analyzed as the index does, the lexicon held in memory
(``MemoryLexicon``), each spelling searched through ``search.names.match.plan_name``. The
entities are split into three folds (seeded); weights are chosen by coordinate descent on
two folds (objective: recall + 2 precision - 2 false_merge) and measured on the third, whose
names the fit never saw. exact_first is a ranking figure: the service's runner measures it.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))

import translit_eval as te  # noqa: E402

from search.names import match, variants, verdict  # noqa: E402
from search.names.aliases import SHIPPED_ROWS  # noqa: E402
from search.names.lexicon import MemoryLexicon  # noqa: E402
from search.names.words import is_name_word, legal_form_tail  # noqa: E402
from search.text.filters import ElisionFilter  # noqa: E402
from search.text.tokenizers import WordTokenizer  # noqa: E402

UNITS = WordTokenizer() | ElisionFilter()
# The judged real-news spellings: ../shared/eval/realnews_dev.tsv and the ones judged here since.
JUDGMENTS = ROOT / "bench" / "realnews_judgments.tsv"
GRID = {
    "same_class": [0.1, 0.2, 0.35, 0.5],
    "vowel_e": [0.2, 0.3, 0.4, 0.55, 0.7, 0.9],
    "vowel": [0.9, 1.2, 1.6, 2.0, 2.5],
    "near": [0.6, 0.8, 1.0, 1.4, 2.0],
    "far": [2.0, 3.0],
    "e_indel": [0.2, 0.3, 0.4, 0.6],
    "vowel_indel": [0.6, 0.8, 1.0, 1.3, 1.7],
    "h_indel": [0.2, 0.35, 0.5, 0.8],
    "glide_indel": [0.1, 0.2, 0.4, 0.7, 1.0],
    "contraction": [0.2, 0.4, 0.6, 0.9, 1.3],
    "split": [0.0, 0.05, 0.1, 0.2, 0.4],
    "final": [0.05, 0.1, 0.2, 0.35],
    "habit": [0.4, 0.7, 1.0, 1.4, 9.0],
    "double": [0.05, 0.15, 0.3],
    "cons_indel": [1.0, 1.5, 2.0, 3.0],
    "tail": [1.0, 1.5, 2.0, 3.0],
    "initial": [1.0, 1.5, 2.0, 3.0],
    "hop": [1.0, 1.25, 1.5, 2.0],
    "threshold": [0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.25, 0.28, 0.32],
    "base": [0.0, 0.15, 0.3, 0.5],
    "lower_case": [1.0, 2.0, 3.0, 5.0],
    "frequent": [0.0, 0.25, 0.5, 1.0, 1.5],
    "cross_vowel": [0.0, 0.1, 0.2, 0.4],
    "cross_threshold": [0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.6],
    "cross_min": [1, 2, 3],
}


def typed_units(q: str) -> list[list[str]]:
    """The query's name words, per typed word (the compiler's grouping, names only)."""
    words = q.split()
    words = words[:len(words) - legal_form_tail(words)]  # as the planner reads a company's legal form
    return [[t.original for t in UNITS(w, query=True) if is_name_word(t.original, True)] for w in words]


def evaluate(corpus, w: dict) -> dict:
    verdict.weights.cache_clear()
    saved = verdict.weights
    verdict.weights = lambda: w  # the weights under trial
    try:
        return replay(corpus, MemoryLexicon(corpus.docs))
    finally:
        verdict.weights = saved


def replay(corpus, lexicon, judge=None) -> dict:
    """The protocol's figures, each spelling planned as the service plans it (``judge``: the verdict when None)."""
    cache: dict[str, list] = {}

    def search(q):
        if q not in cache:
            typed = [u for u in typed_units(q) if u]
            plan = match.plan_name(typed, lexicon, aliases=SHIPPED_ROWS, judge=judge) if typed else None
            cache[q] = sorted(lexicon.docs(plan.match)) if plan else []
        return cache[q]
    return te.evaluate(search, corpus)[0]


def load_judgments(path: Path) -> dict[str, list[tuple[str, bool, int]]]:
    """realnews_dev.tsv: query -> [(spelling, same entity, reports when judged)]."""
    out: dict[str, list] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            q, spelling, verdict_, reports = (line.split("\t") + ["1"])[:4]
            out.setdefault(q, []).append((spelling, verdict_.strip() == "y", int(reports or 1)))
    return out


class RealNews:
    """The judged spellings of real news queries, replayed over an index of the corpus:
    which candidates the verdict accepts, weighted by the reports that write them."""

    def __init__(self, index: Path, judgments: dict):
        from whoosh import index as windex

        from search.engine.store import IndexStore
        from search.engine.whoosh.lexicon import WhooshLexicon
        self.lexicon = WhooshLexicon(windex.open_dir(str(IndexStore(index).current())).reader())
        self.judgments = judgments

    def evaluate(self, w: dict, queries=None) -> dict:
        saved, verdict.weights = verdict.weights, (lambda: w)
        good = bad = truth = found = 0
        try:
            for q in queries or self.judgments:
                typed = [u for u in typed_units(q) if u]
                accepted = {variants.group_key(v.spelling) for v in match.plan_name(typed, self.lexicon, aliases=SHIPPED_ROWS).variants
                            if v.accepted} if typed else set()
                for spelling, same, reports in self.judgments[q]:
                    hit = variants.group_key(spelling) in accepted
                    good += reports * (hit and same)
                    bad += reports * (hit and not same)
                    truth += reports * same
                    found += reports * (hit and same)
        finally:
            verdict.weights = saved
        return {"recall": found / max(1, truth), "precision": good / max(1, good + bad), "false_merge": 0.0}


def objective(f: dict) -> float:
    return f["recall"] + 2 * f["precision"] - 2 * f["false_merge"]


def fit(corpus, start: dict, rounds: int = 2, log=print, real=None, real_queries=None) -> dict:
    def score(w):
        j = objective(evaluate(corpus, w))
        return j + (objective(real.evaluate(w, real_queries)) if real else 0.0)
    best, best_j = dict(start), score(start)
    for r in range(rounds):
        changed = False
        for name, values in GRID.items():
            for v in values:
                if v == best[name]:
                    continue
                trial = {**best, name: v}
                j = score(trial)
                if j > best_j + 1e-9:
                    best, best_j, changed = trial, j, True
            log(f"  round {r + 1} {name}={best[name]} J={best_j:.4f}")
        if not changed:
            break
    return best


def folds(groups: dict, distractors: list, k: int = 3, seed: int = 11):
    names = sorted(groups)
    random.Random(seed).shuffle(names)
    pairs = list(distractors)
    random.Random(seed).shuffle(pairs)
    for i in range(k):
        test_g = set(names[i::k])
        test_d = set(range(len(pairs))[i::k])
        train = ({g: groups[g] for g in names if g not in test_g}, [p for j, p in enumerate(pairs) if j not in test_d])
        test = ({g: groups[g] for g in names if g in test_g}, [p for j, p in enumerate(pairs) if j in test_d])
        yield train, test


def show(label: str, f: dict) -> None:
    print(f"{label:<22} recall={f['recall']:.3f} precision={f['precision']:.3f} false_merge={f['false_merge']:.3f}")


def _fit_job(corpus, start: dict, rounds: int, realnews: Path | None, queries) -> dict:
    """One fit in a worker process (its own index reader: readers are not shared across forks)."""
    real = RealNews(realnews, load_judgments(JUDGMENTS)) if realnews else None
    return fit(corpus, start, rounds, log=lambda *_: None, real=real, real_queries=queries)


def query_folds(judgments: dict, k: int = 3, seed: int = 11):
    queries = sorted(judgments)
    random.Random(seed).shuffle(queries)
    for i in range(k):
        test = set(queries[i::k])
        yield [q for q in queries if q not in test], sorted(test)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--evaluate", action="store_true")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--realnews", type=Path, help="an index of ../shared/corpus: fit on the judged real-news spellings too")
    a = ap.parse_args()
    real = RealNews(a.realnews, load_judgments(JUDGMENTS)) if a.realnews else None
    real_folds = list(query_folds(real.judgments)) if real else [(None, None)] * 3
    groups = te.load_variants(EVAL / "variants_dev.tsv")
    distractors = te.load_distractors(EVAL / "distractors_dev.tsv")
    start = verdict.weights()
    started = time.monotonic()
    held_out = []
    held_real = []
    splits = list(zip(folds(groups, distractors), real_folds))
    jobs = [(te.build_corpus(tg, td), rq) for ((tg, td), _), (rq, _) in splits]
    jobs.append((te.build_corpus(groups, distractors), None))
    if a.evaluate:
        fitted = [start] * 4
    else:  # the three folds and the whole set, two at a time (one per core)
        with multiprocessing.get_context("fork").Pool(min(4, os.cpu_count() or 1)) as pool:
            fitted = pool.starmap(_fit_job, [(c, start, a.rounds, a.realnews, rq) for c, rq in jobs])
    for i, (((tg, td), (vg, vd)), (rq_train, rq_test)) in enumerate(splits):
        w = fitted[i]
        show(f"fold {i + 1} in-sample", evaluate(te.build_corpus(tg, td), w))
        held_out.append(evaluate(te.build_corpus(vg, vd), w))
        show(f"fold {i + 1} held out", held_out[-1])
        if real:
            show(f"fold {i + 1} news in", real.evaluate(w, rq_train))
            held_real.append(real.evaluate(w, rq_test))
            show(f"fold {i + 1} news held out", held_real[-1])
    mean = {k: sum(f[k] for f in held_out) / len(held_out) for k in ("recall", "precision", "false_merge")}
    show("held out, mean", mean)
    if real:
        show("news held out, mean", {k: sum(f[k] for f in held_real) / 3 for k in ("recall", "precision", "false_merge")})
    corpus = te.build_corpus(groups, distractors)
    final = fitted[3]
    show("all, in-sample", evaluate(corpus, final))
    if real:
        show("news, in-sample", real.evaluate(final))
    print(f"({time.monotonic() - started:.0f} s)")
    if a.write:
        verdict.WEIGHTS_FILE.write_text(json.dumps({
            "about": "search/names/verdict.py weights, chosen by bench/fit_verdict.py on ../shared/eval/variants_dev.tsv",
            "held_out_mean": {k: round(v, 4) for k, v in mean.items()},
            "weights": final}, indent=1) + "\n", encoding="utf-8")
    print("weights:", json.dumps(final))


if __name__ == "__main__":
    main()
