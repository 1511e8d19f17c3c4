"""The OpenSearch cluster the tests run against: found, or skipped with the reason, or failed in CI.

``SEARCH_OPENSEARCH_URL`` names it (default: the local test cluster of
``tools/opensearch_cluster.py``). ``.ci/run`` starts that cluster and sets
``SEARCH_OPENSEARCH_REQUIRED=1``: a cluster that did not come up then fails every test
that needs it, where a developer's machine without one skips them, saying why.
"""
from __future__ import annotations

import json
import os
import urllib.request
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest

from tools import opensearch_cluster


def opensearch_url() -> str:
    """The cluster's URL when it answers; otherwise a skip, or a failure when it is required."""
    url = os.environ.get("SEARCH_OPENSEARCH_URL") or opensearch_cluster.from_env().url
    status = _status(url)
    if status in ("green", "yellow"):
        return url
    reason = (f"pas de cluster OpenSearch sur {url} ({status}) : "
              f"python3 tools/opensearch_cluster.py start, ou SEARCH_OPENSEARCH_URL")
    if os.environ.get("SEARCH_OPENSEARCH_REQUIRED") == "1":
        pytest.fail(f"SEARCH_OPENSEARCH_REQUIRED=1, {reason}", pytrace=False)
    pytest.skip(reason)


def _status(url: str) -> str:
    try:
        with urllib.request.urlopen(f"{url}/_cluster/health?timeout=5s", timeout=10) as r:
            return json.load(r).get("status", "?")
    except (OSError, ValueError) as e:
        return f"injoignable : {e}"


@contextmanager
def collection(url: str, label: str = "test") -> Iterator["Cluster"]:
    """A collection of its own on the cluster (a fresh name), deleted afterwards with all its indexes."""
    from search.engine.opensearch import Cluster
    cluster = Cluster.parse(",".join(_all_nodes(url)), name=f"{label}-{uuid.uuid4().hex[:10]}")
    try:
        yield cluster
    finally:
        client = cluster.client()
        names = [row["index"] for row in client.cat.indices(index=f"{cluster.name}*", format="json")]
        if names:
            client.indices.delete(index=",".join(names), params={"ignore_unavailable": "true"})
        client.close()


def _all_nodes(url: str) -> list[str]:
    """Every node of the test cluster when ``url`` is its first one: a client then survives one stopping."""
    local = opensearch_cluster.from_env()
    return local.urls if url == local.url else [url]
