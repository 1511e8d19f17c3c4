"""Listing the report files of a folder: every level walked with a stack of its own, never recursion.

A folder nested a thousand levels deep (a runaway script, an archive unpacked into itself)
made ``os.walk`` of Python 3.11 fail with a ``RecursionError`` and stopped the whole run. Here
a folder deeper than :data:`MAX_DEPTH` is not entered: it is listed as skipped, with its
reason, and every other file is read.

:func:`list_files` gives the report files (relative ``/``-paths, sorted) and what could not
be listed or was refused, as :class:`Unlisted` entries the reader turns into ``Skipped``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from search.ingest.files import link_out

TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
MAX_DEPTH = 100  # levels of sub-folders read under the reports folder; deeper ones are listed as skipped


@dataclass(frozen=True)
class Unlisted:
    """A file or folder the listing left out, and why (``refused``: by a rule, not for want of reading it)."""
    path: str
    reason: str
    refused: bool = False


def is_report_file(name: str) -> bool:
    return not name.startswith(".") and name.lower().endswith(TEXT_SUFFIXES + JSONL_SUFFIXES)


def list_files(folder: Path, follow_links: bool = False) -> tuple[list[str], list[Unlisted]]:
    """Relative "/"-paths of the report files under ``folder`` (or ``[name]`` for a report file), sorted,
    and what was left out."""
    if folder.is_file():
        if is_report_file(folder.name):
            return [folder.name], []
        return [], [Unlisted(folder.name, "pas un fichier .txt, .md, .jsonl ou .jsonl.gz")]
    inside = None if follow_links else Path(os.path.realpath(folder))
    found: list[str] = []
    left: list[Unlisted] = []
    stack: list[tuple[str, int]] = [("", 0)]  # (relative folder, its depth): the walk's own stack
    while stack:
        rel, depth = stack.pop()
        files, folders = _entries(folder, rel, left)
        for name in files:
            path = _join(rel, name)
            refused = _link_out(folder, path, inside)
            if refused:
                left.append(refused)
            else:
                found.append(path)
        for name, is_link in folders:
            path = _join(rel, name)
            if is_link:
                left.append(Unlisted(path, "lien vers un dossier : non suivi", refused=True))
            elif depth >= MAX_DEPTH:
                left.append(Unlisted(path, f"dossier à plus de {MAX_DEPTH} niveaux de profondeur : non lu"))
            else:
                stack.append((path, depth + 1))
    return sorted(found), left


def _entries(folder: Path, rel: str, left: list[Unlisted]) -> tuple[list[str], list[tuple[str, bool]]]:
    """The report files and the sub-folders (name, whether a link) of one folder, as ``os.walk`` sorts them:
    a link to a folder counts as a folder, anything else (a file, a pipe, a dangling link) as a file."""
    files: list[str] = []
    folders: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder / rel if rel else folder) as it:
            for entry in it:
                if entry.name.startswith("."):  # tool droppings (.git, .DS_Store, ._name.txt), not reports
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    folders.append((entry.name, entry.is_symlink()))
                elif is_report_file(entry.name):
                    files.append(entry.name)
    except OSError as err:
        left.append(Unlisted(rel or ".", f"dossier illisible : {err.strerror}"))
    return files, folders


def _join(rel: str, name: str) -> str:
    return f"{rel}/{name}" if rel else name


def _link_out(folder: Path, rel: str, inside: Path | None) -> Unlisted | None:
    """A link that leaves ``inside`` (the folder's real path; None: links are followed), refused.

    A link to a collection (``.jsonl.gz``: gzip-compressed records, e.g. the shared corpus)
    is followed: it can only add records, never publish an arbitrary file as a report.
    """
    target = inside and link_out(folder / rel, inside)
    if not target or rel.lower().endswith(".jsonl.gz"):
        return None
    return Unlisted(rel, f"lien hors du dossier de rapports, vers {target} : non suivi (--follow-links le suit)",
                    refused=True)
