"""What analysts come back to: saved searches that watch for new reports, and the history of searches.

Both live in one SQLite database beside the index folder (``recherches.sqlite``, setting
``saved``), never inside it: rebuilds and updates replace index generations, and report ids
are stable across them, so what a saved search has seen stays true.

- ``database``: the file, its schema and its version;
- ``searches``: ``SavedSearches``, the saved searches and the reports each has seen;
- ``history``: ``History``, each browser's last searches;
- ``transfer``: saved searches to and from JSON.
"""
from search.saved.database import Database
from search.saved.history import History
from search.saved.searches import Opened, SavedSearch, SavedSearches

__all__ = ["Database", "History", "Opened", "SavedSearch", "SavedSearches"]
