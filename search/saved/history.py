"""Each browser's last searches: one click to run one again, and a button to forget them all.

A browser is known by a random id in a cookie (no account: the id says nothing of who holds it),
so analysts sharing a server do not see each other's searches. A search is kept once (running it
again moves it to the top), with the number of reports it found; the oldest go past ``kept``.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from search.params import SearchParams, from_query_string, query_string
from search.saved.database import Database
from search.saved.searches import now

VISITOR_CHARS = 32


@dataclass(frozen=True)
class Entry:
    query: str   # the search as a query string
    total: int   # the reports it found then
    at: str      # ISO 8601, UTC

    @property
    def params(self) -> SearchParams:
        return from_query_string(self.query)


def new_visitor() -> str:
    return secrets.token_hex(VISITOR_CHARS // 2)


def is_visitor(value: str | None) -> bool:
    """Whether a cookie's value is one of our ids (anything else is ignored, never stored)."""
    return bool(value) and len(value or "") == VISITOR_CHARS and all(c in "0123456789abcdef" for c in value or "")


class History:
    def __init__(self, database: Database, kept: int):
        self.db, self.kept = database, kept

    def record(self, visitor: str, params: SearchParams, total: int) -> None:
        """The search at the top of the visitor's history (its first page, as a list)."""
        query = query_string(params)
        with self.db.connect() as conn:
            conn.execute("INSERT OR REPLACE INTO history (visitor, query, total, at) VALUES (?, ?, ?, ?)",
                         (visitor, query, total, now("microseconds")))
            conn.execute("DELETE FROM history WHERE visitor = ? AND query NOT IN (SELECT query FROM history "
                         "WHERE visitor = ? ORDER BY at DESC LIMIT ?)", (visitor, visitor, self.kept))

    def entries(self, visitor: str, most: int | None = None) -> list[Entry]:
        """The visitor's searches, latest first."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT query, total, at FROM history WHERE visitor = ? ORDER BY at DESC LIMIT ?",
                                (visitor, most or self.kept)).fetchall()
        return [Entry(*row) for row in rows]

    def clear(self, visitor: str) -> int:
        with self.db.connect() as conn:
            return conn.execute("DELETE FROM history WHERE visitor = ?", (visitor,)).rowcount
