"""Unseen names through the service: groups of ``../shared/names/``, per kind and per script pair.

The development set (``../shared/eval/variants_dev.tsv``) holds 92 entities; the service is also
judged on names it never saw. This script draws entity groups from ``../shared/names/`` (which the
verdict's weights never saw: ``bench/fit_verdict.py`` fits on the development set only), cleans
them (below), and runs the development set's protocol on them through the service, exactly as
``../shared/eval/run_translit.py`` does (one report per spelling and per distractor name, a
rebuild, ``server.py``, every spelling typed into ``/api/search``), then breaks the figures down.

Cleaning: the names README's flags say which rows are not pure spelling variants. Kept: rows whose
flag is empty or only ``harakat``/``ext_letters``. Left out: ``alias``, ``auto_romanized``,
``slavic``, ``foreign_letters`` (no spelling rule reaches them), ``partial``, ``acronym``, ``fka``
(another name of the entity, not another spelling), ``homonym`` (a name another entity carries: no
matcher can tell them apart from the name alone), and a Latin spelling whose consonant outline
(ASCII-folded, article off, vowels and h/w/y out, doubles merged) shares under two thirds of the
group's primary outline (GeoNames keeps other-language exonyms, Dutch or Lithuanian forms of a
capital, that the flags miss). A group needs 3 spellings left. Distractors: the hard negatives
(``distractors.tsv``) of the drawn groups, at most 2 per group, but for ``article_only`` pairs
(the service reads a leading article as no difference, by design: issue 19 point 3).

    .venv/bin/python bench/names_heldout.py --per-kind 60 [--seed 1] [--write-tsv DIR] [--project DIR]
    .venv/bin/python bench/names_heldout.py --per-kind 60 --why      # where the misses are lost, in process

Per kind (place, person, org): recall, precision, exact_first as ``translit_eval`` defines them
(mean over the queries of that kind), false merges over the distractor pairs of that kind. Per
script pair (the typed spelling's script, another report's script): the share of the entity's
other reports found.

``--why`` replays the drawn groups in process instead (the lexicon in memory, as
``bench/fit_verdict.py`` does) and says, per script pair, where each other spelling of the typed
one stands: accepted, turned down by the verdict, or never a candidate (the blocking keys did not
meet), and of the last how many the verdict would accept if it met them: what better blocking
alone could win, and what it would cost is then for the verdict to keep out.
"""
from __future__ import annotations

import argparse
import collections
import csv
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
NAMES = ROOT.parent / "shared" / "names"
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(EVAL))

import translit_eval as te
from projserver import Server

