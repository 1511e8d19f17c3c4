"""Name forms judged ahead, carried from one generation to the next with the evidence they were judged on.

Judging the collection's most written names after an update (``search.prejudge``) took 10 s of
processor time at 34k reports, most of it reading the whole name lexicon again: 4 s of an update
of 100 reports. Yet a judged form's verdict (``search.names.variants.find_variants``) is a function
of the form, its alias rows, the judge and what the lexicon answered, and nothing else; so each
judged form is written down with those answers (its *evidence*: the forms and counts under each
key it asked for, the lower-case shares of the words it asked for, the reports of the case variants
it counted), in ``PREJUDGED`` beside the generation. The next generation takes a form's verdict
as it is when its lexicon gives every one of those answers again, and judges it anew otherwise.

What an update changes is known without reading the lexicon again: a generation's segments never
change once written (a deletion is a mark, not a rewrite; a term's count counts the reports of every
segment holding it), so the forms under a key in the new generation are the previous answer plus
the terms under that key in the segments the update added (``fresh``). When the update merged
segments away, nothing is carried: the names are judged as after a rebuild. The lower-case shares
and the case variants' reports (deletions change those) are asked again, a look-up each.

The evidence from context samples a spelling's reports (``search.names.context``): a form notes the
terms it sampled, and the record keeps each sample (the words the sampled reports share). A deleted
report still counts in its terms' counts, so no key tells that a removal took a sampled one: a form
is carried only when no report holding its sampled terms was added or removed, and a form judged
again takes such a sample as it is (the same reports are sampled), weighed by the new rarities.
A record by another judge (the code changed) carries no verdict; its lexicon answers still hold.

A form whose keys the update wrote only more reports of the same spellings under, or whose words'
lower-case shares moved, is recounted when the moved evidence stays within the margin it noted
(``search.names.recounted``): the verdicts are the same, the counts this generation's.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from search.names.context import saved_params, shared_words
from search.names.judged import Decisions, digest, parse_body
from search.names.recounted import recounted
from search.names.terms import FORM_SEP
from search.names.variants import Variant, VerdictJudge

PREJUDGED = "PREJUDGED.json"
FORMAT = 4  # 4: with the context's samples
MOST_COSTS = 200_000  # costs kept from one generation to the next
MOST_SAMPLES = 4096   # context samples kept from one generation to the next
log = logging.getLogger("search.names.carried")

Forms = list[tuple[str, int]]
Sample = tuple[int, dict[str, int]]  # (reports sampled, the words two of them or more write: in how many)


@dataclass
class Judged:
    """One judged form: its verdicts (a ``JUDGED`` line's body) and the lexicon's answers it was judged on."""
    body: str
    keys: list[str]                                   # the keys whose forms it read
    lower: dict[str, float] = field(default_factory=dict)  # word -> lower-case share
    reports: list[tuple[list[str], int]] = field(default_factory=list)  # (case variants' terms, reports)
    # The terms whose reports the evidence from context sampled (None: not noted, a record of format 3).
    samples: list[list[str]] | None = field(default_factory=list)
    # How far the collection's evidence was from turning one of its verdicts, at the nearest
    # (``verdict.acceptance_margin``; inf: no verdict read any; None: not noted, an older record).
    margin: float | None = math.inf


@dataclass
class Record:
    """What judging ahead leaves beside a generation: its segments, the names judged (most written
    first), each judged form by digest, and the forms under each key they read."""
    segments: dict[str, list[int]]  # each segment's id -> its deleted documents
    names: list[str]
    judged: dict[str, Judged]
    forms: dict[str, Forms]
    reports: list[tuple[list[str], int]] = field(default_factory=list)  # every (terms, reports) asked
    identity: str = ""                  # the judge's: the costs below are its code's
    costs: dict[tuple, object] = field(default_factory=dict)  # the verdict's pure costs, by their arguments
    samples: dict[tuple, Sample] = field(default_factory=dict)  # (terms, limit, chars) -> the context's sample

    def write(self, folder: Path) -> None:
        """Written whole or not at all (a temporary file renamed): a reader never sees half of one."""
        body = json.dumps({"format": FORMAT, "segments": self.segments, "names": self.names,
                           "judged": {d: [j.body, j.keys, j.lower, j.reports, j.samples, j.margin]
                                      for d, j in self.judged.items()},
                           "forms": self.forms, "reports": self.reports, "identity": self.identity,
                           "costs": [[kind, q, f, v] for (kind, q, f), v in self.costs.items()],
                           "samples": [[list(t), limit, chars, n, words]
                                       for (t, limit, chars), (n, words) in self.samples.items()]},
                          ensure_ascii=False, separators=(",", ":"))
        data = f"{_check(body)}\n{body}".encode("utf-8")
        tmp = folder / f"{PREJUDGED}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, folder / PREJUDGED)
        except OSError as e:  # a cache: the next update judges the names as after a rebuild
            tmp.unlink(missing_ok=True)
            log.info("%s ne peut pas être écrit (%s)", folder / PREJUDGED, e.strerror or e)

    @classmethod
    def read(cls, folder: Path) -> "Record | None":
        """The record beside ``folder``'s generation, or None (none, damaged, of another format)."""
        try:
            check, body = (folder / PREJUDGED).read_bytes().decode("utf-8").split("\n", 1)
            if check != _check(body):
                raise ValueError("checksum")
            data = json.loads(body)
            if data.get("format") not in (3, FORMAT):  # 3: without samples, which are read again then
                return None
            judged = {d: Judged(b, keys, lower, [(terms, n) for terms, n in reports], *_later(rest))
                      for d, (b, keys, lower, reports, *rest) in data["judged"].items()}
            forms = {k: [(t, n) for t, n in v] for k, v in data["forms"].items()}
            costs = {(kind, tuple(q), tuple(f)): v for kind, q, f, v in data["costs"]}
            samples = {(tuple(t), limit, chars): (n, words) for t, limit, chars, n, words in data.get("samples", ())}
            return cls(data["segments"], data["names"], judged, forms, [(t, n) for t, n in data["reports"]],
                       data["identity"], costs, samples)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as e:  # UnicodeDecodeError and JSON's too
            log.warning("%s illisible (%s) : les noms seront jugés à nouveau", folder / PREJUDGED, e)
            return None


def _later(rest: list) -> tuple:
    """(samples, margin) of a judged form as written; None for what an older record did not note."""
    return (rest[0] if rest else None), (rest[1] if len(rest) > 1 else None)


def judge_identity() -> str:
    """The judge's identity: costs computed by other code are not taken."""
    return VerdictJudge().identity


def _check(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def by_key(fresh: Mapping[str, int]) -> dict[str, Forms]:
    """The ``names`` terms of the added segments (``key<US>form`` -> reports), by key."""
    out: dict[str, Forms] = {}
    for term, n in fresh.items():
        key, sep, _ = term.partition(FORM_SEP)
        if sep:
            out.setdefault(key, []).append((term, n))
    return out


class RecordingVocabulary:
    """A generation's vocabulary (``search.engine.contract.Vocabulary``) that notes what each judged
    form asks of it. With the ``previous`` generation's record and what this one ``added`` to it
    (``search.engine.whoosh.added.AddedSegments``), a key or a set of case variants the previous one
    was asked about is answered from that answer and what was added, without the lexicon."""

    def __init__(self, inner, previous: Record | None = None, added=None):
        self.inner, self.added = inner, added
        carried = previous if added is not None else None
        self.known = carried.forms if carried else {}
        fresh = added.names() if carried else {}
        self.fresh = by_key(fresh)
        self.fresh_terms = set(fresh)
        self.known_reports = {tuple(t): n for t, n in carried.reports} if carried else {}
        self.known_lower = {w: share for j in carried.judged.values() for w, share in j.lower.items()} if carried else {}
        # The verdict's pure costs (``search.names.variants._latin_cost``), remembered across generations.
        self.costs: dict = dict(previous.costs) if previous is not None and previous.identity == judge_identity() else {}
        # The context's samples (``search.names.context.sampled_words``): the reports sampled for some terms,
        # read and weighed anew only when the update added or removed a report holding one of them.
        self.known_samples: dict[tuple, Sample] = carried.samples if carried else {}
        self.samples: dict[tuple, Sample] = {}
        self.samples_carried = self.samples_read = 0
        self.decisions = CarryingDecisions(inner.decisions, self, carried)
        self.forms_read: dict[str, Forms] = {}
        self._reports: dict[tuple[str, ...], int] = {}
        self._lower: dict[str, float] = {}     # lower-case shares answered in this run
        self._changes: dict[str, bool] = {}    # whether the added segments write a word
        self._held: dict[str, set[str]] = {}   # the terms the previous generation held under a key
        self._noted: Judged | None = None
        self._noted_keys: set[str] = set()     # its keys, to look up

    def note_margin(self, margin: float) -> None:
        """How far the evidence was from turning one verdict of the form being judged (``search.names.variants``)."""
        if self._noted is not None and self._noted.margin is not None:
            self._noted.margin = min(self._noted.margin, abs(margin))

    # What the judge asks: answered, and noted for the form being judged.
    def forms(self, key: str) -> Forms:
        found = self.forms_read.get(key)
        if found is None:
            known, fresh = self.known.get(key), self.fresh.get(key)
            # A key the update wrote nothing under answers as before (the record's list: nobody changes it).
            found = (_added(known, fresh) if fresh else known) if known is not None else \
                [(t, int(n)) for t, n in self.inner.forms(key)]
            self.forms_read[key] = found
        if self._noted is not None and key not in self._noted_keys:  # a form reads a hundred keys and more
            self._noted_keys.add(key)
            self._noted.keys.append(key)
        return found

    def forms_of(self, keys: Sequence[str]) -> dict[str, Forms]:
        return {key: self.forms(key) for key in keys}

    def lower_case(self, word: str) -> float:
        share = self.share(word)
        if self._noted is not None:
            self._noted.lower[word] = share
        return share

    def share(self, word: str) -> float:
        """The word's lower-case share in this generation (``lower_case``, not noted)."""
        share = self._lower.get(word)
        if share is None:  # asked of many candidates: each word's answer once (the added segments' look-ups too)
            known = self.known_lower.get(word)
            share = self._lower[word] = known if known is not None and not self._changes_lower_case(word) \
                else self.inner.lower_case(word)
        return share

    def _changes_lower_case(self, word: str) -> bool:
        found = self._changes.get(word)
        if found is None:
            found = self._changes[word] = self.added.changes_lower_case(word)
        return found

    def reports(self, terms: Iterable[str]) -> int:
        terms = sorted(terms)
        found = self._reports_now(tuple(terms))
        if self._noted is not None:
            self._noted.reports.append((terms, found))
        return found

    def _reports_now(self, terms: tuple[str, ...]) -> int:
        found = self._reports.get(terms)
        if found is None:
            known = self.known_reports.get(terms)
            # The postings of a common name's case variants are long: what changed is read, not them.
            found = self._reports[terms] = known + self.added.reports_change(terms) if known is not None \
                else self.inner.reports(terms)
        return found

    def counted(self) -> dict[tuple[str, ...], int]:
        """Every set of case variants counted in this run (the planner counts some outside judging)."""
        return dict(self._reports)

    # The evidence from context (``search.names.context``): its samples noted (``sampled_words``), the texts
    # and rarities read through. A form's sampled reports change with the postings of its terms: an added
    # report holding one writes a key noted above (the form is judged again), a removed one is looked for
    # (``carried``). A carried form's words' rarities are the generation's it was judged in: an update of
    # a few reports moves them by a fraction of a percent, and a rebuild judges every form afresh.
    def texts(self, terms: Iterable[str], limit: int, chars: int) -> list[str]:
        return self.inner.texts(terms, limit, chars)

    def sampled_words(self, terms: Sequence[str], limit: int, chars: int) -> Sample:
        """The words of the reports sampled for ``terms``: the previous generation's sample when the update
        added no report holding one of them and removed none (the same reports are sampled then: a
        segment never changes, and the added ones come after), else read now. A form judged again
        weighs them by this generation's rarities (``search.names.context.weighed``), as a fresh judging."""
        key = (tuple(terms), limit, chars)
        found = self.samples.get(key)
        if found is None:
            known = self.known_samples.get(key)
            if known is None or not self._same_reports(key[0]):
                texts = self.inner.texts(terms, limit, chars)
                known = (len(texts), shared_words(texts))
                self.samples_read += 1
            else:
                self.samples_carried += 1
            found = self.samples[key] = known
        if self._noted is not None and self._noted.samples is not None and list(key[0]) not in self._noted.samples:
            self._noted.samples.append(list(key[0]))
        return found

    def _same_reports(self, terms: tuple[str, ...]) -> bool:
        """Whether the reports holding any of ``terms`` are those of the previous generation."""
        return self.added.same_order and not any(t in self.fresh_terms for t in terms) \
            and self.added.reports_gone(terms) == 0

    def kept_samples(self) -> dict[tuple, Sample]:
        """The samples the next generation may carry: this run's, and the previous ones that still hold."""
        kept = dict(self.samples)
        for key, sample in self.known_samples.items():
            if len(kept) >= MOST_SAMPLES:
                break
            if key not in kept and self._same_reports(key[0]):
                kept[key] = sample
        return kept

    def word_reports(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        return self.inner.word_reports(words)

    def words_with_prefix(self, field: str, prefix: str, limit: int) -> list[str]:
        return self.inner.words_with_prefix(field, prefix, limit)

    def warm(self, counts: bool = False) -> None:
        self.inner.warm(counts)

    # The form being judged (``CarryingDecisions``).
    def note(self) -> None:
        self._noted, self._noted_keys = Judged("", []), set()

    def noted(self) -> Judged:
        found, self._noted = self._noted or Judged("", []), None
        return found

    def carried(self, judged: Judged) -> Judged | None:
        """``judged`` as this generation would judge it, or None when it must be judged again: when the
        forms under one of its keys, a word's lower-case share or the reports of a candidate's case
        variants (which removals change) changed."""
        if any(key in self.fresh or key not in self.known for key in judged.keys) or self.shares_moved(judged) \
                or not self.samples_hold(judged):
            return None
        now = [(terms, self._reports_now(tuple(terms))) for terms, _ in judged.reports]
        # Changed counts are judged again: the evidence from context reads them (too few reports is no
        # evidence) and samples the reports that are left.
        return judged if now == judged.reports else None

    def shares_moved(self, judged: Judged) -> float:
        """How far the lower-case share of a word ``judged`` read moved, at most."""
        return max((abs(self.share(w) - share) for w, share in judged.lower.items()
                    if self._changes_lower_case(w)), default=0.0)

    def samples_hold(self, judged: Judged) -> bool:
        """Whether the context of ``judged`` would sample the same reports."""
        # The reports its context sampled: a removal may take one away (a deleted report still counts in a
        # term's count, so no key tells it). Not noted (an older record): any removal has it judged again.
        return not ((judged.samples is None and self.added.removed) or
                    any(not self._same_reports(tuple(terms)) for terms in judged.samples or ()))

    def only_counts_moved(self, key: str) -> bool:
        """Whether the previous generation answered ``key`` and the update wrote no form under it that it
        did not hold (the forms it did hold may be written in more reports)."""
        known = self.known.get(key)
        if known is None:
            return False
        fresh = self.fresh.get(key, ())
        if not fresh:
            return True
        held = self._held.get(key)
        if held is None:
            held = self._held[key] = {term for term, _ in known}
        return all(term in held for term, _ in fresh)


def _added(known: Forms, fresh: Iterable[tuple[str, int]]) -> Forms:
    """A key's forms in the previous generation plus the added segments': counts add up, in term order."""
    counts = Counter(dict(known))
    for term, n in fresh:
        counts[term] += n
    return sorted(counts.items())


class CarryingDecisions:
    """The new generation's ``Decisions``: a form recalled from its file, or carried from the previous
    generation's record when its evidence still holds, or judged (then noted with its evidence)."""

    def __init__(self, inner: Decisions, vocabulary: RecordingVocabulary, previous: Record | None):
        self.inner, self.vocabulary = inner, vocabulary
        # A record by another judge holds none of this judge's verdicts (its code or parameters changed).
        self.previous = previous.judged if previous is not None and previous.identity == judge_identity() else {}
        self.judged: dict[str, Judged] = {}   # what the next generation's record holds
        self.carried = self.fresh = 0          # forms carried as judged, and judged here
        self.recounted = 0                     # forms carried with their counts worked out again
        self.min_reports = saved_params().min_reports  # the context's (``search.names.recounted``)
        self.taken: set[str] = set()           # the digests of the forms carried

    @property
    def writable(self) -> bool:
        return self.inner.writable

    def recall(self, identity: str, key: tuple) -> list[Variant] | None:
        name = digest(identity, key)
        before = self.previous.get(name)
        now = self.vocabulary.carried(before) if before is not None else None
        # Without a record to carry (after a rebuild, or a first time), a form some search judged already
        # is judged again all the same: its evidence is what the next update needs to carry it.
        found = self.inner.recall(identity, key) if self.previous else None
        if found is None and now is not None:
            self.inner.carry(name, now.body)
            self.carried += 1
            self.taken.add(name)
            found = parse_body(now.body)
        if found is not None:
            if now is not None:
                self.judged[name] = now
            return found
        if before is not None:
            found = self._recounted(identity, key, name, before)
            if found is not None:
                return found
        self.vocabulary.note()
        return None

    def _recounted(self, identity: str, key: tuple, name: str, before: Judged) -> list[Variant] | None:
        """The form's verdicts of the generation before with this one's counts (``search.names.recounted``),
        written down with the evidence a fresh judging notes; or None."""
        if not self.vocabulary.samples_hold(before):
            return None
        self.vocabulary.note()
        found = recounted(self.vocabulary, before, parse_body(before.body), key, self.min_reports)
        evidence = self.vocabulary.noted()
        if found is None:
            return None
        variants, evidence.margin = found
        _, evidence.body = self.inner.keep(identity, key, variants)
        # The words and samples a fresh judging reads are the same (its verdicts are): the shares are this generation's.
        evidence.lower = {w: self.vocabulary.share(w) for w in before.lower}
        evidence.samples = before.samples
        self.judged[name] = evidence
        self.recounted += 1
        return parse_body(evidence.body)

    def keep(self, identity: str, key: tuple, judged: list[Variant]) -> None:
        name, body = self.inner.keep(identity, key, judged)
        self.fresh += 1
        evidence = self.vocabulary.noted()
        evidence.body = body
        self.judged[name] = evidence

    def record(self, segments: dict[str, list[int]], names: list[str]) -> Record:
        keys = sorted({k for j in self.judged.values() for k in j.keys})
        # A carried form's keys were not read in this run: their answers are the previous ones (none was added to).
        counted = self.vocabulary.counted()
        counted.update((tuple(t), n) for j in self.judged.values() for t, n in j.reports)
        costs = dict(list(self.vocabulary.costs.items())[-MOST_COSTS:])  # the latest, when there are too many
        return Record(segments, names, dict(self.judged), {k: self.vocabulary.forms(k) for k in keys},
                      [(list(t), n) for t, n in sorted(counted.items())], judge_identity(), costs,
                      self.vocabulary.kept_samples())
