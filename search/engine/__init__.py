"""The search engine (Whoosh) behind one door: nothing outside this package imports it.

- ``writer``: rebuild a whole index into a new generation, or update it in place;
- ``searcher``: the live index, reopened when it changes; filters and facets;
- ``compiler``: the parsed user query to an engine query;
- ``schema``: the fields and their analyzers.
"""
from .compiler import Steer
from .searcher import EngineResult, Filters, Hit, SearchIndex
from .segments import IndexingFailed
from .writer import Summary, rebuild, update

__all__ = ["EngineResult", "Filters", "Hit", "IndexingFailed", "SearchIndex", "Steer", "Summary", "rebuild", "update"]
