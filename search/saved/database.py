"""The database of saved searches and history: one SQLite file, its schema, its version.

Each thread keeps its own connection (threads never share one; processes have their own), open
for as long as the app lives: closing the last connection to a database in WAL mode checkpoints
it and flushes it to disk, 10 to 20 ms on a busy disk, on every search page that records the
history. WAL mode lets the page read while ``watch`` writes; ``synchronous=NORMAL`` commits without
waiting for the disk: the database stays whole after a crash, and at worst forgets its last
commits after a power cut. ``PRAGMA user_version`` holds the schema's version: a file of a newer
version is refused rather than misread.
"""
from __future__ import annotations

import sqlite3
import threading
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
    """The database file; created with its schema on first use. ``close`` ends every thread's connection."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._open: list[sqlite3.Connection] = []

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """This thread's connection, in one transaction (committed on success, rolled back on error)."""
        conn = self._connection()
        try:
            with conn:
                yield conn
        except sqlite3.DatabaseError as e:
            raise DatabaseError(f"base des recherches enregistrées inutilisable ({self.path}) : {e}") from None

    def close(self) -> None:
        with self._lock:
            for conn in self._open:
                conn.close()
            self._open.clear()
            self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        known: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if known is not None:
            return known
        try:
            conn = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        except sqlite3.Error as e:
            raise DatabaseError(f"base des recherches enregistrées illisible ({self.path}) : {e}") from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            self._prepare(conn)
        except (sqlite3.Error, DatabaseError) as e:
            conn.close()
            if isinstance(e, DatabaseError):
                raise
            raise DatabaseError(f"base des recherches enregistrées illisible ({self.path}) : {e}") from None
        with self._lock:
            self._open.append(conn)
        self._local.conn = conn
        return conn

    def _prepare(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DatabaseError(f"{self.path} a été écrite par une version plus récente (schéma {version}, "
                                f"celle-ci lit le schéma {SCHEMA_VERSION}) : mettez le logiciel à jour")
        if version == SCHEMA_VERSION:
            return
        conn.execute("PRAGMA journal_mode = WAL")
        with conn:
            conn.executescript(SCHEMA)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
