"""The verdict: is a candidate spelling from the lexicon the name the query spells?

Blocking keys (``search.names``) find candidates widely; this module accepts
them on evidence.  Two Latin spellings are compared by one weighted alignment
of their sounds (``alignment_cost``): a change inside a romanization class
(ou / u / o, q / k, kh / x, sh / ch / sch, dj / j, th / t) costs little, a vowel
for another vowel more, a consonant for a related one (k / g, s / z, d / t)
more again, an unrelated consonant most; letters put in or left out cost by
kind (a vowel, an h, a doubled consonant, another consonant), and any change to
the first sound costs more, since romanizations keep a name's first consonant.

A candidate is accepted when its cost, per sound of the query, is under one
threshold, raised (made stricter) by what the collection says against it: a
word French writes in lower case (Dôme, hautes) is a French word, not a name.

Every weight lives in ``data/verdict.json``, chosen on the development set by
``bench/fit_verdict.py`` (cross-validated: fit on two folds of entities,
measured on the third), never per example.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from search.names import translit as tr
from search.names.translit.sounds import (
    ARABIC_LETTERS,
    CARRIER_CLASSES,
    CARRIERS,
    CLASSES,
    CONFUSIONS,
    CONTRACTIONS,
    HEBREW_LETTERS,
    VOWEL_LETTERS,
)

WEIGHTS_FILE = Path(__file__).resolve().parent.parent / "data" / "verdict.json"

DEFAULT_WEIGHTS = {
    "same_class": 0.2,   # ou / u, q / k, sh / ch: one sound, two habits
    "vowel_e": 0.4,      # e for a or i, the vowel romanizations render as e: Kemal / Kamal, Mehdi / Mahdi
    "vowel": 1.0,        # a, i, u for one another: Arabic's three vowels (Basra / Bosra, Karim / Karam)
    "near": 1.0,         # a related consonant: k / g, s / z, d / t, kh / h
    "far": 3.0,          # an unrelated consonant
    "e_indel": 0.4,      # an e put in or left out: Tehran / Teheran, Zahle / Zahl
    "vowel_indel": 0.8,  # another vowel put in or left out: Hamadan / Hamdan
    "h_indel": 0.5,      # an h: Hamah / Hama
    "glide_indel": 0.4,  # a y or w beside a vowel: Haniyeh / Hanieh, Suwayda / Sueida
    "double": 0.15,      # a doubled consonant: Tartouss / Tartous
    "contraction": 0.6,
    "split": 0.15,       # per sound, for each word one name has more than the other (no particle)
    "final": 0.2,        # the last vowel, a ta marbuta or mute e: Haniyeh / Haniya
    "habit": 1.0,        # e for a or i throughout a name, paid once  # a consonant and its vowel written as one sound: Bukamal / Bukhmal
    "cons_indel": 2.0,   # another consonant put in or left out
    "initial": 2.0,      # a change of class in the first sound costs this many times more
    "tail": 1.0,         # sounds past the other name's end cost this many times more (a suffix)
    "hop": 1.0,          # a near miss within hop x the threshold, that an accepted spelling accepts (1: off)
    "threshold": 0.22,   # accepted under this cost per sound of the longer spelling
    "base": 0.3,         # plus this much in all (short names may differ by one cheap change)
    "lower_case": 2.0,
    "frequent": 0.5,     # stricter by this much per power of ten more reports than the spelling typed   # stricter by this much per share of lower-case uses of a word
    "cross_vowel": 0.1,  # a Latin vowel that Arabic or Hebrew script does not write
    "cross_threshold": 0.25,  # the threshold per Latin sound across scripts
    "cross_min": 2,      # consonants a skeleton needs before another script's spelling is taken
}


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What the verdict's decisions depend on besides the collection: its weights, and the code and
    word lists of names and text analysis (hashed whole: any change makes other decisions possible)."""
    package = Path(__file__).resolve().parent.parent
    files = sorted([*(package / "names").rglob("*.py"), *(package / "text").rglob("*.py"), *(package / "data").iterdir()])
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def weights() -> dict:
    """The fitted weights (``data/verdict.json``), defaults for any missing."""
    fitted = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")) if WEIGHTS_FILE.exists() else {}
    return {**DEFAULT_WEIGHTS, **fitted.get("weights", {})}


CONFUSION_COST = 0.5  # a learned consonant change this cheap widens the query's skeletons by it


