"""Names judged once per distinct form and generation (search/names/judged.py, search/prejudge.py):
remembered in the generation's JUDGED.jsonl, read back by another process, never trusted damaged,
never read by another judge, never carried to the next generation."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from search import indexing
from search.engine import manifest
from search.engine.store import IndexStore
from search.names.judged import JUDGED, Decisions
from search.names.variants import Variant
from search.params import parse_params
from search.query.syntax import parse
from search.service import SearchService
from tests.conftest import ROOT, SEEDS

NAMES = ["Boukamal", "Alep", "Soleimani", "Hezbollah", "حلب"]


def answers(index, queries=NAMES) -> dict[str, str]:
    """Each query's whole API answer, from a fresh service (a process of its own would read the same)."""
    service = SearchService.open(index)
    try:
        return {q: json.dumps(service.run(parse_params({"q": [q]})).to_json(), sort_keys=True) for q in queries}
    finally:
        service.close()


def judged_file(index):
    return IndexStore(index).current() / JUDGED


@pytest.fixture
def index(tmp_path, seeds_index):
    copy = tmp_path / "index"
    shutil.copytree(seeds_index, copy)
    judged_file(copy).unlink(missing_ok=True)
    return copy


def test_a_form_judged_once_is_read_back_by_a_fresh_service_with_the_same_answer(index):
    first = answers(index)
    written = judged_file(index).read_bytes()
    assert written.count(b"\n") >= len(NAMES)
    assert answers(index) == first
    assert judged_file(index).read_bytes() == written  # read, not judged again


def test_a_damaged_line_is_judged_again_never_trusted(index):
    first = answers(index)
    lines = judged_file(index).read_bytes().splitlines(keepends=True)
    # Every line's verdicts turned around, or a byte more (as a bad disk or a hand edit might): no checksum agrees.
    damaged = [line.replace(b"true", b"false") if b"true" in line else line[:-1] + b" \n" for line in lines]
    judged_file(index).write_bytes(b"".join(damaged) + b"garbage\n")
    assert answers(index) == first
    again = judged_file(index).read_bytes().splitlines(keepends=True)
    assert len(again) == 2 * len(lines) + 1  # each form judged and written anew


def test_a_line_cut_short_waits_and_the_rest_is_read(index):
    answers(index, ["Alep"])
    whole = judged_file(index).read_bytes()
    judged_file(index).write_bytes(whole + whole[: len(whole) // 2])  # a writer stopped mid-line
    decisions = Decisions(judged_file(index))
    assert answers(index, ["Alep"]) == answers(index, ["Alep"])
    assert decisions.damaged == 0


def test_another_judge_never_reads_these_decisions(tmp_path):
    decisions = Decisions(tmp_path / JUDGED)
    variant = Variant("Alep", 3, 1.0, True, {"l:alb\x1fAlep"}, exact=True, forms={"Alep": 3})
    decisions.keep("verdict:aaaa", ("Alep",), [variant])
    assert Decisions(tmp_path / JUDGED).recall("model:bbbb", ("Alep",)) is None
    found = Decisions(tmp_path / JUDGED).recall("verdict:aaaa", ("Alep",))
    assert [(v.spelling, v.reports, v.accepted, v.terms, v.forms) for v in found] == \
        [("Alep", 3, True, {"l:alb\x1fAlep"}, {"Alep": 3})]


def test_a_folder_that_cannot_be_written_leaves_the_memory(tmp_path):
    decisions = Decisions(tmp_path / "missing" / JUDGED)
    decisions.keep("verdict:aaaa", ("Alep",), [Variant("Alep", 3, 1.0, True)])
    assert decisions.recall("verdict:aaaa", ("Alep",))[0].spelling == "Alep"


def test_the_file_is_no_part_of_the_sealed_generation_and_no_update_carries_it(index, tmp_path):
    answers(index)
    live = IndexStore(index).current()
    assert JUDGED not in manifest.data_files(live)
    manifest.verify(live)  # whole, though the file grew after the seal
    reports = shutil.copytree(SEEDS, tmp_path / "reports")
    (reports / "nouveau.txt").write_text("Frappes près d'Alep\n\nDes frappes ont visé Alep hier.", encoding="utf-8")
    indexing.update(reports, index)
    assert IndexStore(index).current() != live
    assert not judged_file(index).exists()  # a new lexicon: its forms are judged afresh


def test_rebuild_judges_the_most_written_names_at_once(tmp_path):
    index = tmp_path / "index"
    done = subprocess.run([sys.executable, "-m", "search", "rebuild", "--reports", str(SEEDS), "--index", str(index)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "parmi les plus écrits jugés d'avance en" in done.stdout
    judged = judged_file(index).read_bytes()
    assert judged.count(b"\n") >= 10
    answers(index, ["Hezbollah", "Deir ez-Zor", "Al-Bukamal"])
    assert judged_file(index).read_bytes() == judged  # among the most written (hyphens and all): judged already


def test_the_name_forms_read_at_once_are_those_whoosh_gives_key_by_key(seeds_index):
    from search.names.terms import split_term
    service = SearchService.open(seeds_index)
    try:
        lexicon = service.engine.vocabulary()
        assert lexicon.words.forms is None  # nothing read until asked
        keys = sorted({split_term(t)[0] for t in lexicon.words.read_forms().terms})
        keys += [k[:-1] for k in keys[::3]] + ["l:zzzz", "sl:", "~"]
        table, lexicon.words.forms = lexicon.words.forms, None
        by_whoosh = {k: lexicon.forms(k) for k in keys}
        lexicon.words.forms = table
        assert {k: lexicon.forms(k) for k in keys} == by_whoosh
        assert sum(map(len, by_whoosh.values())) > 100
    finally:
        service.close()


def test_a_collection_too_large_for_the_table_keeps_asking_whoosh(seeds_index):
    service = SearchService.open(seeds_index)
    try:
        lexicon = service.engine.vocabulary()
        assert lexicon.words.read_forms(most_reports=1) is None
        assert lexicon.words.read_forms(most_reports=1) is None and lexicon.words.forms is None
        assert any(v.accepted for v in service.plan(parse("Hezbollah")).variants)
    finally:
        service.close()
