"""Query name -> candidate spellings from the lexicon -> verdict on each.

The lexicon is every name form the reports write, one window of 1-3 name words
as written ("Abou Kamal", "al-Bukamal", "البوكمال"), filed under each of its
blocking keys (``search.names``) with the number of reports holding it.  The
engine keeps it in its term dictionary (``search.names.terms``), so every index
generation has its own and ``update`` keeps it current.

``find_variants`` asks the lexicon for the forms under the query's keys (recall
first: codes, their variants, skeletons of every script, exonym rows), then
judges each by ``search.names.verdict``.  Case variants are one entry.  What the
analyst drops (``without``) or adds (``extra``) overrides the verdict.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping, Protocol, Sequence

from search.names import crosskeys
from search.names import translit as tr
from search.names import verdict
from search.names.aliases import Rows
from search.names.keys import harakat_differ, index_keys, is_particle_unit, skips_middle
from search.names.query import alias_keys, query_keys, row_names, rows_elsewhere, rows_named, widened_keys
from search.names.terms import LETTER_PREFIX, PART, consonants, is_skeleton, key_body, split_term
from search.names.units import WORDS, Unit, runs, window_text
from search.names.words import QUERY_PARTICLES
from search.text.fold import fold


class Lexicon(Protocol):
    def forms(self, key: str) -> Iterable[tuple[str, int]]:
        """(index term, reports) of every form filed under ``key``."""

    def forms_of(self, keys: Sequence[str]) -> Mapping[str, Iterable[tuple[str, int]]]:
        """``forms`` of each key, asked at once (a cluster answers them all in one round trip)."""

    def lower_case(self, word: str) -> float:
        """The share of the word's uses written in lower case (0 where unknown)."""

    def reports(self, terms: Iterable[str]) -> int:
        """How many reports hold any of these terms."""


@dataclass
class Variant:
    spelling: str                  # the form as first met; case variants grouped under it
    reports: int
    score: float
    accepted: bool
    terms: set[str] = field(default_factory=set)  # the index terms that hold it
    exact: bool = False            # the spelling typed (case and accents aside)
    partial: bool = False          # only inside a longer name
    forms: dict[str, int] = field(default_factory=dict)  # each spelling grouped here -> its reports
    phrase: bool = False           # an alias row's words searched as a phrase (État islamique): no terms
    met: list = field(default_factory=list, repr=False)  # (origin, form, reports) of each term met, in order
    cost: float | None = field(default=None, repr=False)  # the Latin alignment cost per sound
    reason: str | None = None      # why a close spelling was turned down beyond its letters (``REASONS``)

    @property
    def reason_text(self) -> str | None:
        """The reason as the analyst reads it."""
        return REASONS.get(self.reason) if self.reason else None

    def to_json(self) -> dict:
        return {"spelling": self.spelling, "reports": self.reports, "score": self.score,
                "accepted": self.accepted, "reason": self.reason}


# The origin of a candidate met under a learned cross-script key (``query.widened_keys``); other
# origins are None (the query's own keys) or the units of the alias spelling that brought it.
WIDENED = "widened"

# Why a spelling close in letters was turned down, as the page and the command line say it.
REASONS = {"contexte": "écartée par le contexte", "table": "un autre nom dans la table des exonymes",
           "graphie": "trop rare pour son contexte, et pas une graphie du nom le plus écrit"}


def group_key(spelling: str) -> str:
    """Case variants are one spelling: al-Bochmal, Al-Bochmal, AL-BOCHMAL."""
    return " ".join(spelling.casefold().split())


class Judge(Protocol):
    """Decides on a query's candidates (``search.names.judged`` remembers its decisions by ``identity``)."""

    identity: str  # changes whenever its decisions may: a new judge never reads an old judge's

    def judge(self, units: list[Unit], candidates: list[Variant], lexicon: Lexicon,
              anchors: tuple[tuple[Unit, ...], ...] = ()) -> None:
        """Set each candidate's ``score`` and ``accepted``; ``anchors``: the names of the alias
        rows an Arabic- or Hebrew-script query names, against which Latin candidates are judged."""


class Decisions(Protocol):
    """Judged candidates remembered per distinct query form (``search.names.judged.Decisions``)."""

    def recall(self, identity: str, key: tuple) -> list[Variant] | None: ...

    def keep(self, identity: str, key: tuple, judged: list[Variant]) -> object: ...


