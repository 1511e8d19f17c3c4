"""Real news where the forms a user types are put to the test: articles of ../shared/corpus picked by
content, where a Middle East name meets the names and words a loose matcher takes for it
(Alep / Alba, Elabe, Help; Mossoul / Moselle, Moscou; Douma / Dôme), where the French press
writes an exonym (Beyrouth, État islamique, EI), and where a name is written in capitals.

The seeds join them (Al-Qaim Al-Bukamal: an article before a name), and one real article on
Aleppo as a wire service sends it, its title and the name in capitals (ALEP): the corpus
writes no ALEP.
"""
from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "fr_news.jsonl.gz"
# Each spelling, as a whole word, and how many articles to take that write it.
WANTED = {
    "Alep": 8, "Alba": 3, "Albi": 3, "Elabe": 3, "Elba": 3, "Help": 3, "Helpe": 3,
    "Mossoul": 6, "Moselle": 4, "Moscou": 4, "Beyrouth": 5, "Beirut": 2,
    "Daech": 6, "DAECH": 2, "Daesh": 3, "État islamique": 6, "Etat islamique": 3, "EI": 4,
    "Douma": 5, "Dôme": 4, "dôme": 3, "Erdogan": 4, "ERDOGAN": 3, "Hezbollah": 4, "Téhéran": 4,
    "Abou Bakr al-Baghdadi": 3, "Mohammed ben Salmane": 3,
}


def articles(wanted: dict[str, int] = WANTED) -> list[dict]:
    """The first articles of the corpus writing each wanted spelling (as a whole word, in its title or
    text) until each has its number, each article once."""
    patterns = {w: re.compile(rf"(?<!\w){re.escape(w)}(?!\w)") for w in wanted}
    counts = dict.fromkeys(wanted, 0)
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = f"{record['title']}\n{record['text']}"
            found = [w for w, rx in patterns.items() if counts[w] < wanted[w] and rx.search(text)]
            if found:
                out.append(record)
                for w in found:
                    counts[w] += 1
            if all(counts[w] >= n for w, n in wanted.items()):
                break
    return out


def names_folder(folder: Path) -> Path:
    """The articles as one JSONL file, the seeds, and the wire copy of an Aleppo article."""
    picked = articles()
    aleppo = next(r for r in picked if re.search(r"(?<!\w)Alep(?!\w)", r["title"]))
    wire = dict(aleppo, id="depeche-alep", title=aleppo["title"].upper(),
                text=re.sub(r"(?<!\w)Alep(?!\w)", "ALEP", aleppo["text"]))
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "news.jsonl", "w", encoding="utf-8") as fh:
        for record in picked + [wire]:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    for seed in (ROOT / "seeds").iterdir():
        shutil.copy(seed, folder / seed.name)
    return folder


def articles_index(folder: Path, wanted: dict[str, int]) -> Path:
    """An index built (one process) of the ``articles`` writing each wanted spelling, as one JSONL file
    in ``folder``/reports; returns the index folder."""
    from search import indexing
    reports = folder / "reports"
    reports.mkdir(parents=True)
    with open(reports / "news.jsonl", "w", encoding="utf-8") as fh:
        for record in articles(wanted):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    indexing.rebuild(reports, folder / "index", procs=1)
    return folder / "index"
