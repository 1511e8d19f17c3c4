"""Reading press reports from a folder: one :class:`Report` per text file or JSONL record.

::

    reports/
      004_5f5f0d47140a8dcd.txt   -> id "004_5f5f0d47140a8dcd"
      Le Monde/gaza.md           -> id "Le Monde/gaza", source "Le Monde" unless the file names one
      archive.jsonl.gz           -> one report per line, id from the record

:func:`iter_reports` yields a :class:`Report` for every report it can read
and a :class:`Skipped` for everything else (binary or empty file, bad JSON
line, duplicate id...), so one bad file never stops an indexing run.

A text file goes through: bytes -> decoded text -> header lines, title line
and body -> date and source.  Header lines sit at the top::

    date: 2023-11-01
    source: Perspectives Med
    title: Revue de presse

or, as in the seeds, a ``date <date>`` prefix on the title line itself::

    date 2023-11 Revue de presse : Perspectives Med (1er novembre 2023)*

The date is the header's, made more precise by a date in the title when the
two agree (see :func:`search.ingest.dates.more_precise`); a report without a date is
kept, undated.  The source is the header's, else the publication named in a
"Revue de presse : NAME (date)" title, else the first sub-folder.
"""
from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import os
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator, NamedTuple, Protocol

from search.ingest.dates import Period, find_date, match_date, more_precise, parse_date
from search.ingest.files import (
    MAX_FILE_BYTES,
    MAX_JSONL_BYTES,
    MAX_LINE_BYTES,
    Unusable,
    bounded_lines,
    open_regular,
)
from search.ingest.ids import id_problem
from search.ingest.ledger import FileRecord, record_of, where_code, where_of
from search.ingest.walk import JSONL_SUFFIXES, list_files


@dataclass
class Report:
    """One report, ready to index."""

    id: str            # relative path without extension, "/"-separated; or the JSONL record's id
    title: str         # whole, however long: the UI truncates
    text: str          # the body, without header lines and title line
    date: Period | None
    source: str | None
    path: str          # relative path, or "file.jsonl.gz#<id>"
    hash: str          # sha1 of the raw bytes (the file, or the JSONL line)
    warnings: list[str] = field(default_factory=list)  # e.g. "lu en cp1252"
    limit: int | None = None  # characters of title and text analysed, the rest stored only (None: all)
    stat: os.stat_result | None = field(default=None, repr=False)  # its file's, as opened (a text file's)

    def searchable(self) -> str:
        """What an engine analyses: the title, a blank line and the text, up to ``limit`` characters."""
        if self.limit is None:
            return f"{self.title}\n\n{self.text}"
        return f"{self.title[:self.limit]}\n\n{self.text[:max(0, self.limit - len(self.title))]}"[:self.limit]


@dataclass
class Skipped:
    """A file, folder or JSONL line that gave no report, and why.

    Unless ``refused``, what was indexed from its ``file`` may still be there, unread: an
    update keeps it (see :func:`comes_from`). A refused one was read and turned down by a
    rule (a duplicate id, a link out of the folder): an update drops what was indexed from it.
    """

    path: str          # relative path, or "file.jsonl#<line number>"
    reason: str
    file: str = ""     # the file or folder it is part of ("" when it is ``path`` itself)
    refused: bool = False

    def __post_init__(self) -> None:
        self.file = self.file or self.path


@dataclass
class Unchanged:
    """A file the ledger of the live generation vouches for (:class:`FileBook`): not parsed; the ids of its
    reports, as that ledger has them, already checked unique in this run."""

    file: str
    ids: list[str]


class FileBook(Protocol):
    """What the reader asks of the ledgers: the old one's record of a file, and the new one's entries."""

    def known(self, path: str, info: os.stat_result) -> FileRecord | None:
        """The record of ``path`` when its size, time and inode vouch for it (the file is not opened)."""

    def same_content(self, path: str, sha1: str) -> FileRecord | None:
        """The record of ``path`` when its bytes are the ones recorded (its time or inode changed)."""

    def has(self, path: str) -> bool:
        """Whether the old ledger has a record of ``path`` at all (else there is no hash to compare)."""

    def add(self, record: FileRecord) -> None:
        """A file read whole, or vouched for: its record in the new ledger."""


def comes_from(report_path: str, place: str) -> bool:
    """Whether the report read from ``report_path`` (a ``Report.path``) lives in ``place``:
    that file, that JSONL file (``file.jsonl#id``), or a folder above it ("." is the whole folder)."""
    if place in (".", report_path):
        return True
    return report_path.startswith(place + ("#" if place.lower().endswith(JSONL_SUFFIXES) else "/"))


def iter_reports(folder: Path, follow_links: bool = False,
                 book: FileBook | None = None) -> Iterator[Report | Skipped | Unchanged]:
    """Every report under ``folder`` (or in the one file ``folder``), in path order.

    Ids are unique: a second report with an id already seen (``a.txt`` and
    ``a.md``, or a repeated JSONL id) is skipped rather than silently
    replacing the first in the index.

    A link to a file out of ``folder`` is skipped unless ``follow_links``; a link to a
    folder is never followed (either is listed as skipped).

    ``book``: the ledgers of an update. A file it vouches for is not parsed: an :class:`Unchanged`
    stands for its reports (and its skipped lines are told again); every file read whole gets a record.
    """
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"ni dossier ni fichier de rapports : {folder}")
    root = folder if folder.is_dir() else folder.parent
    names, errors = _report_files(folder, follow_links)
    yield from errors
    seen: dict[str, str] = {}  # id -> where it was first read
    for rel in names:
        record = _vouched(root, rel, book) if book is not None else None
        replayed = _replay(record, seen) if record is not None else None
        if replayed is not None:
            book.add(record)  # type: ignore[union-attr,arg-type]
            yield from replayed
        elif rel.lower().endswith(JSONL_SUFFIXES):
            yield from _read_collection(root, rel, seen, book)
        else:
            read = _read_text_file(root, rel)
            item = _unique(read, rel, rel, seen)
            if book is not None and isinstance(read, Report) and read.stat is not None:
                book.add(_recorded(rel, read.stat, read.hash, [(read.id, read.hash, 0, item is read)], []))
            yield item


def _vouched(root: Path, rel: str, book: FileBook) -> FileRecord | None:
    """The old record of a file whose stat, or else whose bytes, are as recorded (with its new stat)."""
    try:
        info = os.stat(root / rel)
    except OSError:
        return None  # the reading says why
    record = book.known(rel, info)
    if record is not None or not book.has(rel):
        return record
    try:
        with open_regular(root / rel, MAX_JSONL_BYTES) as fh:
            sha1 = hashlib.file_digest(fh, "sha1").hexdigest()  # type: ignore[arg-type]  # a real file
    except (OSError, Unusable):
        return None
    record = book.same_content(rel, sha1)
    return None if record is None else _recorded(rel, info, sha1, record.reports, record.skipped)


def _recorded(rel: str, info: os.stat_result, sha1: str, reports: list, skipped: list) -> FileRecord:
    record = record_of(rel, info, sha1)
    record.reports, record.skipped = reports, skipped
    return record


def _replay(record: FileRecord, seen: dict[str, str]) -> list[Skipped | Unchanged] | None:
    """What reading the file again would give: its skipped lines, its reports (ids checked unique) unread.

    None when a report refused last time (its id was another's) would be taken now: it must be read.
    """
    rel = record.path
    for doc_id, _, code, taken in record.reports:
        if not taken and not id_problem(doc_id) and seen.get(doc_id, where_of(rel, code)) == where_of(rel, code):
            return None
    items: list[Skipped | Unchanged] = [Skipped(path, reason, rel, refused) for path, reason, refused in record.skipped]
    kept = []
    for doc_id, _, code, taken in record.reports:
        refused = _refused(doc_id, where_of(rel, code), rel, seen, usable=taken)
        if refused is not None:
            items.append(refused)
        else:
            kept.append(doc_id)
    items.append(Unchanged(rel, kept))
    return items


def _read_collection(root: Path, rel: str, seen: dict[str, str],
                     book: FileBook | None) -> Iterator[Report | Skipped]:
    """A JSONL file's items, each id checked unique; its record for the book once read whole."""
    reader = _Hashing()
    reports: list[tuple[str, str, int | str, bool]] = []
    skipped: list[tuple[str, str, bool]] = []
    whole = True
    for item, at in _read_jsonl(root, rel, reader):
        taken = _unique(item, at, rel, seen)
        if isinstance(item, Report):
            reports.append((item.id, item.hash, where_code(rel, at), taken is item))
        else:
            skipped.append((item.path, item.reason, item.refused))
            whole = whole and item.path != rel  # the file itself unread (or emptied): read it again next time
        yield taken
    if book is not None and whole and reader.stat is not None:
        book.add(_recorded(rel, reader.stat, reader.hexdigest(), reports, skipped))


class _Hashing:
    """A file read through: its stat when opened, and the SHA-1 of the bytes read."""

    def __init__(self) -> None:
        self.stat: os.stat_result | None = None
        self._sha1 = hashlib.sha1()
        self._fh: BinaryIO | None = None

    def wrap(self, fh: BinaryIO) -> _Hashing:
        self.stat, self._fh = os.fstat(fh.fileno()), fh
        return self

    def read(self, size: int = -1) -> bytes:
        data = self._fh.read(size)  # type: ignore[union-attr]
        self._sha1.update(data)
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self._fh.readline(size)  # type: ignore[union-attr]
        self._sha1.update(data)
        return data

    def hexdigest(self) -> str:
        """Of the whole file once read to its end (the gzip reader and the line reader both do)."""
        return self._sha1.hexdigest()


def _unique(item: Report | Skipped, where: str, rel: str, seen: dict[str, str]) -> Report | Skipped:
    """The report, or a Skipped when its id was already read elsewhere or could not be linked to."""
    if isinstance(item, Skipped):
        return item
    return _refused(item.id, where, rel, seen) or item


def _refused(doc_id: str, where: str, rel: str, seen: dict[str, str], usable: bool = False) -> Skipped | None:
    """A Skipped when the id is unusable or was already read elsewhere; None when it is this run's first.
    ``usable``: the id was taken when last read (it was usable then, and what makes one usable is fixed)."""
    problem = None if usable else id_problem(doc_id)
    if problem:
        shown = repr(doc_id[:60]) + ("…" if len(doc_id) > 60 else "")
        return Skipped(where, f"identifiant inutilisable {shown} : {problem}", rel, refused=True)
    first = seen.setdefault(doc_id, where)
    if first != where:
        return Skipped(where, f"identifiant {doc_id!r} en double, déjà lu dans {first}", rel, refused=True)
    return None


def report_files(folder: Path, follow_links: bool = False) -> list[str]:
    """The files :func:`iter_reports` reads, in its order, relative to ``folder`` (or, for a file, to its folder)."""
    return list_files(Path(folder), follow_links)[0]


def _report_files(folder: Path, follow_links: bool) -> tuple[list[str], list[Skipped]]:
    """Relative "/"-paths of the report files, sorted, and what could not be listed or was refused."""
    found, left = list_files(folder, follow_links)
    return found, [Skipped(u.path, u.reason, refused=u.refused) for u in left]


# --- text files -------------------------------------------------------------


def _read_bytes(path: Path) -> tuple[os.stat_result, bytes]:
    """The file's stat as opened, and its bytes; pipes, devices and giant files are refused before reading."""
    with open_regular(path, MAX_FILE_BYTES) as fh:
        return os.fstat(fh.fileno()), fh.read(MAX_FILE_BYTES + 1)


def _read_text_file(root: Path, rel: str) -> Report | Skipped:
    try:
        info, raw = _read_bytes(root / rel)
        digest = hashlib.sha1(raw).hexdigest()
        text, warnings = _decode(raw)
        del raw  # a 50 MB report is not held twice
        text = _normalize(text)
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


