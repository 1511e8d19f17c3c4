"""The real-news queries typed in other forms: in capitals, in Arabic script, as English exonyms.

``../shared/eval/realnews.py`` measures the 45 judged queries as the French press writes them
(Damas, Mossoul). Analysts also paste names from headlines (DAMAS), from Arabic sources (دمشق)
and from English wires (Damascus). Each query's other forms are derived here: capitals by
``str.upper``; Arabic script and English exonyms from the table below, written by hand (the
usual Arabic spelling of each name; the English name where it differs from the French). Every
form is searched in process over an index of the corpus, and its hits are judged by the
original query's judgments (``bench/realnews_judgments.tsv``, the rule of
``../shared/eval/README_realnews.md``): a hit report is right when one of its matched spellings
names the query's entity.

Per form: precision (hit reports with a spelling judged y, over those judged), recall (the
reports that write a spelling judged y, searched quoted, that the form finds), unjudged (hit
reports whose spellings are all unjudged: judge them, add them, run again).

    .venv/bin/python bench/query_forms.py --index INDEX [--project DIR] [--forms typed,capitals,arabic,english] [--show N]

``--project``: the code to measure (another checkout: the figures before a change), this one by default.
"""
from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
JUDGMENTS = HERE / "realnews_judgments.tsv"
PAGES = 20  # at most 2,000 hits per query, as realnews.py

ARABIC = {
    "Abaaoud": "أباعود", "Abadi": "العبادي", "Abou Bakr al-Baghdadi": "أبو بكر البغدادي", "Afrin": "عفرين",
    "Ankara": "أنقرة", "Bachar al-Assad": "بشار الأسد", "Ben Laden": "بن لادن", "Beyrouth": "بيروت",
    "Daech": "داعش", "Damas": "دمشق", "Deir Ezzor": "دير الزور", "Djeddah": "جدة", "Doha": "الدوحة",
    "Douma": "دوما", "Gaza": "غزة", "Hama": "حماة", "Hamas": "حماس", "Hariri": "الحريري",
    "Houthis": "الحوثيون", "Hébron": "الخليل", "Idleb": "إدلب", "Jérusalem": "القدس", "Khamenei": "خامنئي",
    "Khashoggi": "خاشقجي", "Kobané": "كوباني", "Kouachi": "كواشي", "Lattaquié": "اللاذقية",
    "Le Caire": "القاهرة", "Le Pen": "لوبان", "Merah": "مراح", "Merkel": "ميركل", "Misrata": "مصراتة",
    "Mohammed ben Salmane": "محمد بن سلمان", "Moscou": "موسكو", "Netanyahou": "نتنياهو", "Obama": "أوباما",
    "Rafah": "رفح", "Raqqa": "الرقة", "Saddam Hussein": "صدام حسين", "Sanaa": "صنعاء", "Sarkozy": "ساركوزي",
    "Sissi": "السيسي", "Soleimani": "سليماني", "Syrte": "سرت", "talibans": "طالبان",
}
ENGLISH = {
    "Abou Bakr al-Baghdadi": "Abu Bakr al-Baghdadi", "Bachar al-Assad": "Bashar al-Assad", "Ben Laden": "Bin Laden",
    "Beyrouth": "Beirut", "Daech": "Islamic State", "Damas": "Damascus", "Deir Ezzor": "Deir ez-Zor",
    "Djeddah": "Jeddah", "Hébron": "Hebron", "Idleb": "Idlib", "Jérusalem": "Jerusalem", "Kobané": "Kobani",
    "Lattaquié": "Latakia", "Le Caire": "Cairo", "Misrata": "Misurata", "Mohammed ben Salmane": "Mohammed bin Salman",
    "Moscou": "Moscow", "Netanyahou": "Netanyahu", "Sissi": "Sisi", "Syrte": "Sirte", "talibans": "Taliban",
}
FORMS = {
    "typed": lambda q: q,
    "capitals": lambda q: q.upper(),
    "arabic": ARABIC.get,
    "english": ENGLISH.get,
}


def load(path: Path) -> dict[str, dict[str, bool]]:
    judged: dict[str, dict[str, bool]] = collections.defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            q, spelling, verdict = line.split("\t")[:3]
            judged[q][spelling.casefold()] = verdict.strip() == "y"
    return judged


class Searcher:
    """Every hit of a query and its matched spellings, through the service in process."""

    def __init__(self, index: Path):
        from search.params import parse_params
        from search.service import SearchService
        self.service, self.parse = SearchService.open(index), parse_params
        self.memo: dict[str, dict[str, set[str]]] = {}

    def hits(self, q: str) -> dict[str, set[str]]:
        if q not in self.memo:
            out: dict[str, set[str]] = {}
            for page in range(1, PAGES + 1):
                result = self.service.run(self.parse({"q": [q], "per_page": ["100"], "page": [str(page)]}))
                out.update({h.id: set(h.matched) for h in result.hits})
                if page * 100 >= result.total:
                    break
            self.memo[q] = out
        return self.memo[q]


def measure(searcher: Searcher, judged: dict[str, dict[str, bool]], form: str, show: collections.Counter) -> dict:
    good = bad = unknown = found = truth_n = queries = 0
    seconds = []
    for q, verdicts in judged.items():
        typed = FORMS[form](q)
        if not typed:
            continue
        queries += 1
        start = time.perf_counter()
        got = searcher.hits(typed)
        seconds.append(time.perf_counter() - start)
        for spellings in got.values():
            marks = [verdicts.get(s.casefold()) for s in spellings]
            if any(m is True for m in marks):
                good += 1
            elif marks and all(m is False for m in marks):
                bad += 1
                show.update((form, q, typed, s, "wrong") for s in spellings)
            else:
                unknown += 1
                show.update((form, q, typed, s, "unjudged") for s, m in zip(spellings, marks) if m is None)
        truth = set().union(*(searcher.hits(f'"{s}"') for s, ok in verdicts.items() if ok))
        truth_n += len(truth)
        found += len(truth & set(got))
    total = good + bad + unknown
    return {"form": form, "queries": queries, "hit_reports": total, "precision": good / max(1, good + bad),
            "recall": found / max(1, truth_n), "unjudged": unknown / max(1, total)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", required=True, type=Path)
    ap.add_argument("--project", type=Path, default=HERE.parent, help="the checkout whose code is measured")
    ap.add_argument("--judgments", type=Path, default=JUDGMENTS)
    ap.add_argument("--forms", default=",".join(FORMS))
    ap.add_argument("--show", type=int, default=15, help="wrong and unjudged spellings to print per form")
    a = ap.parse_args()
    sys.path.insert(0, str(a.project.resolve()))
    judged, searcher = load(a.judgments), Searcher(a.index)
    print(f"{'form':9} {'queries':>7} {'hit_reports':>11} {'precision':>9} {'recall':>7} {'unjudged':>8}")
    for form in a.forms.split(","):
        show: collections.Counter = collections.Counter()
        f = measure(searcher, judged, form, show)
        print(f"{f['form']:9} {f['queries']:7d} {f['hit_reports']:11d} {f['precision']:9.3f} {f['recall']:7.3f} "
              f"{f['unjudged']:8.3f}", flush=True)
        for (_, q, typed, s, kind), n in show.most_common(a.show):
            print(f"    {kind:8} {typed!r} ({q}) matched {s!r} in {n} reports")


if __name__ == "__main__":
    main()
