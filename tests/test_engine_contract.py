"""The engine contract (``search.engine.contract``): what any adapter must do, checked on a real index.

Each test takes the adapter as a parameter; a new engine joins ``ADAPTERS`` and
must pass them all. Expected answers are worked out from the reports themselves,
not from the engine. The OpenSearch adapter runs on the real test cluster
(``tests/cluster.py``: skipped without one, failed in CI).
"""
from __future__ import annotations

from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from search.engine import adapter as load_adapter
from search.engine.contract import Filters, StoredReport
from search.errors import RemovalRefused
from search import settings
from search.indexing import RebuildJob, UpdateJob, guard, read_reports
from search.ingest.dates import period_of
from search.query import nodes as plan
from search.query.planner import Planner
from search.query.syntax import parse

from .cluster import collection, opensearch_url
from .conftest import write_reports

ADAPTERS = ["whoosh", "opensearch"]
SOURCES = ("AFP", "Reuters", "SANA")
WORDS = ("frappe", "convoi", "frontière", "réunion", "drone")


def _report(i: int) -> tuple[str, str]:
    """Report i: a source and a date drawn from i, words from i's digits, names every third."""
    source = SOURCES[i % 3]
    date = f"date: 2023-{i % 12 + 1:02d}-{i % 27 + 1:02d}\n" if i % 5 else ""  # every fifth undated
    words = " ".join(WORDS[j] for j in range(len(WORDS)) if (i >> j) & 1) or "rien"
    name = " près de Boukamal" if i % 3 == 0 else ""
    text = f"source: {source}\n{date}Rapport {i}\n\nUne {words} a été signalée{name}. Le convoi frontière " \
           f"{'passe' if i % 4 else 'convoi frontière'}."
    return f"r{i:02d}.txt", text


REPORTS = dict(_report(i) for i in range(40))


@contextmanager
def located(name: str, folder: Path) -> Iterator[object]:
    """Where adapter ``name`` keeps a new index: a folder, or a collection of its own on the cluster."""
    if name == "whoosh":
        yield folder / "index"
        return
    with collection(opensearch_url(), "contract") as cluster:
        yield cluster


@pytest.fixture(scope="module", params=ADAPTERS)
def engine(request, tmp_path_factory):
    adapter = load_adapter(request.param)
    root = tmp_path_factory.mktemp("contract")
    write_reports(root / "reports", REPORTS)
    with located(request.param, root) as location:
        job = RebuildJob(read_reports(root / "reports"))
        adapter.rebuild(location, job, procs=1)
        summary = job.summary
        assert summary.indexed == len(REPORTS)
        opened = adapter.open(location)
        yield opened
        opened.close()


def _with(word: str) -> set[str]:
    return {path[:-4] for path, text in REPORTS.items() if word in text.split("\n\n", 1)[1]}


def _ids(result) -> list[str]:
    return [h.report.id for h in result.hits]


def _all(engine, node, filters=Filters(), sort="relevance"):
    first = engine.search(node, filters, sort, 0, 100)
    return first, _ids(first)


def test_every_report_is_counted_and_stored_whole(engine):
    assert engine.doc_count() == len(REPORTS)
    report = engine.get("r06")
    assert isinstance(report, StoredReport)
    assert (report.id, report.title, report.source) == ("r06", "Rapport 6", "AFP")
    assert report.body.startswith("Une convoi frontière a été signalée près de Boukamal.")
    assert period_of(report.date_start, report.date_end, report.precision).iso == "2023-07-07"
    assert report.path == "r06.txt" and (report.precision, report.date_start) == ("day", 20230707)
    five = engine.get("r05")
    assert (five.date_start, five.date_end, five.precision) == (0, 0, None)
    assert engine.get("absent") is None


def test_a_term_matches_exactly_the_reports_holding_it(engine):
    result, ids = _all(engine, plan.Term("folded", "drone"))
    assert set(ids) == _with("drone") and result.total == len(ids)
    assert all(h.score > 0 for h in result.hits)


def test_or_and_and_not_combine_as_sets(engine):
    drone, frappe = plan.Term("folded", "drone"), plan.Term("folded", "frappe")
    assert set(_all(engine, plan.Or((drone, frappe)))[1]) == _with("drone") | _with("frappe")
    assert set(_all(engine, plan.And((drone, frappe)))[1]) == _with("drone") & _with("frappe")
    assert set(_all(engine, plan.AndNot(drone, frappe))[1]) == _with("drone") - _with("frappe")
    assert set(_all(engine, plan.AndNot(plan.Every(), drone))[1]) == set(r[:-4] for r in REPORTS) - _with("drone")
    assert engine.search(plan.Nothing(), Filters(), "relevance", 0, 10).total == 0


def test_scores_add_up_in_or_and_take_the_best_in_dismax(engine):
    drone, frappe = plan.Term("folded", "drone"), plan.Term("folded", "frappe")
    both = (_with("drone") & _with("frappe")).pop()

    def score(node) -> float:
        return {h.report.id: h.score for h in engine.search(node, Filters(), "relevance", 0, 100).hits}[both]

    assert score(plan.Or((drone, frappe))) == pytest.approx(score(drone) + score(frappe))
    assert score(plan.DisMax((drone, frappe))) == pytest.approx(max(score(drone), score(frappe)))
    assert score(plan.Term("folded", "drone", boost=3.0)) == pytest.approx(3 * score(drone))


def test_and_maybe_keeps_the_matches_and_lifts_the_scores(engine):
    convoi, drone = plan.Term("folded", "convoi"), plan.Term("folded", "drone")
    plain, lifted = _all(engine, convoi), _all(engine, plan.AndMaybe(convoi, drone))
    assert set(plain[1]) == set(lifted[1])
    first_with_drone = lifted[1].index(next(i for i in lifted[1] if i in _with("drone")))
    assert first_with_drone == 0  # every drone report now ranks above those without


def test_a_prefix_matches_its_words_all_scored_alike(engine):
    result, ids = _all(engine, plan.Prefix("folded", "fr", ("frappe", "frontiere"), 4.0))
    assert set(ids) == _with("frappe") | _with("frontière")
    assert {h.score for h in result.hits} == {4.0}


def test_a_phrase_needs_its_words_in_order(engine):
    _, ids = _all(engine, plan.Phrase("folded", ("convoi", "frontiere", "convoi")))
    assert set(ids) == {path[:-4] for path, text in REPORTS.items() if "convoi frontière convoi" in text}
    _, reversed_ids = _all(engine, plan.Phrase("folded", ("frontiere", "convoi", "frontiere")))
    assert set(reversed_ids) == set(ids)  # "convoi frontière convoi frontière" holds both orders


def test_filters_and_facets_count_under_every_filter_but_their_own(engine):
    node = plan.Term("folded", "convoi")
    matched = _with("convoi")
    afp = {i for i in matched if int(i[1:]) % 3 == 0}
    november = {i for i in matched if int(i[1:]) % 5 and int(i[1:]) % 12 + 1 == 11}
    f = Filters(sources=("AFP",), start=20231101, end=20231130)
    result = engine.search(node, f, "relevance", 0, 100)
    assert set(_ids(result)) == afp & november and result.total == len(afp & november)
    by_source = {s: sum(1 for i in november if SOURCES[int(i[1:]) % 3] == s) for s in SOURCES}
    assert result.sources == {s: n for s, n in by_source.items() if n}
    dated_afp = [int(i[1:]) for i in afp if int(i[1:]) % 5]
    months = {}
    for i in dated_afp:
        months[f"2023-{i % 12 + 1:02d}"] = months.get(f"2023-{i % 12 + 1:02d}", 0) + 1
    assert result.months == months
    assert result.undated == sum(1 for i in afp if int(i[1:]) % 5 == 0)


def test_date_order_is_newest_first_and_undated_last(engine):
    result, ids = _all(engine, None, sort="date")
    assert result.total == len(REPORTS) and all(h.score is None for h in result.hits)
    dates = [engine.get(i).date_start for i in ids]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=True) and dates[len(dated):] == [0] * (len(dates) - len(dated))


def test_pages_cut_one_order(engine):
    node = plan.Term("folded", "convoi")
    whole = _ids(engine.search(node, Filters(), "relevance", 0, 100))
    pages = [_ids(engine.search(node, Filters(), "relevance", offset, 7)) for offset in range(0, len(whole), 7)]
    assert sum(pages, []) == whole
    assert engine.search(node, Filters(), "relevance", 500, 10).hits == []
    assert engine.search(node, Filters(), "relevance", 0, 10, facets=False).total == len(whole)


