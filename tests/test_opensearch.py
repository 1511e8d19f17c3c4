"""The OpenSearch adapter's own promises, on the real test cluster: our tokens, refused indexes, one writer,
and never a half-built generation served (an error, a failed bulk or a killed writer leave the live one).

The behaviour any engine owes the service is ``test_engine_contract.py``'s, run on both adapters;
the faults of a stopped node are ``test_opensearch_faults.py``'s.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time

import pytest

from search import settings
from search.engine.contract import Filters
from search.engine.opensearch import documents, lock, pairs
from search.engine.opensearch import open as open_engine
from search.engine.opensearch import rebuild, update
from search.errors import IndexBusy, IndexDamaged, IndexingFailed
from search.indexing import RebuildJob, UpdateJob, read_reports
from search.query.nodes import Phrase, Term

from .cluster import collection, opensearch_url
from .conftest import ROOT, write_reports

FEW = {"a.txt": "A\n\nL'armée a frappé al-Bukamal.", "b.txt": "B\n\nUn convoi à Abou Kamal.", "c.txt": "C\n\nRien."}


@pytest.fixture(scope="module")
def url() -> str:
    return opensearch_url()


@pytest.fixture
def live(url, tmp_path):
    """A collection holding FEW, and its folder of reports."""
    with collection(url) as cluster:
        build(cluster, write_reports(tmp_path / "few", FEW))
        yield cluster


def build(cluster, folder, procs: int = 1) -> None:
    rebuild(cluster, RebuildJob(read_reports(folder)), procs=procs)


def many(folder, count: int):
    """``count`` reports as one JSON Lines file."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "many.jsonl", "w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({"id": f"m{n}", "title": f"Dépêche {n}", "text": f"Un convoi {n} vers Alep. " * 30})
                      + "\n")
    return folder


def served(cluster) -> tuple[str, int]:
    """The reports index the alias names, and how many reports a reader sees there."""
    client = cluster.client()
    generation = pairs.live(client, cluster.name)
    return generation.reports, client.count(index=cluster.name)["count"]


def test_a_token_holding_whitespace_stays_one_term():
    for token in ("a b", "a\x1fb", "a\u2003b", "a\tb", "actualitPin "):
        assert len(documents.JAVA_WHITESPACE.split(documents.joined(["ok", token, "ok"]))) == 3
    assert documents.as_term("a b") == "a\u00a0b" and documents.as_term("") == "\u00a0"
    assert documents.joined(["c\u00a0d", "e"]) == "c\u00a0d e"  # a no-break space is no whitespace to Java


def test_a_long_token_is_cut_where_lucene_cuts_it():
    assert documents.as_term("x" * 300) == "x" * 255
    assert documents.as_term("\U0001F600" * 200) == "\U0001F600" * 127  # a surrogate pair is never split


def test_a_folded_token_holding_a_space_is_found_as_it_is_searched(url, tmp_path):
    """Real news holds mojibake that folding spells with spaces (unidecode: 頻 -> "Pin "): indexed,
    searched as a word and inside a phrase, on both engines alike."""
    from search.engine import adapter
    from search.fields import FIELD_ANALYZERS
    folder = write_reports(tmp_path / "r", {"a.txt": "A\n\nL'actualit頻 du Tour頠A.", "b.txt": "B\n\nRien."})
    folded = FIELD_ANALYZERS["folded"].texts
    word, phrase = Term("folded", folded("actualit頻", query=True)[0]), Phrase("folded", tuple(folded("du Tour頠A", query=True)))
    assert " " in word.text
    with collection(url) as cluster:
        build(cluster, folder)
        adapter("whoosh").rebuild(tmp_path / "index", RebuildJob(read_reports(folder)), procs=1)
        for engine in (open_engine(cluster), adapter("whoosh").open(tmp_path / "index")):
            try:
                for node in (word, phrase):
                    assert [h.report.id for h in engine.search(node, Filters(), "relevance", 0, 10).hits] == ["a"]
            finally:
                engine.close()


def test_the_cluster_holds_our_tokens(live):
    engine = open_engine(live)
    try:
        def ids(node) -> set[str]:
            return {h.report.id for h in engine.search(node, Filters(), "relevance", 0, 10).hits}
        assert ids(Term("verbatim", "al-Bukamal")) == {"a"}     # words written as one, one term too
        assert ids(Term("folded", "armee")) == {"a"}             # elided, folded
        assert ids(Phrase("folded", ("abou", "kamal"))) == {"b"}
        assert ids(Phrase("folded", ("kamal", "abou"))) == set()
    finally:
        engine.close()


def test_an_index_built_under_other_rules_is_refused(live, tmp_path):
    client = live.client()
    index, _ = served(live)
    meta = client.indices.get_mapping(index=index)[index]["mappings"]["_meta"]
    client.indices.put_mapping(index=index, body={"_meta": {**meta, "analysis": "other-rules"}})
    with pytest.raises(IndexDamaged, match="une reconstruction est nécessaire"):
        open_engine(live)
    with pytest.raises(IndexDamaged, match="une reconstruction est nécessaire"):
        update(live, UpdateJob(read_reports(write_reports(tmp_path / "few", FEW))))