def written_as_typed(units: list[Unit], variant: Variant, anchors: tuple[tuple[Unit, ...], ...] = ()) -> bool:
    """Whether a candidate is the query's own for certain: the spelling typed, its case and accent
    variants, or a spelling an alias row writes out (the row the query names, or that brought it)."""
    mine = _form_units(variant.spelling)
    if variant.exact or (mine and units[0].script in ("l", "=") and _same_letters(units, mine)):
        return True
    rows = [list(name) for name in anchors] + [list(o) for o, _, _ in variant.met if o not in (None, WIDENED)]
    return bool(mine) and any(row and _same_spelling(row, mine) for row in rows)


def find_variants(units: list[Unit], lexicon: Lexicon, without: Iterable[str] = (),
                  extra: Iterable[str] = (), aliases: Rows = (), judge: Judge | None = None,
                  decisions: Decisions | None = None, inside: bool = False) -> list[Variant]:
    """Every candidate spelling of the query units, judged; accepted first, best first.

    ``decisions``: the generation's memory of judged forms (the same lexicon, the same alias
    rows, the same judge give the same candidates and verdicts: they are looked up, not redone)."""
    judge = judge or VerdictJudge()
    blocks = _blocking(units, aliases, inside)
    anchors = tuple(tuple(name) for name in row_names(units, aliases)) if units[0].script in ("a", "h") else ()
    key = (tuple(units), tuple(blocks), anchors)
    found = decisions.recall(judge.identity, key) if decisions is not None else None
    if found is None:
        found = list(candidates(units, lexicon, blocks).values())
        judge.judge(units, found, lexicon, anchors)
        if decisions is not None:
            decisions.keep(judge.identity, key, found)
    mine = {group_key(v.spelling): v for v in found}
    _claimed(units, mine.values(), aliases)
    _steer(mine, without, extra)
    return sorted(mine.values(), key=lambda v: (not v.accepted, not v.exact, -v.score, -v.reports, v.spelling))


def candidates(units: list[Unit], lexicon: Lexicon, blocks: list[tuple[str, object]]) -> dict[str, Variant]:
    """The lexicon's forms under the query's keys, case variants grouped, unjudged: each with
    the (origin, form, reports) it was met as, in the order met (what the judge reads)."""
    typed = group_key(window_text(units))
    forms = lexicon.forms_of(list(dict.fromkeys(key for key, _ in blocks)))
    found: dict[str, Variant] = {}
    for key, origin in blocks:
        for term, reports in forms[key]:
            _, form = split_term(term)
            entry = found.get(group_key(form))
            if entry is None:
                entry = found[group_key(form)] = Variant(form, 0, 0.0, False, partial=key.startswith(PART))
                entry.exact = group_key(form) == typed
            entry.met.append((origin, form, reports))
            if term not in entry.terms:
                entry.terms.add(term)
                # One form under several keys is the same reports: count each form once.
                entry.forms[form] = max(entry.forms.get(form, 0), reports)
    for entry in found.values():
        entry.spelling = max(entry.forms, key=lambda f: (entry.forms[f], not f.isupper(), f))
        # Case variants often share a report: their count is the union of their postings.
        entry.reports = lexicon.reports(entry.terms) if len(entry.forms) > 1 else entry.forms[entry.spelling]
    return found


class VerdictJudge:
    """``Judge`` by the hand-weighted verdict (``search.names.verdict``): each form met is judged
    against the query (or the exonym spelling that brought it) until one is accepted; then a
    near miss that an accepted spelling accepts in its turn is taken too (``_one_hop``)."""

    def __init__(self) -> None:
        self.identity = "verdict:" + verdict.fingerprint()

    def judge(self, units: list[Unit], candidates: list[Variant], lexicon: Lexicon,
              anchors: tuple[tuple[Unit, ...], ...] = ()) -> None:
        typed = group_key(window_text(units))
        met = [(origin, form, reports) for entry in candidates for origin, form, reports in entry.met]
        # How many reports write the very spelling typed: a candidate far more common than it
        # is more likely another, commoner word (Dôme for Douma) than a rarer spelling of it.
        typed_reports = written_as(typed, ((f, r) for _, f, r in met))
        shifted = _row_anchors(anchors, met, typed_reports)
        for entry in candidates:
            judged = set()
            for origin, form, reports in entry.met:  # each (origin, form) as first met
                if (origin, form) in judged:
                    continue
                judged.add((origin, form))
                frequency = times_more(reports, typed_reports)
                entry.score, entry.accepted, entry.cost = _judge(units, form, origin, lexicon, frequency, shifted)
                if entry.accepted:
                    break
        _one_hop(units, {group_key(v.spelling): v for v in candidates}, lexicon)


