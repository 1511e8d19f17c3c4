"""Export: every hit of a search (all pages, the current filters) as CSV or JSON Lines, streamed.

``rows`` walks the search page by page through :meth:`SearchService.run`, so memory holds one
page of hits, never the whole result set (34k reports of the shared corpus for an empty query);
``csv_chunks`` and ``jsonl_chunks`` turn rows into text chunks, one line each, for a streamed
HTTP answer or for stdout. The page limits of the API (``max_page``, ``max_per_page``) bound a
web page, not an export.

A JSON line is exactly the API's hit (``ResultHit.to_json()``) with its keys in :data:`FIELDS`
order; a CSV line writes the same fields, the snippet as plain text (``TextFormatter``) and
``matched`` joined with `` | ``.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
from typing import Iterable, Iterator

from search import settings
from search.highlight.formatters import TextFormatter
from search.params import SearchParams
from search.results import ResultHit
from search.service import SearchService

FIELDS = ("id", "title", "date", "date_precision", "source", "score", "matched", "snippet")
MATCHED_SEP = " | "
# A spreadsheet runs a cell starting with one of these as a formula ("=HYPERLINK(…)", "@SUM(…)",
# "-2+3"): a report's text is not ours to run on the analyst's machine. Tab and carriage return
# start a formula too once some spreadsheets strip them (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Line breaks that json.dumps leaves raw with ensure_ascii=False and that str.splitlines() and
# some JSON Lines readers split on: escaped, so that one record stays one line for every reader.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


PLAIN = TextFormatter()


def hits(service: SearchService, params: SearchParams) -> Iterator[ResultHit]:
    """Every hit of the search ``params`` describes, in rank order, one page at a time.

    ``params.page`` and ``params.per_page`` are ignored. An update landing during an export
    may move hits between pages: a hit already given is not given again.
    """
    size = settings.get("export_page")
    seen: set[str] = set()
    page = 1
    while True:
        # Each page in the heavy lane, in turn with other heavy work: an export never holds up a search.
        result = service.run(dataclasses.replace(params, page=page, per_page=size), heavy=True)
        for hit in result.hits:
            if hit.id not in seen:
                seen.add(hit.id)
                yield hit
        if not result.hits or page * size >= result.total:
            return
        page += 1


def json_row(hit: ResultHit) -> dict:
    """The API's hit, its keys in :data:`FIELDS` order."""
    shaped = hit.to_json()
    return {name: shaped[name] for name in FIELDS}


def csv_chunks(hits: Iterable[ResultHit]) -> Iterator[str]:
    """The header line, then one CSV line per row (RFC 4180: quoted where needed, CRLF ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(cells: list) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(list(FIELDS))
    for hit in hits:
        row = json_row(hit) | {"snippet": PLAIN.format(hit.snippet)}
        yield line([_cell(name, row.get(name)) for name in FIELDS])


def _cell(name: str, value) -> str:
    if value is None:
        return ""
    if name == "matched":
        value = MATCHED_SEP.join(value)
    elif not isinstance(value, str):  # the score: a number we wrote, never a formula
        return str(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def jsonl_chunks(hits: Iterable[ResultHit]) -> Iterator[str]:
    """One JSON object per line, UTF-8 text as is (``ensure_ascii=False``)."""
    for hit in hits:
        text = json.dumps(json_row(hit), ensure_ascii=False)
        for raw, escaped in _LINE_BREAKS.items():
            text = text.replace(raw, escaped)
        yield text + "\n"
