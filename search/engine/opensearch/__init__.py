"""The OpenSearch adapter: the same service on a cluster, for collections or teams past one machine.

The cluster stores, matches, scores, counts and replicates; everything that makes the service
itself stays in Python: the analyzers (their tokens are sent, ``documents``), name keys, the
verdict, the plan (translated by ``translate``), highlighting.

- ``connection``: where the cluster is (``Cluster``, this adapter's store);
- ``mapping``: a generation's two indexes; ``pairs``: a generation's pair built aside, sealed,
  swapped in, swept, listed, restored;
- ``documents`` and ``bulk``: reports as pre-analyzed documents, sent by N analysis processes;
- ``lexicon`` and ``lexicon_writer``: the name forms and words of a generation, and their counts;
- ``searcher``: the live generation (``OpenSearchEngine``); ``writer``: rebuild and update;
- ``lock``: one writer per collection.
"""
from .connection import BadClusterSetting, Cluster
from .searcher import OpenSearchEngine
from .writer import exists, generations, origin, rebuild, restore, update


def open(cluster: Cluster) -> OpenSearchEngine:  # noqa: A001 (the contract's name)
    return OpenSearchEngine(cluster)


__all__ = ["BadClusterSetting", "Cluster", "OpenSearchEngine", "exists", "generations", "open", "origin", "rebuild",
           "restore", "update"]