KEEP_FLAGS = {"", "harakat", "ext_letters"}
ARTICLE = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an|ed|er|es|et|ez|en|ul|l)[\s\-'’]+", re.IGNORECASE)
SCRIPTS = {"latin": "latin", "arabic": "arabic", "persian-letters": "arabic", "hebrew": "hebrew"}


def outline(spelling: str) -> str:
    """A Latin spelling's consonant outline: what two romanizations of one name mostly share."""
    s = ARTICLE.sub("", unidecode(spelling).lower())
    s = re.sub(r"[^a-z]", "", s)
    s = re.sub(r"[aeiouyhw]", "", s)
    return re.sub(r"(.)\1+", r"\1", s)


def close_to(primary: str, spelling: str) -> bool:
    a, b = outline(primary), outline(spelling)
    return bool(a and b) and SequenceMatcher(None, a, b).ratio() >= 2 / 3


def read_groups() -> dict:
    """group -> {kind, primary, rows: [(spelling, script)]}, cleaned as the docstring says."""
    groups: dict = {}
    with open(NAMES / "variants.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            g = groups.setdefault(row["group"], {"kind": row["kind"], "primary": None, "rows": []})
            spelling = unicodedata.normalize("NFC", row["variant"].strip())
            if row["role"] == "primary" and row["script"] == "latin":
                g["primary"] = spelling
            if set(row["flag"].split("|")) <= KEEP_FLAGS:
                g["rows"].append((spelling, SCRIPTS[row["script"]]))
    for g in groups.values():
        primary = g["primary"] or next((s for s, sc in g["rows"] if sc == "latin"), None)
        g["rows"] = [(s, sc) for s, sc in g["rows"] if sc != "latin" or (primary and close_to(primary, s))]
        seen, rows = set(), []
        for s, sc in g["rows"]:  # one report per spelling: case variants are one spelling
            if s.casefold() not in seen:
                seen.add(s.casefold())
                rows.append((s, sc))
        g["rows"] = rows
    return {k: g for k, g in groups.items() if len(g["rows"]) >= 3}


def draw(groups: dict, per_kind: int, seed: int) -> dict:
    rnd = random.Random(seed)
    drawn = {}
    for kind in ("place", "person", "org"):
        keys = sorted(k for k, g in groups.items() if g["kind"] == kind)
        for k in rnd.sample(keys, min(per_kind, len(keys))):
            drawn[k] = groups[k]
    return drawn


def distractors(drawn: dict) -> list[tuple[str, str, str]]:
    """(a, b, kind) hard negatives of the drawn groups, at most 2 per group, no article-only pair."""
    out, per = [], collections.Counter()
    with open(NAMES / "distractors.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["why"] == "article_only":
                continue
            g = row["a_group"] if row["a_group"] in drawn else row["b_group"] if row["b_group"] in drawn else None
            if g and per[g] < 2:
                per[g] += 1
                out.append((te.nfc(row["a"]), te.nfc(row["b"]), drawn[g]["kind"]))
    return out


def corpus_of(drawn: dict, pairs: list) -> te.Corpus:
    """The protocol's corpus of the drawn groups (one report per spelling) and the distractor
    pairs ((a, b, kind), as ``distractors`` gives them)."""
    return te.build_corpus({k: sorted({s for s, _ in g["rows"]}) for k, g in drawn.items()}, [(x, y) for x, y, _ in pairs])


def write_tsv(folder: Path, drawn: dict, pairs: list) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "variants.tsv", "w", encoding="utf-8") as f:
        f.write("group\tkind\tvariant\n")
        for k, g in sorted(drawn.items()):
            f.writelines(f"{k}\t{g['kind']}\t{s}\n" for s, _ in g["rows"])
    with open(folder / "distractors.tsv", "w", encoding="utf-8") as f:
        f.write("a\tb\n")
        f.writelines(f"{a}\t{b}\n" for a, b, _ in pairs)


def served_search(python: str, project: str, corpus):
    """Index the corpus with the project's command line and serve it: search(q) -> hit ids."""
    tmp = Path(tempfile.mkdtemp(prefix="names-heldout-"))
    corpus.write(tmp / "reports")
    r = subprocess.run([python, "-m", "search", "rebuild", "--reports", str(tmp / "reports"), "--index", str(tmp / "index")],
                       check=False, cwd=project, capture_output=True, text=True, timeout=1800)
    if r.returncode != 0:
        sys.exit("rebuild failed: " + (r.stderr or r.stdout)[-400:].replace("\n", " "))
    return Server(python, project, index=tmp / "index", reports=tmp / "reports")


def breakdown(corpus, search, kind_of: dict, script_of: dict, pair_kind: dict) -> None:
    """Figures per kind and found shares per script pair, from the same searches."""
    for kind in ("place", "person", "org"):
        sub = te.Corpus(docs=corpus.docs, entity=corpus.entity, name=corpus.name,
                        queries=[(q, e) for q, e in corpus.queries if kind_of[e] == kind],
                        pairs=[p for p in corpus.pairs if pair_kind[(p[0], p[1])] == kind])
        figures, _, _ = te.evaluate(search, sub)
        print(f"  {kind:7} {te.format_figures(figures)} pairs={len(sub.pairs)}")
    found, total = collections.Counter(), collections.Counter()
    by_entity = collections.defaultdict(list)
    for doc, e in corpus.entity.items():
        by_entity[e].append(doc)
    for q, e in corpus.queries:
        hits = set(search(q))
        for doc in by_entity[e]:
            if corpus.name[doc] == q:
                continue
            key = (script_of[q], script_of.get(corpus.name[doc], "latin"))
            total[key] += 1
            found[key] += doc in hits
    for key in sorted(total):
        print(f"  {key[0]:>6} -> {key[1]:<6} found {found[key] / total[key]:.3f} of {total[key]} reports")


def why(drawn: dict) -> None:
    """Per script pair: accepted / turned down / not a candidate (and of those, accepted if met)."""
    from fit_verdict import typed_units

    from search.names import match
    from search.names.aliases import SHIPPED_ROWS
    from search.names.lexicon import MemoryLexicon
    from search.names.variants import _form_units, _judge, group_key
    script = {s: sc for g in drawn.values() for s, sc in g["rows"]}
    corpus = corpus_of(drawn, [])
    lexicon = MemoryLexicon(corpus.docs)
    counts: dict = collections.defaultdict(collections.Counter)
    for q, e in corpus.queries:
        typed = [u for u in typed_units(q) if u]
        if not typed:
            continue
        met = {group_key(v.spelling): v.accepted for v in match.plan_name(typed, lexicon, aliases=SHIPPED_ROWS).variants}
        mine = _form_units(q)
        for s, sc in drawn[e]["rows"]:
            if s == q:
                continue
            c = counts[(script[q], sc)]
            state = met.get(group_key(s))
            c["accepted" if state else "turned down" if state is False else "not a candidate"] += 1
            c["would be accepted"] += state is None and bool(mine) and _judge(mine, s, None, lexicon)[1]
    for (a, b), c in sorted(counts.items()):
        print(f"  {a:>6} -> {b:<6} " + ", ".join(f"{k} {c[k]}" for k in ("accepted", "turned down", "not a candidate", "would be accepted")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-kind", type=int, default=60, help="groups drawn per kind (place, person, org)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    ap.add_argument("--project", default=str(ROOT), help="the code to measure (another checkout for a before figure)")
    ap.add_argument("--write-tsv", type=Path, help="also write the drawn variants and distractors for run_translit.py")
    ap.add_argument("--show", type=int, default=12)
    ap.add_argument("--why", action="store_true", help="where the misses are lost (in process, no server)")
    a = ap.parse_args()

    drawn = draw(read_groups(), a.per_kind, a.seed)
    if a.why:
        sys.path.insert(0, str(ROOT / "bench"))
        sys.path.insert(0, str(ROOT))
        return why(drawn)
    pairs = distractors(drawn)
    if a.write_tsv:
        write_tsv(a.write_tsv, drawn, pairs)
    corpus = corpus_of(drawn, pairs)
    kind_of = {k: g["kind"] for k, g in drawn.items()}
    kind_of.update({e: "distractor" for e in corpus.entity.values() if e not in kind_of})
    script_of = {s: sc for g in drawn.values() for s, sc in g["rows"]}
    pair_kind = {(x, y): kind for x, y, kind in pairs}
    print(f"{len(drawn)} groups, {len(corpus.queries)} spellings, {len(pairs)} distractor pairs (seed {a.seed})")
    with served_search(a.python, a.project, corpus) as srv:
        cache: dict = {}

        def search(q):
            if q not in cache:
                cache[q] = [h["id"] for h in srv.api(q=q, per_page=100)["hits"]]
            return cache[q]
        figures, misses, merged = te.evaluate(search, corpus)
        print("all     " + te.format_figures(figures))
        breakdown(corpus, search, kind_of, script_of, pair_kind)
    for e, q, good, size, n in misses[: a.show]:
        print(f"miss   {e}: {q!r} finds {good}/{size} of its reports ({n} hits)")
    for x, y in merged[: a.show]:
        print(f"merged {x!r} ~ {y!r}")


if __name__ == "__main__":
    main()
