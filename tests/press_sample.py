"""A realistic reports folder for the browser tests and the screenshots: real French news on Syria
from the shared corpus (several sources, about two years of months), plus a few undated notes."""
from __future__ import annotations

import gzip
import json
from collections import defaultdict
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "fr_news.jsonl.gz"
NOTES = {
    "notes/alep-sans-date.txt": "source: Notes\nNote sur Alep\n\nLes combats ont repris autour d’Alep, selon des témoins.",
    "notes/idleb-sans-date.txt": "source: Notes\nNote sur Idleb\n\nLa province d’Idleb reste sous le feu des frappes.",
    "notes/damas-sans-date.txt": "source: Notes\nNote sur Damas\n\nDamas a annoncé un nouveau gouvernement.",
}


def press_folder(folder: Path, size: int = 60, since: str = "2016-01") -> Path:
    """``size`` articles mentioning Syria or Aleppo since ``since``, taken in turn from each source
    (so that the long tail of sources shows), written as one JSONL file; and the undated notes."""
    by_source: dict[str, list[str]] = defaultdict(list)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["date"] >= since and ("Syrie" in record["text"] or "Alep" in record["text"]):
                by_source[record["source"]].append(line)
    picked: list[str] = []
    while len(picked) < size and any(by_source.values()):
        for lines in by_source.values():
            if lines and len(picked) < size:
                picked.append(lines.pop(0))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "syrie.jsonl").write_text("".join(picked), encoding="utf-8")
    for rel, text in NOTES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder
