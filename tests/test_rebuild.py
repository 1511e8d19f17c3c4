"""Rebuilds never leave a half-built index to read; updates are incremental."""
import pytest

from search import indexing
from search.engine import adapter
from search.engine.store import IndexStore
from search.engine.whoosh import searcher as searcher_module
from search.errors import IndexBusy
from search.ingest.reports import iter_reports
from search.params import SearchParams
from search.service import SearchService

from .conftest import write_reports


def total(index, q=""):
    return index.run(SearchParams(q=q)).total


@pytest.fixture
def built(tmp_path):
    reports = write_reports(tmp_path / "reports", {"a.txt": "Alpha\n\nLe convoi a quitté Alep.", "b.txt": "Beta\n\nRien."})
    index = tmp_path / "index"
    indexing.rebuild(reports, index, procs=1)
    return reports, index


def failing(reports, after=1):
    for n, item in enumerate(iter_reports(reports)):
        if n == after:
            raise RuntimeError("disk full")
        yield item


def test_failed_rebuild_leaves_old_index_whole(built):
    reports, index = built
    store = IndexStore(index)
    live = store.current()
    write_reports(reports, {"c.txt": "Gamma\n\nNouveau."})
    with pytest.raises(RuntimeError, match="disk full"):
        adapter().rebuild(index, indexing.RebuildJob(failing(reports)), procs=1)
    assert store.current() == live
    assert not list(index.glob("tmp-*"))
    ix = SearchService.open(index)
    assert total(ix) == 2 and total(ix, "Alep") == 1
    ix.close()


def test_second_writer_is_refused_at_once(built):
    reports, index = built
    with IndexStore(index).lock():
        with pytest.raises(IndexBusy, match="une autre reconstruction"):
            indexing.rebuild(reports, index, procs=1)


def test_leftover_build_of_a_killed_rebuild_is_swept(built):
    reports, index = built
    (index / "tmp-00000000000000000001-1").mkdir()
    (index / "tmp-00000000000000000001-1" / "junk").write_text("half")
    indexing.rebuild(reports, index, procs=1)
    assert not list(index.glob("tmp-*"))
    assert len(list(index.glob("gen-*"))) == 2  # the live one and the one before


def test_open_index_sees_a_rebuild_without_restart(built, monkeypatch):
    reports, index = built
    monkeypatch.setattr(searcher_module, "RECHECK_SECONDS", 0.0)
    ix = SearchService.open(index)
    assert total(ix) == 2
    write_reports(reports, {"c.txt": "Gamma\n\nNouveau à Alep."})
    indexing.rebuild(reports, index, procs=1)
    assert total(ix) == 3 and total(ix, "Alep") == 2
    ix.close()


def test_update_adds_changes_and_removes(built, monkeypatch):
    reports, index = built
    monkeypatch.setattr(searcher_module, "RECHECK_SECONDS", 0.0)
    ix = SearchService.open(index)
    write_reports(reports, {"a.txt": "Alpha\n\nLe convoi a quitté Homs.", "c.txt": "Gamma\n\nNouveau."})
    (reports / "b.txt").unlink()
    summary = indexing.update(reports, index)
    assert (summary.indexed, summary.removed, summary.unchanged) == (2, 1, 0)
    assert total(ix) == 2 and total(ix, "Homs") == 1 and total(ix, "Alep") == 0
    assert indexing.update(reports, index).unchanged == 2
    ix.close()


def test_missing_index_is_a_clear_error(tmp_path):
    from search.errors import IndexMissing
    with pytest.raises(IndexMissing, match="rebuild"):
        indexing.open_index(tmp_path / "nothing")


def test_skipped_files_are_reported_not_fatal(tmp_path):
    reports = write_reports(tmp_path / "reports", {
        "ok.txt": "Titre\n\nTexte.", "empty.txt": "", "binary.txt": b"\x00\x01\x02PNG",
        "old.txt": "Caf\xe9 \xe0 Damas\n\nTexte.".encode("cp1252")})
    summary = indexing.rebuild(reports, tmp_path / "index", procs=1)
    assert summary.indexed == 2
    assert {s.path for s in summary.skipped} == {"empty.txt", "binary.txt"}
    assert any("cp1252" in w for w in summary.warnings)