def test_ids_are_every_match_under_the_filters(engine):
    node = plan.Term("folded", "convoi")
    assert sorted(engine.ids(node, Filters())) == sorted(_with("convoi"))
    afp = Filters(sources=("AFP",))
    assert sorted(engine.ids(node, afp)) == sorted(_ids(engine.search(node, afp, "relevance", 0, 100)))
    assert sorted(engine.ids(None, Filters(undated=True))) == sorted(f"r{i:02d}" for i in range(40) if i % 5 == 0)
    assert engine.ids(plan.Nothing(), Filters()) == []


def test_suggestions_near_and_by_their_start(engine):
    assert engine.suggest("Boukamall")[0] == ("Boukamal", len(_with("Boukamal")))
    assert ("convoi", len(_with("convoi"))) in engine.suggest("convio")  # a swap of neighbours is one edit
    assert engine.suggest("Zorglub") == []
    assert engine.complete("bouk") == engine.complete("BOUK") == [("Boukamal", len(_with("Boukamal")))]
    assert engine.complete("zz") == []


def test_the_vocabulary_serves_planning(engine):
    vocabulary = engine.vocabulary()
    assert vocabulary.words_with_prefix("folded", "fr", 10) == ["frappe", "frontiere"]
    assert vocabulary.words_with_prefix("folded", "fr", 1) == ["frappe"]
    planner = Planner(vocabulary, max_prefix_terms=4)
    planned = planner.plan(parse("Boukamal").node)
    assert any(v.spelling == "Boukamal" and v.accepted and v.reports == len(_with("Boukamal")) for v in planned.variants)
    assert set(_all(engine, planned.node)[1]) == _with("Boukamal")


def test_the_vocabulary_gives_the_reports_around_a_name(engine):
    """What a name's context is read from (``search.names.context``): the openings of some reports
    writing it, the same ones when asked again, and the collection's reports per folded word."""
    vocabulary = engine.vocabulary()
    boukamal = next(v for v in Planner(vocabulary, max_prefix_terms=4).plan(parse("Boukamal").node).variants
                    if v.spelling == "Boukamal")
    opening = {f"Rapport {int(i[1:])}\n{REPORTS[i + '.txt'].split(chr(10) * 2, 1)[1][:30]}" for i in _with("Boukamal")}
    some = vocabulary.texts(sorted(boukamal.terms), 5, 30)
    assert len(some) == len(set(some)) == 5 and set(some) <= opening
    assert vocabulary.texts(sorted(boukamal.terms), 5, 30) == some
    every = vocabulary.texts(sorted(boukamal.terms), 100, 10_000)
    assert len(every) == len(_with("Boukamal")) and all("Boukamal" in t for t in every)
    assert vocabulary.texts(["absent"], 5, 30) == []
    assert vocabulary.word_reports(["frappe", "convoi", "absent"]) == (
        len(REPORTS), {"frappe": len(_with("frappe")), "convoi": len(REPORTS), "absent": 0})


@pytest.mark.parametrize("name", ADAPTERS)
def test_an_update_removes_changes_and_adds(name, tmp_path):
    adapter = load_adapter(name)
    reports = {"a.txt": "A\n\nUn drone.", "b.txt": "B\n\nUn drone et un convoi.", "c.txt": "C\n\nUn convoi."}
    write_reports(tmp_path / "reports", reports)
    with located(name, tmp_path) as index:
        adapter.rebuild(index, RebuildJob(read_reports(tmp_path / "reports")), procs=1)
        (tmp_path / "reports" / "a.txt").unlink()
        write_reports(tmp_path / "reports", {"c.txt": "C\n\nUn drone.", "d.txt": "D\n\nUn drone encore."})
        job = UpdateJob(read_reports(tmp_path / "reports"))
        adapter.update(index, job)
        assert (job.summary.indexed, job.summary.removed, job.summary.unchanged) == (2, 1, 1)
        with closing(adapter.open(index)) as engine:
            drone = engine.search(plan.Term("folded", "drone"), Filters(), "relevance", 0, 10)
            assert sorted(_ids(drone)) == ["b", "c", "d"] and drone.total == 3
            assert _ids(engine.search(plan.Term("folded", "convoi"), Filters(), "relevance", 0, 10)) == ["b"]
            every = engine.search(None, Filters(), "date", 0, 10)
            assert sorted(_ids(every)) == ["b", "c", "d"] and every.undated == 3
            assert engine.get("a") is None and engine.doc_count() == 3
            assert sorted(engine.ids(None, Filters())) == ["b", "c", "d"]  # a changed report once, a removed one gone
            assert sorted(engine.ids(plan.Term("folded", "drone"), Filters())) == ["b", "c", "d"]



