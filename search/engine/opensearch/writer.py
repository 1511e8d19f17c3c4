"""Writing the collection: every rebuild and every update makes a new generation, published when whole.

A rebuild fills a new pair of indexes (``pairs``); an update starts from a ``_clone`` of
the live pair (the live indexes are write-blocked once sealed, which cloning needs; the clone
shares their segment files, as the Whoosh update's hard links do), applies the job's changes
and removals to it, and publishes it only when something changed. The live pair is never
written: a failed bulk, a stopped node or a killed writer leaves the aliases on it, and the
next writer sweeps what was left half-built.

What to change is the job's to decide (``search.indexing``: content hashes, reports kept when
their file cannot be read); the adapter gives it the ledger stored with the live generation
(``ledger``) and answers what that generation holds only if asked (it is not, with a ledger:
reading every report's hash back costs a scroll of the whole index). Each new generation stores
the job's ledger before it is sealed and published.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator, Mapping

from opensearchpy import OpenSearch, RequestError
from opensearchpy.exceptions import ConnectionError as ClusterUnreachable
from opensearchpy.exceptions import TransportError

from search.engine.contract import GenerationInfo, Held, RebuildWork, UpdateWork
from search.fields import ANALYSIS_VERSION
from search.errors import IndexBusy, IndexDamaged, IndexingFailed, IndexMissing, IndexUnavailable
from search.ingest.reports import Report

from . import ledger, lexicon_writer, mapping, pairs
from .bulk import BATCH, analyzed_batches, delete_docs, index_docs
from .connection import Cluster
from .documents import LexiconCounts, analyzed, doc_id, lexicon_terms
from .pairs import Generation
from .lock import writer_lock

log = logging.getLogger("search.opensearch")
HELD_PAGE = 10_000


@contextmanager
def _told(cluster: Cluster) -> Iterator[None]:
    """The cluster's refusals and silences as one-line errors (the live generation is left as it was)."""
    try:
        yield
    except pairs.GenerationRefused as e:
        raise IndexDamaged(str(e)) from None
    except ClusterUnreachable as e:
        raise IndexingFailed(f"le cluster OpenSearch {', '.join(cluster.urls)} ne répond pas ({e.error}) ; "
                             "l'index en service reste tel quel") from None
    except TransportError as e:
        raise IndexingFailed(f"OpenSearch a refusé l'écriture ({e.status_code} {e.error}) ; "
                             "l'index en service reste tel quel") from None


def rebuild(cluster: Cluster, job: RebuildWork, procs: int = 1) -> None:
    """Fill a new generation with the job's reports, analyzed by ``procs`` processes; publish it whole."""
    client = cluster.client()
    with _told(cluster), writer_lock(client, cluster.name, IndexBusy):
        old = pairs.live(client, cluster.name)
        new = pairs.new(cluster.name)
        analysis = ANALYSIS_VERSION
        pairs.create(client, new.reports, mapping.reports_index(analysis))
        pairs.create(client, new.lexicon, mapping.lexicon_index(analysis))
        try:
            counts, sent = LexiconCounts(), 0
            for docs, batch_counts in analyzed_batches(job.reports(), procs):
                index_docs(client, new.reports, docs)
                counts.merge(batch_counts)
                sent += len(docs)
            job.writing(sent, 0.0)  # every report read and sent: the lexicon, then the replicas
            lexicon_writer.write_all(client, new.lexicon, counts)
            ledger.write(client, new.lexicon, job.record())
            job.writing(sent, 0.5)
            job.publishing(pairs.count_of(client, old), sent)  # before the replicas' wait: a refusal is cheap
            _seal(client, cluster, new, sent, job.origin)
            job.writing(sent, 1.0)
        except BaseException:
            pairs.discard(client, new)
            raise
        _publish(client, cluster, new, old)


