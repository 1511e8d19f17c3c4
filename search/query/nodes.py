"""The plan: an engine-neutral tree of what a search must match, and how it scores.

A leaf module (no project imports): the engine contract and every adapter read these
nodes and nothing else of the query side. Scores follow one rule, whatever the engine:
a Term scores BM25 times its boost; Or, And and AndMaybe add their parts' scores;
DisMax takes the best; AndNot and Prefix keep their positive side (a Prefix scores
``boost`` alone); Every scores 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Union


@dataclass(frozen=True)
class Term:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    field: str
    texts: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """Words of ``field`` starting with ``prefix``: those in ``words`` (the lexicon's first few),
    all scored ``boost`` alike (scoring 200 rare and common words one by one took seconds)."""
    field: str
    prefix: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Or:
    parts: tuple["Node", ...]


@dataclass(frozen=True)
class And:
    parts: tuple["Node", ...]


@dataclass(frozen=True)
class DisMax:
    """The best of its parts: a form found under several keys counts once."""
    parts: tuple["Node", ...]


@dataclass(frozen=True)
class AndMaybe:
    """``required``'s matches; ``optional`` only lifts their scores."""
    required: "Node"
    optional: "Node"


@dataclass(frozen=True)
class AndNot:
    positive: "Node"
    negative: "Node"


@dataclass(frozen=True)
class Every:
    """Every report (an exclusion alone: "-Alep" lists the reports without Alep); scores 0."""


@dataclass(frozen=True)
class Nothing:
    """No report: a query whose every word was dropped (a prefix of no word)."""


Node = Union[Term, Phrase, Prefix, Or, And, DisMax, AndMaybe, AndNot, Every, Nothing]


@dataclass(frozen=True)
class Marks:
    """What highlighting marks of a plan: its positive terms per field, and its phrases per field
    (their words in order); a name's accepted spellings are ``names`` terms."""
    terms: Mapping[str, frozenset[str]] = field(default_factory=dict)
    phrases: Mapping[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        """The same marks, hashable (shaped hits are remembered by it)."""
        return (tuple(sorted((f, tuple(sorted(t))) for f, t in self.terms.items())),
                tuple(sorted((f, tuple(sorted(p))) for f, p in self.phrases.items())))

    def __bool__(self) -> bool:
        return any(self.terms.values()) or any(self.phrases.values())