@pytest.mark.parametrize("name", ADAPTERS)
def test_a_spellings_reports_are_its_live_reports_once_after_an_update(name, tmp_path):
    """A spelling's reports (its case variants' postings, read block by block) count each report
    once, and none an update removed or changed (deleted documents of an older segment)."""
    adapter = load_adapter(name)
    write_reports(tmp_path / "reports", {"a.txt": "A\n\nBoukamal ici.", "b.txt": "B\n\nBOUKAMAL et Boukamal.",
                                         "c.txt": "C\n\nVers Boukamal."})
    with located(name, tmp_path) as index:
        adapter.rebuild(index, RebuildJob(read_reports(tmp_path / "reports")), procs=1)
        (tmp_path / "reports" / "a.txt").unlink()
        write_reports(tmp_path / "reports", {"c.txt": "C\n\nRien.", "d.txt": "D\n\nBoukamal encore."})
        adapter.update(index, UpdateJob(read_reports(tmp_path / "reports")))
        with closing(adapter.open(index)) as engine:
            planned = Planner(engine.vocabulary(), max_prefix_terms=4).plan(parse("Boukamal").node)
            found = next(v for v in planned.variants if v.spelling == "Boukamal")
            assert set(found.forms) == {"Boukamal", "BOUKAMAL"}
            assert found.reports == 2  # b (both spellings) and d; a removed, c changed
            assert engine.vocabulary().reports(sorted(found.terms)) == 2
            assert engine.vocabulary().reports(["v:BOUKAMAL"]) == 1
            assert engine.vocabulary().reports(["v:Nulle part"]) == 0

def test_oldest_first_puts_the_undated_last(engine):
    _, ids = _all(engine, plan.Term("folded", "convoi"), sort="oldest")
    dates = [engine.get(i).date_start for i in ids]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[len(dated):] == [0] * (len(dates) - len(dated)) and dated


def test_undated_only_keeps_the_reports_without_a_date(engine):
    result, ids = _all(engine, plan.Term("folded", "convoi"), Filters(undated=True))
    assert set(ids) == {i for i in _with("convoi") if int(i[1:]) % 5 == 0}
    assert result.undated == len(ids) and sum(result.months.values()) == len(_with("convoi")) - len(ids)


def test_related_reports_leave_the_report_out(engine):
    related = engine.related("r03")
    assert related and all(isinstance(r, StoredReport) for r in related) and "r03" not in {r.id for r in related}
    assert engine.related("absent") == []


def test_a_deadline_past_gives_a_subset_and_says_so(engine):
    node = plan.Or((plan.Term("folded", "drone"), plan.Term("folded", "reunion"), plan.Term("folded", "passe")))
    cut = engine.search(node, Filters(), "relevance", 0, 100, deadline=0.0)  # long past
    whole = set(_ids(engine.search(node, Filters(), "relevance", 0, 100)))  # a whole answer may be remembered
    assert cut.partial and set(_ids(cut)) <= whole
    assert not engine.search(node, Filters(), "relevance", 0, 100, deadline=None).partial


def test_the_whole_text_of_a_report(engine):
    assert engine.text("r06") == engine.get("r06").body and engine.get("r06").length is None
    assert engine.text("absent") is None


class Refusing(RebuildJob):
    """A job that refuses to publish: what the removal guard does."""

    def publishing(self, live, new):
        self.seen = (live, new)
        raise RemovalRefused("non")


@pytest.mark.parametrize("name", ADAPTERS)
def test_a_job_that_refuses_publishes_nothing_and_generations_can_be_restored(name, tmp_path):
    adapter = load_adapter(name)
    write_reports(tmp_path / "reports", {"a.txt": "A\n\nUn drone.", "b.txt": "B\n\nUn convoi."})
    with located(name, tmp_path) as index:
        _refuse_then_restore(adapter, index, tmp_path)


