"""Writing a generation's lexicon index: all its counts at a rebuild, the changed ones at an update.

A rebuild sums each batch's counts (``documents.LexiconCounts``) and writes one document per
name form and per folded word. An update adds the counts of the reports it indexes and
subtracts those of the reports it replaces or removes (their title and body, read back and
analyzed again by the same analyzer: the analysis version is checked before), then rewrites
the entries it touched; an entry down to 0 reports is deleted, as a term of no report
leaves Whoosh's lexicon.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterator

from opensearchpy import OpenSearch

from search.names.terms import SPELLING, split_term
from search.text.fold import fold

from .bulk import send
from .documents import LexiconCounts
from .lexicon import FORM, LOWER, NAME, WORD, entry_id

BATCH = 2000  # entries per bulk or mget


def _entries(counts: LexiconCounts) -> Iterator[tuple[str, str, int]]:
    for term, n in counts.forms.items():
        yield FORM, term, n
    for word, n in counts.words.items():
        yield WORD, word, n
    for word, n in counts.lowers.items():
        yield LOWER, word, n
    for term, n in counts.spellings.items():
        yield NAME, term, n


def _source(kind: str, term: str, reports: int) -> dict:
    doc = {"kind": kind, "term": term, "reports": reports}
    if kind == FORM:
        doc["key"] = split_term(term)[0]
    elif kind == NAME:
        doc["key"] = fold(term[len(SPELLING):])  # completion looks names up by their folded start
    return doc


def write_all(client: OpenSearch, index: str, counts: LexiconCounts) -> int:
    """Every entry with reports; returns how many were written."""
    actions: list[tuple[dict, dict | None]] = []
    written = 0
    for kind, term, n in _entries(counts):
        if n > 0:
            actions.append(({"index": {"_index": index, "_id": entry_id(kind, term)}}, _source(kind, term, n)))
            written += 1
        if len(actions) >= BATCH:
            send(client, actions)
            actions = []
    send(client, actions)
    return written


def apply_changes(client: OpenSearch, index: str, delta: LexiconCounts) -> None:
    """Add ``delta`` to the stored counts of the entries it names; delete those left at 0."""
    touched = [(kind, term, n) for kind, term, n in _entries(delta) if n]
    for start in range(0, len(touched), BATCH):
        part = touched[start:start + BATCH]
        stored = _stored(client, index, [entry_id(kind, term) for kind, term, _ in part])
        actions: list[tuple[dict, dict | None]] = []
        for kind, term, n in part:
            _id = entry_id(kind, term)
            now = stored.get(_id, 0) + n
            if now > 0:
                actions.append(({"index": {"_index": index, "_id": _id}}, _source(kind, term, now)))
            elif _id in stored:
                actions.append(({"delete": {"_index": index, "_id": _id}}, None))
        send(client, actions)


def _stored(client: OpenSearch, index: str, ids: list[str]) -> Counter:
    found = client.mget(index=index, body={"ids": ids}, _source=["reports"], realtime="true")["docs"]
    return Counter({d["_id"]: d["_source"]["reports"] for d in found if d.get("found")})