def written_as(typed: str, met: Iterable[tuple[str, int]]) -> int:
    """How many reports write the spelling typed (its ``group_key``), of the (form, reports) met."""
    return max((r for f, r in met if group_key(f) == typed), default=0)


def times_more(reports: int, typed_reports: int) -> float:
    """How many times more reports write a candidate than the spelling typed, in powers of ten."""
    return math.log10(max(1, reports) / max(1, typed_reports))


def _one_hop(units: list[Unit], found: dict[str, Variant], lexicon: Lexicon) -> None:
    """A near miss that an accepted spelling accepts in its turn is the name too, when it is
    within ``hop`` times the threshold of the query (Urmia, Urumiyeh, Orumieh): one hop, no
    chains, so gh~q and dh~d cannot walk from a group to a place."""
    hop = verdict.weights()["hop"]
    if hop <= 1.0 or units[0].script != "l":
        return
    length = max(len(s) for s in verdict.latin_readings(tuple(u.word for u in units)))
    accepted = [_form_units(v.spelling) for v in found.values() if v.accepted and not v.exact]
    for entry in [v for v in found.values() if not v.accepted and v.cost is not None]:
        mine = _form_units(entry.spelling)
        if _accepts_latin(entry.cost / hop, length, _evidence(units, mine, lexicon), lexicon) and any(
                via and via[0].script == "l" and _compare(via, mine, lexicon)[1] for via in accepted):
            entry.accepted = True


def _claimed(units: list[Unit], found: Iterable[Variant], aliases: Rows) -> None:
    """An Arabic- or Hebrew-script query's Latin candidate that the shipped table gives to another
    name (``query.rows_elsewhere``) is turned down, as the table says, not as the letters do."""
    others = rows_elsewhere(units, aliases)
    if not others:
        return
    for v in found:
        form = _form_units(v.spelling)
        if v.accepted and form and form[0].script == "l" and others.intersection(rows_named(form, aliases)):
            v.accepted, v.reason = False, "table"


def _steer(found: dict[str, Variant], without: Iterable[str], extra: Iterable[str]) -> None:
    for spelling in without:
        if group_key(spelling) in found:
            found[group_key(spelling)].accepted = False
    for spelling in extra:  # added back after being dropped: the later choice wins
        if group_key(spelling) in found:
            found[group_key(spelling)].accepted = True


def _row_anchors(anchors: tuple[tuple[Unit, ...], ...], met: list, typed_reports: int) -> list[tuple[list[Unit], float]]:
    """(name, shift) of each alias row an Arabic- or Hebrew-script query names: the name the
    row is known by (Alep for حلب), against which its Latin candidates are judged as if it
    were typed, not across scripts, where a short skeleton meets many names (Alba, Elabe,
    Help for حلب); ``shift`` turns the candidates' frequency into one relative to its reports."""
    def written(name: tuple[Unit, ...]) -> int:
        return max((r for _, f, r in met if group_key(f) == group_key(window_text(list(name)))), default=0)
    return [(list(name), math.log10(max(1, typed_reports) / max(1, written(name)))) for name in anchors]


def _against_rows(mine: list[Unit], origin, lexicon: Lexicon, frequency: float,
                  anchors: list[tuple[list[Unit], float]]) -> tuple[float, bool, float | None]:
    """A Latin candidate of a query in another script that names alias rows: judged as if each
    row's name were typed, the collection's evidence included; or a spelling the row writes out."""
    score, accepted, cost = max((_compare(name, mine, lexicon, max(0.0, frequency + shift)) for name, shift in anchors),
                                key=lambda judged: (judged[1], judged[0]))
    if not accepted and origin is not None and _same_spelling(list(origin), mine):
        return 1.0, True, None
    return score, accepted, cost


