"""The search engine behind one door: the contract (``contract``) and its adapters, loaded when asked for.

Nothing outside ``search.engine.whoosh`` imports Whoosh; the rest of the service sees plans
(``search.query.nodes``), ``StoredReport``s and ``EngineResult``s only.
"""
from __future__ import annotations

import importlib
from types import ModuleType

ADAPTERS = {"whoosh": "search.engine.whoosh", "opensearch": "search.engine.opensearch"}


def adapter(name: str = "whoosh") -> ModuleType:
    """The adapter package ``name``, imported now (importing ``search.engine`` loads none)."""
    return importlib.import_module(ADAPTERS[name])