@lru_cache(maxsize=1)
def confusions() -> dict[str, tuple[str, ...]]:
    """The shipped weights' ``confusion_table`` (empty while no learned pairs ship)."""
    return confusion_table(weights())


def confusion_table(w: dict) -> dict[str, tuple[str, ...]]:
    """Skeleton class -> the classes a cheap learned consonant change (``pairs``) may turn it into:
    the blocking keys' share of what the fit learned (g for q, kh for h, d for t)."""
    out: dict[str, set[str]] = {}
    for key, delta in (w.get("pairs") or {}).items():
        kind, letters = key.split(" ", 1)
        x, _, y = letters.partition("|")
        if kind in ("near", "far", "same_class") and x and y and w[kind] + delta <= CONFUSION_COST:
            for a in _skeleton_classes(x):
                for b in _skeleton_classes(y):
                    if a != b:
                        out.setdefault(a, set()).add(b)
                        out.setdefault(b, set()).add(a)
    return {c: tuple(sorted(others)) for c, others in out.items()}


def _skeleton_classes(grapheme: str) -> set[str]:
    """The skeleton classes a consonant sound (as ``sounds`` writes it) may take."""
    return {s for s in tr.latin_skeletons(tr.prepare_latin(grapheme)) if len(s) == 1 and s.isupper()}


# ---------------------------------------------------------------- sounds of a Latin spelling

_GRAPHEME_RE = re.compile(
    r"dsch|tsch|sch|dzh|dj|zh|sh|ch|kh|gh|th|dh|ph|ck|ou|oo|ee|ai|ay|ei|ey|aw|ow|au|eu|.")

def _classes_of_spellings() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for c in CLASSES:
        for spelling in c.spellings:
            out.setdefault(spelling, set()).add(c.name)
    return {g: frozenset(names) for g, names in out.items()}


# Each sound's classes: two sounds that share one are the same sound in two habits.
_CLASSES = _classes_of_spellings()
_VOWEL_CLASSES = frozenset(c.name for c in CLASSES if c.vowel)
_NEAR = frozenset(frozenset((c.a, c.b)) for c in CONFUSIONS)
_FINAL_VOWELS = frozenset({"A", "E"})
_E_OTHERS = frozenset({"A", "I", "AY"})  # the vowels romanizations write e for


@dataclass(frozen=True, slots=True)
class Sound:
    text: str
    classes: frozenset[str]
    # Whether it is a vowel: read in every cell of an alignment, so worked out once.
    vowel: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "vowel", bool(self.classes & _VOWEL_CLASSES))


_FINAL = frozenset({"TM"})  # a name's last vowel: ta marbuta and mute e (Haniyeh, Haniya, Haniyé)


@lru_cache(maxsize=100_000)
def sounds(prepared: str) -> tuple[Sound, ...]:
    """A prepared Latin word (``translit.prepare_latin``) as a sequence of sounds; a "0"
    (an ʿayn or hamza mark) only keeps the sounds either side apart."""
    out = [_letter(g) for g in _GRAPHEME_RE.findall(prepared) if g != "0"]
    end = len(out) - 1 - (len(out) > 1 and out[-1].text == "h")
    if end >= 1 and out[end].classes & _FINAL_VOWELS:
        out[end] = Sound(out[end].text, out[end].classes | _FINAL)
    return tuple(out)


# Arabic, Persian and Hebrew letters as sounds (``translit.sounds``): short vowels are not
# written, so a Latin vowel facing no letter costs little (``cross_vowel``).


def _letter_sound(options: str) -> Sound:
    texts = options.split()
    return Sound(texts[0], frozenset().union(*(_CLASSES.get(t, frozenset({t})) for t in texts)))


@lru_cache(maxsize=50_000)
def script_sounds(word: str, script: str) -> tuple[Sound, ...]:
    """An Arabic-script ("a") or Hebrew ("h") word as sounds, its article left out."""
    if script == "a":
        w = tr.strip_arabic_article(word)
        letters, table = list(w), ARABIC_LETTERS
    else:
        w = tr.hebrew_key(word)
        w = w[2:] if w.startswith("אל") and len(w) > 4 else w
        letters, table = re.findall(r"[\u05d0-\u05ea]'?", w), HEBREW_LETTERS
    out = []
    for i, c in enumerate(letters):
        if i == 0 and c in CARRIERS:
            out.append(Sound("a", frozenset(CARRIER_CLASSES.split())))
        elif c in VOWEL_LETTERS:
            out.append(Sound(c, frozenset(VOWEL_LETTERS[c].split())))
        elif c in table:
            out.append(_letter_sound(table[c]))
        elif c in "أإآ":
            out.append(Sound("a", frozenset({"A"})))
    return tuple(out)


