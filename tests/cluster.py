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