def _normalize(text: str) -> str:
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
    header_date = _header_date(parts.headers.get("date"), warnings)
    return Report(
        id=unicodedata.normalize("NFC", rel.rsplit(".", 1)[0]),
        title=parts.title,
        text=parts.body,
        date=more_precise(header_date, find_date(parts.title)),
        source=_source(parts.headers.get("source"), parts.title, rel),
        path=rel,
        hash=digest,
        warnings=warnings,
    )


def _header_date(value: object, warnings: list[str]) -> Period | None:
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


def _source(header: object, title: str, rel: str) -> str | None:
    """The header's source, else the one a press review title names, else the sub-folder."""
    if isinstance(header, str) and header.strip():
        return _normalize(header.strip())
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


# --- JSON Lines -----------------------------------------------------------------


def _read_jsonl(root: Path, rel: str, through: _Hashing | None = None) -> Iterator[tuple[Report | Skipped, str]]:
    """One report per line and where it is ("file#line"), streamed: the corpus is 83 MB.

    The file gets a text file's checks (a regular file, of bounded size), its lines a length
    limit (a longer one is skipped unread), and its decompressed bytes a bound too.
    """
    lineno, records = 0, 0
    try:
        with open_regular(root / rel, MAX_JSONL_BYTES) as opened:
            raw_file = (through or _Hashing()).wrap(opened)
            gz = rel.lower().endswith(".gz")
            lines = gzip.GzipFile(fileobj=raw_file, mode="rb") if gz else raw_file  # type: ignore[call-overload]
            for lineno, raw in bounded_lines(lines):
                if raw is None:
                    where = f"{rel}#{lineno}"
                    yield Skipped(where, f"ligne de plus de {MAX_LINE_BYTES // 2**20} Mo", rel), where
                elif raw.strip():
                    records += 1
                    yield _read_record(raw, rel, lineno), f"{rel}#{lineno}"
        if not records:  # emptied (by a crash, a full disk, a bad copy): what it held is kept, as for a text file
            yield Skipped(rel, "vide : aucun enregistrement"), rel
    except Unusable as err:
        yield Skipped(rel, str(err)), rel
    except (OSError, EOFError, zlib.error) as err:  # missing, not gzip, or truncated
        yield Skipped(rel, f"illisible après la ligne {lineno} : {err}"), rel


def _read_record(raw: bytes, rel: str, lineno: int) -> Report | Skipped:
    where = f"{rel}#{lineno}"
    try:
        record = json.loads(raw)
    except (ValueError, RecursionError) as err:  # bad JSON, bad UTF-8, absurd nesting
        return Skipped(where, f"JSON invalide : {err}", rel)
    if not isinstance(record, dict):
        return Skipped(where, "pas un objet JSON", rel)
    text, record_id = record.get("text"), record.get("id")
    if not isinstance(text, str) or not text.strip():
        return Skipped(where, "texte manquant", rel)
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        record_id = str(record_id)
    if not isinstance(record_id, str) or not record_id.strip():
        return Skipped(where, "identifiant manquant", rel)
    # NFC, as a text file's id: a link written either way opens it (the page reads ids as NFC).
    return _record_report(record, unicodedata.normalize("NFC", record_id), rel, raw)


def _record_report(record: dict, record_id: str, rel: str, raw: bytes) -> Report:
    text = _normalize(record["text"]).strip()
    title = record.get("title")
    title = _normalize(title).strip() if isinstance(title, str) else ""
    title = title or text.split("\n", 1)[0].strip()  # no title: its first line stands in
    warnings: list[str] = []
    header_date = _header_date(record.get("date"), warnings)
    return Report(
        id=record_id,
        title=title,
        text=text,
        date=more_precise(header_date, find_date(title)),
        source=_source(record.get("source"), title, rel),
        path=f"{rel}#{record_id}",
        hash=hashlib.sha1(raw.rstrip(b"\r\n")).hexdigest(),
        warnings=warnings,
    )