def _sub(a: Sound, b: Sound, w: dict) -> float:
    # The alignment's inner loop: without learned pairs, ``sub_kind`` inlined (the call costs 4-9 %
    # of an alignment's time, measured on 3,000 pairs); tests/test_learned_costs.py holds the two
    # to the same kinds.
    if a.text == b.text:
        return 0.0
    if "pairs" in w:
        return _learned(w, sub_kind(a, b), a.text, b.text)
    shared = a.classes & b.classes
    if shared:
        return w["final"] if shared == _FINAL else w["same_class"]
    if a.vowel and b.vowel:
        return w["vowel_e"] if _e_for_a_or_i(a, b) or _e_for_a_or_i(b, a) else w["vowel"]
    if a.vowel or b.vowel:
        return w["far"]
    if any(frozenset((x, y)) in _NEAR for x in a.classes for y in b.classes):
        return w["near"]
    return w["far"]


def sub_kind(a: Sound, b: Sound) -> str:
    """The kind of change from one sound to another (not the same text): its weight's name."""
    shared = a.classes & b.classes
    if shared:
        return "final" if shared == _FINAL else "same_class"
    if a.vowel and b.vowel:
        return "vowel_e" if _e_for_a_or_i(a, b) or _e_for_a_or_i(b, a) else "vowel"
    if a.vowel or b.vowel:
        return "far"
    if any(frozenset((x, y)) in _NEAR for x in a.classes for y in b.classes):
        return "near"
    return "far"


def _learned(w: dict, kind: str, x: str, y: str) -> float:
    """A change's cost: its kind's weight, adjusted for these two sounds where the fit learned one
    (``pairs``: "kind x|y", the sounds in order, "" for none; ``bench/fit_costs.py``). Only called
    when ``w`` has pairs: without, a change costs its kind's weight."""
    delta = w["pairs"].get(f"{kind} {x}|{y}" if x <= y else f"{kind} {y}|{x}")
    return w[kind] if delta is None else max(_FLOOR, w[kind] + delta)


_FLOOR = 0.01  # no change is free: a learned cost below this would make every spelling one


def _e_for_a_or_i(e: Sound, other: Sound) -> bool:
    return "E" in e.classes and bool(other.classes & _E_OTHERS)


def _indel(seq: tuple[Sound, ...], i: int, w: dict) -> float:
    kind = indel_kind(seq, i)
    return _learned(w, kind, "", seq[i].text) if "pairs" in w else w[kind]


def indel_kind(seq: tuple[Sound, ...], i: int) -> str:
    """The kind of a sound put in or left out: its weight's name."""
    s = seq[i]
    if (i > 0 and seq[i - 1].text == s.text) or (i + 1 < len(seq) and seq[i + 1].text == s.text):
        return "double"
    if s.text in ("y", "w") and any(n.vowel for n in seq[max(0, i - 1):i + 2] if n is not s):
        return "glide_indel"  # a glide beside a vowel: Haniyeh / Hanieh, Suwayda / Sueida
    if s.vowel:
        return "e_indel" if "E" in s.classes else "vowel_indel"
    if s.text == "h":
        return "h_indel"
    return "cons_indel"