def update(cluster: Cluster, job: UpdateWork) -> None:
    """Apply the job's changes and removals to a clone of the live generation; publish it if anything
    changed (an update that changes nothing writes nothing, not even the clone)."""
    client = cluster.client()
    with _told(cluster), writer_lock(client, cluster.name, IndexBusy):
        old = pairs.live(client, cluster.name)
        if old is None:
            raise IndexMissing(f"aucun index OpenSearch « {cluster.name} » à mettre à jour")
        pairs.check(client, old, ANALYSIS_VERSION)
        work = _Update(client, cluster.name, old)
        try:
            work.apply(job)
            if not job.changed:  # nothing indexed nor removed, and the live generation has its ledger
                return
            new = work.target()  # a first ledger may be all that changed: the clone is made for it
            lexicon_writer.apply_changes(client, new.lexicon, work.delta)
            ledger.write(client, new.lexicon, job.record())
            live = pairs.count_of(client, old) or 0
            count = live + work.added - work.removed
            job.publishing(live, count)
            _seal(client, cluster, new, count, job.origin)
        except BaseException:
            if work.new is not None:
                pairs.discard(client, work.new)
            raise
        _publish(client, cluster, new, old)


class _Update:
    """One update's writing: the clone made at the first change, the lexicon's counts to add."""

    def __init__(self, client: OpenSearch, name: str, old: Generation):
        self.client, self.name, self.old = client, name, old
        self.held = _LazyHeld(client, old.reports)
        self.new: Generation | None = None
        self.delta = LexiconCounts()
        self.added = 0  # reports new to the collection (not replacing one)
        self.removed = 0

    def apply(self, job: UpdateWork) -> None:
        changed: list[Report] = []
        for report in job.changes(self.held, ledger.read(self.client, self.old.lexicon)):
            changed.append(report)
            if len(changed) >= BATCH:
                self._index(changed)
                changed = []
        self._index(changed)
        self._remove(job.removals(self.held))

    def target(self) -> Generation:
        """The clone being written, made at the first change."""
        if self.new is None:
            self.new = pairs.new(self.name)
            _clone(self.client, self.old, self.new)
        return self.new

    def _index(self, reports: list[Report]) -> None:
        if not reports:
            return
        target = self.target()
        # The live generation says which of them it holds (to replace): no list of held ids needed.
        replaced = _forget(self.client, self.old.reports, [r.id for r in reports], self.delta)
        docs = []
        for report in reports:
            a = analyzed(report)
            self.delta.add(a)
            self.added += report.id not in replaced
            docs.append((doc_id(a.id), a.source))
        index_docs(self.client, target.reports, docs)

    def _remove(self, report_ids: list[str]) -> None:
        if report_ids:
            self.removed = len(_forget(self.client, self.old.reports, report_ids, self.delta))
            delete_docs(self.client, self.target().reports, [doc_id(i) for i in report_ids])


def _forget(client: OpenSearch, index: str, report_ids: list[str], delta: LexiconCounts) -> set[str]:
    """Subtract what these reports of the live generation count in the lexicon (read back, analyzed
    again); returns the ids it holds."""
    held: set[str] = set()
    for start in range(0, len(report_ids), BATCH):
        ids = [doc_id(i) for i in report_ids[start:start + BATCH]]
        found = client.mget(index=index, body={"ids": ids}, _source=["id", "title", "body", "limit"])["docs"]
        for d in found:
            if d.get("found"):
                delta.add(lexicon_terms(d["_source"]), -1)
                held.add(d["_source"]["id"])
    return held


