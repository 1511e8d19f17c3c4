"""One text file read into a :class:`Report`: bytes -> decoded text -> header lines, title line
and body -> date and source.  Header lines sit at the top::

    date: 2023-11-01
    source: Perspectives Med
    title: Revue de presse

or, as in the seeds, a ``date <date>`` prefix on the title line itself::

    date 2023-11 Revue de presse : Perspectives Med (1er novembre 2023)*

The date is the header's, made more precise by a date in the title when the
two agree (see :func:`search.ingest.dates.more_precise`); a report without a date is
kept, undated.  The source is the header's, else the publication named in a
"Revue de presse : NAME (date)" title, else the first sub-folder.  :func:`normalize`,
:func:`header_date` and :func:`source_of` serve JSONL records too.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from search.ingest.dates import Period, find_date, match_date, more_precise, parse_date
from search.ingest.files import MAX_FILE_BYTES, Unusable, open_regular
from search.ingest.items import Report, Skipped


def _read_bytes(path: Path) -> tuple[os.stat_result, bytes]:
    """The file's stat as opened, and its bytes; pipes, devices and giant files are refused before reading."""
    with open_regular(path, MAX_FILE_BYTES) as fh:
        return os.fstat(fh.fileno()), fh.read(MAX_FILE_BYTES + 1)


def read_text_file(root: Path, rel: str) -> Report | Skipped:
    try:
        info, raw = _read_bytes(root / rel)
        digest = hashlib.sha1(raw).hexdigest()
        text, warnings = _decode(raw)
        del raw  # a 50 MB report is not held twice
        text = normalize(text)
        if not text.strip():
            raise Unusable("vide")
        report = _text_report(rel, digest, text, warnings)
        report.stat = info
        return report
    except OSError as err:
        return Skipped(rel, f"illisible : {err.strerror or err}")
    except Unusable as err:
        return Skipped(rel, str(err))


def _decode(raw: bytes) -> tuple[str, list[str]]:
    """The text of a file and the warnings about how it was read."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:  # Windows Notepad's "Unicode": full of NUL bytes, yet text
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise Unusable("fichier binaire")
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:  # the usual encoding of older French Windows files
        return raw.decode("cp1252"), ["lu en cp1252"]
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1"), ["lu en latin-1"]


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize(text: str) -> str:
    """LF line ends and NFC, so that "é" is one character whatever the editor wrote.

    A lone surrogate (a JSON "\\ud800" escape) becomes U+FFFD: it is no text, and the index
    cannot write it.
    """
    # Each step only when it changes something: on a 50 MB report every copy is 100 MB more memory.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _nfc(text)
    return _LONE_SURROGATE.sub("\ufffd", text) if _LONE_SURROGATE.search(text) else text


NFC_CHUNK = 1 << 20


def _nfc(text: str) -> str:
    """NFC, a megabyte at a time (cut at line ends: nothing composes across one), so that checking
    a 50 MB report takes one megabyte more, not three copies of it."""
    if len(text) <= NFC_CHUNK:
        return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)
    chunks, start = [], 0
    while start < len(text):
        end = text.find("\n", start + NFC_CHUNK)
        end = len(text) if end < 0 else end + 1
        chunks.append((start, end))
        start = end
    if all(unicodedata.is_normalized("NFC", text[a:b]) for a, b in chunks):
        return text
    return "".join(unicodedata.normalize("NFC", text[a:b]) for a, b in chunks)


def _text_report(rel: str, digest: str, text: str, warnings: list[str]) -> Report:
    parts = _split_text(text)
    if not parts.title and not parts.body:
        raise Unusable("vide : ni titre ni texte")
    dated = header_date(parts.headers.get("date"), warnings)
    return Report(
        id=unicodedata.normalize("NFC", rel.rsplit(".", 1)[0]),
        title=parts.title,
        text=parts.body,
        date=more_precise(dated, find_date(parts.title)),
        source=source_of(parts.headers.get("source"), parts.title, rel),
        path=rel,
        hash=digest,
        warnings=warnings,
    )


def header_date(value: object, warnings: list[str]) -> Period | None:
    """The date a header or JSONL field gives; a value that is no date warns and counts as none."""
    period = parse_date(value)
    if value not in (None, "") and period is None:
        warnings.append(f"date non comprise, rapport laissé sans date : {value!r}")
    return period


# --- header lines, title line, body ------------------------------------------


class _Parts(NamedTuple):
    headers: dict[str, str]  # "date", "source", "title": the raw values
    title: str
    body: str


class _Header(NamedTuple):
    key: str
    value: str
    title: str  # the title that follows a date on the same line, or ""


_HEADER = re.compile(r"(?P<key>date|source|title|titre)\b\s*(?P<colon>:)?\s*(?P<value>.*)", re.I)
_FRONT_FIELD = re.compile(r"(?P<key>[\w-]+)\s*:\s*(?P<value>.*)")
_KEYS = {"titre": "title"}
_BLANK = _Header("", "", "")


HEAD_LINES = 1000  # lines split apart at the top of a report: headers and title are there


def _split_text(text: str) -> _Parts:
    """Header values, title and body of a report's text; a long text's body is not split into lines
    (the lines of a 50 MB report took more memory than its text)."""
    lines = text.split("\n", HEAD_LINES)  # past HEAD_LINES, the last item holds the rest, unsplit
    if len(lines) > HEAD_LINES:
        parts, title_line = _split(lines)
        if title_line < HEAD_LINES:
            return parts
        lines = text.split("\n")  # a thousand lines of headers and blanks: every line apart
    return _split(lines)[0]


def _split(lines: list[str]) -> tuple[_Parts, int]:
    """Split a report's lines into header values, title and body; and the line where the headers end."""
    headers: dict[str, str] = {}
    i = _front_matter(lines, headers)
    inline_title = ""  # "date 2023-11 Revue de presse...": a title after the date
    while i < len(lines) and not inline_title:
        line = lines[i].strip()
        header = _read_header(line) if line else _BLANK
        if header is None:  # the title line, or the body when a title: header was given
            break
        if header.key:
            headers.setdefault(header.key, header.value)  # the first one counts
        inline_title = header.title
        i += 1
    remaining = ([inline_title] if inline_title else []) + lines[i:]
    if headers.get("title"):
        title, body = headers["title"], remaining
    else:
        title, body = (remaining[0], remaining[1:]) if remaining else ("", [])
    return _Parts(headers, _clean_title(title), "\n".join(body).strip()), i