def test_an_error_mid_rebuild_leaves_the_live_generation(live, tmp_path):
    before = served(live)

    def failing():
        for n, item in enumerate(read_reports(many(tmp_path / "many", 500))):
            if n == 300:
                raise OSError("disque illisible")
            yield item

    with pytest.raises(OSError):
        rebuild(live, RebuildJob(failing()), procs=1)
    assert served(live) == before
    assert list(pairs.all_of(live.client(), live.name)) == [before[0]]  # the half-built one is gone


def test_a_failed_bulk_leaves_the_live_generation(live, tmp_path):
    """The cluster refuses the writes of the generation being built (a write block, set from outside)."""
    before, client = served(live), live.client()
    stop = threading.Event()

    def block_the_new_index():
        while not stop.is_set():
            for index in pairs.all_of(client, live.name):
                if index != before[0]:
                    client.indices.add_block(index=index, block="write")
                    return
            time.sleep(0.05)

    blocker = threading.Thread(target=block_the_new_index)
    blocker.start()
    try:
        with pytest.raises(IndexingFailed):
            build(live, many(tmp_path / "many", 3000))
    finally:
        stop.set()
        blocker.join()
    assert served(live) == before


def test_a_killed_rebuild_leaves_the_live_generation_and_the_next_writer_sweeps_it(live, tmp_path):
    before, client = served(live), live.client()
    folder = many(tmp_path / "many", 4000)
    code = ("import sys; from search.engine.opensearch import Cluster, rebuild; "
            "from search.indexing import RebuildJob, read_reports; "
            f"rebuild(Cluster.parse({','.join(live.urls)!r}, name={live.name!r}), "
            f"RebuildJob(read_reports(sys.argv[1])), procs=1)")
    writer = subprocess.Popen([sys.executable, "-c", code, str(folder)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not [i for i in pairs.all_of(client, live.name) if i != before[0]]:
            assert writer.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(1)  # a few batches in
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait()
    assert served(live) == before
    assert len(pairs.all_of(client, live.name)) == 2  # the killed one, unpublished, still there
    build(live, write_reports(tmp_path / "again", FEW))     # takes the dead writer's lock, sweeps its index
    assert served(live)[1] == len(FEW)
    assert before[0] in pairs.all_of(client, live.name)  # kept as the previous generation
    assert len(pairs.all_of(client, live.name)) == 2


def test_a_second_writer_is_refused(live, tmp_path):
    client = live.client()
    with lock.writer_lock(client, live.name, IndexBusy):
        with pytest.raises(IndexBusy, match="une autre reconstruction ou mise à jour est en cours"):
            build(live, write_reports(tmp_path / "few", FEW))
    build(live, write_reports(tmp_path / "few", FEW))  # released


def test_an_update_that_changes_nothing_writes_nothing(live, tmp_path):
    before = set(pairs.all_of(live.client(), live.name))
    job = UpdateJob(read_reports(write_reports(tmp_path / "few", FEW)))
    update(live, job)
    assert (job.summary.indexed, job.summary.removed, job.summary.unchanged) == (0, 0, 3)
    assert set(pairs.all_of(live.client(), live.name)) == before


def test_parallel_analysis_indexes_the_same_documents(live, tmp_path):
    folder = many(tmp_path / "many", 700)
    build(live, folder, procs=2)
    engine = open_engine(live)
    try:
        assert engine.doc_count() == 700
        assert engine.search(Term("folded", "alep"), Filters(), "relevance", 0, 1).total == 700
        assert engine.vocabulary().words_with_prefix("folded", "ale", 5) == ["alep"]
    finally:
        engine.close()


@pytest.mark.parametrize("searchable", [None, 24], ids=["whole", "cut"])
def test_the_lexicon_follows_updates(url, tmp_path, monkeypatch, searchable):
    """After a rebuild, then an update that changes, removes and adds reports, the cluster's lexicon
    (forms and their report counts, case shares, words by prefix) is, term for term, that of Whoosh's
    index rebuilt from the reports as they are now (Whoosh's own update keeps the terms of deleted
    reports in its counts until segments merge). ``cut``: reports analysed up to 24 characters only
    (``max_indexed_chars``), so what an update subtracts is what was analysed, not the stored opening."""
    if searchable:
        monkeypatch.setitem(settings.DEFAULTS, "max_indexed_chars", searchable)
    first = {"a.txt": "A\n\nAbou Kamal et Boukamal, près d'Alep.", "b.txt": "B\n\nal-Bukamal : frappes à Alep.",
             "c.txt": "C\n\nLes frappes d'Alep.", "d.txt": "D\n\nalep en minuscules, Abu Kamal."}
    folder = write_reports(tmp_path / "reports", first)
    from search.engine import adapter
    whoosh = adapter("whoosh")
    with collection(url, "lexicon") as cluster:
        rebuild(cluster, RebuildJob(read_reports(folder)), procs=1)
        (folder / "a.txt").unlink()
        write_reports(folder, {"b.txt": "B\n\nAl-Boukamal, encore.", "e.txt": "E\n\nAbou Kamal, Alep, alep."})
        update(cluster, UpdateJob(read_reports(folder)))
        whoosh.rebuild(tmp_path / "index", RebuildJob(read_reports(folder)), procs=1)
        engines = [whoosh.open(tmp_path / "index"), open_engine(cluster)]
        try:
            w, o = (e.vocabulary() for e in engines)
            keys = sorted({t.split("\x1f")[0] for k in ("l:bukamal", "sl:BKML", "l:alab", "sl:ALB", "~l:kamal")
                           for t, _ in w.forms(k)} | {"l:bukamal", "sl:BKML", "~l:kamal", "l:alab"})
            assert {k: sorted(v) for k, v in o.forms_of(keys).items()} == {k: sorted(w.forms(k)) for k in keys}
            for word in ("Alep", "alep", "Kamal", "frappes", "Boukamal", "absent"):
                assert o.lower_case(word) == pytest.approx(w.lower_case(word)), word
            for prefix in ("al", "bou", "fr", "k"):
                assert o.words_with_prefix("folded", prefix, 50) == w.words_with_prefix("folded", prefix, 50)
            forms = [t for t, _ in w.forms("l:bukamal")]
            assert o.reports(forms) == w.reports(forms) and forms
        finally:
            for e in engines:
                e.close()


def test_an_index_gone_from_under_the_server_is_a_503_in_json(live, tmp_path):
    from starlette.testclient import TestClient

    from search import settings
    from search.web.app import create_app
    choice = settings.engine_choice("opensearch", tmp_path / "index", opensearch_url=",".join(live.urls),
                                    opensearch_index=live.name)
    with TestClient(create_app(tmp_path / "index", tmp_path, choice=choice), raise_server_exceptions=False) as client:
        assert client.get("/api/search", params={"q": "Alep"}).status_code == 200
        index, _ = served(live)
        live.client().indices.delete(index=f"{index},{index}-lexicon")
        answer = client.get("/api/search", params={"q": "convoi"})
        assert answer.status_code == 503 and "a disparu" in answer.json()["error"]


def test_a_cluster_that_does_not_answer_is_one_line():
    r = subprocess.run([sys.executable, "-m", "search", "query", "Alep", "--engine", "opensearch",
                        "--opensearch-url", "http://127.0.0.1:9"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("erreur : le cluster OpenSearch http://127.0.0.1:9 ne répond pas") and r.stderr.count("\n") == 1


def test_a_plan_past_the_clusters_clause_limit_is_a_bad_request(live):
    from search.errors import BadRequest
    from search.query.nodes import Or
    engine = open_engine(live)
    try:
        with pytest.raises(BadRequest, match="recherche trop vaste"):
            engine.search(Or(tuple(Term("folded", f"w{i}") for i in range(9000))), Filters(), "relevance", 0, 10)
    finally:
        engine.close()


def test_generations_and_restore_through_the_command_line(live, tmp_path):
    """The CLI's generations and restore reach the cluster with the engine flags; an emptied folder is exit 4."""
    flags = ["--engine", "opensearch", "--opensearch-url", ",".join(live.urls), "--opensearch-index", live.name]

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "search", *args, *flags], cwd=ROOT, capture_output=True,
                              text=True, timeout=120)
    first, _ = served(live)
    (tmp_path / "empty").mkdir()
    refused = cli("update", "--reports", str(tmp_path / "empty"))
    assert refused.returncode == 4 and "publierait un index vide" in refused.stderr
    write_reports(tmp_path / "few", {"d.txt": "D\n\nUn drone."})
    assert cli("update", "--reports", str(tmp_path / "few")).returncode == 0
    listed = cli("generations")
    assert listed.returncode == 0 and "2 générations dans « " in listed.stdout
    second, count = served(live)
    assert second != first and count == 4 and f"{second} " in listed.stdout and "en service" in listed.stdout
    back = cli("restore", first)
    assert back.returncode == 0 and first in back.stdout and served(live) == (first, 3)
    missing = cli("restore", f"{live.name}-g20000101-000000-000000")
    assert missing.returncode != 0 and missing.stderr.startswith("erreur : aucune génération")


def test_a_deleted_live_pair_leaves_the_newest_whole_pair_served(live, tmp_path):
    """Its aliases go with a deleted index: the readers then read the newest whole pair kept (as the folder
    store reads the newest whole generation when CURRENT names none), without moving any alias."""
    first, _ = served(live)
    write_reports(tmp_path / "few", {"d.txt": "D\n\nUn drone."})
    update(live, UpdateJob(read_reports(tmp_path / "few")))
    engine = open_engine(live)
    try:
        second, _ = served(live)
        assert engine.doc_count() == 4 and second != first
        live.client().indices.delete(index=f"{second},{second}-lexicon")
        time.sleep(1.2)  # the engine looks the aliases up again once a second
        assert engine.doc_count() == 3 and engine.get("d") is None
        assert engine.search(Term("folded", "convoi"), Filters(), "relevance", 0, 10).total == 1
        assert pairs.live(live.client(), live.name) is None  # readers moved no alias
    finally:
        engine.close()
