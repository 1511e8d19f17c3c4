"""The ``names`` field's terms: how a name key and the spelling it was found in are written.

A term is ``key<US>form``: the key leads, so the forms filed under one key are one prefix
apart (the lexicon's blocking look-up), and the form is the spelling as the report wrote it.
A key starts with its kind and script::

    l:   Latin code               a:  Arabic letters       h:  Hebrew letters
    sl:  skeleton of Latin words  sa: of Arabic words      sh: of Hebrew words
    =    an acronym as written (YPG is not YPJ, SANA is not Sanaa), or a name the
         exonyms file marks as never folded (=Ghana: Ghana is not Qana)
    v:   the whole name as written: no folding, it only ranks the very spelling first
    w:   a lower-case word that is no common French word, folded: a query takes it for
         a name ('boukamal', 'santé'), so it must find it as written too
    ~    before any of these: a window inside a longer name (Hezbollah in
         Kataëb Hezbollah; Ibrahim ... Akil in Ibrahim Mohamed Akil)

Every module that writes or reads these terms does it through this one (no project imports).
"""
from __future__ import annotations

from typing import Iterable

PART = "~"
FORM_SEP = "\x1f"  # between a key and the spelling it was found in
SPELLING = "v:"
WORD = "w:"
LETTER_PREFIX = {"l": "l:", "a": "a:", "h": "h:", "=": "="}
SKELETON_PREFIX = {"l": "sl:", "a": "sa:", "h": "sh:"}
SKELETON_KINDS = frozenset(SKELETON_PREFIX.values())


def form_term(key: str, form: str) -> str:
    """The index term of a key found in a window written ``form``."""
    return key + FORM_SEP + form


def split_term(term: str) -> tuple[str, str]:
    """(key, form) of an index term made by ``form_term`` (form "" for a key alone: ``v:``, ``w:``)."""
    key, _, form = term.partition(FORM_SEP)
    return key, form


def key_body(key: str) -> str:
    """A key without its kind, script or window mark: ``l:bukamal`` -> ``bukamal``."""
    return key.split(":", 1)[1] if ":" in key else key.lstrip(PART + "=")


def consonants(key: str) -> str:
    """The consonant classes of a key or of a bare skeleton (its capitals): ``sa:JDGN`` -> ``JDGN``."""
    return "".join(c for c in key_body(key) if c.isupper())


def is_skeleton(key: str) -> bool:
    return key.lstrip(PART)[:3] in SKELETON_KINDS


def spelling_of(term: str) -> str:
    """What a report writes where the term was found: its form, else the key's own text (``v:Abou Kamal``)."""
    key, form = split_term(term)
    return form or key_body(key)


def spelling_key(words: Iterable[str]) -> str:
    """The whole name as written (hyphens aside): it lifts the reports with the very
    spelling typed above those with another (Boukamal above Al-Boukamal)."""
    return SPELLING + " ".join(words)