def _read_header(line: str) -> _Header | None:
    """The header on this line, or None when the line is not one.

    Without a colon only ``date`` followed by a date is a header, so that
    titles such as "Date limite..." or "Source de tensions..." stay titles.
    """
    match = _HEADER.fullmatch(line)
    if match is None:
        return None
    key = _KEYS.get(match["key"].lower(), match["key"].lower())
    value = match["value"].strip()
    found = match_date(value) if key == "date" else None
    if found and (not found[1] or not found[1][0].isalnum()):
        date_text = value[: len(value) - len(found[1])].strip()
        return _Header(key, date_text, found[1].lstrip(" \t-–—:|,"))
    return _Header(key, value, "") if match["colon"] else None


def _front_matter(lines: list[str], headers: dict[str, str]) -> int:
    """Read a Markdown front matter block (``---`` lines around ``key: value``).

    Returns the index of the line after it, or 0 when there is none.
    """
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return 0
    found: dict[str, str] = {}
    for i in range(first + 1, len(lines)):
        if lines[i].strip() == "---":
            for key, value in found.items():
                headers.setdefault(key, value)
            return i + 1
        match = _FRONT_FIELD.fullmatch(lines[i].strip())
        if match:
            key = _KEYS.get(match["key"].lower(), match["key"].lower())
            found.setdefault(key, match["value"].strip().strip("'\""))
    return 0  # never closed: a rule line in the text, not front matter


def _clean_title(line: str) -> str:
    """The title as shown: no Markdown "#" marks, no trailing "*" (seed 004 ends with one)."""
    title = re.sub(r"^#{1,6}\s+", "", line.strip())
    if title.startswith("*") and title.endswith("*"):  # **bold title**
        title = title.lstrip("*")
    return title.rstrip("*").strip()


# --- source -------------------------------------------------------------------


_PRESS_REVIEW = re.compile(r"revue\s+de\s+presse\s*[:–—-]\s*(?P<name>.+)", re.I)
# Where a date part may start after the name: "(date)", ", date", " - date".
_DATE_PART = re.compile(r"\s*(?:\(|[,–—]|\s-)\s*")


def source_of(header: object, title: str, rel: str) -> str | None:
    """The header's source, else the one a press review title names, else the sub-folder."""
    if isinstance(header, str) and header.strip():
        return normalize(header.strip())
    return _source_in_title(title) or _source_folder(rel)


def _source_in_title(title: str) -> str | None:
    """"Perspectives Med" in "Revue de presse : Perspectives Med (1er novembre 2023)"."""
    match = _PRESS_REVIEW.match(title)
    if match is None:
        return None
    name = match["name"].strip()
    for part in _DATE_PART.finditer(name):
        if parse_date(name[part.end():].rstrip(" )")):
            name = name[: part.start()]
            break
    return name.strip(" \t-–—:,") or None


def _source_folder(rel: str) -> str | None:
    """The first sub-folder ("Le Monde" for "Le Monde/x.txt"), unless it is a date ("2023/x.txt")."""
    parts = rel.split("/")
    if len(parts) < 2 or parse_date(parts[0]):
        return None
    return unicodedata.normalize("NFC", parts[0])  # macOS writes names decomposed