def _blocking(units: list[Unit], aliases: Rows, inside: bool = False) -> list[tuple[str, object]]:
    """(key, origin): origin None for the query's own keys, ``WIDENED`` for a learned change's,
    else the units of an exonym spelling."""
    keys: list[tuple[str, object]] = [(k, None) for k in query_keys(units, inside)]
    for other, other_keys in alias_keys(units, aliases):
        keys += [(k, tuple(other)) for k in other_keys]
    own = {k for k, _ in keys}
    keys += [(k, WIDENED) for k in widened_keys(units) if k not in own]
    return list(dict.fromkeys(keys))


def _judge(units: list[Unit], form: str, origin, lexicon: Lexicon,
           frequency: float = 0.0, anchors: list[tuple[list[Unit], float]] | None = None) -> tuple[float, bool, float | None]:
    """(score, accepted, Latin cost or None) of one form against the query, or against the
    exonym spelling that brought it (Halab for Alep)."""
    mine = _form_units(form)
    if not mine:
        return 0.0, False, None
    if units[0].script in ("l", "=") and _same_letters(units, mine):
        return 1.0, True, 0.0
    # A query in Arabic or Hebrew script that names alias rows meets Latin spellings only through the
    # rows' names, whatever key brought them: a learned skeleton change is across scripts alone too
    # (Télégramme for طولكرم, a row whose Latin name is Tulkarem).
    if anchors and mine[0].script == "l":
        return _against_rows(mine, origin if origin != WIDENED else None, lexicon, frequency, anchors)
    if origin == WIDENED:
        return _widened(units, mine, lexicon, frequency)
    score, accepted, cost = _compare(units, mine, lexicon, frequency)
    if origin is not None and not accepted and _same_spelling(list(origin), mine):
        # An exonym is a word of its own, not a romanization: only its spellings as the
        # table writes them, accents aside but not letters that change the sound
        # (Soûr is Sour; Turkish Şam is Damascus, Sam is not).
        return 1.0, True, None
    return score, accepted, cost


def _widened(query: list[Unit], form: list[Unit], lexicon: Lexicon,
             frequency: float = 0.0) -> tuple[float, bool, float | None]:
    """A spelling that only a learned skeleton change brought (``crosskeys``): the verdict, and
    under the stricter threshold chosen for that change's table, on skeletons long enough."""
    scripts = (query[0].script, form[0].script)
    if "l" not in scripts or "=" in scripts:
        return 0.0, False, None
    table = next((s for s in scripts if s != "l"), "l")  # the other script's table, or the Latin one
    long_enough = min(_skeleton_length(query), _skeleton_length(form)) >= crosskeys.consonants(table)
    if table == "l":
        score, accepted, cost = _compare(query, form, lexicon, frequency)
        return score, accepted and long_enough and cost is not None and cost <= crosskeys.threshold("l"), cost
    cost, _ = _cross(query, form)
    return verdict.score(cost), long_enough and cost <= crosskeys.threshold(table), None


def _skeleton_length(name: list[Unit]) -> int:
    return max((len(consonants(k)) for k in index_keys(name) if is_skeleton(k)), default=0)


def _cross(query: list[Unit], form: list[Unit]) -> tuple[float, bool]:
    """(the cost per Latin sound of a Latin name against another script's, whether the query's
    skeleton has the consonants to be evidence)."""
    latin_side, other = (query, form) if query[0].script == "l" else (form, query)
    found = max((len(consonants(k)) for k in index_keys(query) if ":" in k), default=0)
    cost = verdict.cross_cost(tuple(u.word for u in latin_side), tuple(u.word for u in other), other[0].script)
    return cost, found >= verdict.weights()["cross_min"]