class _LazyHeld(Mapping[str, Held]):
    """What the live generation holds, read back only when first asked for: with a ledger, the job
    never asks."""

    def __init__(self, client: OpenSearch, index: str):
        self.client, self.index = client, index
        self._held: dict[str, Held] | None = None

    def _all(self) -> dict[str, Held]:
        if self._held is None:
            self._held = _held(self.client, self.index)
        return self._held

    def __getitem__(self, key: str) -> Held:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _held(client: OpenSearch, index: str) -> dict[str, Held]:
    """Every report of the generation: its content hash and origin, page by page in id order."""
    held: dict[str, Held] = {}
    after = None
    while True:
        body: dict = {"size": HELD_PAGE, "sort": [{"id": "asc"}], "_source": ["id", "hash", "path"],
                      "query": {"match_all": {}}}
        if after is not None:
            body["search_after"] = after
        hits = client.search(index=index, body=body)["hits"]["hits"]
        for h in hits:
            held[h["_source"]["id"]] = Held(h["_source"].get("hash") or "", h["_source"].get("path") or "")
        if len(hits) < HELD_PAGE:
            return held
        after = hits[-1]["sort"]


def _clone(client: OpenSearch, old: Generation, new: Generation) -> None:
    """``new`` as a writable copy of ``old``, unsealed, without replicas until it is sealed."""
    for source, target in zip(old.indexes, new.indexes):
        try:
            client.indices.clone(index=source, target=target, body={"settings": {"index.number_of_replicas": 0}},
                                 wait_for_active_shards="1")
        except RequestError as e:  # sent again after a node stopped mid-call: made the first time
            if e.error != "resource_already_exists_exception":
                raise
        client.indices.put_settings(index=target, body={"index.blocks.write": False, "index.refresh_interval": "-1"})
        if target == new.lexicon:
            ledger.add_field(client, target)  # a lexicon made before ledgers: it gets one now
        meta = client.indices.get_mapping(index=target)[target]["mappings"]["_meta"]
        client.indices.put_mapping(index=target, body={"_meta": {**meta, "sealed": False, "count": None}})


def _seal(client: OpenSearch, cluster: Cluster, generation: Generation, count: int, origin: str | None) -> None:
    replicas = pairs.replicas_for(client, cluster.replicas)
    pairs.seal(client, generation, ANALYSIS_VERSION, count, replicas, origin)


def _publish(client: OpenSearch, cluster: Cluster, new: Generation, old: Generation | None) -> None:
    pairs.publish(client, cluster.name, new, old)
    keep = {new.reports} | ({old.reports} if old else set())
    for index in pairs.sweep(client, cluster.name, keep, pairs.kept()):
        log.info("génération %s supprimée", index)


def origin(cluster: Cluster) -> str | None:
    """The reports folder or file the live generation was built (or last updated) from."""
    client = cluster.client()
    try:
        live = pairs.live(client, cluster.name)
        if live is None:
            return None
        return client.indices.get_mapping(index=live.reports)[live.reports]["mappings"].get("_meta", {}).get("origin")
    except (ClusterUnreachable, TransportError):
        return None
    finally:
        client.close()


def generations(cluster: Cluster) -> list[GenerationInfo]:
    """The collection's generations, newest first: reports, size, whether live, why not servable."""
    client = cluster.client()
    try:
        return pairs.infos(client, cluster.name)
    except (ClusterUnreachable, TransportError) as e:
        raise IndexUnavailable(f"le cluster OpenSearch {', '.join(cluster.urls)} ne répond pas ({e.error})") from None
    finally:
        client.close()


def restore(cluster: Cluster, name: str) -> GenerationInfo:
    """Make the kept whole generation ``name`` the live one (one ``_aliases`` call, writer lock held)."""
    client = cluster.client()
    try:
        with _told(cluster), writer_lock(client, cluster.name, IndexBusy):
            return pairs.restore(client, cluster.name, name)
    finally:
        client.close()


def exists(cluster: Cluster) -> bool:
    """Whether the collection has any generation, whole or not (only one without is built afresh)."""
    try:
        return bool(pairs.all_of(cluster.client(), cluster.name))
    except (ClusterUnreachable, TransportError) as e:
        raise IndexUnavailable(f"le cluster OpenSearch {', '.join(cluster.urls)} ne répond pas ({e.error})") from None
