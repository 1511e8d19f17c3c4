"""The local test cluster (``tools/opensearch_cluster.py``), and how the tests find it.

The facts the OpenSearch adapter stands on are checked here against the real cluster:
its version and shape, and what the built-in ``whitespace`` analyzer does with the
characters Java counts as whitespace.
"""
from __future__ import annotations

import json
import urllib.request

import pytest

from tools import opensearch_cluster

from .cluster import opensearch_url


def _get(url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def url() -> str:
    return opensearch_url()


def test_the_cluster_runs_opensearch_2_19(url):
    assert _get(url)["version"]["number"].startswith("2.19.")
    assert _get(f"{url}/_cluster/health")["status"] in ("green", "yellow")


def test_the_whitespace_analyzer_splits_where_java_sees_whitespace(url):
    tokens = _get(f"{url}/_analyze", {"analyzer": "whitespace", "text": "a\x1cb c\u00a0d e\u2003f"})["tokens"]
    # U+001C-U+001F and U+2003 split; the no-break space does not: Java's Character.isWhitespace.
    assert [t["token"] for t in tokens] == ["a", "b", "c\u00a0d", "e", "f"]


def test_a_long_token_is_cut_at_255_characters(url):
    tokens = _get(f"{url}/_analyze", {"analyzer": "whitespace", "text": "x" * 300})["tokens"]
    assert [len(t["token"]) for t in tokens] == [255, 45]


def test_without_a_cluster_a_test_skips_saying_why(monkeypatch):
    monkeypatch.setenv("SEARCH_OPENSEARCH_URL", "http://127.0.0.1:9")
    monkeypatch.delenv("SEARCH_OPENSEARCH_REQUIRED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="pas de cluster OpenSearch sur http://127.0.0.1:9"):
        opensearch_url()


def test_in_ci_a_missing_cluster_fails(monkeypatch):
    monkeypatch.setenv("SEARCH_OPENSEARCH_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("SEARCH_OPENSEARCH_REQUIRED", "1")
    with pytest.raises(pytest.fail.Exception, match="SEARCH_OPENSEARCH_REQUIRED=1"):
        opensearch_url()


def test_the_cluster_script_derives_every_node_setting():
    cluster = opensearch_cluster.Cluster(root=opensearch_cluster.Path("/var/tmp/x"), http_base=9250)
    settings = opensearch_cluster.node_settings(cluster, 2)
    assert (settings["http.port"], settings["transport.port"]) == (9252, 9352)
    assert settings["discovery.seed_hosts"] == ["127.0.0.1:9350", "127.0.0.1:9351", "127.0.0.1:9352"]
    assert settings["path.data"] == "/var/tmp/x/node-2/data" and settings["network.host"] == "127.0.0.1"