def _compare(query: list[Unit], form: list[Unit], lexicon: Lexicon,
             frequency: float = 0.0) -> tuple[float, bool, float | None]:
    """(score, accepted, the Latin cost per sound when both are Latin, else None)."""
    q_script, f_script = query[0].script, form[0].script
    w = verdict.weights()
    if q_script == "=" or f_script == "=":
        return 0.0, False, None  # acronyms and fixed names only match as written
    if q_script == "l" and f_script == "l":
        cost = min(_latin_cost(q, f, _costs(lexicon)) for q, f in _unit_pairs(query, form))
        length = max(len(s) for s in verdict.latin_readings(tuple(u.word for u in query)))
        evidence = _evidence(query, form, lexicon, frequency)
        return verdict.score(cost), cost == 0 or _accepts_latin(cost, length, evidence, lexicon), cost
    if q_script == f_script:
        return 0.8, _letters_meet(query, form) and not harakat_differ(query, form), None
    # Another script: one Latin side against the other's letters, short vowels unwritten;
    # a short skeleton is weak evidence.
    if "l" not in (q_script, f_script):  # Arabic against Hebrew: the skeletons they write
        return 0.7, _skeletons_meet(query, form), None
    cost, enough = _cross(query, form)
    return verdict.score(cost), enough and cost <= w["cross_threshold"], None


def _accepts_latin(cost: float, length: int, evidence: verdict.Evidence | None, lexicon: Lexicon) -> bool:
    """``verdict.accepts_latin`` on the collection's ``evidence`` (None: none counts); a lexicon that
    keeps judged forms across generations (``search.names.carried``) is told how far that evidence was
    from turning the verdict (``verdict.acceptance_margin``): less moved, the verdict stands."""
    if evidence is None:
        return verdict.accepts_latin(cost, length)
    note = getattr(lexicon, "note_margin", None)
    if note is not None:
        note(verdict.acceptance_margin(cost, length, evidence))
    return verdict.accepts_latin(cost, length, evidence)


def _evidence(query: list[Unit], form: list[Unit], lexicon: Lexicon, frequency: float = 0.0) -> verdict.Evidence | None:
    """What speaks against a Latin candidate: a word the collection writes in lower case
    (dôme, hautes), the candidate's or the query's when typed in lower case (the reports'
    camel is no Kamal). Unless the romanization rules' codes agree (search.names.translit): then
    the two are one name in two habits, whatever else they are (None: nothing the collection says counts)."""
    if _letters_meet(query, form) or _respelled(query, form, _costs(lexicon)):
        return None
    # A word the form itself writes in lower case is a compound's part (Ḥizbu-llāh), not evidence.
    words = [u.word for u in form if u.word[:1].isupper() and fold(u.word) not in QUERY_PARTICLES]
    typed = [u.word for u in query if u.word[:1].islower() and fold(u.word) not in QUERY_PARTICLES]
    return verdict.Evidence(max((lexicon.lower_case(wd) for wd in words + typed), default=0.0), max(0.0, frequency))


def _costs(lexicon: Lexicon) -> dict | None:
    """The lexicon's memory of the pure costs below, if it keeps one (``search.names.carried``: across
    generations; the judge's ``identity`` covers the code that computes them)."""
    return getattr(lexicon, "costs", None)


def _respelled(query: list[Unit], form: list[Unit], costs: dict | None = None) -> bool:
    """Only changes inside romanization classes (Netanyahou / Netanyahu, Daech / Daesh)."""
    words = (tuple(u.word for u in query), tuple(u.word for u in form))
    if costs is None:
        return verdict.respelling_only(*words)
    found = costs.get(("r", *words))
    if found is None:
        found = costs[("r", *words)] = verdict.respelling_only(*words)
    return found


def _latin_cost(query: list[Unit], form: list[Unit], costs: dict | None = None) -> float:
    """The alignment per sound, plus ``split`` for each word one name has more than the other,
    unless a particle explains it (Abou Kamal is Boukamal; Mme Ahmed is no Mohammed)."""
    words = (tuple(u.word for u in query), tuple(u.word for u in form))
    cost = costs.get(("l", *words)) if costs is not None else None
    if cost is None:
        cost = verdict.latin_cost(*words)
        if costs is not None:
            costs[("l", *words)] = cost
    extra = abs(len(query) - len(form))
    if extra and not any(is_particle_unit(u) for u in query + form):
        cost += verdict.weights()["split"] * extra
    return cost


def _unit_pairs(query: list[Unit], form: list[Unit]) -> list[tuple[list[Unit], list[Unit]]]:
    """The names to compare: as they are, and a three-word name without its middle word
    (a father's name: Ibrahim Mohamed Akil is Ibrahim Akil), as the blocking keys allow."""
    pairs = [(query, form)]
    if len(query) == 3 and len(form) == 2 and skips_middle(query):
        pairs.append((query[::2], form))
    if len(form) == 3 and len(query) == 2 and skips_middle(form):
        pairs.append((query, form[::2]))
    return pairs


