"""The ledger on OpenSearch: stored with each generation, given back to the next update.

On the real test cluster: a rebuild stores the job's ledger in the generation's lexicon index,
sealed and published with it; an update of an unchanged folder opens none of its files (the
bytes this process reads say so) and publishes nothing; an added file is indexed, a removed one
removed, an emptied one kept; a generation made before ledgers is read whole once and gets one.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import pytest
from opensearchpy import OpenSearch

from search import indexing
from search.engine.opensearch import ledger as stored_ledger
from search.engine.opensearch import pairs
from search.indexing import Summary
from search.ingest.ledger import Ledger

from .cluster import collection, opensearch_url
from .conftest import write_reports
from .test_update_ledger import aged, read_bytes_of_this_process, record


@pytest.fixture(scope="module")
def url() -> str:
    return opensearch_url()


def the_ledger(cluster) -> Ledger | None:
    client = cluster.client()
    body = stored_ledger.read(client, pairs.live(client, cluster.name).lexicon)
    return Ledger.from_bytes(body) if body is not None else None


def built(cluster, folder) -> Summary:
    """As ``python -m search rebuild --engine opensearch`` does it."""
    return indexing.rebuild(folder, cluster, procs=1, engine="opensearch")


def updated(cluster, folder) -> Summary:
    return indexing.update(folder, cluster, engine="opensearch")


def count(cluster) -> int:
    client = cluster.client()
    client.indices.refresh(index=cluster.name)
    return client.count(index=cluster.name)["count"]


def test_an_unchanged_folder_is_not_read_and_publishes_nothing(url, tmp_path):
    big = "".join(record(n, "Convoi vers Alep, puis vers Homs. " * 60) for n in range(1500))  # 3 MB
    reports = write_reports(tmp_path / "r", {"wire.jsonl": big, "b.txt": "B\n\nÀ Alep."})
    for path in reports.iterdir():
        aged(path)  # past the racy window: the ledger vouches for them
    with collection(url) as cluster:
        built(cluster, reports)
        book = the_ledger(cluster)
        assert book is not None and book.files["wire.jsonl"].size == len(big.encode())
        assert len(book.held) == 1501
        before_indexes = set(pairs.all_of(cluster.client(), cluster.name))
        before = read_bytes_of_this_process()
        job = updated(cluster, reports)
        assert (job.indexed, job.unchanged, job.removed) == (0, 1501, 0)
        assert read_bytes_of_this_process() - before < len(big) // 3  # the ledger, not the file
        assert set(pairs.all_of(cluster.client(), cluster.name)) == before_indexes


def test_added_removed_and_emptied_files_on_the_ledger(url, tmp_path):
    reports = write_reports(tmp_path / "r", {f"{n}.txt": f"R{n}\n\nÀ Homs ({n})." for n in range(4)})
    for path in reports.iterdir():
        aged(path)
    with collection(url) as cluster:
        built(cluster, reports)
        (reports / "new.txt").write_text("N\n\nUn convoi vers Raqa.", encoding="utf-8")
        job = updated(cluster, reports)
        assert (job.indexed, job.unchanged) == (1, 4) and count(cluster) == 5
        assert "new.txt" in the_ledger(cluster).files
        (reports / "3.txt").unlink()
        job = updated(cluster, reports)
        assert (job.indexed, job.removed) == (0, 1) and count(cluster) == 4
        book = the_ledger(cluster)
        assert "3.txt" not in book.files and "3" not in book.held
        os.truncate(reports / "2.txt", 0)  # emptied: its report kept as it was, named in the summary
        job = updated(cluster, reports)
        assert job.kept == {"2.txt": 1} and count(cluster) == 4
        engine_client = cluster.client()
        hit = engine_client.get(index=cluster.name, id=_doc_id("2"))
        assert hit["_source"]["body"] == "À Homs (2)."


def test_a_generation_without_a_ledger_is_read_whole_once_and_gets_one(url, tmp_path):
    reports = write_reports(tmp_path / "r", {"a.txt": "A\n\nÀ Homs.", "b.txt": "B\n\nÀ Alep."})
    for path in reports.iterdir():
        aged(path)
    with collection(url) as cluster:
        built(cluster, reports)
        _drop_ledger(cluster)  # as a generation made before ledgers
        assert the_ledger(cluster) is None
        first = pairs.live(cluster.client(), cluster.name)
        job = updated(cluster, reports)
        assert (job.indexed, job.unchanged) == (0, 2)
        second = pairs.live(cluster.client(), cluster.name)
        assert second != first and set(the_ledger(cluster).files) == {"a.txt", "b.txt"}
        job = updated(cluster, reports)  # now it has one: nothing to publish
        assert pairs.live(cluster.client(), cluster.name) == second and count(cluster) == 2


def _doc_id(report_id: str) -> str:
    from search.engine.opensearch.documents import doc_id
    return doc_id(report_id)


@contextmanager
def live_lexicon(cluster) -> Iterator[tuple[OpenSearch, str]]:
    """The client and the live lexicon index, writable for the block (a sealed one is write-blocked)."""
    client = cluster.client()
    lexicon = pairs.live(client, cluster.name).lexicon
    client.indices.put_settings(index=lexicon, body={"index.blocks.write": False})
    try:
        yield client, lexicon
    finally:
        client.indices.put_settings(index=lexicon, body={"index.blocks.write": True})


def _drop_ledger(cluster) -> None:
    """The live lexicon without its ledger."""
    with live_lexicon(cluster) as (client, lexicon):
        client.delete(index=lexicon, id=stored_ledger.LEDGER_ID, refresh="true")


def test_a_ledger_longer_than_a_part_is_stored_in_parts_and_read_back(url, tmp_path):
    """Parts keep every request far under the cluster's limit; a shorter ledger leaves no stale part."""
    reports = write_reports(tmp_path / "r", {"a.txt": "A\n\nÀ Homs."})
    with collection(url) as cluster:
        built(cluster, reports)
        with live_lexicon(cluster) as (client, lexicon):
            record = os.urandom(5000)  # incompressible: a little over 5,000 bytes once compressed, six parts
            stored_ledger.write(client, lexicon, record, part_bytes=1000)
            assert _part_ids(client, lexicon) == [f"ledger-{n}" for n in range(6)]
            assert stored_ledger.read(client, lexicon) == record
            stored_ledger.write(client, lexicon, b"short", part_bytes=1000)
            assert _part_ids(client, lexicon) == ["ledger-0"]
            assert stored_ledger.read(client, lexicon) == b"short"


