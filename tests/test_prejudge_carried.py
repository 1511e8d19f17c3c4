"""Names judged ahead, carried across an update (search/names/carried.py, search/prejudge.py): the
verdicts an update's generation holds are those a fresh judging of it gives, form for form, whether
they were carried from the generation before or judged again because the update touched them."""
from __future__ import annotations

import logging
import re

import pytest
from whoosh import index as windex

from search import indexing
from search.engine.store import IndexStore
from search.engine.whoosh.lexicon import WhooshLexicon
from search.names.carried import PREJUDGED, Record, RecordingVocabulary, judge_identity
from search.names.context import shared_words
from search.names.judged import JUDGED, Decisions
from search.prejudge import judge_names, prejudge
from tests.names_sample import articles
from tests.press_sample import press_folder

NAMES = 40


def judged_now(index) -> dict[str, tuple]:
    """The prejudged forms of the live generation (digest -> verdicts and evidence), as its record and its
    file hold them."""
    live = IndexStore(index).current()
    record = Record.read(live)
    lines = {}
    for line in (live / JUDGED).read_text(encoding="utf-8").splitlines():
        _, digest, body = line.split("\t", 2)
        lines[digest] = body
    assert all(lines[digest] == j.body for digest, j in record.judged.items())  # each written down as recorded
    return {digest: _seen(j) for digest, j in record.judged.items()}


def _seen(judged) -> tuple:
    """A judged form's verdicts and the lexicon's answers it rests on (what the next update compares)."""
    return judged.body, sorted(judged.keys), judged.lower, sorted((tuple(t), n) for t, n in judged.reports)


def judged_afresh(index, scratch) -> dict[str, tuple]:
    """The same names judged by a lexicon of the live generation that remembers nothing (its forms go to ``scratch``)."""
    live = IndexStore(index).current()
    reader = windex.open_dir(str(live)).reader()
    (scratch / JUDGED).unlink(missing_ok=True)
    try:
        vocabulary = RecordingVocabulary(WhooshLexicon(reader, decisions=Decisions(scratch / JUDGED)))
        judge_names(vocabulary, Record.read(live).names, index)
        return {digest: _seen(j) for digest, j in vocabulary.decisions.judged.items()}
    finally:
        reader.close()


def counts(caplog) -> tuple[int, int]:
    """(forms carried, forms judged) of the last judging ahead, as its log line says."""
    return all_counts(caplog)[:2]


def all_counts(caplog) -> tuple[int, int, int]:
    """(forms carried, forms judged, forms recounted) of the last judging ahead, as its log line says."""
    found = re.findall(r"(\d+) formes reprises de la génération précédente, (\d+) jugées, "
                       r"(\d+) reprises avec leurs comptes à jour", caplog.text)
    return tuple(map(int, found[-1]))


def sample_counts(caplog) -> tuple[int, int]:
    """(context samples carried, samples read) of the last judging ahead, as its log line says."""
    found = re.findall(r"(\d+) échantillons de contexte repris, (\d+) lus", caplog.text)
    return tuple(map(int, found[-1]))


def samples_hold(index) -> int:
    """How many context samples the live generation's record holds, each checked to be what reading its
    reports in this generation gives (the reports sampled, and the words they share)."""
    live = IndexStore(index).current()
    samples = Record.read(live).samples
    reader = windex.open_dir(str(live)).reader()
    try:
        lexicon = WhooshLexicon(reader)
        for (terms, limit, chars), sample in samples.items():
            texts = lexicon.texts(list(terms), limit, chars)
            assert sample == (len(texts), shared_words(texts)), terms
    finally:
        reader.close()
    return len(samples)


@pytest.fixture
def collection(tmp_path):
    reports = press_folder(tmp_path / "reports", size=80)
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    assert prejudge(index, names=NAMES, seconds=600) == NAMES
    return reports, index


def test_an_update_carries_what_it_left_alone_and_judges_what_it_touched_as_afresh(collection, caplog, tmp_path):
    reports, index = collection
    (reports / "notes" / "nouveau.txt").write_text(
        "Frappes près d'Alep\n\nDes frappes russes ont visé Alep et Idleb, a dit Bachar al-Assad à Damas.",
        encoding="utf-8")
    (reports / "notes" / "damas-sans-date.txt").write_text(
        "source: Notes\nNote sur Damas\n\nDamas et Hama ont annoncé un nouveau gouvernement.", encoding="utf-8")
    (reports / "notes" / "idleb-sans-date.txt").unlink()
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.removed) == (2, 1)
    with caplog.at_level(logging.INFO, logger="search.prejudge"):
        assert prejudge(index, names=NAMES, seconds=600) == NAMES
    carried, judged, recounted = all_counts(caplog)
    # carried as they were, or with the counts the update moved: both give a fresh judging's verdicts
    assert carried > 0 and judged + recounted > 0
    assert judged_now(index) == judged_afresh(index, tmp_path)
    # The forms judged again read the context of the names the update left alone from the record, of the
    # others from the reports: every sample the record holds is what this generation's reports give.


