"""From the parsed user query (``search.query.syntax``) to an engine-neutral plan.

Every typed word becomes an OR over the index's fields, boosted so that the
spelling as typed ranks first (``fields.BOOSTS``); a run of name words also
matches its accepted romanizations through the ``names`` field (``variants``).
The plan is a tree of the nodes below, which any engine adapter translates
(``search.engine.whoosh.translate``); the positive terms and phrases are kept per field,
because highlighting marks exactly those.

Scores follow one rule, whatever the engine: a Term scores BM25 times its
boost; Or, And and AndMaybe add their parts' scores; DisMax takes the best;
AndNot and Prefix keep their positive side (a Prefix scores ``boost`` alone).
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from search.engine.contract import Vocabulary
from search.fields import BOOSTS, FIELD_ANALYZERS, SPELLING_BOOST
from search.names import case
from search.names import match as names
from search.names.aliases import Rows
from search.names.query import query_chunks
from search.names.terms import SPELLING
from search.names.variants import Judge, Variant
from search.names.words import ALWAYS_ARTICLES, QUERY_PARTICLES, is_name_word, legal_form_tail
from search.query import steering
from search.query import syntax as uq
from search.query.nodes import And, AndMaybe, AndNot, DisMax, Every, Marks, Node, Nothing, Or, Phrase, Prefix, Term
from search.recent import Recent
from search.text.analyzers import Token
from search.text.compounds import typed_spellings, written_otherwise
from search.text.filters import ElisionFilter
from search.text.fold import fold
from search.text.tokenizers import WordTokenizer
from search.text.wordlists import FRENCH_STOP_WORDS


@dataclass
class Plan:
    node: Node | None  # None: nothing to match against (every report)
    marks: Marks = field(default_factory=Marks)  # positive terms and phrases per field, to highlight
    notices: list[str] = field(default_factory=list)
    names: list[names.NameGroup] = field(default_factory=list)  # each name's candidates, judged

    @property
    def variants(self) -> list[Variant]:
        """Every name's candidates, one list."""
        return [v for group in self.names for v in group.variants]


@dataclass(frozen=True)
class Steer:
    """The analyst's say on the variants: spellings dropped (sans) and added (avec)."""
    without: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


UNITS = WordTokenizer() | ElisionFilter()
INFLECTION_BOOST = (BOOSTS["folded"] + BOOSTS["stem"]) / 2


class Planner:
    """Plans against one index generation's vocabulary; the last few plans remembered
    (judging a common name's candidates takes a tenth of a second)."""

    REMEMBERED = 256

    def __init__(self, vocabulary: Vocabulary, max_prefix_terms: int, judge: Judge | None = None):
        """``judge``: who decides on a name's candidate spellings (the verdict when None), one per
        generation: it may remember what it read of it (``search.names.context``)."""
        self.vocabulary, self.max_prefix_terms, self.judge = vocabulary, max_prefix_terms, judge
        self._plans: Recent[Plan] = Recent(self.REMEMBERED)

    def plan(self, node: uq.Node, steer: Steer = Steer(), aliases: Rows = ()) -> Plan:
        """``aliases``: the alias rows to search names with (a snapshot: plans are remembered by them)."""
        key = (node, steer, aliases)
        found = self._plans.get(key)
        if found is None:
            planning = _Planning(self.vocabulary, steer, self.max_prefix_terms, aliases, self.judge)
            found = self._plans.put(key, planning.plan(node))
        return Plan(found.node, found.marks, list(found.notices), list(found.names))


