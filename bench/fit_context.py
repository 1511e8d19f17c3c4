"""Choose the evidence from context's parameters on the real-news judgments, by query folds.

    .venv/bin/python bench/fit_context.py --index INDEX            # held-out figures, per fold and pooled
    .venv/bin/python bench/fit_context.py --index INDEX --write    # ... and save the choice to search/data/context.json

INDEX holds the corpus and the seeds (``python -m search rebuild``). For each judged query
(``bench/realnews_judgments.tsv``) the verdict's candidates are found as the service finds them
(``search.names.match.plan_name``, the shipped alias rows), and each accepted spelling beyond the
query's own gets its cosine with the reference (``search.names.context``). A threshold turns down
those under it. Figures weigh each judged spelling by the reports writing it now: precision, the
share of accepted reports judged the same entity; recall, the share of the same entity's reports
accepted; unjudged, the share of accepted reports no judgment covers.

The queries are split into 5 folds (seeded). On four, the threshold chosen is the middle of the
widest run of thresholds with the best precision among those that lose no recall; it is measured
on the fifth. The sample size, the characters read and the words a profile needs (``min_words``)
are chosen by their pooled held-out figures, among those under which the development set
(``../shared/eval``: one templated report per spelling, replayed in process as
``bench/fit_verdict.py`` does) loses no recall: its reports are a few set phrases, no context to
speak of, so evidence drawn from them is noise. The final threshold is chosen on all queries.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))

import translit_eval as te  # noqa: E402
from fit_verdict import replay, typed_units  # noqa: E402 - the development set replayed, a query's name words

from search.names import context, match, variants  # noqa: E402
from search.names.aliases import SHIPPED_ROWS  # noqa: E402
from search.names.lexicon import MemoryLexicon  # noqa: E402

JUDGMENTS = ROOT / "bench" / "realnews_judgments.tsv"
THRESHOLDS = [round(0.01 * i, 2) for i in range(0, 41)]
SAMPLES = [6, 12, 24]
CHARS = [1000, 2500]
MIN_WORDS = [0, 10, 20, 30, 40]
FOLDS = 5


@dataclass
class Seen:
    """One accepted spelling of one query: its reports, the judgment (None: unjudged), its cosine (None: no evidence)."""
    key: str
    reports: int
    same: bool | None
    similarity: float | None
    accepted: bool = True  # False: a spelling of the same entity the verdict did not accept


class Recorder:
    """A judge that decides as the verdict and only records each doubtful candidate's cosine."""

    def __init__(self, params: context.ContextParams):
        self.context = context.ContextJudge(params=params)
        self.identity = "record"
        self.seen: dict[str, float] = {}

    def judge(self, units, candidates, lexicon, anchors=()) -> None:
        self.context.inner.judge(units, candidates, lexicon, anchors)
        for v, similarity in self.context.similarities(units, candidates, lexicon, anchors):
            self.seen[variants.group_key(v.spelling)] = similarity


def load_judgments(path: Path) -> dict[str, dict[str, tuple[bool, int]]]:
    out: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            q, spelling, same, reports = (line.split("\t") + ["1"])[:4]
            out.setdefault(q, {})[variants.group_key(spelling)] = (same.strip() == "y", int(reports or 1))
    return out


def observe(lexicon, judgments: dict, params: context.ContextParams) -> dict[str, list[Seen]]:
    """Each query's accepted spellings, judged, with their cosines (the truth's other spellings at 0 reports accepted)."""
    out = {}
    for q, judged in judgments.items():
        recorder = Recorder(params)
        typed = [u for u in typed_units(q) if u]
        plan = match.plan_name(typed, lexicon, aliases=SHIPPED_ROWS, judge=recorder) if typed else None
        accepted = {variants.group_key(v.spelling): v for v in (plan.variants if plan else []) if v.accepted}
        seen = [Seen(k, v.reports or judged.get(k, (None, 1))[1], judged.get(k, (None, 0))[0], recorder.seen.get(k))
                for k, v in accepted.items()]
        # The same entity's spellings the verdict did not accept: recall's denominator.
        seen += [Seen(k, n, True, None, False) for k, (same, n) in judged.items() if same and k not in accepted]
        out[q] = seen
    return out


def figures(observed: dict[str, list[Seen]], queries, threshold: float) -> dict:
    return _rates([_counts(observed[q], threshold) for q in queries])


def _rates(counts: list[tuple[int, int, int, int, int]]) -> dict:
    good, bad, unknown, truth, found = (sum(c[i] for c in counts) for i in range(5))
    return {"precision": good / max(1, good + bad), "recall": found / max(1, truth),
            "unjudged": unknown / max(1, good + bad + unknown)}


