"""Generations in the cluster: built aside, sealed, published by one alias swap, swept.

The rule of ``search.store`` (never write the live generation; publish a whole one or
nothing), with the cluster's means:

- a generation is a pair of indexes, ``<name>-g<stamp>`` and its ``-lexicon``, built with no
  replica and no refresh, invisible to readers (no alias names it);
- sealing refreshes it, checks its count, gives it its replicas, waits for them, stamps
  ``_meta`` (sealed, count) and blocks writes;
- publishing is one ``POST _aliases`` moving both aliases at once: readers see the old pair or
  the new, never a mix, never a half-built index;
- sweeping keeps the live generation, the one it replaced and the newest whole ones, up to
  ``keep_generations`` (3) in all, and deletes older ones and the unsealed leftovers of a writer
  that was killed (only a writer holding the lock sweeps);
- ``infos`` lists them for ``python -m search generations``, and ``restore`` moves the aliases
  back to any whole one kept: generations are independent indexes, sharing nothing writable.
"""
from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from opensearchpy import NotFoundError, OpenSearch, RequestError, TransportError

from search import settings
from search.engine.contract import GenerationInfo
from search.errors import IndexDamaged, IndexingFailed, NotFound
from search.fields import ANALYSIS_VERSION

from .mapping import FORMAT, meta

log = logging.getLogger("search.opensearch")
LEXICON = "-lexicon"


class GenerationRefused(RuntimeError):
    """The live index was built under other rules (mapping format or analyzer): rebuild needed."""


@dataclass(frozen=True)
class Generation:
    reports: str  # index names
    lexicon: str

    @classmethod
    def of(cls, reports: str) -> "Generation":
        return cls(reports, reports + LEXICON)

    @property
    def indexes(self) -> list[str]:
        return [self.reports, self.lexicon]


def new(name: str) -> Generation:
    """A fresh generation's names: the stamp sorts by time (microseconds: two builds never share one)."""
    return Generation.of(f"{name}-g{datetime.now(timezone.utc):%Y%m%d-%H%M%S-%f}")


def live(client: OpenSearch, name: str) -> Generation | None:
    """The pair the aliases name; None when there is none (no generation ever published)."""
    try:
        found = client.indices.get_alias(name=f"{name},{name}{LEXICON}")
    except NotFoundError:
        return None
    by_alias = {alias: index for index, body in found.items() for alias in body.get("aliases", {})}
    if name not in by_alias:
        return None
    return Generation(by_alias[name], by_alias.get(name + LEXICON, by_alias[name] + LEXICON))


def all_of(client: OpenSearch, name: str) -> dict[str, dict]:
    """Every reports index of the collection, with its ``_meta`` (newest last)."""
    try:
        found = client.indices.get_mapping(index=f"{name}-g*")
    except NotFoundError:
        return {}
    return {index: body["mappings"].get("_meta", {}) for index, body in sorted(found.items())
            if not index.endswith(LEXICON)}


def check(client: OpenSearch, generation: Generation, analysis: int) -> dict:
    """The generation's ``_meta``; raises GenerationRefused when built under other rules."""
    found = client.indices.get_mapping(index=generation.reports)
    stamp = found[generation.reports]["mappings"].get("_meta", {})
    other = other_rules(generation.reports, stamp, analysis)
    if other:
        raise GenerationRefused(f"{other} : une reconstruction est nécessaire "
                                "(python -m search rebuild --engine opensearch)")
    return stamp


def other_rules(index: str, stamp: dict, analysis: int) -> str | None:
    """What differs when ``stamp`` (an index's ``_meta``) was written under other rules, or None."""
    if stamp.get("format") == FORMAT and stamp.get("analysis") == analysis:
        return None
    return (f"l'index {index} a été construit avec d'autres règles d'analyse (format {stamp.get('format')}, "
            f"analyse {stamp.get('analysis')!r} ; attendu {FORMAT}, {analysis!r})")


def count_of(client: OpenSearch, generation: Generation | None) -> int | None:
    """The reports a published generation holds, as sealed (None: no generation)."""
    if generation is None:
        return None
    stamp = client.indices.get_mapping(index=generation.reports)[generation.reports]["mappings"].get("_meta", {})
    if stamp.get("count") is not None:
        return int(stamp["count"])
    return int(client.count(index=generation.reports)["count"])


def kept() -> int:
    """How many whole generations a sweep keeps, the live one included (at least 2)."""
    return max(2, int(settings.get("keep_generations")))


def seal(client: OpenSearch, generation: Generation, analysis: int, count: int, replicas: int,
         origin: str | None = None) -> None:
    """Make the built pair ready to serve, checking it holds ``count`` reports."""
    client.indices.refresh(index=",".join(generation.indexes))
    held = client.count(index=generation.reports)["count"]
    if held != count:
        raise IndexingFailed(f"l'index {generation.reports} tient {held} rapports au lieu de {count}")
    client.indices.put_settings(index=",".join(generation.indexes),
                                body={"index": {"number_of_replicas": replicas, "refresh_interval": None}})
    # ``timeout`` as a keyword is the client's own; the cluster's wait goes in ``params``.
    health = client.cluster.health(index=",".join(generation.indexes), wait_for_status="green",
                                   params={"timeout": "300s"}, request_timeout=330)
    if health.get("timed_out"):
        raise IndexingFailed(f"les copies de {generation.reports} ne sont pas prêtes (état {health.get('status')})")
    for index in generation.indexes:
        client.indices.put_mapping(index=index, body={"_meta": meta(analysis, sealed=True, count=count, origin=origin)})
        client.indices.add_block(index=index, block="write")


