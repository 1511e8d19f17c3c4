"""The two indexes of one generation: the reports, and the lexicon of their name forms and words.

A generation is a pair ``<name>-<stamp>`` (reports) and ``<name>-<stamp>-lexicon``; the aliases
``<name>`` and ``<name>-lexicon`` name the live pair. Each index's ``_meta`` says under which
rules it was built (``format`` of this mapping, ``analysis``: the analyzer's version), whether
it was finished (``sealed``) and how many documents it then held (``count``).

Only the built-in ``whitespace`` analyzer is used (the core has it; a custom analyzer needs the
``analysis-common`` module, absent from the test distribution): its tokens are ours
(``documents``). BM25's k1 and b are Lucene's defaults, which are Whoosh's BM25F's too.
"""
from __future__ import annotations

from . import ledger

FORMAT = 4  # of this mapping and the lexicon's entries: an index built under another is refused (rebuild needed)
SHARDS = 1  # one shard: collection-wide statistics, exact facet counts, scores that page alike
# A page goes up to 1000 x 100; an export walks every page of a broad query.
MAX_RESULT_WINDOW = 10_000_000
TOKENS = {"type": "text", "analyzer": "whitespace"}
TOKENS_NO_POSITIONS = {**TOKENS, "index_options": "freqs"}  # no phrases on these fields
# A term past 32,766 bytes would fail a whole bulk: one of more than 8191 characters is left out.
LONG_KEYWORD = {"type": "keyword", "ignore_above": 8191}
STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}
NUMBER_ONLY = {"type": "integer", "index": False, "doc_values": False}  # kept in _source, never searched


def meta(analysis: int, sealed: bool = False, count: int | None = None, origin: str | None = None) -> dict:
    """``origin``: the reports folder or file the generation was built (or last updated) from."""
    return {"format": FORMAT, "analysis": analysis, "sealed": sealed, "count": count, "origin": origin}


def _settings(replicas: int) -> dict:
    # Built with no replica and no refresh; both are set when the build is complete.
    return {"number_of_shards": SHARDS, "number_of_replicas": replicas, "refresh_interval": "-1"}


def reports_index(analysis: int) -> dict:
    """The body creating a reports index."""
    return {
        "settings": {**_settings(0), "max_result_window": MAX_RESULT_WINDOW},
        "mappings": {
            "dynamic": "strict",
            "_meta": meta(analysis),
            # The tokens are ours to recompute from title and body: not kept twice.
            "_source": {"excludes": ["verbatim", "folded", "stem", "names"]},
            "properties": {
                "id": {"type": "keyword"},
                "path": STORED_ONLY, "hash": STORED_ONLY, "precision": STORED_ONLY,
                "title": {"type": "text", "index": False}, "body": {"type": "text", "index": False},
                # A text over its searchable part: whole in ``fulltext``, its length in ``length``.
                "fulltext": {"type": "text", "index": False}, "length": NUMBER_ONLY, "limit": NUMBER_ONLY,
                "verbatim": TOKENS, "folded": TOKENS, "stem": TOKENS_NO_POSITIONS,
                "names": LONG_KEYWORD,
                "source": {"type": "keyword"}, "month": {"type": "keyword"},
                "date_start": {"type": "integer"}, "date_end": {"type": "integer"},
            },
        },
    }


def lexicon_index(analysis: int) -> dict:
    """One document per name form (``kind`` forms: its key and report count) and per folded word,
    and the generation's ledger (``ledger``)."""
    return {
        "settings": _settings(0),
        "mappings": {
            "dynamic": "strict",
            "_meta": meta(analysis),
            "properties": {"kind": {"type": "keyword"}, "term": LONG_KEYWORD, "key": LONG_KEYWORD,
                           "reports": {"type": "integer"},
                           **ledger.FIELDS},  # the generation's ledger: a head and its parts (``ledger``)
        },
    }
