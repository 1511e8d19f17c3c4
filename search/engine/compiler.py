"""From the parsed user query (``search.query``) to a Whoosh query.

Every typed word becomes an OR over the index's fields, boosted so that the
spelling as typed ranks first (see ``schema.BOOSTS``); a run of name words
also matches any romanization of the whole name through the ``names`` field.
The positive terms are kept per field: highlighting marks exactly those.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from whoosh import query as wq

from .. import names, settings, variants
from .. import query as uq
from ..analysis import ElisionFilter, WordTokenizer
from ..fields import FIELD_ANALYZERS
from ..highlight import PHRASE, PHRASE_SEP
from ..wordlists import FRENCH_STOP_WORDS
from .schema import BOOSTS

UNITS = WordTokenizer() | ElisionFilter()
INFLECTION_BOOST = (BOOSTS["folded"] + BOOSTS["stem"]) / 2


@dataclass
class Compiled:
    query: wq.Query
    terms: dict[str, set[str]] = field(default_factory=dict)  # positive terms, per field
    notices: list[str] = field(default_factory=list)
    variants: list[variants.Variant] = field(default_factory=list)  # each name's candidates, judged


@dataclass(frozen=True)
class Steer:
    """The analyst's say on the variants: spellings dropped (sans) and added (avec)."""
    without: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