def replicas_for(client: OpenSearch, wanted: int) -> int:
    """As many replicas as asked, but no more than the other data nodes can hold (else never green)."""
    nodes = client.cluster.health()["number_of_data_nodes"]
    return max(0, min(wanted, nodes - 1))


def create(client: OpenSearch, index: str, body: dict) -> None:
    """Create an index of a fresh generation. The client sends a request again when the node it went to
    stops answering, maybe after creating it: the name is this writer's own, so "already there" is done."""
    try:
        client.indices.create(index=index, body=body)
    except RequestError as e:
        if e.error != "resource_already_exists_exception":
            raise


def publish(client: OpenSearch, name: str, new_one: Generation, old: Generation | None) -> None:
    """One ``_aliases`` call: both aliases leave the old pair and name the new one, atomically.

    Sent again after a node stopped mid-call, it may find the swap done: then it is."""
    try:
        _swap(client, name, new_one, old)
    except TransportError:
        if live(client, name) != new_one:
            raise


def _swap(client: OpenSearch, name: str, new_one: Generation, old: Generation | None) -> None:
    actions = []
    if old is not None:
        actions += [{"remove": {"index": old.reports, "alias": name}},
                    {"remove": {"index": old.lexicon, "alias": name + LEXICON}}]
    actions += [{"add": {"index": new_one.reports, "alias": name}},
                {"add": {"index": new_one.lexicon, "alias": name + LEXICON}}]
    client.indices.update_aliases(body={"actions": actions})


def discard(client: OpenSearch, generation: Generation) -> None:
    """Delete a generation that was never published (after an error: best effort, logged)."""
    try:
        client.indices.delete(index=",".join(generation.indexes), params={"ignore_unavailable": "true"})
    except Exception as e:  # noqa: BLE001 - the build's own error is the one to report
        log.error("index %s non supprimé : %s", generation.reports, e)


def sweep(client: OpenSearch, name: str, keep: set[str], most: int) -> list[str]:
    """Delete every generation but those in ``keep`` (reports index names), any aliased one and the
    newest whole ones, up to ``most`` in all: unsealed leftovers and older generations go."""
    current = live(client, name)
    kept_now = set(keep) | ({current.reports} if current is not None else set())
    found = all_of(client, name)
    for index in sorted(found, reverse=True):  # newest first
        if len(kept_now) < most and index not in kept_now and _whole(index, found[index]):
            kept_now.add(index)
    gone = [index for index in found if index not in kept_now]
    for index in gone:
        discard(client, Generation.of(index))
    return gone


def _whole(index: str, stamp: dict) -> bool:
    return problem(index, stamp, None) is None


def problem(index: str, stamp: dict, health: str | None) -> str | None:
    """Why a generation cannot be served, or None when it is whole (``health``: its index's, if known)."""
    if not stamp.get("sealed"):
        return f"{index} est inachevée (une construction en cours, ou interrompue)"
    other = other_rules(index, stamp, ANALYSIS_VERSION)
    if other:
        return f"{other} : une reconstruction est nécessaire"
    if health == "red":
        return f"{index} est indisponible (aucune copie d'un de ses fragments ne répond)"
    return None


def infos(client: OpenSearch, name: str) -> list[GenerationInfo]:
    """Every generation of the collection, newest first, as ``python -m search generations`` lists them."""
    found = all_of(client, name)
    if not found:
        return []
    rows = {r["index"]: r for r in client.cat.indices(index=f"{name}-g*", format="json", bytes="b")}
    current = live(client, name)
    out = []
    for index in sorted(found, reverse=True):
        row, lexicon = rows.get(index, {}), rows.get(index + LEXICON)
        trouble = problem(index, found[index], row.get("health"))
        if trouble is None and lexicon is None:
            trouble = f"le lexique de {index} manque"
        size = sum(int(r.get("store.size") or 0) for r in (row, lexicon or {}))
        out.append(GenerationInfo(index, created(index), _reports(found[index], row), size,
                                  current is not None and current.reports == index, trouble))
    return out


def _reports(stamp: dict, row: dict) -> int | None:
    if stamp.get("count") is not None:
        return int(stamp["count"])
    return int(row["docs.count"]) if row.get("docs.count") not in (None, "") else None


def created(index: str) -> float:
    """When a generation was begun, from its name (``<name>-g<YYYYmmdd-HHMMSS-ffffff>``)."""
    stamp = index.rsplit("-g", 1)[-1]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S-%f").replace(tzinfo=timezone.utc).timestamp()
    except ValueError:
        return 0.0


def restore(client: OpenSearch, name: str, index: str) -> GenerationInfo:
    """Move both aliases to the kept whole generation ``index`` (call with the writer lock held).

    Raises NotFound when the collection has no such generation, IndexDamaged when it is not whole.
    Nothing is deleted: the generations after it stay, and can be restored in turn."""
    wanted = next((info for info in infos(client, name) if info.name == index), None)
    if wanted is None:
        raise NotFound(f"aucune génération {index} dans la collection {name} : "
                       "`python -m search generations --engine opensearch` les liste")
    if wanted.problem:
        raise IndexDamaged(f"{wanted.problem} : elle ne peut pas être remise en service")
    current = live(client, name)
    if current is None or current.reports != index:
        publish(client, name, Generation.of(index), current)
    return dataclasses.replace(wanted, live=True)
