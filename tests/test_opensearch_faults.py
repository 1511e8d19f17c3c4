"""A node of the test cluster killed for real: searches keep answering, a rebuild completes or leaves the
live generation serving, and nothing half-built is ever served.

Each test kills one node's JVM (SIGKILL, by the PID it wrote) and starts it again afterwards,
waiting for the cluster to be green. It needs the local three-node cluster of
``tools/opensearch_cluster.py``: a cluster of one's own (``SEARCH_OPENSEARCH_URL``) is left alone.
"""
from __future__ import annotations

import signal
import threading
import time

import pytest

from search.engine.contract import Filters
from search.engine.opensearch import pairs
from search.errors import IndexingFailed
from search.engine.opensearch import open as open_engine
from search.query.nodes import Term
from tools import opensearch_cluster

from .cluster import collection, opensearch_url
from .conftest import write_reports
from .test_opensearch import FEW, build, many



@pytest.fixture(scope="module")
def local():
    url = opensearch_url()
    cluster = opensearch_cluster.from_env()
    if url != cluster.url or any(opensearch_cluster.node_pid(cluster, i) is None for i in range(cluster.nodes)):
        pytest.skip(f"les pannes se jouent sur le cluster local de tools/opensearch_cluster.py, pas sur {url}")
    return url, cluster


@pytest.fixture
def killer(local):
    """Kills node i when called; starts every killed node again afterwards and waits for green."""
    _, cluster = local
    killed: list[int] = []

    def kill(i: int) -> None:
        killed.append(i)
        opensearch_cluster.stop_node(cluster, i, sig=signal.SIGKILL)

    yield kill
    for i in killed:
        if opensearch_cluster.node_pid(cluster, i) is None:
            opensearch_cluster.start_node(cluster, i)
    opensearch_cluster.wait_green(cluster)


def primary_node(client, index: str) -> int | None:
    """The number of the node holding the index's primary shard (nodes are named node-<i>)."""
    for row in client.cat.shards(index=index, format="json"):
        if row["prirep"] == "p" and row.get("node"):
            return int(row["node"].rsplit("-", 1)[1])
    return None


def indexed(client, index: str) -> int:
    """Documents the index's primary has taken so far (its count stays 0 until the build's refresh)."""
    return client.indices.stats(index=index, metric="indexing")["_all"]["primaries"]["indexing"]["index_total"]


def test_with_a_replica_searches_keep_answering_when_a_node_dies(local, killer, tmp_path):
    url, cluster_dirs = local
    with collection(url) as cluster:
        build(cluster, many(tmp_path / "many", 300))
        victim = primary_node(cluster.client(), pairs.live(cluster.client(), cluster.name).reports)
        engine = open_engine(cluster)
        try:
            assert engine.search(Term("folded", "alep"), Filters(), "relevance", 0, 10).total == 300
            answers = 0
            timer = threading.Timer(0.5, killer, (victim,))
            timer.start()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                # A new page each time: no answer comes from the engine's memory of results.
                result = engine.search(Term("folded", "alep"), Filters(), "relevance", answers % 290, 10)
                assert result.total == 300 and len(result.hits) == 10
                answers += 1
            timer.join()
            assert answers >= 10 and opensearch_cluster.node_pid(cluster_dirs, victim) is None
        finally:
            engine.close()


@pytest.mark.parametrize("victim", ["the new index's primary", "a node holding none of its primaries"])
def test_a_node_dying_during_a_rebuild_never_serves_a_half_built_generation(local, killer, tmp_path, victim):
    """The new generation has no replica while it is built: losing its primary fails the rebuild
    (the live generation keeps serving); losing a node that holds none, it completes."""
    url, _ = local
    with collection(url) as cluster:
        client = cluster.client()
        build(cluster, write_reports(tmp_path / "few", FEW))
        old = pairs.live(client, cluster.name)
        engine = open_engine(cluster)
        seen: set[int] = set()
        outcome: list[BaseException | None] = []

        def rebuild_many() -> None:
            try:
                build(cluster, many(tmp_path / "many", 2000))
                outcome.append(None)
            except Exception as e:  # noqa: BLE001 - what is served is what is checked
                outcome.append(e)

        writer = threading.Thread(target=rebuild_many)
        writer.start()
        while (new := [i for i in pairs.all_of(client, cluster.name) if i != old.reports]) == []:
            time.sleep(0.05)
        while indexed(client, new[0]) < 400:  # a primary started and holding reports, not yet complete
            time.sleep(0.05)
        holders = {primary_node(client, new[0]), primary_node(client, pairs.Generation.of(new[0]).lexicon)}
        killer(primary_node(client, new[0]) if victim == "the new index's primary" else min({0, 1, 2} - holders))
        while writer.is_alive():
            seen.add(engine.search(None, Filters(), "date", 0, 1).total)
            time.sleep(0.05)
        writer.join()
        time.sleep(1.1)  # the engine looks at the aliases once a second
        final = engine.search(None, Filters(), "date", 0, 1).total
        engine.close()
        assert seen <= {len(FEW), 2000}
        if victim != "the new index's primary":
            assert outcome == [None] and final == 2000
        else:
            assert isinstance(outcome[0], IndexingFailed) and final == len(FEW)
            assert pairs.live(client, cluster.name) == old
