"""A name's match, engine-neutral: what a report must hold, and the spellings the analyst steers.

``plan_name`` takes a run of typed name words (``Bachar al-Assad``, ``Alep Mossoul``). A report
matches the whole run as one name (each chunk of 1-3 units through its accepted variants,
``search.names.variants``), or as written, or, when several words were typed, each word as a
name of its own. Beside the match it gives the run's names, one list of spellings each
(``NameGroup``): ``Bachar al-Assad`` is one name, its words' spellings with it; ``Alep Mossoul``
names no one, so Alep and Mossoul are two.

The form of the words typed changes nothing: capitals the collection reads as a name are that
name (``search.names.capitals``: ALEP is Alep). What the analyst drops (``without``, sans=)
is dropped, the very spelling typed too: then the run is no longer matched as written, only
through the spellings left (``NamePlan.dropped`` tells the planner which typed words not to
search or mark as such).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from search.names import case
from search.names.aliases import Rows
from search.names.query import alias_phrases, query_chunks
from search.names.terms import LETTER_PREFIX, split_term
from search.names.units import Unit
from search.names.variants import Decisions, Judge, Lexicon, Variant, find_variants, group_key, jointly
from search.names.words import NAME_HEADS, QUERY_PARTICLES, head_form
from search.text.fold import fold


@dataclass(frozen=True)
class Match:
    """What a report must hold: ``op`` "term" (``terms`` one term), "or" of ``terms``, "phrase"
    (``terms`` one text, searched as a phrase of words), or "or" / "and" of ``parts``."""
    op: str
    terms: tuple[str, ...] = ()
    parts: tuple["Match", ...] = ()


def _any(parts: list[Match | None]) -> Match | None:
    found = [p for p in parts if p is not None]
    return None if not found else found[0] if len(found) == 1 else Match("or", parts=tuple(found))


def _all(parts: list[Match | None]) -> Match | None:
    found = [p for p in parts if p is not None]
    if not parts or len(found) < len(parts):
        return None
    return found[0] if len(found) == 1 else Match("and", parts=tuple(found))


@dataclass
class NameGroup:
    """One name of a query and its spellings, judged: accepted ones and close ones turned down."""
    name: str                  # as typed
    variants: list[Variant]


@dataclass
class NamePlan:
    match: Match | None
    groups: list[NameGroup] = field(default_factory=list)
    dropped: frozenset[int] = frozenset()  # the typed words whose spelling the analyst dropped
    emptied: frozenset[int] = frozenset()  # ... and that have no spelling left to match by

    @property
    def variants(self) -> list[Variant]:
        """Every spelling of every name of the run."""
        return [v for g in self.groups for v in g.variants]


@dataclass
class _Run:
    match: Match | None
    variants: list[Variant]
    dropped: bool
    found: bool  # some report holds one of its accepted spellings, or its words as written


def plan_name(typed: list[list[str]], lexicon: Lexicon, without: Iterable[str] = (),
              extra: Iterable[str] = (), aliases: Rows = (), spelled: list[str] | None = None,
              decisions: Decisions | None = None, judge: Judge | None = None) -> NamePlan:
    """The match of a run of name words, given as the units of each typed word.

    ``aliases``: the alias rows to search with; ``spelled``: each typed word as typed (the
    names' labels; the units joined by a space when not given); ``decisions``: the generation's
    judged forms (``search.names.judged``); ``judge``: who decides on the candidates (the
    verdict by default; ``search.names.context.ContextJudge`` adds the evidence from context).
    """
    without, extra = tuple(without), tuple(extra)
    labels = spelled or [" ".join(word) for word in typed]
    whole = _run_match([u for word in typed for u in word], lexicon, without, extra, aliases, decisions, judge)
    # Each word apart: an article, a particle or a place or group head is no name alone (the
    # "ben" of Mohammed ben Salmane, the "Abou" of Abou Bakr, the "Deir" of Deir ez-Zor, the
    # "Kataëb" of Kataëb Hezbollah), and one word left is no names apart (Abou Kamal).
    words = [k for k, word in enumerate(typed) if _alone(word)]
    words = [] if whole.dropped or len(words) < 2 else words
    each = {k: _run_match(typed[k], lexicon, without, extra, aliases, decisions, judge) for k in words}
    apart = _all([run.match for run in each.values()]) if each else None
    dropped = frozenset(range(len(typed)) if whole.dropped else (k for k, run in each.items() if run.dropped))
    emptied = frozenset(range(len(typed)) if whole.dropped and whole.match is None else
                        (k for k, run in each.items() if run.dropped and run.match is None))
    # The words' spellings are listed when each word may match, or when the analyst dropped
    # one of them (to take it back); not when a word names nothing (Allah of Hizb Allah).
    listed = each if all(run.found for run in each.values()) or dropped else {}
    groups = _groups(" ".join(labels), whole, [labels[k] for k in listed], list(listed.values()))
    return NamePlan(_any([whole.match, apart]), groups, dropped, emptied)


def _alone(word: list[str]) -> bool:
    """Whether a typed word (its units) may be a name by itself."""
    return not all(fold(u) in QUERY_PARTICLES for u in word) and head_form(word[0]) not in NAME_HEADS


def _groups(name: str, whole: _Run, labels: list[str], each: list[_Run]) -> list[NameGroup]:
    """One list per name: the run's, with its words' spellings when the run names someone
    (Bachar al-Assad: Bachar, al-Assad too); else one per word (Alep Mossoul)."""
    if not each or any(v.accepted for v in whole.variants):
        found = _unique(whole.variants + [v for run in each for v in run.variants])
        return [NameGroup(name, found)] if found else []
    groups = [NameGroup(name, whole.variants)] if whole.variants else []
    return groups + [NameGroup(label, run.variants) for label, run in zip(labels, each) if run.variants]


def _unique(found: list[Variant]) -> list[Variant]:
    seen: dict[str, Variant] = {}
    for v in found:
        seen.setdefault(group_key(v.spelling), v)
    return list(seen.values())


def _run_match(words: list[str], lexicon: Lexicon, without: tuple[str, ...], extra: tuple[str, ...],
               aliases: Rows, decisions: Decisions | None = None, judge: Judge | None = None) -> _Run:
    read = case.as_typed_names(words, lexicon, aliases)
    written_as, _ = query_chunks(words)
    written_read, chunks = query_chunks(read)
    dropped = typed_key(" ".join(words)) in {typed_key(s) for s in without}
    as_written = [] if dropped else [alt for alt in dict.fromkeys(tuple(alt) for alt in written_as + written_read)
                                     if not _acronym(alt) or case.acronym_typed(words[0], lexicon, aliases)]
    written = [_all([Match("term", (t,)) for t in alt]) for alt in as_written]
    judged = [_with_capitals(find_variants(chunk, lexicon, without, extra, aliases, judge=judge,
                                           decisions=decisions, inside=len(chunks) > 1), lexicon, aliases)
              for chunk in chunks]
    accepted = [sorted(t for v in vs if v.accepted for t in v.terms) for vs in judged]
    by_variants = _all([Match("or", tuple(terms)) if terms else None for terms in accepted]) if chunks else None
    # A long name judged whole: one chunk may take a spelling its own budget turned down.
    joint = [_all([Match("or", tuple(sorted(terms))) for terms in alternative])
             for alternative in jointly(chunks, judged, lexicon)] if not dropped else []
    phrases = _phrases(chunks[0], aliases, without, extra) if len(chunks) == 1 else []
    match = _any(written + [by_variants] + joint + [Match("phrase", (p.spelling,)) for p in phrases if p.accepted])
    variants = [v for vs in judged for v in vs] + phrases
    return _Run(match, variants, dropped, _found(variants, as_written, lexicon))


def _found(variants: list[Variant], as_written: list[tuple[str, ...]], lexicon: Lexicon) -> bool:
    """Whether some report holds an accepted spelling (a phrase may: it is counted later), or
    the words as written."""
    return (any(v.accepted and (v.reports or v.phrase) for v in variants)
            or any(all(lexicon.reports([t]) for t in alt) for alt in as_written))


def _acronym(alternative: tuple[str, ...]) -> bool:
    """The acronym of a one-word query's letters (``search.names.query.query_chunks``)."""
    return len(alternative) == 1 and alternative[0].startswith(LETTER_PREFIX["="])


def typed_key(spelling: str) -> str:
    """A spelling as the analyst may give it back: case, accents, hyphens and spaces aside
    (``sans=Al-Bukamal`` drops ``al Bukamal`` typed)."""
    return "".join(c for c in fold(spelling) if c.isalnum())


def _phrases(units: list[Unit], aliases: Rows, without: tuple[str, ...], extra: tuple[str, ...]) -> list[Variant]:
    """The alias row's spellings that are French words (État islamique for Daech), searched as
    phrases: spellings like the others, which the analyst may drop."""
    dropped = _dropped(without, extra)
    return [Variant(p, 0, 1.0, group_key(p) not in dropped, phrase=True) for p in alias_phrases(units, aliases)]


def _dropped(without: tuple[str, ...], extra: tuple[str, ...]) -> set[str]:
    """The spellings dropped and not added back (the later choice wins, as in ``variants``)."""
    return {group_key(s) for s in without} - {group_key(s) for s in extra}


def _with_capitals(found: list[Variant], lexicon: Lexicon, aliases: Rows) -> list[Variant]:
    """The name's variants, with the reports that write an accepted spelling in capitals as an
    acronym (ALEP in a headline) joined to it (Alep): accepted, or dropped, with it."""
    for entry, term, reports in case.acronym_forms(found, lexicon, aliases):
        form = split_term(term)[1]
        entry.terms.add(term)
        entry.forms[form] = max(entry.forms.get(form, 0), reports)
        entry.reports = lexicon.reports(entry.terms)
    return found