def alignment_cost(a: tuple[Sound, ...], b: tuple[Sound, ...], w: dict | None = None,
                   unwritten_vowels: bool = False) -> float:
    """The cheapest edit of sounds ``a`` into ``b`` (weighted Levenshtein).

    ``unwritten_vowels``: ``b`` is in a script that writes no short vowels, so a vowel
    of ``a`` facing nothing costs ``cross_vowel``.
    """
    w = w or weights()
    n, m = len(a), len(b)
    first = w["initial"]
    drop_a = [w["cross_vowel"] if unwritten_vowels and s.vowel else _indel(a, i, w) for i, s in enumerate(a)]
    drop_b = [_indel(b, j, w) for j in range(m)]
    # Sounds one name has past the other's end are a suffix, not a spelling (Soleimani is no
    # Souleimaniyeh): they cost ``tail`` times more, but a final h does not (Hamah, Hama).
    tail_a = [c * (1.0 if _free_at_end(s) or unwritten_vowels else w["tail"]) for c, s in zip(drop_a, a)]
    tail_b = [c * (1.0 if _free_at_end(s) else w["tail"]) for c, s in zip(drop_b, b)]
    d = [[0.0] * (m + 1) for _ in range(n + 1)]
    for j in range(1, m + 1):
        d[0][j] = d[0][j - 1] + drop_b[j - 1] * (first if j == 1 else 1.0)
    for i in range(1, n + 1):
        d[i][0] = d[i - 1][0] + (tail_a if m == 0 else drop_a)[i - 1] * (first if i == 1 and not unwritten_vowels else 1.0)
        for j in range(1, m + 1):
            sub = _sub(a[i - 1], b[j - 1], w)
            # The first sound keeps its class across romanizations (Qassem / Kassem / Ghassem):
            # only a change of class there costs more.
            factor = first if i == 1 and j == 1 and not a[0].classes & b[0].classes else 1.0
            best = min(d[i - 1][j - 1] + sub * factor,
                       d[i - 1][j] + (tail_a if j == m else drop_a)[i - 1],
                       d[i][j - 1] + (tail_b if i == n else drop_b)[j - 1])
            # (A contraction ends with a vowel: the test is skipped for the other sounds.)
            if i > 1 and a[i - 1].vowel and _contracts(a[i - 2], a[i - 1], b[j - 1]):
                best = min(best, d[i - 2][j - 1] + w["contraction"])
            if j > 1 and b[j - 1].vowel and _contracts(b[j - 2], b[j - 1], a[i - 1]):
                best = min(best, d[i - 1][j - 2] + w["contraction"])
            d[i][j] = best
    return d[n][m]


def _free_at_end(s: Sound) -> bool:
    return s.text == "h"


def _contracts(first: Sound, second: Sound, one: Sound) -> bool:
    """A consonant and the vowel after it, written as one sound (``sounds.CONTRACTIONS``)."""
    return second.vowel and any(c in first.classes and k in one.classes and k not in first.classes
                                for c, k in CONTRACTIONS)


def cross_cost(latin: tuple[str, ...], words: tuple[str, ...], script: str, w: dict | None = None) -> float:
    """A Latin name against an Arabic-script or Hebrew one, per sound of the Latin."""
    w = w or weights()
    if w.get("pairs"):  # learned on Latin pairs only: another script keeps the kinds' costs
        w = {k: v for k, v in w.items() if k != "pairs"}
    other = tuple(s for word in words for s in script_sounds(word, script))
    if not other:
        return float("inf")
    return min(alignment_cost(x, other, w, unwritten_vowels=True) / max(len(a), 1)
               for a in latin_readings(latin) for x in (a, *glides(a)))


# ---------------------------------------------------------------- the verdict

@dataclass(frozen=True)
class Evidence:
    """What the collection says of a candidate: ``lower_case``, the share of its words' uses
    written in lower case (the largest over its words; 0 where unknown); ``frequency``, how
    many times more reports write it than the spelling typed, in powers of ten (0 when not more)."""
    lower_case: float = 0.0
    frequency: float = 0.0


def latin_readings(words: tuple[str, ...]) -> list[tuple[Sound, ...]]:
    """The sounds of a Latin name (unit words, articles left out), over the readings of
    glued articles and compounds (``translit.latin_pieces``): Alboukamal is bu + kamal."""
    return _readings(tuple(words))


@lru_cache(maxsize=50_000)
def _readings(words: tuple[str, ...]) -> list[tuple[Sound, ...]]:
    readings: list[str] = [""]
    for word in words:
        pieces = tr.latin_pieces(tr.prepare_latin(word, mark="0"))[:4]
        readings = [_before_allah(r, "".join(p)) for r in readings for p in pieces][:8]
    return [sounds(r) for r in readings if r]


def _before_allah(before: str, piece: str) -> str:
    """A case vowel before Allah is no part of the name: Ḥizbu-llāh is Hizb Allah."""
    if piece.startswith("lah") and len(before) > 3 and before[-1] in "aiu":
        before = before[:-1]
    return before + piece