def _letters_meet(query: list[Unit], form: list[Unit]) -> bool:
    # An Arabic query's harakat are its letters too, and so are its bare letters: a report that
    # writes others is turned down by ``harakat_differ``.
    return bool((_letter_keys(query, True) | _letter_keys(query, False)) & _letter_keys(form, False))


def _letter_keys(units: list[Unit], query: bool) -> set[str]:
    """Letter keys; the article stays (جبيل Jbeil is not الجبيل Jubail)."""
    prefix = LETTER_PREFIX[units[0].script]
    return {k for k in index_keys(units, query=query) if k.startswith(prefix)}


def _skeletons_meet(query: list[Unit], form: list[Unit]) -> bool:
    def bodies(units):
        return {key_body(k) for k in index_keys(units) if is_skeleton(k)}
    return bool(bodies(query) & bodies(form))


def _same_letters(query: list[Unit], form: list[Unit]) -> bool:
    """The same words once case and accents are aside: Kobané is Kobane."""
    return [fold(u.word) for u in query] == [fold(u.word) for u in form]


def _same_spelling(query: list[Unit], form: list[Unit]) -> bool:
    if query[0].script != "l" or form[0].script != "l":
        return query[0].script == form[0].script and _letters_meet(query, form)
    return [tr.prepare_latin(u.word) for u in query] == [tr.prepare_latin(u.word) for u in form]



@lru_cache(maxsize=100_000)
def _form_units_cached(form: str) -> tuple[Unit, ...]:
    return tuple(u for run in runs(WORDS(form)) for u in run)


def _form_units(form: str) -> list[Unit]:
    """The name units of a form as a report writes it."""
    return list(_form_units_cached(form))


def jointly(chunks: list[list[Unit]], judged: list[list[Variant]], lexicon: Lexicon) -> list[list[set[str]]]:
    """A long name typed in chunks, judged as one name: per alternative, the terms each chunk
    may match by.

    Each chunk of a long name is judged alone, under a threshold per sound of the chunk: one
    change in a short chunk (al-Amqi / al-Omqi, the last chunk of Said Salih Abd-Rabbuh al-Amqi)
    turns it down, though the verdict accepts the whole name, whose other chunks are spelt
    alike. So, for Latin chunks, one chunk at a time may take a candidate it turned down on its
    cost alone, when that cost and the dearest accepted spelling of every other chunk stay
    within the whole name's budget (the verdict's threshold per sound of all the chunks): any
    report matched that way is one the whole-name verdict would take."""
    if len(chunks) < 2 or any(u.script != "l" for c in chunks for u in c):
        return []
    lengths = [max((len(s) for s in verdict.latin_readings(tuple(u.word for u in c))), default=0) for c in chunks]
    total = sum(lengths)
    if not total:  # chunks of marks without a sound (ʿ typed alone): no name to judge whole
        return []
    w = verdict.weights()
    budget = (w["threshold"] + w["base"] / total) * total
    kept = [[v for v in vs if v.accepted and v.cost is not None and v.terms] for vs in judged]
    # A chunk with no accepted Latin spelling leaves no room: none of the others may be taken for it.
    dearest = [max((v.cost * n for v in vs if v.cost is not None), default=math.inf) for vs, n in zip(kept, lengths)]
    out = []
    for k, (chunk, n) in enumerate(zip(chunks, lengths)):
        room = budget - sum(d for i, d in enumerate(dearest) if i != k)
        taken = [v for v in judged[k] if not v.accepted and v.cost is not None and v.terms and not v.reason
                 and v.cost * n <= room and _no_evidence(chunk, v, lexicon)]
        if taken:
            out.append([{t for v in (taken if i == k else kept[i]) for t in v.terms} for i in range(len(chunks))])
    return out


def _no_evidence(chunk: list[Unit], v: Variant, lexicon: Lexicon) -> bool:
    """Whether nothing but its cost speaks against a candidate (no French word in it)."""
    form = _form_units(v.spelling)
    if not form or form[0].script != "l":
        return False
    evidence = _evidence(chunk, form, lexicon)
    return evidence is None or evidence == verdict.Evidence()  # None: the collection's evidence does not count