def choose(observed: dict[str, list[Seen]], queries) -> float:
    """The middle of the widest run of thresholds with the best precision among those losing no recall."""
    base = figures(observed, queries, -1.0)["recall"]
    scored = [(t, figures(observed, queries, t)) for t in THRESHOLDS]
    fine = [(t, f["precision"]) for t, f in scored if f["recall"] >= base - 1e-9]
    best = max(p for _, p in fine)
    runs, run = [], []
    for t, f in scored:
        if f["recall"] >= base - 1e-9 and abs(f["precision"] - best) < 1e-9:
            run.append(t)
        elif run:
            runs.append(run)
            run = []
    runs += [run] if run else []
    widest = max(runs, key=len)
    return widest[len(widest) // 2]


def held_out(observed: dict[str, list[Seen]], seed: int = 11) -> tuple[dict, list[float]]:
    queries = sorted(observed)
    random.Random(seed).shuffle(queries)
    chosen, tested = [], {}
    for i in range(FOLDS):
        test = set(queries[i::FOLDS])
        t = choose(observed, [q for q in queries if q not in test])
        chosen.append(t)
        tested.update({q: t for q in test})
    # Pooled over the folds: each query measured at the threshold chosen without it.
    return _rates([_counts(observed[q], t) for q, t in tested.items()]), chosen


def _counts(seen: list[Seen], t: float) -> tuple[int, int, int, int, int]:
    good = bad = unknown = truth = found = 0
    for s in seen:
        kept = s.accepted and (s.similarity is None or s.similarity >= t)
        truth += s.reports * (s.same is True)
        found += s.reports * (s.same is True and kept)
        good += s.reports * (s.same is True and kept)
        bad += s.reports * (s.same is False and kept)
        unknown += s.reports * (s.same is None and kept)
    return good, bad, unknown, truth, found


class Development:
    """The development set's protocol in process (``te.evaluate``), its lexicon held in memory."""

    def __init__(self):
        groups = te.load_variants(EVAL / "variants_dev.tsv")
        self.corpus = te.build_corpus(groups, te.load_distractors(EVAL / "distractors_dev.tsv"))
        self.lexicon = MemoryLexicon(self.corpus.docs)

    def figures(self, judge) -> dict:
        return replay(self.corpus, self.lexicon, judge)


def open_lexicon(index: Path):
    from search.engine import whoosh
    return whoosh.open(index).vocabulary()


def show(label: str, f: dict) -> None:
    print(f"{label:<44} precision {f['precision']:.3f}  recall {f['recall']:.3f}  unjudged {f['unjudged']:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--judgments", type=Path, default=JUDGMENTS)
    ap.add_argument("--write", action="store_true", help="save the choice to search/data/context.json")
    ap.add_argument("--show", action="store_true", help="print each doubtful spelling's cosine")
    a = ap.parse_args()
    judgments = load_judgments(a.judgments)
    lexicon = open_lexicon(a.index)
    default = context.ContextParams()
    development = Development()
    alone = development.figures(variants.VerdictJudge())
    print(f"development set, the verdict alone: recall {alone['recall']:.3f} precision {alone['precision']:.3f} "
          f"false_merge {alone['false_merge']:.3f}")
    best = None
    for sample in SAMPLES:
        for chars in CHARS:
            for words in MIN_WORDS:
                params = replace(default, sample=sample, chars=chars, min_words=words)
                started = time.perf_counter()
                observed = observe(lexicon, judgments, params)
                pooled, chosen = held_out(observed)
                # The development set at the threshold the folds chose at most (the strictest).
                dev = development.figures(context.ContextJudge(params=replace(params, threshold=max(chosen))))
                fine = dev["recall"] >= alone["recall"] - 1e-9
                show(f"sample {sample:>2}, chars {chars:>4}, min_words {words:>2}: held out "
                     f"(t {min(chosen):.2f}-{max(chosen):.2f})", pooled)
                print(f"{'':<44} development recall {dev['recall']:.3f} precision {dev['precision']:.3f}"
                      f"{'' if fine else ' (loses recall)'} ({time.perf_counter() - started:.0f} s)")
                key = (fine, pooled["precision"], pooled["recall"], -words, -sample, -chars)
                if best is None or key > best[0]:
                    best = (key, params, pooled, observed)
    _, params, pooled, observed = best
    queries = sorted(observed)
    params = replace(params, threshold=choose(observed, queries))
    show("verdict alone (no context), all queries", figures(observed, queries, -1.0))
    show(f"chosen {asdict(params)}, all queries (in sample)", figures(observed, queries, params.threshold))
    dev = development.figures(context.ContextJudge(params=params))
    print(f"development set, chosen: recall {dev['recall']:.3f} precision {dev['precision']:.3f} "
          f"false_merge {dev['false_merge']:.3f}")
    show("chosen, held out (5 query folds, pooled)", pooled)
    if a.show:
        for q in queries:
            for s in sorted(observed[q], key=lambda s: -(s.similarity or 0)):
                if s.similarity is not None:
                    print(f"  {q:<24} {s.key:<24} {s.reports:>5}  {'?yn'[0 if s.same is None else 2 - s.same]}  {s.similarity:.3f}")
    if a.write:
        body = {"params": asdict(params), "chosen_by": "bench/fit_context.py", "held_out": pooled,
                "development": {k: dev[k] for k in ("recall", "precision", "false_merge")}}
        context.PARAMS_FILE.write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"written: {context.PARAMS_FILE}")


if __name__ == "__main__":
    main()