def test_a_missing_or_damaged_part_makes_no_ledger_and_the_update_reads_the_files(url, tmp_path):
    """Never trusted when incomplete: the update reads every file once and stores a whole ledger."""
    reports = write_reports(tmp_path / "r", {"a.txt": "A\n\nÀ Homs.", "b.txt": "B\n\nÀ Alep."})
    for path in reports.iterdir():
        aged(path)
    with collection(url) as cluster:
        built(cluster, reports)
        with live_lexicon(cluster) as (client, lexicon):
            client.index(index=lexicon, id="ledger-0", refresh="true",
                         body={"kind": stored_ledger.PART_KIND, "ledger": "AAAA"})  # damaged: its checksum differs
        assert the_ledger(cluster) is None
        job = updated(cluster, reports)
        assert (job.indexed, job.unchanged) == (0, 2)
        assert set(the_ledger(cluster).files) == {"a.txt", "b.txt"}


def test_a_ledger_written_before_parts_is_still_read(url, tmp_path):
    """A generation made by the previous release holds its whole ledger in one document."""
    import base64
    import zlib
    reports = write_reports(tmp_path / "r", {"a.txt": "A\n\nÀ Homs."})
    with collection(url) as cluster:
        built(cluster, reports)
        with live_lexicon(cluster) as (client, lexicon):
            client.delete(index=lexicon, id="ledger-0")
            old = base64.b64encode(zlib.compress(b"older", 6)).decode("ascii")
            client.index(index=lexicon, id=stored_ledger.LEDGER_ID, refresh="true",
                         body={"kind": stored_ledger.KIND, "ledger": old})
            assert stored_ledger.read(client, lexicon) == b"older"


def _part_ids(client, index: str) -> list[str]:
    client.indices.refresh(index=index)
    hits = client.search(index=index, body={"query": {"term": {"kind": stored_ledger.PART_KIND}}, "size": 100,
                                            "_source": False})["hits"]["hits"]
    return sorted((hit["_id"] for hit in hits), key=lambda i: int(i.rsplit("-", 1)[1]))
