"""Reading the collection: the OpenSearch adapter's ``Engine``, following the aliases.

The aliases are resolved to the live pair of indexes at most once a second (as the Whoosh
adapter re-reads ``CURRENT``), and every request of a search then names those indexes: one
search reads one generation, even while a rebuild swaps the aliases. A live pair deleted from
under the server is a 503 for the searches it was reading, then the newest whole pair kept is read. A generation built under
other analysis rules is refused (``pairs.check``). Results are remembered per
generation: a sealed generation never changes.

Requests carry one ``preference``: the same shard copy answers an analyst's pages (copies'
statistics, so scores, may differ after updates), and when its node stops another copy answers.
"""
from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections import Counter

from opensearchpy import NotFoundError
from opensearchpy.exceptions import ConnectionError as ClusterUnreachable
from opensearchpy.exceptions import TransportError

from search.engine.contract import EngineResult, Filters, Hit, StoredReport
from search.fields import ANALYSIS_VERSION
from search.errors import IndexDamaged, IndexMissing, IndexUnavailable
from search.query.nodes import Node
from search.recent import Recent
from search.text.fold import fold

from . import pairs, translate
from .connection import Cluster, reading, unreachable
from .documents import FANOUT, doc_id, joined
from .pairs import Generation, GenerationRefused
from .lexicon import OpenSearchLexicon

log = logging.getLogger("search.opensearch")
RECHECK_SECONDS = 1.0
CACHED_RESULTS = 256
RELATED_CHARS = 20_000  # of a report's text, read for its related reports (as the Whoosh adapter)
RELATED_TERMS = 12
IDS_PAGE = 10_000


def stored_report(source: dict) -> StoredReport:
    return StoredReport(id=source["id"], title=source.get("title", ""), body=source.get("body", ""),
                        source=source.get("source") or None, date_start=source.get("date_start") or 0,
                        date_end=source.get("date_end") or 0, precision=source.get("precision"),
                        path=source.get("path"), hash=source.get("hash"), length=source.get("length"))


@dataclasses.dataclass
class _Live:
    """What one generation's searches share."""
    generation: Generation
    lexicon: OpenSearchLexicon
    results: Recent


