"""The search engine behind one door: the contract (``contract``) and its Whoosh adapter.

Nothing outside ``search.engine.whoosh`` imports Whoosh; the rest of the service sees
plans (``search.plan``), ``StoredReport``s and ``EngineResult``s only.
"""
from search.engine import whoosh as adapter
from search.engine.contract import Engine, EngineResult, Filters, Hit, StoredReport
from search.engine.whoosh import IndexingFailed, Summary, WhooshEngine, rebuild, update

SearchIndex = WhooshEngine  # the engine the service opens


def open_engine(store) -> Engine:
    return adapter.open(store)


__all__ = ["Engine", "EngineResult", "Filters", "Hit", "IndexingFailed", "SearchIndex", "StoredReport", "Summary",
           "adapter", "open_engine", "rebuild", "update"]
