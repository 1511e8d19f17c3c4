"""Quick offline check of name folding on the development set (no index, no server).

Simulates ``../shared/eval/translit_eval.py`` in process: every report's ``names``
keys (``FIELD_ANALYZERS["names"]``) and folded words go into sets, and each query
is matched the way ``search.engine.compiler`` builds it: the words of a query are
ANDed; a run of name words matches through any alternative of ``name_alternatives``
(of the whole run, or of each typed word); other words match folded or stemmed.
Hits are ranked as the engine's boosts would roughly rank them (the whole name as
written, then the words as written, then folded, then other keys), for exact_first.

    .venv/bin/python tools/translit_dev.py [--show N] [--eval DIR]
"""
from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from search.analysis import ElisionFilter, WordTokenizer  # noqa: E402
from search.fields import FIELD_ANALYZERS  # noqa: E402
from search.names import SPELLING, is_name_word, name_alternatives  # noqa: E402
from search.wordlists import FRENCH_STOP_WORDS  # noqa: E402

UNITS = WordTokenizer() | ElisionFilter()
FIELDS = ("verbatim", "folded", "stem", "names")


def index(corpus) -> dict[str, dict[str, set[str]]]:
    """{doc id: {field: set of terms}}."""
    return {doc_id: {f: set(FIELD_ANALYZERS[f].texts(text)) for f in FIELDS} for doc_id, text in corpus.docs.items()}


def _word_match(unit: str, doc: dict[str, set[str]]) -> bool:
    return any(t in doc[f] for f in ("verbatim", "folded", "stem") for t in FIELD_ANALYZERS[f].texts(unit, query=True))


def clauses(query: str):
    """[(kind, payload)] as the engine's compiler groups the query's words: a run of
    name words is (its units, [alternatives of the run, then of each typed word])."""
    units = [(i, t.original) for i, w in enumerate(query.split()) for t in UNITS(w, query=True)]
    out = []
    for is_name, group in itertools.groupby(units, key=lambda iu: is_name_word(iu[1], query=True)):
        group = list(group)
        if is_name:
            words = [[u for _, u in g] for _, g in itertools.groupby(group, key=lambda iu: iu[0])]
            out.append(("name", ([u for _, u in group], [name_alternatives(w) for w in [sum(words, [])] + words])))
        else:
            out += [("word", u) for _, u in group if not set(FIELD_ANALYZERS["folded"].texts(u)) <= FRENCH_STOP_WORDS]
    return out or [("word", u) for _, u in units]


def _name_match(doc: dict[str, set[str]], alternatives: list[list[list[str]]]) -> int:
    """How many alternatives of the whole run match; or 1 when each typed word's do."""
    whole, *each = alternatives
    hits = sum(all(k in doc["names"] for k in alt) for alt in whole)
    if not hits and len(each) > 1 and all(any(all(k in doc["names"] for k in alt) for alt in w) for w in each):
        return 1
    return hits


def score(doc: dict[str, set[str]], parts) -> float | None:
    """None when the report does not match; else a rough rank (typed spelling first).

    A run of names matches through the ``names`` keys only (as the engine does); its
    spelling as typed lifts the score.
    """
    total = 0.0
    for kind, payload in parts:
        if kind == "word":
            if not _word_match(payload, doc):
                return None
            total += 12
            continue
        words, alternatives = payload
        keys = _name_match(doc, alternatives)
        if not keys:
            return None
        exact = any(k.startswith(SPELLING) and k in doc["names"] for alt in alternatives[0] for k in alt)
        verbatim = all(w in doc["verbatim"] for w in words)
        total += 16 * exact + 8 * verbatim + 4 * all(_word_match(w, doc) for w in words) + min(keys, 3) * 0.5
    return total


def searcher(docs):
    cache: dict[str, list[str]] = {}

    def search(q: str) -> list[str]:
        if q not in cache:
            parts = clauses(q)
            scored = [(s, d) for d, doc in docs.items() if (s := score(doc, parts)) is not None]
            cache[q] = [d for s, d in sorted(scored, key=lambda sd: (-sd[0], sd[1]))]
        return cache[q]
    return search


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--eval", default=ROOT.parent / "shared" / "eval", type=Path)
    ap.add_argument("--show", type=int, default=40, help="how many misses and merges to print")
    ap.add_argument("--variants", type=Path, help="another variants file (default: the development set)")
    ap.add_argument("--distractors", type=Path, help="another distractors file")
    a = ap.parse_args()
    sys.path.insert(0, str(a.eval))
    import translit_eval as te

    variants = a.variants or a.eval / "variants_dev.tsv"
    distractors = a.distractors or a.eval / "distractors_dev.tsv"
    corpus = te.build_corpus(te.load_variants(variants), te.load_distractors(distractors))
    t0 = time.perf_counter()
    docs = index(corpus)
    search = searcher(docs)
    figures, misses, merged = te.evaluate(search, corpus)
    for e, q, good, size, n in sorted(misses, key=lambda m: m[2] / m[3])[: a.show]:
        print(f"miss   {e}: {q!r} finds {good}/{size} of its reports ({n} hits)")
    _print_losses(misses, len(corpus.queries), a.show)
    for x, y in merged[: a.show]:
        print(f"merged {x!r} ~ {y!r}")
    _print_impure(corpus, search, docs, a.show)
    print(te.format_figures(figures), f"({time.perf_counter() - t0:.1f}s)")


def _print_losses(misses, queries: int, show: int) -> None:
    """The recall each entity loses, largest first."""
    lost: dict[str, float] = {}
    for e, _, good, size, _ in misses:
        lost[e] = lost.get(e, 0.0) + (1 - good / size) / queries
    for e, v in sorted(lost.items(), key=lambda ev: -ev[1])[:show]:
        print(f"lost   {e}: {v:.4f}")


def _print_impure(corpus, search, docs, show: int) -> None:
    """Queries whose hits include reports of another entity, and the precision those
    cost: 'spelled' wrong hits hold every word of the query (Hezbollah in Kataëb
    Hezbollah) and no key design avoids them; 'keys' wrong hits come from name keys."""
    shown, lost = 0, {"spelled": 0.0, "keys": 0.0}
    for q, e in corpus.queries:
        hits = search(q)
        spelled = {h for h in hits if score(docs[h], [("word", u) for u in _words(q)]) is not None}
        wrong = [h for h in hits if corpus.entity.get(h) != e]
        for h in wrong:
            lost["spelled" if h in spelled else "keys"] += 1 / len(hits) / len(corpus.queries)
        mine = [corpus.name[h] for h in wrong if h not in spelled]
        if mine and shown < show:
            print(f"impure {e}: {q!r} also finds {mine[:6]}")
            shown += 1
    print("precision lost: " + ", ".join(f"{k} {v:.4f}" for k, v in lost.items()))


def _words(query: str) -> list[str]:
    return [t.original for t in UNITS(query, query=True)]


if __name__ == "__main__":
    main()
