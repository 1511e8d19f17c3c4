"""A plan (``search.plan``) as OpenSearch's query DSL, and a search as one request body.

Scores follow the plan's rule (see ``search.plan``): a ``Term`` scores BM25 times its boost
(``term`` with ``boost``), ``Or``, ``And`` and ``AndMaybe`` add their parts (``bool``
``should`` / ``must``: Lucene sums the clauses that match), ``DisMax`` takes the best
(``dis_max`` with no tie breaker), ``AndNot`` keeps its positive side (``must_not`` scores
nothing), a ``Prefix`` scores its boost alone (``constant_score``) and ``Every`` scores 0
(a ``bool`` of one ``filter``). A phrase is ``match_phrase`` under the field's whitespace
analyzer: our tokens again. Whoosh counts a phrase's slop from 1 (adjacent), Lucene from 0.

Filters go into ``post_filter``: they cut the hits and the total, not the aggregations.
Each facet is then a ``filter`` aggregation carrying every filter but its own
(``search.facets`` defines the rule).
"""
from __future__ import annotations

from collections import Counter

from search.query import nodes as plan
from search.engine.contract import Filters

from .documents import PRETOKENIZED, as_term

# What a hit reads of a report's _source: never ``fulltext`` (a long report's whole text, for ``Engine.text``).
STORED = ["id", "title", "body", "source", "date_start", "date_end", "precision", "path", "hash", "length"]
SOURCE_BUCKETS = 10_000  # every source of the collection has its count (the page lists them all)
MONTH_BUCKETS = 5_000
MATCH_ALL: dict = {"match_all": {}}


def query(node: plan.Node) -> dict:
    """The DSL of one plan node."""
    if isinstance(node, plan.Term):
        text = as_term(node.text) if node.field in PRETOKENIZED else node.text
        return {"term": {node.field: {"value": text, "boost": node.boost}}}
    if isinstance(node, plan.Phrase):
        words = " ".join(as_term(t) for t in node.texts)
        return {"match_phrase": {node.field: {"query": words, "slop": max(0, node.slop - 1), "boost": node.boost}}}
    if isinstance(node, plan.Prefix):
        if not node.words:
            return {"match_none": {}}
        return {"constant_score": {"filter": {"terms": {node.field: [as_term(w) for w in node.words]}},
                                   "boost": node.boost}}
    if isinstance(node, plan.Or):
        return {"bool": {"should": [query(p) for p in node.parts], "minimum_should_match": 1}}
    if isinstance(node, plan.And):
        return {"bool": {"must": [query(p) for p in node.parts]}}
    if isinstance(node, plan.DisMax):
        return {"dis_max": {"queries": [query(p) for p in node.parts], "tie_breaker": 0}}
    if isinstance(node, plan.AndMaybe):
        return {"bool": {"must": [query(node.required)], "should": [query(node.optional)]}}
    if isinstance(node, plan.AndNot):
        return {"bool": {"must": [query(node.positive)], "must_not": [query(node.negative)]}}
    if isinstance(node, plan.Every):
        return {"bool": {"filter": [MATCH_ALL]}}
    if isinstance(node, plan.Nothing):
        return {"match_none": {}}
    raise TypeError(f"not a plan node: {node!r}")


def clauses(node: plan.Node) -> int:
    """How many leaf queries the node makes (the cluster refuses more than its max_clause_count)."""
    if isinstance(node, (plan.Or, plan.And, plan.DisMax)):
        return sum(clauses(p) for p in node.parts)
    if isinstance(node, plan.AndMaybe):
        return clauses(node.required) + clauses(node.optional)
    if isinstance(node, plan.AndNot):
        return clauses(node.positive) + clauses(node.negative)
    if isinstance(node, plan.Phrase):
        return len(node.texts)
    return 1


def source_filter(filters: Filters) -> dict | None:
    return {"terms": {"source": list(filters.sources)}} if filters.sources else None


def date_filter(filters: Filters) -> dict | None:
    """Undated only; or a period overlapping the range (undated reports fail it)."""
    if filters.undated:
        return {"bool": {"must_not": [{"exists": {"field": "date_start"}}]}}
    if filters.start is None and filters.end is None:
        return None
    lo, hi = filters.start or 0, filters.end or 99999999
    return {"bool": {"filter": [{"range": {"date_start": {"gt": 0, "lte": hi}}},
                                {"range": {"date_end": {"gte": lo}}}]}}


def filtered(node: plan.Node | None, filters: Filters) -> dict:
    """The node's matches under every filter, as one query (no facets to count: no ``post_filter``)."""
    wanted = [f for f in (source_filter(filters), date_filter(filters)) if f is not None]
    return {"bool": {"must": [query(node) if node is not None else MATCH_ALL], "filter": wanted}}


def sort_clause(by_score: bool, sort: str) -> list:
    """By score or date, ties broken by id: one order, whichever shard copy answers."""
    if by_score:
        return ["_score", {"id": "asc"}]
    order = "asc" if sort == "oldest" else "desc"
    return [{"date_start": {"order": order, "missing": "_last"}}, {"id": "asc"}]


def search_body(node: plan.Node | None, filters: Filters, sort: str, offset: int, limit: int,
                facets: bool, seconds: float | None = None) -> dict:
    """``seconds``: the time left before the search's deadline; the cluster then stops collecting there
    and answers with what it found (``timed_out``)."""
    by_score = node is not None and sort == "relevance"
    sources, dates = source_filter(filters), date_filter(filters)
    body: dict = {"query": query(node) if node is not None else MATCH_ALL, "from": offset, "size": limit,
                  "track_total_hits": True, "_source": STORED, "sort": sort_clause(by_score, sort)}
    if seconds is not None:
        body["timeout"] = f"{max(1, int(seconds * 1000))}ms"
    wanted = [f for f in (sources, dates) if f is not None]
    if wanted:
        body["post_filter"] = {"bool": {"filter": wanted}}
    if facets:
        body["aggs"] = {
            "sources": {"filter": dates or MATCH_ALL,
                        "aggs": {"v": {"terms": {"field": "source", "size": SOURCE_BUCKETS}}}},
            "months": {"filter": sources or MATCH_ALL,
                       "aggs": {"v": {"terms": {"field": "month", "size": MONTH_BUCKETS}},
                                "undated": {"missing": {"field": "date_start"}}}},
        }
    return body


def facet_counts(aggregations: dict | None) -> tuple[Counter, Counter, int]:
    """(sources, months, undated) of a response's aggregations; empty without them."""
    if not aggregations:
        return Counter(), Counter(), 0
    sources = Counter({b["key"]: b["doc_count"] for b in aggregations["sources"]["v"]["buckets"]})
    months = Counter({b["key"]: b["doc_count"] for b in aggregations["months"]["v"]["buckets"]})
    return sources, months, aggregations["months"]["undated"]["doc_count"]
