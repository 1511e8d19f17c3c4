"""A real 50 MB report (real news from the shared corpus, one after the other): bounded memory to index it,
bounded answers about it, the real command line and server. Speed is measured by ``bench/huge.py``.

Indexing it whole took 8 GB; every search matching it, a minute; its page, 56 MB of HTML.
"""
from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from search import settings

from .conftest import ROOT, fetch, serving

SIZE = 50 * 2**20
CORPUS = ROOT.parent / "shared" / "corpus" / "fr_news.jsonl.gz"
MEASURE = """
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:]).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
"""


def write_huge(path: Path) -> int:
    """News articles one after the other, from the corpus, until ``SIZE`` bytes; ends with a rare word. Its length."""
    with gzip.open(CORPUS, "rt", encoding="utf-8") as corpus, open(path, "w", encoding="utf-8") as out:
        out.write("date: 2020-05-01\nsource: Archive\nRevue fleuve : toute la presse\n\n")
        written = 0
        for line in corpus:
            record = json.loads(line)
            written += out.write(f"{record['title']}\n\n{record['text']}\n\n")
            if written > SIZE:
                break
        out.write("Enfin Bramtok.\n")
    return path.stat().st_size


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    assert CORPUS.exists(), f"this test reads real news from {CORPUS}"
    root = tmp_path_factory.mktemp("huge")
    reports = root / "reports"
    reports.mkdir()
    size = write_huge(reports / "fleuve.txt")
    (reports / "court.txt").write_text("Court\n\nLe gouvernement s'est réuni à Paris.", encoding="utf-8")
    index = root / "index"
    # The largest process of the rebuild (the reader, or an indexing worker), as the kernel counts it.
    r = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "search", "rebuild", "--reports",
                        str(reports), "--index", str(index)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    code, peak_kb = map(int, r.stderr.split()[-2:])
    assert code == 0, r.stderr
    return reports, index, size, peak_kb * 1024, r.stdout


def test_indexing_a_50mb_report_takes_under_a_gigabyte_and_says_what_is_searchable(huge):
    reports, index, size, peak, out = huge
    assert size > SIZE and peak <= 2**30, f"{peak / 2**20:.0f} MB"
    most = settings.get("max_indexed_chars")
    assert out.startswith(f"reconstruit {index} : 2 rapports indexés, 0 ignoré, ")
    [warning] = [line for line in out.splitlines() if line.startswith("  avertissement fleuve.txt: ")]
    assert f"seuls les {most} premiers sont cherchables (le texte entier est gardé et affiché)" in warning


def test_a_search_its_page_and_its_whole_text_are_bounded(huge):
    reports, index, size, peak, out = huge
    with serving(index, reports) as base:
        status, _, body = fetch(base + "/api/search?q=gouvernement&per_page=100")
        hits = {h["id"]: h for h in json.loads(body)["hits"]}
        assert status == 200 and set(hits) == {"fleuve", "court"} and len(body) < 20_000
        assert "<mark>gouvernement</mark>" in hits["fleuve"]["snippet"]
        assert fetch(base + "/api/search?q=Bramtok")[2].count('"id"') == 0  # past the searchable part
        status, _, page = fetch(base + "/reports/fleuve?q=gouvernement")
        assert status == 200 and len(page.encode()) <= 5 * 2**20
        assert "<mark" in page and 'href="/texte/fleuve">Texte intégral (texte brut)</a>' in page
        shown = re.search(r"Rapport de ([\d\u202f]+) caractères : cette page en montre ([\d\u202f]+)", page)
        assert shown and int(shown[2].replace("\u202f", "")) <= settings.get("page_chars")
        status, headers, whole = fetch(base + "/texte/fleuve")
        assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8"
        assert int(shown[1].replace("\u202f", "")) == len(whole) - len("Revue fleuve : toute la presse\n\n")
        assert whole.startswith("Revue fleuve : toute la presse\n\n") and whole.rstrip().endswith("Enfin Bramtok.")
        status, _, csv = fetch(base + "/export.csv?q=gouvernement")
        assert status == 200 and len(csv) < 20_000
