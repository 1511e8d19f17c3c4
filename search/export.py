"""Every hit of a search, all pages, as rows; and those rows as CSV or JSON Lines text, chunk by chunk.

A stand-in with the interface agreed with the command line's branch (issue9-cli), which writes the
real one: the merge keeps one of the two.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from typing import Iterable, Iterator

from . import settings
from .engine import SearchIndex
from .service import SearchParams, run

FIELDS = ("id", "title", "date", "date_precision", "source", "score", "matched", "snippet")


def rows(index: SearchIndex, params: SearchParams) -> Iterator[dict]:
    """Every hit of the search, in rank order, page after page (the page asked for is ignored)."""
    per_page, page = settings.get("max_per_page"), 1
    while True:
        result = run(index, replace(params, page=page, per_page=per_page))
        for hit in result.hits:
            row = hit.to_json()
            yield {k: row[k] for k in FIELDS}
        if page * per_page >= result.total or not result.hits:
            return
        page += 1


def csv_chunks(rows: Iterable[dict]) -> Iterator[str]:
    """A header line, then one CSV line per row (matched spellings joined by '; ')."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, FIELDS, lineterminator="\r\n")
    writer.writeheader()
    yield _drain(buffer)
    for row in rows:
        writer.writerow({**row, "matched": "; ".join(row["matched"])})
        yield _drain(buffer)


def jsonl_chunks(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        yield json.dumps(row, ensure_ascii=False) + "\n"


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
