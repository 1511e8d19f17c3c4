"""Where the cluster is and how to reach it: the OpenSearch adapter's ``store``.

The Whoosh adapter's store is a folder; this one is a cluster and a name. ``name`` is the
alias of the live reports index (``search.engine.opensearch.mapping`` names the rest), so
several collections, or a test's, can share a cluster.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from opensearchpy import NotFoundError, OpenSearch
from opensearchpy.exceptions import ConnectionError as ClusterUnreachable
from opensearchpy.exceptions import TransportError

from search.errors import BadRequest, IndexUnavailable

NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,150}")


class BadClusterSetting(BadRequest):
    """A cluster URL, index name or CA file the adapter cannot use."""


@dataclass(frozen=True)
class Cluster:
    """A cluster's nodes (give them all: a node that stops is then skipped) and a collection's name."""
    urls: tuple[str, ...]
    name: str = "revue-presse"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_file: str | None = None
    replicas: int = 1  # copies of each index beside the primary (fewer when the cluster has fewer nodes)

    def __post_init__(self) -> None:
        if not NAME.fullmatch(self.name):
            raise BadClusterSetting(f"nom d'index OpenSearch invalide : {self.name!r} "
                                    "(minuscules, chiffres, « - », « _ » ou « . », 151 caractères au plus)")
        if not self.urls or not all(re.match(r"https?://[^\s/]+", u) for u in self.urls):
            raise BadClusterSetting(f"URL OpenSearch invalide : {', '.join(self.urls) or '(aucune)'}")

    def __str__(self) -> str:
        """How messages name it: « revue-presse » (OpenSearch http://…)"""
        return f"« {self.name} » (OpenSearch {', '.join(self.urls)})"

    @classmethod
    def parse(cls, urls: str, **kwargs) -> "Cluster":
        """``urls``: one URL or several, comma-separated (``http://a:9200,http://b:9200``)."""
        return cls(tuple(u.strip().rstrip("/") for u in urls.split(",") if u.strip()), **kwargs)

    def client(self, timeout: float = 60) -> OpenSearch:
        options: dict = {"hosts": list(self.urls), "timeout": timeout, "max_retries": 3, "retry_on_timeout": True}
        if self.user:
            options["http_auth"] = (self.user, self.password or "")
        if self.ca_file:
            options.update(ca_certs=self.ca_file, verify_certs=True)
        return OpenSearch(**options)


@contextmanager
def reading(cluster: Cluster) -> Iterator[None]:
    """A read the cluster cannot answer, told as the index being unavailable (503; one line)."""
    try:
        yield
    except NotFoundError as e:
        raise IndexUnavailable(f"l'index OpenSearch {cluster} a disparu pendant la lecture ({e.error})") from None
    except TransportError as e:
        if "too_many_clauses" in _causes(e):  # a plan past the cluster's indices.query.bool.max_clause_count
            raise BadRequest("recherche trop vaste pour le cluster OpenSearch (trop de mots ou de graphies "
                             "à la fois) : retirez-en, ou relevez indices.query.bool.max_clause_count") from None
        raise IndexUnavailable(unreachable(cluster, e)) from None


def _causes(e: TransportError) -> set[str]:
    """Every error type in a cluster's refusal: its causes nest (a shard's failure caused by…)."""
    found: set[str] = set()
    todo = [e.info]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            found.add(str(item.get("type", "")))
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return found


def unreachable(cluster: Cluster, e: Exception) -> str:
    return f"le cluster OpenSearch {', '.join(cluster.urls)} ne répond pas ({type(e).__name__})"