def test_removals_alone_change_the_case_variants_counts_and_are_seen(collection, caplog, tmp_path):
    reports, index = collection
    lines = (reports / "syrie.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (reports / "syrie.jsonl").write_text("".join(lines[: len(lines) - 8]), encoding="utf-8")
    assert indexing.update(reports, index).removed == 8
    with caplog.at_level(logging.INFO, logger="search.prejudge"):
        prejudge(index, names=NAMES, seconds=600)
    assert counts(caplog)[0] > 0
    assert judged_now(index) == judged_afresh(index, tmp_path)
    # and once more, from the carried record itself
    (reports / "notes" / "alep.txt").write_text("Alep\n\nLes combats reprennent à Alep et à Homs.", encoding="utf-8")
    indexing.update(reports, index)
    prejudge(index, names=NAMES, seconds=600)
    assert judged_now(index) == judged_afresh(index, tmp_path)


def test_an_update_that_changed_nothing_judges_nothing(collection):
    reports, index = collection
    record = (IndexStore(index).current() / PREJUDGED).read_bytes()
    indexing.update(reports, index)
    assert prejudge(index, names=NAMES, seconds=600) == 0
    assert (IndexStore(index).current() / PREJUDGED).read_bytes() == record


def test_a_damaged_record_is_judged_again_never_trusted(collection, tmp_path):
    reports, index = collection
    live = IndexStore(index).current()
    record = live / PREJUDGED
    record.write_bytes(record.read_bytes().replace(b"true", b"false"))
    assert Record.read(live) is None
    (reports / "notes" / "homs.txt").write_text("Homs\n\nHoms sous les bombes.", encoding="utf-8")
    indexing.update(reports, index)
    assert prejudge(index, names=NAMES, seconds=600) == NAMES
    assert judged_now(index) == judged_afresh(index, tmp_path)


def test_a_word_the_added_reports_write_in_lower_case_is_seen(collection, caplog, tmp_path):
    reports, index = collection
    record = Record.read(IndexStore(index).current())
    words = sorted({w for j in record.judged.values() for w, share in j.lower.items() if share < 1})
    assert words  # some verdicts rest on how often a capitalised word is written in lower case
    (reports / "notes" / "minuscules.txt").write_text(
        "Note\n\n" + " ; ".join(f"le mot {w.lower()}" for w in words), encoding="utf-8")
    indexing.update(reports, index)
    with caplog.at_level(logging.INFO, logger="search.prejudge"):
        prejudge(index, names=NAMES, seconds=600)
    assert counts(caplog)[0] > 0
    assert judged_now(index) == judged_afresh(index, tmp_path)


def test_a_generation_restored_from_before_a_removal_is_judged_afresh(collection, tmp_path):
    reports, index = collection
    before = IndexStore(index).current()
    (before / PREJUDGED).unlink()  # as a generation made before records: the removal's record is the newest
    lines = (reports / "syrie.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    (reports / "syrie.jsonl").write_text("".join(lines[: len(lines) - 8]), encoding="utf-8")
    indexing.update(reports, index)
    prejudge(index, names=NAMES, seconds=600)
    indexing.restore(index, before.name)  # its reports are back: the removal's counts are not its counts
    assert prejudge(index, names=NAMES, seconds=600) == NAMES
    assert judged_now(index) == judged_afresh(index, tmp_path)


def test_a_record_by_another_judge_is_judged_again_by_this_one(collection, tmp_path):
    """The code changed since the live generation was judged: none of its verdicts is this judge's, so an
    update that changes nothing judges its names again, and an update after it carries them."""
    reports, index = collection
    live = IndexStore(index).current()
    record = Record.read(live)
    record.identity = "verdict:another"
    record.write(live)
    assert prejudge(index, names=NAMES, seconds=600) == NAMES
    assert Record.read(live).identity == judge_identity()
    assert judged_now(index) == judged_afresh(index, tmp_path)
    assert prejudge(index, names=NAMES, seconds=600) == 0


@pytest.fixture
def contexts(tmp_path):
    """Articles of the corpus writing Douma and Dôme, Sanaa and Senna (spellings the verdict takes for one
    another, and the evidence from context tells apart: search.names.context), each in its own file."""
    reports = tmp_path / "reports"
    reports.mkdir()
    for n, record in enumerate(articles(dict.fromkeys(["Douma", "Dôme", "Sanaa", "Senna"], 6))):
        (reports / f"{n:02d}.txt").write_text(f"{record['title']}\n\n{record['text']}", encoding="utf-8")
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    assert prejudge(index, names=NAMES, seconds=600) > 0
    assert samples_hold(index) > 0  # the context was read for some doubtful spelling
    return reports, index


def test_context_samples_are_carried_when_their_reports_stay_and_read_again_when_not(contexts, caplog, tmp_path):
    reports, index = contexts
    before = Record.read(IndexStore(index).current()).samples
    (reports / "ajout.txt").write_text("Sanaa\n\nLes rebelles tiennent toujours Sanaa, a dit un témoin.", encoding="utf-8")
    douma = next(p for p in sorted(reports.glob("*.txt")) if "Douma" in p.read_text(encoding="utf-8"))
    douma.unlink()
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.removed) == (1, 1)
    with caplog.at_level(logging.INFO, logger="search.prejudge"):
        prejudge(index, names=NAMES, seconds=600)
    carried, read = sample_counts(caplog)
    assert carried > 0 and read > 0  # the reports of some spellings changed (Sanaa's, Douma's), not of all
    assert samples_hold(index) >= len(before) - read
    assert judged_now(index) == judged_afresh(index, tmp_path)


def test_a_removed_report_that_was_a_names_first_is_counted_out(tmp_path):
    """The reports holding a name, after an update that removed the first of them (its segment's first
    document holding the name: Whoosh's deletions filter steps over it as the postings are opened)."""
    from search.engine.whoosh.added import AddedSegments
    from search.engine.whoosh.reading import leaf_ids
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, text in (("a", "Alep\n\nLes combats reprennent à Alep."), ("b", "Homs\n\nAlep et Homs sous les bombes."),
                       ("c", "Note\n\nAlep encore, selon des témoins.")):
        (reports / f"{name}.txt").write_text(text, encoding="utf-8")
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    before = IndexStore(index).current()
    reader = windex.open_dir(str(before)).reader()
    try:
        (leaf, _), = reader.leaf_readers()
        segments = {leaf.segment().segment_id(): []}
        first = [t for t, _ in ((t.decode("utf-8"), i) for t, i in leaf.iter_field("names"))
                 if "Alep" in t and list(leaf_ids(leaf, "names", t)[:1]) == [0]]
        held = [len(leaf_ids(leaf, "names", t)) for t in first]
    finally:
        reader.close()
    assert first and min(held) > 1  # Alep's terms, the first report's first, others' too
    (reports / "a.txt").unlink()
    assert indexing.update(reports, index).removed == 1
    added = AddedSegments(IndexStore(index).current(), segments)
    try:
        assert added.usable and added.same_order
        assert all(added.reports_change([t]) == -1 and added.reports_gone([t]) == 1 for t in first)
    finally:
        added.close()


def test_a_form_carried_past_a_removal_sampled_none_of_the_removed_reports(contexts, tmp_path):
    """A deleted report still counts in its terms' counts, so no key tells that a removal took one of
    the reports the evidence from context sampled for a spelling: each form's samples are noted, and
    a form is carried only when the reports sampled for it are still those."""
    from search.engine.whoosh.added import AddedSegments
    reports, index = contexts
    before = IndexStore(index).current()
    old = Record.read(before)
    for path in sorted(reports.glob("*.txt"))[::3]:  # a third of the reports, of every spelling
        path.unlink()
    assert indexing.update(reports, index, allow_removal=True).removed > 0
    live = IndexStore(index).current()
    reader = windex.open_dir(str(live)).reader()
    added = AddedSegments(live, old.segments)
    try:  # what prejudge does, its decisions at hand
        lexicon = WhooshLexicon(reader, decisions=Decisions(tmp_path / JUDGED))
        vocabulary = RecordingVocabulary(lexicon, old, added)
        judge_names(vocabulary, old.names, index)
        taken = vocabulary.decisions.taken
        assert taken and vocabulary.decisions.fresh  # some forms carried, others judged again
        for digest in taken:
            for (terms, limit, chars), sample in old.samples.items():
                if list(terms) in old.judged[digest].samples:
                    texts = lexicon.texts(list(terms), limit, chars)
                    assert sample == (len(texts), shared_words(texts)), terms
    finally:
        added.close()
        reader.close()