class QueryCompiler:
    def __init__(self, reader, lexicon: variants.Lexicon, steer: Steer = Steer()):
        self.reader, self.lexicon, self.steer = reader, lexicon, steer
        self.terms: dict[str, set[str]] = defaultdict(set)
        self.notices: list[str] = []
        self.variants: list[variants.Variant] = []
        self._positive = True

    def compile(self, node: uq.Node) -> Compiled:
        q = self._node(node) or wq.NullQuery
        return Compiled(q, dict(self.terms), self.notices, self.variants)

    def _node(self, node: uq.Node) -> wq.Query | None:
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
        if isinstance(node, uq.Not):  # an exclusion alone ('-Alep'): every report but those
            return self._all((node,))
        return None

    def _all(self, nodes) -> wq.Query | None:
        positive = _and([self._node(n) for n in nodes if not isinstance(n, uq.Not)])
        was, self._positive = self._positive, False
        negative = _or([self._node(n.node) for n in nodes if isinstance(n, uq.Not)])
        self._positive = was
        if negative is None:
            return positive
        return wq.AndNot(positive if positive is not None else wq.Every(), negative)

    def _words(self, words: tuple[str, ...]) -> wq.Query | None:
        # (which typed word, unit): "al-Houthi" is one typed word of two units.
        units = [(i, t.original) for i, w in enumerate(words) for t in UNITS(w, query=True)]
        clauses = []
        for is_name, group in itertools.groupby(units, key=lambda iu: names.is_name_word(iu[1], query=True)):
            group = list(group)
            if is_name:
                clauses.append(self._name(group))
            else:
                clauses.extend(self._word(u, skip_stop=True) for _, u in group)
        if all(c is None for c in clauses):  # only stop words: search them after all
            clauses = [self._word(u, skip_stop=False) for _, u in units]
        required = _and(clauses)
        # The words as typed, hyphens and apostrophes included, only lift the score:
        # "Al-Bukamal" typed ranks "Al-Bukamal" above "Al Bukamal".
        typed = _or([self._term("spelled", t) for w in words for t in FIELD_ANALYZERS["spelled"].texts(w, query=True)])
        return wq.AndMaybe(required, typed) if required is not None and typed is not None else required

    def _word(self, unit: str, skip_stop: bool) -> wq.Query | None:
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

    def _name(self, group: list[tuple[int, str]]) -> wq.Query | None:
        units = [u for _, u in group]
        spelled = _and([self._word(u, skip_stop=False) for u in units])
        typed_words = [[u for _, u in g] for _, g in itertools.groupby(group, key=lambda iu: iu[0])]
        plan = variants.plan_name(typed_words, self.lexicon, self.steer.without, self.steer.extra)
        if self._positive:
            self.variants += plan.variants
        scores = {t: v.score for v in plan.variants if v.accepted for t in v.terms}
        matched = self._match(plan.match, scores)
        if matched is None or spelled is None:
            return matched or spelled
        if all(u[:1].islower() for u in units):
            # Typed in lower-case Latin ("conseil", "boukamal"): maybe a word, not a name; its
            # spelling anywhere is a match too.
            return _or([matched, spelled])
        # A name matches through its accepted variants, which know where a name ends
        # ("Hezbollah" is not "Kataëb Hezbollah"); the spelling as typed only lifts the score.
        return wq.AndMaybe(matched, spelled)

    def _match(self, match: variants.Match | None, scores: dict[str, float]) -> wq.Query | None:
        """A name's engine-neutral match as a Whoosh query; a form found under several keys
        counts once (the best of its terms), so no spelling outscores another by its key count."""
        if match is None:
            return None
        if match.op == "term":
            return self._term("names", match.terms[0], _key_boost(match.terms[0]))
        if match.op == "phrase":
            return self._sequence("folded", FIELD_ANALYZERS["folded"].texts(match.terms[0], query=True))
        if match.terms:
            subs = [self._term("names", t, BOOSTS["names"] * (1 + scores.get(t, 0.0))) for t in match.terms]
            return subs[0] if len(subs) == 1 else wq.DisjunctionMax(subs)
        parts = [self._match(p, scores) for p in match.parts]
        return _or(parts) if match.op == "or" else _and(parts) if all(p is not None for p in parts) else None

    def _phrase(self, text: str) -> wq.Query | None:
        return _or([self._sequence(f, FIELD_ANALYZERS[f].texts(text, query=True)) for f in ("verbatim", "folded")])

    def _sequence(self, field_name: str, texts: list[str]) -> wq.Query | None:
        if len(texts) <= 1:
            return self._term(field_name, texts[0]) if texts else None
        if self._positive:
            self.terms[PHRASE + field_name].add(PHRASE_SEP.join(texts))
        return wq.Phrase(field_name, texts, slop=1, boost=BOOSTS[field_name])

    def _prefix(self, prefix: str) -> wq.Query | None:
        folded = "".join(FIELD_ANALYZERS["folded"].texts(prefix, query=True))
        limit = settings.get("max_prefix_terms")
        words = [_text(t) for t in itertools.islice(self.reader.expand_prefix("folded", folded), limit + 1)]
        if len(words) > limit:
            self.notices.append(f"« {prefix}* » : seuls les {limit} premiers mots commençant ainsi sont cherchés.")
            words = words[:limit]
        expanded = _or([self._term("folded", w) for w in words])
        # Every expansion scored alike: scoring 200 rare and common words one by one took seconds.
        return wq.ConstantScoreQuery(expanded, BOOSTS["folded"]) if expanded is not None else wq.NullQuery

    def _term(self, field_name: str, text: str, boost: float | None = None) -> wq.Term:
        self._note(field_name, [text])
        return wq.Term(field_name, text, boost=BOOSTS[field_name] if boost is None else boost)

    def _note(self, field_name: str, texts: list[str]) -> None:
        if self._positive:
            self.terms[field_name].update(texts)


def _key_boost(key: str) -> float:
    """The whole name as written (names.SPELLING) ranks like the spelling typed."""
    return BOOSTS["spelled"] if key.startswith(names.SPELLING) else BOOSTS["names"]


def _text(term) -> str:
    return term.decode("utf-8") if isinstance(term, bytes) else term


def _and(parts):
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else wq.And(parts)


def _or(parts):
    parts = [p for p in parts if p is not None]
    return None if not parts else parts[0] if len(parts) == 1 else wq.Or(parts)
