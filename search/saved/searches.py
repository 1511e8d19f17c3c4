"""Saved searches that watch for new reports.

A saved search is a name and a search (its URL's query string). It remembers the reports it has
seen, twice over: by the page (what was there when the analyst last opened it) and by ``watch``
(what was there at its last run, for a cron job). What a search finds now and has not seen is
new. Report ids are stable across rebuilds and updates, so a rebuild makes nothing new.

    saved = SavedSearches(Database(path), service)
    alep = saved.save("Alep", params)            # what it finds now counts as seen
    ... an update adds a report about Alep ...
    saved.news(alep)                              # {'afp/2024-03-01'}
    opened = saved.open(alep.id)                  # seen now; opened.fresh marks it on the page
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol

from search.errors import BadRequest, Conflict, NotFound
from search.params import SearchParams, from_query_string, query_string
from search.saved.database import Database

NAME_CHARS = 200
BY = ("page", "watch")


class Finder(Protocol):
    """What a saved search asks of the service: the ids of every report a search finds."""

    def ids(self, params: SearchParams) -> set[str]: ...


@dataclass(frozen=True)
class SavedSearch:
    id: int
    name: str
    query: str              # the search as a query string (``params.query_string``)
    created: str            # ISO 8601, UTC
    opened: str | None      # last opened on the page
    watched: str | None     # last run of ``watch``
    fresh_at: str | None    # when the reports marked new on its page were new

    @property
    def params(self) -> SearchParams:
        """Its search (raises BadRequest when the query no longer reads, e.g. after a limit changed)."""
        return from_query_string(self.query)


@dataclass(frozen=True)
class Opened:
    """A saved search as its page shows it once opened."""
    search: SavedSearch
    new: int                # reports new at this opening
    fresh: frozenset[str]   # the reports to mark new (those of this opening, or of the last one that had any)
    since: str | None       # the opening before this one (None: never opened since it was saved)


def now(timespec: str = "seconds") -> str:
    return datetime.now(timezone.utc).isoformat(timespec=timespec)


def check_name(name: str) -> str:
    """The name, tidied; raises BadRequest for an empty or over-long one."""
    name = " ".join("".join(c for c in name if unicodedata.category(c)[0] != "C").split())
    if not name:
        raise BadRequest("donnez un nom à la recherche", "nom")
    if len(name) > NAME_CHARS:
        raise BadRequest(f"un nom de recherche fait au plus {NAME_CHARS} caractères", "nom")
    return name


class SavedSearches:
    """The saved searches of one database, compared with what ``finder`` finds now."""

    def __init__(self, database: Database, finder: Finder):
        self.db, self.finder = database, finder

    def save(self, name: str, params: SearchParams) -> SavedSearch:
        """Saves the search under ``name``; what it finds now counts as seen (raises Conflict for a name taken)."""
        name, query = check_name(name), query_string(params)
        found = self.finder.ids(params)
        with self.db.connect() as conn:
            if conn.execute("SELECT 1 FROM searches WHERE name = ?", (name,)).fetchone():
                raise Conflict(f"une recherche enregistrée s’appelle déjà « {name} » : choisissez un autre nom", "nom")
            cur = conn.execute("INSERT INTO searches (name, query, created) VALUES (?, ?, ?)", (name, query, now()))
            search_id = int(cur.lastrowid or 0)
            _mark_seen(conn, search_id, found, BY)
        saved = self.get(search_id)
        assert saved is not None
        return saved

    def all(self) -> list[SavedSearch]:
        with self.db.connect() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM searches ORDER BY name COLLATE NOCASE, id").fetchall()
        return [SavedSearch(*row) for row in rows]

    def get(self, search_id: int) -> SavedSearch | None:
        with self.db.connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM searches WHERE id = ?", (search_id,)).fetchone()
        return SavedSearch(*row) if row else None

    def by_name(self, name: str) -> SavedSearch | None:
        with self.db.connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM searches WHERE name = ?", (name,)).fetchone()
        return SavedSearch(*row) if row else None

    def delete(self, search_id: int) -> bool:
        with self.db.connect() as conn:
            return conn.execute("DELETE FROM searches WHERE id = ?", (search_id,)).rowcount > 0

    def seen(self, search: SavedSearch, by: str = "page") -> set[str]:
        with self.db.connect() as conn:
            rows = conn.execute("SELECT report FROM seen WHERE search = ? AND by = ?", (search.id, by))
            return {r[0] for r in rows}

    def news(self, search: SavedSearch, by: str = "page") -> set[str]:
        """The reports it finds now and has not seen (by the page, or by ``watch``)."""
        return self.finder.ids(search.params) - self.seen(search, by)

    def open(self, search_id: int) -> Opened:
        """Opens a saved search: what is new is marked fresh and counts as seen from now on."""
        search = self.get(search_id)
        if search is None:
            raise NotFound("Cette recherche enregistrée n’existe pas (ou plus).")
        new = self.news(search)
        stamp = now()
        with self.db.connect() as conn:
            if new:
                conn.execute("DELETE FROM fresh WHERE search = ?", (search.id,))
                conn.executemany("INSERT OR IGNORE INTO fresh (search, report) VALUES (?, ?)",
                                 [(search.id, r) for r in new])
                _mark_seen(conn, search.id, new, ("page",))
            conn.execute("UPDATE searches SET opened = ?, fresh_at = CASE WHEN ? THEN ? ELSE fresh_at END "
                         "WHERE id = ?", (stamp, bool(new), stamp, search.id))
            fresh = frozenset(r[0] for r in conn.execute("SELECT report FROM fresh WHERE search = ?", (search.id,)))
        opened = self.get(search.id)
        assert opened is not None
        return Opened(opened, len(new), fresh, search.opened)

    def watch(self, search: SavedSearch) -> set[str]:
        """``watch``'s run over one saved search: the reports new since its last run, seen from now on."""
        new = self.news(search, "watch")
        with self.db.connect() as conn:
            _mark_seen(conn, search.id, new, ("watch",))
            conn.execute("UPDATE searches SET watched = ? WHERE id = ?", (now(), search.id))
        return new


_COLUMNS = "id, name, query, created, opened, watched, fresh_at"


def _mark_seen(conn, search_id: int, reports: set[str], by: tuple[str, ...]) -> None:
    conn.executemany("INSERT OR IGNORE INTO seen (search, by, report) VALUES (?, ?, ?)",
                     [(search_id, b, r) for r in reports for b in by])