class OpenSearchEngine:
    """The live generation of one collection (``search.engine.contract.Engine``). Thread-safe."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.client = cluster.client()
        self.preference = cluster.name
        self._lock = threading.Lock()
        self._live = self._open()
        self._checked = time.monotonic()

    def _open(self, generation: Generation | None = None) -> _Live:
        try:
            generation = generation or self._resolve()
            pairs.check(self.client, generation, ANALYSIS_VERSION)
        except GenerationRefused as e:
            raise IndexDamaged(str(e)) from None
        except (ClusterUnreachable, TransportError) as e:
            raise IndexUnavailable(unreachable(self.cluster, e)) from None
        return _Live(generation, OpenSearchLexicon(self.client, generation, self.cluster), Recent(CACHED_RESULTS))

    def _resolve(self) -> Generation:
        """The pair the aliases name; without aliases (the live pair deleted: its aliases go with it),
        the newest whole pair kept, as the folder store reads the newest whole generation when
        CURRENT names none. Readers only: moving the aliases is a writer's (``restore``)."""
        generation = pairs.live(self.client, self.cluster.name)
        if generation is not None:
            return generation
        whole = [info for info in pairs.infos(self.client, self.cluster.name) if info.problem is None]
        if not whole:
            raise IndexMissing(f"aucun index « {self.cluster.name} » sur le cluster OpenSearch "
                               f"{', '.join(self.cluster.urls)} : lancez python -m search rebuild --engine opensearch")
        log.warning("aucun alias « %s » sur le cluster : lecture de %s, la génération complète la plus récente",
                    self.cluster.name, whole[0].name)
        return Generation.of(whole[0].name)

    def _fresh(self) -> _Live:
        """The live generation, looked up again at most once a second."""
        with self._lock:
            if time.monotonic() - self._checked >= RECHECK_SECONDS:
                self._checked = time.monotonic()
                try:
                    current = self._resolve()
                    if current != self._live.generation:
                        self._live = self._open(current)
                except (ClusterUnreachable, TransportError) as e:
                    log.error("%s ; la génération ouverte avant reste servie", unreachable(self.cluster, e))
                except (IndexDamaged, IndexMissing, IndexUnavailable) as e:
                    log.error("%s ; la génération ouverte avant reste servie", e)
            return self._live

    def close(self) -> None:
        self.client.close()

    def doc_count(self) -> int:
        return self._call(lambda live: self.client.count(index=live.generation.reports,
                                                         preference=self.preference)["count"])

    def get(self, report_id: str) -> StoredReport | None:
        def fetch(live: _Live) -> StoredReport | None:
            try:
                found = self.client.get(index=live.generation.reports, id=doc_id(report_id),
                                        _source=translate.STORED, preference=self.preference)
            except NotFoundError as e:
                if e.error == "index_not_found_exception":
                    raise
                return None
            return stored_report(found["_source"])
        return self._call(fetch)

    def text(self, report_id: str) -> str | None:
        """The whole text: ``fulltext`` for a report whose ``body`` is its searchable opening only."""
        def fetch(live: _Live) -> str | None:
            try:
                found = self.client.get(index=live.generation.reports, id=doc_id(report_id),
                                        _source=["body", "fulltext"], preference=self.preference)
            except NotFoundError as e:
                if e.error == "index_not_found_exception":
                    raise
                return None
            return found["_source"].get("fulltext", found["_source"].get("body", ""))
        return self._call(fetch)

    def related(self, report_id: str, top: int = 5) -> list[StoredReport]:
        """Reports sharing the telling folded words of this one's opening (``more_like_this`` on our tokens)."""
        report = self.get(report_id)
        if report is None:
            return []
        tokens = FANOUT.tokens(report.body[:RELATED_CHARS], only=("folded",))["folded"]
        if not tokens:
            return []
        query = {"bool": {
            "must": [{"more_like_this": {"fields": ["folded"], "like": joined([t[0] for t in tokens]),
                                         "max_query_terms": RELATED_TERMS, "min_term_freq": 1, "min_doc_freq": 1,
                                         "minimum_should_match": 1}}],
            "must_not": [{"ids": {"values": [doc_id(report_id)]}}]}}
        body = {"query": query, "size": top, "_source": translate.STORED}
        hits = self._call(lambda live: self._search(live, body))["hits"]["hits"]
        return [stored_report(h["_source"]) for h in hits]

    def suggest(self, word: str, limit: int = 5) -> list[tuple[str, int]]:
        """Words a couple of edits from ``word`` (as written, else folded), with their report counts."""
        for field, text in (("verbatim", word), ("folded", fold(word))):
            body = {"size": 0, "suggest": {"s": {"text": text, "term": {
                "field": field, "suggest_mode": "always", "max_edits": 2, "prefix_length": 0,
                "min_word_length": 1, "size": limit, "sort": "score"}}}}
            answer = self._call(lambda live, body=body: self._search(live, body))
            found = [(o["text"], o["freq"]) for s in answer["suggest"]["s"] for o in s["options"] if o["text"] != text]
            if found:
                return found[:limit]
        return []

    def complete(self, start: str, limit: int = 8) -> list[tuple[str, int]]:
        """Names the reports write that start with ``start`` (case and accents aside), the most reported first."""
        return self._fresh().lexicon.complete(start, limit)

    def ids(self, node: Node | None, filters: Filters) -> list[str]:
        """The id of every match under the filters, page by page in id order."""
        query = translate.filtered(node, filters)
        body: dict = {"query": query, "size": IDS_PAGE, "sort": [{"id": "asc"}], "_source": ["id"],
                      "track_total_hits": False}
        found: list[str] = []
        while True:
            hits = self._call(lambda live, body=body: self._search(live, body))["hits"]["hits"]
            found += [h["_source"]["id"] for h in hits]
            if len(hits) < IDS_PAGE:
                return found
            body["search_after"] = hits[-1]["sort"]

    def vocabulary(self) -> OpenSearchLexicon:
        return self._fresh().lexicon

    def search(self, node: Node | None, filters: Filters, sort: str, offset: int, limit: int,
               facets: bool = True, deadline: float | None = None) -> EngineResult:
        """Past ``deadline``, what the cluster had collected (``partial``); a deadline already past
        asks nothing, as the Whoosh adapter stops where it stands. A partial answer is not remembered."""
        live = self._fresh()
        key = (node, filters, sort, offset, limit, facets)
        result = live.results.get(key)
        if result is None:
            seconds = None if deadline is None else deadline - time.monotonic()
            if seconds is not None and seconds <= 0:
                return EngineResult(0, [], Counter(), Counter(), 0, partial=True)
            result = self._call(lambda _: self._run(live, node, filters, sort, offset, limit, facets, seconds))
            if not result.partial:
                live.results.put(key, result)
        return dataclasses.replace(result, hits=list(result.hits), sources=Counter(result.sources),
                                   months=Counter(result.months))

    def _run(self, live: _Live, node: Node | None, filters: Filters, sort: str, offset: int, limit: int,
             facets: bool, seconds: float | None) -> EngineResult:
        by_score = node is not None and sort == "relevance"
        body = translate.search_body(node, filters, sort, offset, limit, facets, seconds)
        answer = self._search(live, body)
        hits = [Hit(stored_report(h["_source"]), h["_score"] if by_score else None) for h in answer["hits"]["hits"]]
        sources, months, undated = translate.facet_counts(answer.get("aggregations"))
        return EngineResult(answer["hits"]["total"]["value"], hits, sources, months, undated,
                            partial=bool(answer.get("timed_out")))

    def _search(self, live: _Live, body: dict) -> dict:
        return self.client.search(index=live.generation.reports, body=body, preference=self.preference)

    def _call(self, request):
        """``request(live)``, a cluster that cannot answer told as the index being unavailable."""
        live = self._fresh()
        with reading(self.cluster):
            return request(live)
