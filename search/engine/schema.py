"""Where indexes written before the Whoosh adapter moved to ``search.engine.whoosh`` find their analyzer.

Whoosh pickles the schema into every generation's table of contents, naming this
module: without it, an index built by an earlier version would no longer open.
"""
from search.engine.whoosh.schema import FieldAnalyzer

__all__ = ["FieldAnalyzer"]
