"""Names judged ahead whose evidence an update only moved a little (search/names/recounted.py): kept with
their verdicts and this generation's counts, and then exactly what a fresh judging of the new generation
gives, form for form, over the most written names of real reports."""
from __future__ import annotations

import json
import logging
import shutil

import pytest

from search import indexing
from search.engine.store import IndexStore
from search.names.carried import Record
from search.prejudge import prejudge
from tests.press_sample import press_folder
from tests.test_prejudge_carried import all_counts, judged_afresh, judged_now

NAMES = 80


@pytest.fixture
def collection(tmp_path):
    """240 real reports on Syria, their 80 most written names judged ahead, and 40 more reports (the
    next ones of the same sources) that write the same names again, to add."""
    more = press_folder(tmp_path / "more", size=280)
    lines = (more / "syrie.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    reports = press_folder(tmp_path / "reports", size=240)
    assert (reports / "syrie.jsonl").read_text(encoding="utf-8") == "".join(lines[:240])
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    assert prejudge(index, names=NAMES, seconds=600) == NAMES
    return reports, index, lines[240:]


def _add(reports, lines) -> None:
    (reports / "plus.jsonl").write_text("".join(lines), encoding="utf-8")


def test_forms_whose_counts_moved_are_recounted_as_a_fresh_judging_gives_them(collection, caplog, tmp_path):
    reports, index, more = collection
    before = Record.read(IndexStore(index).current()).judged
    _add(reports, more)
    assert indexing.update(reports, index).indexed == 40
    with caplog.at_level(logging.INFO, logger="search.prejudge"):
        prejudge(index, names=NAMES, seconds=600)
    carried, judged, recounted = all_counts(caplog)
    assert recounted >= 20
    now = judged_now(index)
    # Their counts moved: the line written down is not the one before, and it is a fresh judging's.
    moved = [d for d, seen in now.items() if d in before and seen[0] != before[d].body]
    assert len(moved) >= recounted
    assert any(_verdicts(now[d][0]) == _verdicts(before[d].body) for d in moved)
    assert now == judged_afresh(index, tmp_path)


def test_a_margin_too_small_for_what_moved_has_the_form_judged_again(collection, caplog, tmp_path):
    reports, index, more = collection
    edge = tmp_path / "edge"
    shutil.copytree(index, edge)
    live = IndexStore(edge).current()
    record = Record.read(live)
    for judged in record.judged.values():  # as if every verdict had been on the edge
        judged.margin = 0.0
    record.write(live)
    _add(reports, more)
    found = {}
    for folder in (index, edge):
        indexing.update(reports, folder)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="search.prejudge"):
            prejudge(folder, names=NAMES, seconds=600)
        found[folder] = all_counts(caplog)
        assert judged_now(folder) == judged_afresh(folder, tmp_path)
    # On the edge, every form whose lower-case shares or frequencies moved is judged again.
    assert found[edge][1] >= found[index][1] + 20
    assert found[edge][0] + found[edge][1] + found[edge][2] == sum(found[index])
    # The forms judged again noted their own margins: the next update recounts them.
    (reports / "notes" / "alep.txt").write_text(
        "Alep\n\nBachar al-Assad et Vladimir Poutine ont parlé d'Alep, de Damas et d'Idleb.", encoding="utf-8")
    indexing.update(reports, edge)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="search.prejudge"):
        prejudge(edge, names=NAMES, seconds=600)
    assert all_counts(caplog)[2] > 0
    assert judged_now(edge) == judged_afresh(edge, tmp_path)


def test_a_verdict_the_moved_evidence_turns_is_judged_again_not_recounted(collection, tmp_path):
    """Idlib, one report's spelling of Idleb, is accepted for it by its letters (cost 0.18 per sound, within
    a margin of a third of the verdict's evidence); two reports more write idlib in lower case, two uses
    in three: its letters are turned down, and it is taken as a spelling the alias row writes out. A
    recounted form would keep the verdict on its letters."""
    reports, index, _ = collection
    before = {d: j.body for d, j in Record.read(IndexStore(index).current()).judged.items()}
    idleb = [d for d, body in before.items() if (_row(body, "Idlib") or [None] * 4)[3]]
    assert idleb and all(_row(before[d], "Idlib")[8] is not None for d in idleb)  # judged on its letters
    for n in range(2):
        (reports / "notes" / f"idlib-{n}.txt").write_text(
            f"Note {n}\n\nLes combats près de idlib ont repris, et idlib reste sous le feu.", encoding="utf-8")
    indexing.update(reports, index)
    prejudge(index, names=NAMES, seconds=600)
    now = judged_now(index)
    for d in idleb:
        score, accepted, cost = (_row(now[d][0], "Idlib")[k] for k in (2, 3, 8))
        assert (score, accepted, cost) == (1.0, True, None)  # the alias row's spelling, no longer its letters
    assert now == judged_afresh(index, tmp_path)


def _row(body: str, spelling: str) -> list | None:
    """A candidate's row in a judged form's line, or None."""
    return next((row for row in json.loads(body) if row[0] == spelling), None)


def _verdicts(body: str) -> list:
    """Each candidate's spelling, score and verdict (a line's body without its counts)."""
    return [(row[0], row[2], row[3], row[9] if len(row) > 9 else None) for row in json.loads(body)]