def _refuse_then_restore(adapter, index, tmp_path) -> None:
    adapter.rebuild(index, RebuildJob(read_reports(tmp_path / "reports")), procs=1)
    [first] = adapter.generations(index)
    assert (first.reports, first.live, first.problem) == (2, True, None)
    write_reports(tmp_path / "reports", {"c.txt": "C\n\nUn drone encore."})
    job = Refusing(read_reports(tmp_path / "reports"))
    with pytest.raises(RemovalRefused):
        adapter.rebuild(index, job, procs=1)
    assert job.seen == (2, 3) and [g.name for g in adapter.generations(index)] == [first.name]
    adapter.update(index, UpdateJob(read_reports(tmp_path / "reports")))
    second, *before = adapter.generations(index)  # and any copy the adapter keeps apart from the live one
    assert (second.reports, second.live) == (3, True)
    assert first.name in {g.name for g in before} and not any(g.live for g in before)
    assert adapter.restore(index, first.name).live
    with closing(adapter.open(index)) as engine:
        assert engine.doc_count() == 2


@pytest.mark.parametrize("name", ADAPTERS)
def test_an_index_of_no_report_opens_and_answers(name, tmp_path):
    (tmp_path / "reports").mkdir()
    adapter = load_adapter(name)
    with located(name, tmp_path) as index:
        adapter.rebuild(index, RebuildJob(read_reports(tmp_path / "reports"), removal=guard(True)), procs=1)
        assert [(g.reports, g.live) for g in adapter.generations(index)] == [(0, True)]
        with closing(adapter.open(index)) as engine:
            assert engine.doc_count() == 0 and engine.ids(None, Filters()) == []
            found = engine.search(plan.Term("folded", "drone"), Filters(), "relevance", 0, 10)
            every = engine.search(None, Filters(), "date", 0, 10)
            assert (found.total, every.total, every.undated, found.hits) == (0, 0, 0, [])
            assert engine.complete("Bou") == [] and engine.get("a") is None and engine.text("a") is None


@pytest.mark.parametrize("name", ADAPTERS)
def test_the_removal_guard_keeps_the_live_index(name, tmp_path):
    """An emptied reports folder (an unmounted share looks the same) publishes nothing, rebuild or update."""
    adapter = load_adapter(name)
    write_reports(tmp_path / "reports", {f"r{i}.txt": f"R{i}\n\nUn drone." for i in range(12)})
    with located(name, tmp_path) as index:
        adapter.rebuild(index, RebuildJob(read_reports(tmp_path / "reports")), procs=1)
        for path in (tmp_path / "reports").iterdir():
            path.unlink()
        with pytest.raises(RemovalRefused, match="publierait un index vide"):
            adapter.update(index, UpdateJob(read_reports(tmp_path / "reports")))
        with pytest.raises(RemovalRefused, match="publierait un index vide"):
            adapter.rebuild(index, RebuildJob(read_reports(tmp_path / "reports")), procs=1)
        assert [(g.reports, g.live) for g in adapter.generations(index)] == [(12, True)]
        with closing(adapter.open(index)) as engine:
            assert engine.doc_count() == 12


@pytest.mark.parametrize("name", ADAPTERS)
def test_a_report_past_its_searchable_part_is_kept_whole(name, tmp_path, monkeypatch):
    monkeypatch.setitem(settings.DEFAULTS, "max_indexed_chars", 60)
    long = "Un convoi passe la frontière. " * 4 + "Puis un drone."  # the drone past the 60 characters
    write_reports(tmp_path / "reports", {"long.txt": f"Long\n\n{long}", "short.txt": "Court\n\nUn drone."})
    adapter = load_adapter(name)
    with located(name, tmp_path) as index:
        job = RebuildJob(read_reports(tmp_path / "reports"))
        adapter.rebuild(index, job, procs=1)
        assert any("seuls les 60 premiers" in w for w in job.summary.warnings)
        with closing(adapter.open(index)) as engine:
            stored, whole = engine.get("long"), engine.text("long")
            assert whole == long and stored.length == len(long) and stored.body == long[:60]
            assert stored.text_length == len(long) and engine.get("short").length is None
            assert _ids(engine.search(plan.Term("folded", "drone"), Filters(), "relevance", 0, 10)) == ["short"]
            assert _ids(engine.search(plan.Term("folded", "convoi"), Filters(), "relevance", 0, 10)) == ["long"]