def latin_cost(query: tuple[str, ...], candidate: tuple[str, ...], w: dict | None = None) -> float:
    """The cheapest alignment over both names' readings, per sound of the longer one.

    A romanizer keeps a habit: writing e for a or i throughout (Mashhad / Meşhed,
    Salamiyah / Selemiye) is one habit, paid once (``habit``), not at every vowel.
    """
    w = w or weights()
    habit = {**w, "vowel_e": 0.0}
    best = float("inf")
    for a in latin_readings(query):
        for b in latin_readings(candidate):
            # A diphthong may also be read as its two letters (``glides``), but the cost stays per
            # sound of the names as read first: reading more sounds makes no name closer.
            for x in (a, *glides(a)):
                for y in (b, *glides(b)):
                    cost = alignment_cost(x, y, w)
                    # Without an e facing an a or an i, the habit changes no cost: its alignment is not redone.
                    if w["habit"] < cost and _e_habit_applies(x, y):
                        cost = min(cost, w["habit"] + alignment_cost(x, y, habit))
                    best = min(best, cost / max(len(a), len(b)))
    return best


_DIPHTHONGS = frozenset(s for c in CLASSES if c.name in ("AY", "AW") for s in c.spellings)
_VOWEL_PAIRS = frozenset({"ai", "ei", "au"})  # two vowel letters: two syllables as often (Said, Sa'id; Rauf, Ra'uf)


@lru_cache(maxsize=50_000)
def glides(reading: tuple[Sound, ...]) -> tuple[tuple[Sound, ...], ...]:
    """The reading with some diphthongs as two sounds, when it has any: before a vowel, where the
    greedy graphemes read Awaj as aw-a-j and Eyad as ey-a-d, but Aouaj (a-w-a-j) and Iyad (i-y-a-d)
    write a vowel and a glide that starts the next syllable; and two vowel letters (Said is Saeed,
    Sa-id; Rauf is Raof). A y or w before a consonant or at the end stays in its diphthong: split,
    it could be dropped as a glide (Beyrouth would be Berot, Rafah Raffay)."""
    split = [k for k, s in enumerate(reading) if s.text in _VOWEL_PAIRS
             or s.text in _DIPHTHONGS and k + 1 < len(reading) and reading[k + 1].vowel]
    if not split:
        return ()
    return (tuple(p for k, s in enumerate(reading)
                  for p in ((_letter(s.text[0]), _letter(s.text[1])) if k in split else (s,))),)


def _letter(grapheme: str) -> Sound:
    return Sound(grapheme, _CLASSES.get(grapheme, frozenset({grapheme})))


def _e_habit_applies(a: tuple[Sound, ...], b: tuple[Sound, ...]) -> bool:
    """Whether some vowel of one name is an e that ``vowel_e`` prices against a vowel of the other."""
    return any(x.vowel and y.vowel and (_e_for_a_or_i(x, y) or _e_for_a_or_i(y, x)) for x in a for y in b)


def accepts_latin(cost: float, length: int, evidence: Evidence = Evidence(), w: dict | None = None) -> bool:
    """Whether a Latin candidate at ``cost`` (per sound) is the query's name."""
    w = w or weights()
    against = w["lower_case"] * evidence.lower_case + w["frequent"] * evidence.frequency
    return cost <= w["threshold"] + w["base"] / max(1, length) - against * w["threshold"]


def acceptance_margin(cost: float, length: int, evidence: Evidence, w: dict | None = None) -> float:
    """How far ``accepts_latin``'s evidence against a candidate (``lower_case`` and ``frequent`` times its
    ``evidence``) may move before the verdict turns: accepted when it is 0 or more. Evidence that moves
    by less than its absolute value, this way or the other, leaves the verdict as it is."""
    w = w or weights()
    against = w["lower_case"] * evidence.lower_case + w["frequent"] * evidence.frequency
    return (w["threshold"] + w["base"] / max(1, length) - cost) / w["threshold"] - against


def respelling_only(query: tuple[str, ...], candidate: tuple[str, ...]) -> bool:
    """Whether the two names differ only inside romanization classes, by doubled letters or
    an h: the same name in another habit, whatever the collection says."""
    w = weights()
    free = {**w, "same_class": 0.0, "double": 0.0, "h_indel": 0.0}
    return any(alignment_cost(a, b, free) == 0 for a in latin_readings(query) for b in latin_readings(candidate))


def score(cost: float) -> float:
    """A 0..1 likeness for display and ranking: 1 for the same sounds."""
    return round(1.0 / (1.0 + 4.0 * cost), 3)
