"""Reports to the cluster in ``_bulk`` batches, analyzed by N processes.

The analysis (our Python analyzers) is the cost, as with Whoosh: with ``procs`` > 1 it runs in
that many processes, batch by batch, at most a few batches ahead of the one being sent, so
that a collection of any size never sits in memory whole. The cluster indexes a batch while
the next ones are analyzed.

Any item the cluster refuses fails the whole build (``BulkFailed``): a generation missing a
report is never published. Items it only rejects for being busy (429) are sent again.
"""
from __future__ import annotations

import json
import multiprocessing
import time
from collections import deque
from typing import Iterable, Iterator

from opensearchpy import OpenSearch

from search.errors import IndexingFailed
from search.ingest.reports import Report

from .documents import Analyzed, LexiconCounts, analyzed, doc_id

BATCH = 200          # reports per bulk request: a few MB
AHEAD = 2            # batches analyzed ahead, per process
RETRIES = 6          # of the items the cluster was too busy to take


class BulkFailed(IndexingFailed):
    """The cluster refused a document: the generation being built is not published."""


def batches(reports: Iterable[Report], size: int = BATCH) -> Iterator[list[Report]]:
    batch: list[Report] = []
    for report in reports:
        batch.append(report)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze_batch(batch: list[Report]) -> tuple[list[tuple[str, dict]], LexiconCounts]:
    """A batch's (``_id``, document) pairs and its lexicon counts (runs in a worker process)."""
    counts, docs = LexiconCounts(), []
    for report in batch:
        a: Analyzed = analyzed(report)
        counts.add(a)
        docs.append((doc_id(a.id), a.source))
    return docs, counts


def analyzed_batches(reports: Iterable[Report], procs: int) -> Iterator[tuple[list[tuple[str, dict]], LexiconCounts]]:
    """Each batch analyzed, in order; by ``procs`` processes when more than one."""
    if procs <= 1:
        yield from map(analyze_batch, batches(reports))
        return
    with multiprocessing.get_context("fork").Pool(procs) as pool:
        pending: deque = deque()
        for batch in batches(reports):
            pending.append(pool.apply_async(analyze_batch, (batch,)))
            if len(pending) >= procs * AHEAD:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def index_docs(client: OpenSearch, index: str, docs: list[tuple[str, dict]]) -> None:
    send(client, [({"index": {"_index": index, "_id": i}}, source) for i, source in docs])


def delete_docs(client: OpenSearch, index: str, ids: list[str]) -> None:
    send(client, [({"delete": {"_index": index, "_id": i}}, None) for i in ids])


def send(client: OpenSearch, actions: list[tuple[dict, dict | None]]) -> None:
    """One ``_bulk`` of (action, source) pairs; the busy items again, a refused one fails it all."""
    for attempt in range(RETRIES + 1):
        if not actions:
            return
        lines = []
        for action, source in actions:
            lines.append(json.dumps(action, ensure_ascii=False))
            if source is not None:
                lines.append(json.dumps(source, ensure_ascii=False))
        # A shard without a live copy fails its items after 30 s (the default waits a minute). The
        # cluster's ``timeout`` goes in ``params``, and reaches it only beside the client's ``request_timeout``.
        answer = client.bulk(body="\n".join(lines) + "\n", params={"timeout": "30s"}, request_timeout=120)
        if not answer["errors"]:
            return
        busy = []
        for pair, item in zip(actions, answer["items"]):
            result = next(iter(item.values()))
            status = result.get("status", 500)
            if status == 429:
                busy.append(pair)
            elif status >= 300 and not (status == 404 and "delete" in item):
                raise BulkFailed(f"document refusé par OpenSearch ({status}) : {result.get('error')}")
        actions = busy
        time.sleep(0.5 * 2 ** attempt)
    raise BulkFailed(f"OpenSearch est resté trop chargé pour {len(actions)} documents")