class _Planning:
    """One query's planning: the terms, notices and variants it meets on the way."""

    def __init__(self, vocabulary: Vocabulary, steer: Steer, max_prefix_terms: int, aliases: Rows,
                 judge: Judge | None = None):
        self.vocabulary, self.steer, self.max_prefix_terms = vocabulary, steer, max_prefix_terms
        self.aliases, self.judge = aliases, judge
        self.terms: dict[str, set[str]] = defaultdict(set)
        self.phrases: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        self.notices: list[str] = []
        self.names: list[names.NameGroup] = []
        self.steering = steering.SteeringReport()
        self._positive = True

    def plan(self, query: uq.Node) -> Plan:
        node = self._node(query)
        marks = Marks({f: frozenset(t) for f, t in self.terms.items()},
                      {f: frozenset(p) for f, p in self.phrases.items()})
        return Plan(node, marks, self.notices + self.steering.notices(self.steer.without, self.steer.extra), self.names)

    def _node(self, node: uq.Node) -> Node | None:
        if isinstance(node, uq.Words):
            return self._words(node.words)
        if isinstance(node, uq.Phrase):
            return self._phrase(node.text)
        if isinstance(node, uq.Prefix):
            return self._prefix(node.prefix)
        if isinstance(node, uq.Any):
            return _or([self._node(n) for n in node.nodes])
        if isinstance(node, uq.All):
            return self._all(node.nodes)
        if isinstance(node, uq.Not):
            return self._all((node,))
        return None

    def _all(self, nodes) -> Node | None:
        positives = [n for n in nodes if not isinstance(n, uq.Not)]
        positive = _and([self._node(n) for n in positives]) if positives else Every()
        was, self._positive = self._positive, False
        negative = _or([self._node(n.node) for n in nodes if isinstance(n, uq.Not)])
        self._positive = was
        if positive is None or negative is None:
            return positive
        return AndNot(positive, negative)

    def _words(self, words: tuple[str, ...]) -> Node | None:
        # (which typed word, unit): "al-Houthi" is one typed word of two units. A company's
        # legal form typed after its name (Proma Industry CO., LTD.) is not required: a report
        # that writes another (Proma Industry Company) or none matches; as typed, it lifts the score.
        kept = len(words) - legal_form_tail(list(words))
        units = [(i, t) for i, w in enumerate(words[:kept]) for t in UNITS(w, query=True)]
        clauses: list[Node | None] = []
        dropped: set[int] = set()  # typed words whose spelling the analyst dropped (sans=)
        for is_name, run in itertools.groupby(units, key=lambda it: self._is_name(it[1].original)):
            group = list(run)
            if is_name:
                clause, dropped_here = self._name(words, group)
                clauses.append(clause)
                dropped |= dropped_here
            else:
                clauses.extend(self._word(t.original, skip_stop=True) for _, t in group)
        if all(c is None for c in clauses):  # only stop words: search them after all
            clauses = [self._word(t.original, skip_stop=False) for _, t in units]
        required = _and(clauses)
        # The words as typed, hyphens and apostrophes included, only lift the score:
        # "Al-Bukamal" typed ranks "Al-Bukamal" above "Al Bukamal". A stop word or an
        # article alone lifts nothing, so it is never marked ("Le" of Le Pen, "Al" typed apart).
        spellings = [(i, t) for i, w in enumerate(words) for t in typed_spellings(FIELD_ANALYZERS["verbatim"], w)]
        typed = _or([self._typed([t for _, t in spellings], k) for k, (i, t) in enumerate(spellings)
                     if i not in dropped and not _article_or_stop(t)])
        if kept < len(words):  # the name with the legal form typed ranks above it with another form or none
            typed = _or([typed, self._as_typed(words)])
        return AndMaybe(required, typed) if required is not None and typed is not None else required

    def _as_typed(self, words: tuple[str, ...]) -> Node | None:
        """The words in the order typed, a lift above each word's; and the name as typed, its legal
        form included, above a longer name that holds it (Khadija Ship Management PVT typed: not
        first Khadija Ship Management PVT LTD)."""
        texts = tuple(FIELD_ANALYZERS["verbatim"].texts(" ".join(words), query=True))
        phrase = Phrase("verbatim", texts, slop=1, boost=2 * SPELLING_BOOST) if len(texts) > 1 else None
        whole = next(iter(query_chunks(list(words))[0]), [""])[0]  # the name's spelling term, as written
        name = self._term("names", whole, 2 * SPELLING_BOOST) if whole.startswith(SPELLING) else None
        return _or([phrase, name])

    def _typed(self, spellings: list[str], k: int) -> Node:
        """The lift of one spelling as typed: a report that writes it so, and, for a word typed alone, not
        only inside a longer spelling ("al-Asad" for "al Asad" typed, "‘Adan" for "Adan")."""
        lift = self._term("verbatim", spellings[k], SPELLING_BOOST)
        if not WordTokenizer.pattern.fullmatch(spellings[k]):
            return lift
        others = tuple(Term("verbatim", t, SPELLING_BOOST) for t in written_otherwise(spellings, k))
        return AndNot(lift, Or(others))

    def _is_name(self, word: str) -> bool:
        """A name typed; a word typed in lower case that the reports write so is a French word (dôme)."""
        return is_name_word(word, query=True) and not case.french_word(word, self.vocabulary)

    def _word(self, unit: str, skip_stop: bool) -> Node | None:
        folded = FIELD_ANALYZERS["folded"].texts(unit, query=True)
        if skip_stop and all(f in FRENCH_STOP_WORDS for f in folded):
            return None
        subs = [self._term(f, text) for f in ("verbatim", "folded", "stem")
                for text in FIELD_ANALYZERS[f].texts(unit, query=True)]
        # Another form of the word, written without accents as its stem is (frappe for
        # frappes), ranks above a form that only folds to it (frappé, struck).
        subs += [self._term("verbatim", stem, INFLECTION_BOOST) for stem in FIELD_ANALYZERS["stem"].texts(unit, query=True)
                 if stem not in folded]
        return _or(subs)

    def _name(self, words: tuple[str, ...], group: list[tuple[int, Token]]) -> tuple[Node | None, set[int]]:
        """A run of name words: (its node, the typed words whose spelling the analyst dropped)."""
        by_word = [(i, [t for _, t in g]) for i, g in itertools.groupby(group, key=lambda it: it[0])]
        labels = [words[i][tokens[0].start:tokens[-1].end] for i, tokens in by_word]
        plan = names.plan_name([[t.original for t in tokens] for _, tokens in by_word], self.vocabulary,
                               self.steer.without, self.steer.extra, self.aliases, spelled=labels,
                               decisions=self.vocabulary.decisions, judge=self.judge)
        self.steering.saw_name(plan, labels)
        if self._positive:
            self.names += plan.groups
        dropped = {by_word[k][0] for k in plan.dropped}
        for k in sorted(plan.emptied):
            self.steering.emptied(labels[k] if len(plan.emptied) < len(labels) else " ".join(labels))
        matched = self._match(plan.match, {t: v.score for v in plan.variants if v.accepted for t in v.terms})
        if matched is None and dropped:
            return Nothing(), dropped
        units = [t.original for i, t in group if i not in dropped]
        # An article or a particle is searched with its name, never alone: the "Al" of Al-Bukamal,
        # the "Abou" of Abou Kamal are no match, and no mark, of their own.
        named = [u for u in units if not _particle(u)] or units
        spelled = _and([self._word(u, skip_stop=False) for u in named])
        if matched is None or spelled is None:
            return matched or spelled, dropped
        if all(u[:1].islower() for u in units):
            # Typed in lower-case Latin ("conseil", "boukamal"): maybe a word, not a name; its
            # spelling anywhere is a match too.
            return _or([matched, spelled]), dropped
        # A name matches through its accepted variants, which know where a name ends
        # ("Hezbollah" is not "Kataëb Hezbollah"); the spelling as typed only lifts the score.
        return AndMaybe(matched, spelled), dropped

    def _match(self, match: names.Match | None, scores: dict[str, float]) -> Node | None:
        """A name's match as plan nodes; a form found under several keys counts once (the best
        of its terms), so no spelling outscores another by its key count."""
        if match is None:
            return None
        if match.op == "term":
            return self._term("names", match.terms[0], _key_boost(match.terms[0]))
        if match.op == "phrase":
            return self._sequence("folded", FIELD_ANALYZERS["folded"].texts(match.terms[0], query=True))
        if match.terms:
            subs = [self._term("names", t, BOOSTS["names"] * (1 + scores.get(t, 0.0))) for t in match.terms]
            return subs[0] if len(subs) == 1 else DisMax(tuple(subs))
        parts = [self._match(p, scores) for p in match.parts]
        return _or(parts) if match.op == "or" else _and(parts) if all(p is not None for p in parts) else None

    def _phrase(self, text: str) -> Node | None:
        self.steering.saw_quoted(text)
        return _or([self._sequence(f, FIELD_ANALYZERS[f].texts(text, query=True)) for f in ("verbatim", "folded")])

    def _sequence(self, field_name: str, texts: list[str]) -> Node | None:
        if len(texts) <= 1:
            return self._term(field_name, texts[0]) if texts else None
        if self._positive:
            self.phrases[field_name].add(tuple(texts))
        return Phrase(field_name, tuple(texts), slop=1, boost=BOOSTS[field_name])

    def _prefix(self, prefix: str) -> Node:
        folded = "".join(FIELD_ANALYZERS["folded"].texts(prefix, query=True))
        limit = self.max_prefix_terms
        words = self.vocabulary.words_with_prefix("folded", folded, limit + 1)
        if len(words) > limit:
            self.notices.append(f"« {prefix}* » : seuls les {limit} premiers mots commençant ainsi sont cherchés.")
            words = words[:limit]
        self._note("folded", words)
        return Prefix("folded", folded, tuple(words), BOOSTS["folded"])

    def _term(self, field_name: str, text: str, boost: float | None = None) -> Term:
        self._note(field_name, [text])
        return Term(field_name, text, BOOSTS[field_name] if boost is None else boost)

    def _note(self, field_name: str, texts: Iterable[str]) -> None:
        if self._positive:
            self.terms[field_name].update(texts)


def _key_boost(key: str) -> float:
    """The whole name as written (``search.names.terms.SPELLING``) ranks like the spelling typed."""
    return SPELLING_BOOST if key.startswith(SPELLING) else BOOSTS["names"]


def _and(parts) -> Node | None:
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else And(tuple(parts))


def _or(parts) -> Node | None:
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else Or(tuple(parts))


def _particle(word: str) -> bool:
    """An Arabic article (al, el, ez...) or a particle (Abou, ben, ibn...)."""
    return fold(word) in QUERY_PARTICLES or fold(word) in ALWAYS_ARTICLES


def _article_or_stop(word: str) -> bool:
    return fold(word) in FRENCH_STOP_WORDS or _particle(word)


def phrase_node(text: str) -> Node | None:
    """The words of ``text`` as a phrase, as an alias row's French spelling is searched (État islamique)."""
    texts = FIELD_ANALYZERS["folded"].texts(text, query=True)
    if len(texts) <= 1:
        return Term("folded", texts[0], BOOSTS["folded"]) if texts else None
    return Phrase("folded", tuple(texts), slop=1, boost=BOOSTS["folded"])
