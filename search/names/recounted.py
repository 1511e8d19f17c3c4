"""A judged form whose evidence an update only moved a little: its verdicts kept, its counts the new ones.

An update of a hundred reports writes the collection's most written names again, so the forms judged
ahead for them (``search.prejudge``) find the same spellings under their keys, with larger counts and
lower-case shares a little off. The verdict (``search.names.variants``) reads the collection in these
places only:

- a Latin candidate's evidence against it (``verdict.accepts_latin``): the lower-case share of its words
  and its *frequency*, how many times more reports write it than the spelling typed (powers of ten,
  never under 0). Judging a form notes how far that evidence was from turning any of its verdicts, at
  the nearest (``Judged.margin``, from ``verdict.acceptance_margin``); evidence that moved by less,
  weights included, turns none;
- the evidence from context (``search.names.context``): it weighs the accepted candidates written in
  ``min_reports`` reports or more, and reads the reports it samples.

So a form is *recounted*, not judged again, when its keys hold no spelling they did not hold (the
candidates are the same, met in the same order), the spelling typed is Latin and names no alias row in
another script (those are judged against the row's name with a shifted frequency), the moved evidence
stays within the margin, each candidate's spelling (its most written case variant) is the same, no
candidate crossed ``min_reports``, and the context samples the same reports (``samples_hold``): then a
fresh judging takes every candidate's verdict as before, and only the counts it writes down differ.
They are worked out as a fresh judging does (``variants.candidates``), so its line is a fresh judging's.
The margin it keeps is the old one less what moved: a bound, never more than the true one.
"""
from __future__ import annotations

from search.names import verdict
from search.names.terms import split_term
from search.names.units import window_text
from search.names.variants import Variant, candidates, group_key, times_more, written_as

SAFETY = 1e-9  # of a margin: float sums in another order never decide


def recounted(vocabulary, before, judged: list[Variant], key: tuple,
              min_reports: int) -> tuple[list[Variant], float] | None:
    """The form of ``key`` (``find_variants``' key: units, blocks, anchors), judged in the generation
    before as ``judged`` on the evidence ``before`` (a ``carried.Judged``), with this generation's
    counts and the same verdicts, and its margin now; or None when it is judged again.
    ``vocabulary``: a ``carried.RecordingVocabulary``."""
    units, blocks, anchors = key
    if anchors or not units or units[0].script != "l":
        return None
    keys = list(dict.fromkeys(k for k, _ in blocks))
    if any(not vocabulary.only_counts_moved(k) for k in keys):
        return None
    typed = group_key(window_text(list(units)))
    then = _frequencies(blocks, {k: vocabulary.known[k] for k in keys}, typed)
    found = list(candidates(list(units), vocabulary, list(blocks)).values())
    now = _frequencies(blocks, vocabulary.forms_read, typed)  # what ``candidates`` read
    w = verdict.weights()
    moved = w["lower_case"] * vocabulary.shares_moved(before) + \
        w["frequent"] * max((abs(a - b) for a, b in zip(then, now)), default=0.0)
    if moved and (before.margin is None or moved >= before.margin - SAFETY):
        return None
    if len(found) != len(judged):
        return None
    for new, old in zip(found, judged):
        if (new.spelling, sorted(new.terms), new.exact, new.partial) != \
                (old.spelling, sorted(old.terms), old.exact, old.partial) or \
                (new.reports >= min_reports) != (old.reports >= min_reports):
            return None
        new.score, new.accepted, new.cost, new.reason = old.score, old.accepted, old.cost, old.reason
    return found, (before.margin - moved if moved else before.margin)


def _frequencies(blocks, forms: dict[str, list[tuple[str, int]]], typed: str) -> list[float]:
    """The frequency the verdict reads of each spelling met under each block (``VerdictJudge.judge``),
    never under 0, as ``verdict.Evidence`` takes it."""
    met = [(split_term(term)[1], reports) for k, _ in blocks for term, reports in forms[k]]
    typed_reports = written_as(typed, met)
    return [max(0.0, times_more(r, typed_reports)) for _, r in met]
