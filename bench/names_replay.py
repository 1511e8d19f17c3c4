"""The name figures in process, in about a minute: unseen names, the development set, real news.

    .venv/bin/python bench/names_replay.py [--index INDEX] [--seeds 1 2] [--per-kind 60] [--shift 0.0]

A quick way to compare verdicts (``search/data/verdict.json``, ``bench/fit_costs.py``'s learned
costs, a change to ``search/names``) before the service's own runs (``names_heldout.py``,
``../shared/eval/run_translit.py``, ``../shared/eval/realnews.py``), which rebuild and serve:

- unseen names: ``bench/names_heldout.py``'s groups of ``../shared/names`` for each seed (60 a kind),
  their distractors, replayed as ``bench/fit_verdict.py`` replays the development set (one report
  per spelling, the lexicon in memory, each spelling planned by ``search.names.match.plan_name``);
- the development set (``../shared/eval/variants_dev.tsv`` and its distractors), the same way;
- with ``--index`` (an index of the corpus and the seeds): the judged real-news spellings of
  ``bench/realnews_judgments.tsv`` over that index's lexicon (``fit_verdict.RealNews``).

The verdict alone decides here: no evidence from context, no ranking (exact_first is the
service's). The figures therefore differ a little from the service's (main on 2026-12-07: unseen
seed 1 0.612 / 0.987 / 4.9 % here against 0.596 / 0.992 / 2.4 % served; real news precision 0.955
here, 0.994 with the context); they compare two verdicts, they do not replace the service's runs.
``--shift`` moves the verdict's Latin threshold by that much (a trade-off curve without a refit);
``--set initial=1.5`` replaces a weight for the run.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

import fit_verdict as fv  # noqa: E402  (puts ../shared/eval on the path)
import names_heldout as nh  # noqa: E402
import translit_eval as te  # noqa: E402

from search.names import verdict  # noqa: E402
from search.names.lexicon import MemoryLexicon  # noqa: E402


def show(label: str, f: dict) -> None:
    print(f"{label:16} recall {f['recall']:.3f}  precision {f['precision']:.3f}  false_merge {f['false_merge']:.3f}",
          flush=True)


def unseen(seed: int, per_kind: int) -> dict:
    drawn = nh.draw(nh.read_groups(), per_kind, seed)
    corpus = nh.corpus_of(drawn, nh.distractors(drawn))
    return fv.replay(corpus, MemoryLexicon(corpus.docs))


def development() -> dict:
    corpus = te.build_corpus(te.load_variants(fv.EVAL / "variants_dev.tsv"), te.load_distractors(fv.EVAL / "distractors_dev.tsv"))
    return fv.replay(corpus, MemoryLexicon(corpus.docs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", type=Path, help="an index of the corpus and the seeds: the real-news figures too")
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--per-kind", type=int, default=60)
    ap.add_argument("--shift", type=float, default=0.0, help="added to the verdict's Latin threshold")
    ap.add_argument("--set", nargs="*", default=[], metavar="WEIGHT=VALUE",
                    help="verdict weights replaced for this run (a weight's curve without a refit)")
    a = ap.parse_args()
    started = time.monotonic()
    w = verdict.weights()  # the dict every judgement reads (cached): shifted in place for this run
    w["threshold"] += a.shift
    for item in a.set:
        name, _, value = item.partition("=")
        if name not in w:
            sys.exit(f"--set: no verdict weight {name!r}")
        w[name] = float(value)
    print(f"verdict: threshold {w['threshold']:.3f}, base {w['base']}, learned pairs {len(w.get('pairs') or {})}")
    for seed in a.seeds:
        show(f"unseen, seed {seed}", unseen(seed, a.per_kind))
    show("development", development())
    if a.index:
        show("real news", fv.RealNews(a.index, fv.load_judgments(fv.JUDGMENTS)).evaluate(w))
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
