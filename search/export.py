"""Export: every hit of a search (all pages, the current filters) as CSV or JSON Lines, streamed.

``rows`` walks the search page by page through :meth:`SearchService.run`, so memory holds one
page of hits, never the whole result set (34k reports of the shared corpus for an empty query);
``csv_chunks`` and ``jsonl_chunks`` turn rows into text chunks, one line each, for a streamed
HTTP answer or for stdout. The page limits of the API (``max_page``, ``max_per_page``) bound a
web page, not an export.

A JSON line is the API's hit (``ResultHit.to_json()``) with its keys in :data:`FIELDS` order and
the report's ``permalink`` (absolute when the export knows the server's address); a CSV line
writes the same fields, the snippet as plain text (``TextFormatter``) and ``matched`` joined with
`` | ``. Two CSV dialects (:data:`DIALECTS`): ``csv`` (RFC 4180: commas, UTF-8, for scripts) and
``excel``, the form French Excel opens as is (semicolons, a byte order mark, decimal commas).
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import quote

from search import settings
from search.highlight.formatters import TextFormatter
from search.params import SearchParams
from search.results import ResultHit
from search.service import SearchService
from search.text.fold import fold

FIELDS = ("id", "title", "date", "date_precision", "source", "score", "matched", "snippet", "permalink")
MATCHED_SEP = " | "
# A spreadsheet runs a cell starting with one of these as a formula ("=HYPERLINK(…)", "@SUM(…)",
# "-2+3"): a report's text is not ours to run on the analyst's machine. Tab and carriage return
# start a formula too once some spreadsheets strip them (OWASP, "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Line breaks that json.dumps leaves raw with ensure_ascii=False and that str.splitlines() and
# some JSON Lines readers split on: escaped, so that one record stays one line for every reader.
_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


PLAIN = TextFormatter()
FILE_NAME_CHARS = 80


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    bom: bool       # a byte order mark first: how Excel knows the file is UTF-8
    decimal: str    # the score's decimal separator


DIALECTS = {"csv": Dialect(",", False, "."), "excel": Dialect(";", True, ",")}


def permalink(report_id: str, base: str = "") -> str:
    """A report's page: ``/reports/<id>``, after ``base`` (``http://host:port``) when given."""
    return base.rstrip("/") + "/reports/" + quote(report_id, safe="/")


def file_name(params: SearchParams, extension: str) -> str:
    """A file name that says what the export holds: ``abou-kamal_2016-07_2017.csv``; ASCII only.

    >>> file_name(SearchParams(q='"Abou Kamal" -Daech', date_from="2016-07", date_to="2017"), "csv")
    'abou-kamal-daech_2016-07_2017.csv'
    >>> file_name(SearchParams(sources=("L'Opinion",)), "jsonl")
    'rapports_lopinion.jsonl'
    """
    parts = [_slug(params.q) or "rapports"]
    if len(params.sources) == 1:
        parts.append(_slug(params.sources[0]))
    if params.date_from or params.date_to:
        parts.append("_".join(dict.fromkeys(d for d in (params.date_from, params.date_to) if d)))
    if params.undated:
        parts.append("sans-date")
    return "_".join(p for p in parts if p)[:FILE_NAME_CHARS].rstrip("_-") + "." + extension


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


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


def json_row(hit: ResultHit, base: str = "") -> dict:
    """The API's hit and the report's permalink, in :data:`FIELDS` order."""
    shaped = hit.to_json() | {"permalink": permalink(hit.id, base)}
    return {name: shaped[name] for name in FIELDS}


def csv_chunks(hits: Iterable[ResultHit], dialect: str = "csv", base: str = "") -> Iterator[str]:
    """The header line, then one CSV line per row (RFC 4180: quoted where needed, CRLF ends);
    ``dialect``: one of :data:`DIALECTS`."""
    form = DIALECTS[dialect]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=form.delimiter)

    def line(cells: list) -> str:
        writer.writerow(cells)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield ("\ufeff" if form.bom else "") + line(list(FIELDS))
    for hit in hits:
        row = json_row(hit, base) | {"snippet": PLAIN.format(hit.snippet)}
        yield line([_cell(name, row.get(name), form) for name in FIELDS])


def _cell(name: str, value, form: Dialect = DIALECTS["csv"]) -> str:
    if value is None:
        return ""
    if name == "matched":
        value = MATCHED_SEP.join(value)
    elif not isinstance(value, str):  # the score: a number we wrote, never a formula
        return str(value).replace(".", form.decimal)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def jsonl_chunks(hits: Iterable[ResultHit], base: str = "") -> Iterator[str]:
    """One JSON object per line, UTF-8 text as is (``ensure_ascii=False``)."""
    for hit in hits:
        text = json.dumps(json_row(hit, base), ensure_ascii=False)
        for raw, escaped in _LINE_BREAKS.items():
            text = text.replace(raw, escaped)
        yield text + "\n"
