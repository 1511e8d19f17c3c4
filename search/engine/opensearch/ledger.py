"""The ledger of a generation (the job's ``record()``, see ``search.ingest.ledger``), stored in its
lexicon index, so that an update reads only the report files that changed, as on Whoosh.

It is written in the generation being built, before it is sealed: the alias swap publishes the
generation and its ledger together, and a clone carries the live one's until the update replaces
it. The body is compressed (zlib) and cut into parts of at most ``PART_BYTES`` (``binary``
fields: stored in ``_source`` only, never indexed nor searched), so a collection of millions of
reports never meets the cluster's request limit (``http.max_content_length``, 100 MB by
default: 340,000 reports make 13.5 MB, a million 40 MB) nor asks a node for one huge document.
A head document (``kind: ledger``) names the parts and the compressed body's SHA-1: a missing or
damaged part makes the ledger absent, never wrong (the update then reads every file once).
Lexicon queries all filter on their own ``kind``, so never meet these documents.

A generation made before ledgers has none (its mapping lacks the fields: they are added to the
clone); one made before parts holds its whole body in the head, and is still read.
"""
from __future__ import annotations

import base64
import hashlib
import zlib

from opensearchpy import NotFoundError, OpenSearch

KIND = "ledger"
PART_KIND = "ledger-part"
LEDGER_ID = "ledger"  # entry ids are SHA-1 hex digests (``lexicon.entry_id``): these meet none
PART_BYTES = 4 * 2**20  # compressed bytes per part (5.3 MB once in base64)
# binary: stored, not indexed, no doc values
FIELDS = {"ledger": {"type": "binary"}, "parts": {"type": "integer"}, "sha1": {"type": "keyword"}}


def add_field(client: OpenSearch, index: str) -> None:
    """Let ``index`` hold a ledger (a lexicon index made before ledgers, or before parts, lacks fields)."""
    client.indices.put_mapping(index=index, body={"properties": FIELDS})


def write(client: OpenSearch, index: str, record: bytes, part_bytes: int = PART_BYTES) -> None:
    """Store ``record`` in the lexicon index ``index``, replacing the one a clone carries: parts
    first, the head last, then the parts of a longer former ledger go."""
    body = zlib.compress(record, 6)
    parts = [body[at:at + part_bytes] for at in range(0, len(body), part_bytes)] or [b""]
    before = _parts_of(client, index)
    for n, part in enumerate(parts):
        client.index(index=index, id=_part_id(n), body={"kind": PART_KIND, "ledger": _b64(part)})
    head = {"kind": KIND, "parts": len(parts), "sha1": hashlib.sha1(body).hexdigest()}
    client.index(index=index, id=LEDGER_ID, body=head)
    for n in range(len(parts), before):
        try:
            client.delete(index=index, id=_part_id(n))
        except NotFoundError:
            pass


def read(client: OpenSearch, index: str) -> bytes | None:
    """The ledger stored in the lexicon index ``index``; None when it has none (made before
    ledgers) or when a part is missing or does not match the head's checksum."""
    head = _head(client, index)
    if head is None:
        return None
    if head.get("ledger"):  # made before parts: the whole body in the head
        return zlib.decompress(base64.b64decode(head["ledger"]))
    ids = [_part_id(n) for n in range(int(head.get("parts") or 0))]
    if not ids:
        return None
    found = client.mget(index=index, body={"ids": ids}, _source=["ledger"], realtime="true")["docs"]
    if not all(doc.get("found") for doc in found):
        return None
    body = b"".join(base64.b64decode(doc["_source"]["ledger"]) for doc in found)
    if hashlib.sha1(body).hexdigest() != head.get("sha1"):
        return None
    return zlib.decompress(body)


def _head(client: OpenSearch, index: str) -> dict | None:
    try:
        found = client.get(index=index, id=LEDGER_ID, realtime="true")
    except NotFoundError:
        return None
    return found.get("_source") or None


def _parts_of(client: OpenSearch, index: str) -> int:
    head = _head(client, index)
    return int(head.get("parts") or 0) if head else 0


def _part_id(n: int) -> str:
    return f"{LEDGER_ID}-{n}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
