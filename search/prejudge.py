"""The collection's most written names judged right after a rebuild or update, not on an analyst's first search.

A name's first search in a generation finds its candidates in the lexicon and judges each
(``search.names.variants``): tenths of a second for a common name at 34k reports. The new
generation's judged forms file (``search.names.judged``) is filled here for the names the most
reports write, in their most written spelling and in lower case (an analyst types ``michel`` as
often as ``Michel``), with the alias rows a server of this index reads by default: its first
search of them only reads their verdicts. The other forms are judged on
their first search and remembered then.

It costs a few seconds at the end of a rebuild or update (``prejudged_names``, and
``prejudge_seconds`` of processor time: 2 to 3 % of a rebuild at 34k reports); an
engine without a folder (OpenSearch) keeps judged forms in each server's memory only, so there
nothing is judged ahead.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from search import settings
from search.engine.contract import Location

if TYPE_CHECKING:
    from search.engine.whoosh.searcher import WhooshEngine

log = logging.getLogger("search.prejudge")


def prejudge(index: Location, engine: str = "whoosh", names: int | None = None,
             seconds: float | None = None) -> int:
    """Judge the ``names`` most written names of the live generation, for ``seconds`` of this
    process's time at most; how many were judged. A failure is logged, never raised: the index is published already."""
    if engine != "whoosh":
        return 0
    from search.names.aliases import AliasTable
    from search.query.syntax import parse
    from search.service import SearchService
    most = int(settings.get("prejudged_names") if names is None else names)
    budget = float(settings.get("prejudge_seconds") if seconds is None else seconds)
    if most <= 0 or budget <= 0:
        return 0
    try:
        engine_ = _engine(index)
        service = SearchService(engine_, AliasTable(settings.aliases_file(None, Path(str(index)))))
    except Exception:  # noqa: BLE001 - the index is published: a warm-up that fails changes nothing
        log.exception("les noms n'ont pas pu être jugés d'avance")
        return 0
    # A budget of this process's own time: on a machine busy with other work as many names are judged.
    done, stop = 0, time.process_time() + budget
    try:
        engine_.vocabulary().warm()  # the name forms by key, read once: then each name's candidates are a look-up
        decisions = engine_.vocabulary().decisions
        for name, _ in engine_.most_written_names(most):
            if time.process_time() > stop or not decisions.writable:  # judged ahead only to be written down
                break
            planned = service.plan(parse(name))
            # The name as the reports write it, hyphens and apostrophes included (Deir ez-Zor), which
            # is how an analyst types it too: its own form (the list gives its words apart).
            for form in _written_forms(name, planned.variants if planned else []):
                service.plan(parse(form))
            # And as typed in lower case (michel, beyrouth): a name too, unless the reports write
            # it as a French word (then it is planned as a word, and nothing is judged).
            if name.lower() != name:
                service.plan(parse(name.lower()))
            done += 1
    except Exception:  # noqa: BLE001 - as above
        log.exception("les noms n'ont pas pu être jugés d'avance")
    finally:
        service.close()
    return done


def _written_forms(name: str, variants) -> list[str]:
    """The forms of the candidates judged for ``name`` that write its very words with other joins."""
    from search.names.match import typed_key
    return sorted({form for v in variants for form in v.forms
                   if form != name and typed_key(form) == typed_key(name)})[:3]


def _engine(index: Location) -> "WhooshEngine":
    from search.engine import whoosh
    return whoosh.open(Path(str(index)))
