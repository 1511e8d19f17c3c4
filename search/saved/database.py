"""The database of saved searches and history: one SQLite file, its schema, its version.

Each call opens its own connection (cheap; threads and processes never share one), in WAL mode
so that the page reads while ``watch`` writes. ``PRAGMA user_version`` holds the schema's
version: a file of a newer version is refused rather than misread.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from search.errors import SearchError

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS searches (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    query    TEXT NOT NULL,      -- the search as its URL's query string: q=Alep&from=2016-07
    created  TEXT NOT NULL,      -- ISO 8601, UTC
    opened   TEXT,               -- last opened on the page
    watched  TEXT,               -- last run of `watch`
    fresh_at TEXT                -- when the reports of `fresh` were new
);
-- The reports each saved search has seen, by the page and by `watch` (each has its own "since").
CREATE TABLE IF NOT EXISTS seen (
    search INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    by     TEXT NOT NULL CHECK (by IN ('page', 'watch')),
    report TEXT NOT NULL,
    PRIMARY KEY (search, by, report)
) WITHOUT ROWID;
-- The reports that were new when the search was last opened with something new: marked on its page.
CREATE TABLE IF NOT EXISTS fresh (
    search INTEGER NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    report TEXT NOT NULL,
    PRIMARY KEY (search, report)
) WITHOUT ROWID;
-- Each browser's last searches (``visitor``: a random id in a cookie).
CREATE TABLE IF NOT EXISTS history (
    visitor TEXT NOT NULL,
    query   TEXT NOT NULL,
    total   INTEGER NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (visitor, query)
) WITHOUT ROWID;
"""


class DatabaseError(SearchError):
    """The database cannot be used (its message says why and what to do)."""

    status = 503


class Database:
    """The database file; created with its schema on first use."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._ready = False

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction (committed on success, rolled back on error), then closed."""
        try:
            conn = sqlite3.connect(self.path, timeout=10)
        except sqlite3.Error as e:
            raise DatabaseError(f"base des recherches enregistrées illisible ({self.path}) : {e}") from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if not self._ready:
                self._prepare(conn)
            with conn:
                yield conn
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"base des recherches enregistrées inutilisable ({self.path}) : {e}") from None
        finally:
            conn.close()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DatabaseError(f"{self.path} a été écrite par une version plus récente (schéma {version}, "
                                f"celle-ci lit le schéma {SCHEMA_VERSION}) : mettez le logiciel à jour")
        conn.execute("PRAGMA journal_mode = WAL")
        with conn:
            conn.executescript(SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._ready = True
