"""The ledger of a generation (the job's ``record()``, see ``search.ingest.ledger``), stored in its
lexicon index as one document of its own (``kind: ledger``), so that an update reads only the
report files that changed, as on Whoosh.

It is written in the generation being built, before it is sealed: the alias swap publishes the
generation and its ledger together, and a clone carries the live one's until the update replaces
it. The body is compressed (zlib) and kept as a ``binary`` field: stored in ``_source`` only,
never indexed nor searched. Lexicon queries all filter on their own ``kind``, so never meet it.
A generation made before ledgers has none (its mapping lacks the field: it is added to the
clone): the update then reads every file once and stores the ledger it makes.
"""
from __future__ import annotations

import base64
import zlib

from opensearchpy import NotFoundError, OpenSearch

KIND = "ledger"
LEDGER_ID = "ledger"  # entry ids are SHA-1 hex digests (``lexicon.entry_id``): this one meets none
FIELDS = {"ledger": {"type": "binary"}}  # binary: stored, not indexed, no doc values


def add_field(client: OpenSearch, index: str) -> None:
    """Let ``index`` hold a ledger (a lexicon index made before ledgers has no such field)."""
    client.indices.put_mapping(index=index, body={"properties": FIELDS})


def write(client: OpenSearch, index: str, record: bytes) -> None:
    """Store ``record`` in the lexicon index ``index`` (replacing the one a clone carries)."""
    body = base64.b64encode(zlib.compress(record, 6)).decode("ascii")
    client.index(index=index, id=LEDGER_ID, body={"kind": KIND, "ledger": body})


def read(client: OpenSearch, index: str) -> bytes | None:
    """The ledger stored in the lexicon index ``index``; None when it has none (made before ledgers)."""
    try:
        found = client.get(index=index, id=LEDGER_ID, _source=["ledger"], realtime="true")
    except NotFoundError:
        return None
    body = found.get("_source", {}).get("ledger")
    return zlib.decompress(base64.b64decode(body)) if body else None
