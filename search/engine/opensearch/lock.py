"""One writer per collection, whichever machine it runs on: a lock document in the cluster.

The lock is a document created only if absent (``op_type=create``) in ``<name>-lock``; it
says which host and process hold it, and is deleted when the writer ends. A writer killed
on this host leaves it behind: the next one on the same host sees that process gone and
takes the lock over. One left by another host is never taken over by guess: the message
names it, to be deleted by hand once that writer is known to be dead.
"""
from __future__ import annotations

import os
import socket
import time
from contextlib import contextmanager
from typing import Iterator

from opensearchpy import ConflictError, NotFoundError, OpenSearch, RequestError

HOLDER = "writer"


def _index(name: str) -> str:
    return f"{name}-lock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ensure_index(client: OpenSearch, name: str) -> None:
    try:
        client.indices.create(index=_index(name), body={"settings": {"number_of_shards": 1,
                                                                     "auto_expand_replicas": "0-1"}})
    except RequestError as e:
        if e.error != "resource_already_exists_exception":
            raise


def _try_take(client: OpenSearch, name: str, me: dict) -> dict | None:
    """None when taken; else what the holder wrote."""
    try:
        client.create(index=_index(name), id=HOLDER, body=me, refresh="true")
        return None
    except ConflictError:
        try:
            return client.get(index=_index(name), id=HOLDER)["_source"]
        except NotFoundError:  # released meanwhile
            return {}


@contextmanager
def writer_lock(client: OpenSearch, name: str, busy: type[Exception]) -> Iterator[None]:
    """Hold the collection's writer lock; raises ``busy`` when another writer holds it."""
    _ensure_index(client, name)
    me = {"host": socket.gethostname(), "pid": os.getpid(), "since": time.time()}
    holder = _try_take(client, name, me)
    if holder == {}:  # released between our two reads
        holder = _try_take(client, name, me)
    if holder and (holder.get("host"), holder.get("pid"), holder.get("since")) == (me["host"], me["pid"], me["since"]):
        holder = None  # ours: the client sent the creation again after a node stopped answering
    if holder and holder.get("host") == me["host"] and not _alive(int(holder.get("pid", 0))):
        client.delete(index=_index(name), id=HOLDER, refresh="true")  # its writer was killed
        holder = _try_take(client, name, me)
    if holder is not None:
        raise busy(f"une autre reconstruction ou mise à jour est en cours sur {name} "
                   f"({holder.get('host', '?')}, processus {holder.get('pid', '?')}) ; réessayez quand elle "
                   f"sera finie (un verrou orphelin : supprimez le document {_index(name)}/_doc/{HOLDER})")
    try:
        yield
    finally:
        try:
            client.delete(index=_index(name), id=HOLDER, refresh="true")
        except NotFoundError:  # deleted by hand meanwhile
            pass
