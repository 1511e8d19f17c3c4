"""Highlighting, a four-step pipeline as in Whoosh's ``highlight.py``:

1. ``spans``: analyze the text with each field's analyzer, keeping character spans, and keep
   the spans whose token is one of the plan's marked terms (``search.query.nodes.Marks``), so
   variant spellings are marked: the ``names`` field's keys span them;
2. ``excerpts``: choose a window of the text (a snippet) or take it whole (the report view):
   an ``Excerpt`` is that text and the spans inside it;
3. ``formatters``: ``HtmlFormatter`` escapes every character of the text and adds only
   ``<mark>`` around spans (the page and the API); ``TextFormatter`` writes plain text with
   the matches between brackets or as they are (the command line and the CSV export).

The HTML formatter's output is the only HTML that the templates mark safe.
"""
