"""The yardstick: the same articles in SQLite FTS5, searched as Datasette does.

A table ``docs`` (id, title, body, source, date) and an FTS5 index over title
and body (``unicode61 remove_diacritics 2``); a search runs the MATCH ordered
by ``rank`` with ``snippet()`` for 10 rows, and ``count(*)`` for the total --
what Datasette's table JSON does for ``?_search=``. ``facets=True`` adds the
source and month counts our API returns.

    python bench/fts5.py --db FILE --port P     # serve GET /search?q=...&source=...&from=...&to=...
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from queries import fts_match

SCHEMA = """
CREATE TABLE docs (rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, body TEXT, source TEXT, date TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, content='docs', content_rowid='rowid',
                                    tokenize='unicode61 remove_diacritics 2');
"""


def build(db: Path, reports) -> int:
    """Write every report (``search.ingest.reports.Report``) into a new database; the row count."""
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.executescript(SCHEMA)
    rows = ((r.id, r.title, r.text, r.source, r.date.start.isoformat() if r.date else None)
            for r in reports if hasattr(r, "text"))
    con.executemany("INSERT INTO docs (id, title, body, source, date) VALUES (?, ?, ?, ?, ?)", rows)
    con.execute("INSERT INTO fts (fts) VALUES ('rebuild')")
    con.commit()
    n = con.execute("SELECT count(*) FROM docs").fetchone()[0]
    con.close()
    return n


class Fts5Search:
    def __init__(self, db: Path):
        self.con = sqlite3.connect(db, check_same_thread=False)
        self.lock = threading.Lock()

    def search(self, params: dict, facets: bool = False) -> dict:
        where, args, fts = _where(params)
        src = "fts JOIN docs d ON d.rowid = fts.rowid" if fts else "docs d"
        order = "ORDER BY rank" if fts else "ORDER BY d.date DESC"
        snippet = "snippet(fts, 1, '<mark>', '</mark>', '…', 32)" if fts else "substr(d.body, 1, 240)"
        with self.lock:
            rows = self.con.execute(f"SELECT d.id, d.title, d.source, d.date, {snippet} FROM {src} "
                                    f"WHERE {where} {order} LIMIT 10", args).fetchall()
            total = self.con.execute(f"SELECT count(*) FROM {src} WHERE {where}", args).fetchone()[0]
            out = {"total": total, "hits": [dict(zip(("id", "title", "source", "date", "snippet"), r)) for r in rows]}
            if facets:
                out["facets"] = {
                    "source": dict(self.con.execute(f"SELECT d.source, count(*) FROM {src} WHERE {where} "
                                                    "GROUP BY d.source ORDER BY 2 DESC", args).fetchall()),
                    "month": dict(self.con.execute(f"SELECT substr(d.date, 1, 7), count(*) FROM {src} "
                                                   f"WHERE {where} GROUP BY 1", args).fetchall())}
        return out


def _where(params: dict) -> tuple[str, list, bool]:
    clauses, args = [], []
    match = fts_match(params.get("q", ""))
    if match:
        clauses.append("fts MATCH ?")
        args.append(match)
    sources = params.get("source") or []
    if sources:
        clauses.append(f"d.source IN ({', '.join('?' * len(sources))})")
        args += sources
    if params.get("from"):
        clauses.append("d.date >= ?")
        args.append(params["from"])
    if params.get("to"):
        clauses.append("d.date <= ?")
        args.append(params["to"] + "\uffff")  # "2020-06" takes in the whole month
    return " AND ".join(clauses) or "1", args, bool(match)


def serve(db: Path, port: int, facets: bool) -> None:
    engine = Fts5Search(db)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as uvicorn
        disable_nagle_algorithm = True  # else headers and body wait for a delayed ACK (40 ms)

        def do_GET(self):
            raw = parse_qs(urlparse(self.path).query)
            params = {k: (v if k == "source" else v[-1]) for k, v in raw.items()}
            body = json.dumps(engine.search(params, facets), ensure_ascii=False).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="Serve an FTS5 database built by bench/perf.py.")
    ap.add_argument("--db", required=True, type=Path)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--facets", action="store_true", help="count source and month facets too")
    a = ap.parse_args()
    serve(a.db, a.port, a.facets)
