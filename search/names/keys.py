"""Proper names -> transliteration keys: the ``names`` field and its query side.

``NameFilter`` follows ``WordTokenizer() | ElisionFilter()`` (original spellings,
hyphenated words split, ``Token.gap`` holding what separates a word from the
previous one).  It works in four steps:

1. **roles**: each word is a name (capitalised and not a common French word, or
   in another script), an Arabic article joined to the next name (al-, el-, and
   ez-, as-, an-... where the sun letter assimilates), a Persian ezafe
   (Bandar-e Abbas), or nothing;
2. **units**: an article joins the name it precedes: ``al-Bukamal`` is one unit;
3. **runs**: consecutive units with only spaces, hyphens or apostrophes between;
4. **keys** (rules in ``search.translit``) for every window of 1 to 3 units of a
   run: ``Abou Kamal`` (two units) and ``Boukamal`` (one) share ``l:bukamal``.
   A key spans the spelling it came from, article included.

Keys carry a prefix naming their kind and the script of the report::

    l:   Latin code               a:  Arabic letters       h:  Hebrew letters
    sl:  skeleton of Latin words  sa: of Arabic words      sh: of Hebrew words
    =    an acronym as written (YPG is not YPJ, SANA is not Sanaa), or a name the
         exonyms file marks as never folded (=Ghana: Ghana is not Qana)
    v:   the whole name as written: no folding, it only ranks the very spelling first
    w:   a lower-case word that is no common French word, folded: a query takes it for
         a name ('boukamal', 'santé'), so it must find it as written too
    ~    before any of these: a window inside a longer name (Hezbollah in
         Kataëb Hezbollah; Ibrahim ... Akil in Ibrahim Mohamed Akil)

A run holding names side by side (Al-Qaim Al-Bukamal, la guerre Israël-Hamas)
has each of them whole.  ``name_alternatives`` turns a run of query words into
keys to look for: the Latin codes widened by ``translit.latin_variants`` (at most
two changes in the run), the skeletons of the *other* scripts (a Latin query
meets Arabic and Hebrew reports, while two Latin spellings must agree on their
vowels), the spellings of an exonym (``data/exonyms.tsv``: Alep / Halab), and the
words as written.  Only a query of two names or more looks inside longer names:
'Hezbollah' is not 'Kataëb Hezbollah', 'Qassem Soleimani' is in 'Hajj Qassem Soleimani'.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Iterator

from search.names import aliases
from search.names import translit as tr
from search.text.analysis import ElisionFilter, Filter, Token, WordTokenizer, fold_accents
from search.text.wordlists import FRENCH_STOP_WORDS, is_common_word

MAX_UNITS = 3           # keys for windows of 1, 2 and 3 units
MAX_KEYS = 16           # index keys of one kind for one window
MAX_ALTERNATIVES = 400  # keys of one kind a query run may look for
VARIANT_BUDGET = 2      # vowel changes a query run may make, in all its units


# Article forms: al/el always; the others where the next word begins with their
# consonant (sun letters: as-Suwayda, at-Tabqa) or, in reports, after a hyphen.
ARTICLES = frozenset("al el ad ar as ash at ath az ez an en es ed er et ul ud ur us ut uz un a".split())
ALWAYS_ARTICLES = frozenset({"al", "el", "אל"})  # Hebrew writes the Arabic article אל-
PARTICLES = frozenset("bin ibn bint ben bou bu abu abou ebu umm um ould".split())  # ben Laden, Al-bu-Kamal
QUERY_PARTICLES = ARTICLES | PARTICLES  # typed in a query, French words though some are
EZAFE = frozenset({"e", "ye", "i"})                # Bandar-e Abbas
TITLES = frozenset("m mm mme mmes mlle mlles me mgr dr pr sr st ste".split())  # Mme Ahmed: a title, then the name
# Generic words that head a compound place or group name, in Latin spellings and in Arabic
# script: with one of them first, a name's tail is not that name (Aïn al-Assad is no
# al-Assad, Ahrar al-Sham no Sham). The common nouns of Arabic toponymy (spring, monastery,
# hill, cape, gate, house, well, mountain, valley, village, inn, river, bridge, palace,
# bath, market) and of armed group names (brigades, companies, banner, army, movement,
# front, committee, supporters, free men, leagues, forces, council).
NAME_HEADS = frozenset("""
ain ayn ein bab beit bayt bir deir dayr djebel jebel jabal jbel wadi oued kafr kfar khan
nahr jisr marj qasr ksar hammam tell tel tal tall ras souk suq
kataeb kataib khataib katayib saraya liwa jaish jaych jaysh harakat haraket jabhat jabhet
hayat hayet ansar ahrar asaib quwat majlis
عين دير تل راس باب بيت بير جبل وادي كفر خان نهر جسر قصر حمام سوق
كتايب سرايا لواء جيش حركه جبهه هييه انصار احرار عصايب قوات مجلس
""".split())
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ئ": "ي", "ى": "ي", "ؤ": "و"})


def _head_form(word: str) -> str:
    return "".join(c for c in _folded(word) if c.isalpha()).translate(_ARABIC_FOLD)


HEADS = frozenset({"ras", "tel", "tell"})          # Ras al-Aïn: Arabic words French writes too
_FRENCH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ")
_JOINING_GAP = re.compile(r"[\s\-‐‑'’`‘ʿʾ]*")
_ACRONYM = re.compile(r"[A-Z]{2,4}")
_WORDS = WordTokenizer() | ElisionFilter()

NAME, ARTICLE, JOINER = "name", "article", "joiner"
PART = "~"
FORM_SEP = "\x1f"  # between a key and the spelling it was found in
SPELLING = "v:"
WORD = "w:"


# ---------------------------------------------------------------- which words are names

@lru_cache(maxsize=200_000)
def is_name_word(word: str, query: bool) -> bool:
    """Whether a word takes part in name folding (see the module docstring).

    >>> [is_name_word(w, query=False) for w in ("Damas", "dames", "Tyr", "tir", "al", "Şūr", "حماة")]
    [True, False, True, False, True, True, True]
    >>> is_name_word("boukamal", query=True), is_name_word("boukamal", query=False)
    (True, False)
    """
    if not word or not word[0].isalpha():
        return False
    if not tr.is_latin_word(word) or _has_transliteration_marks(word):
        return True
    folded = _folded(word)
    if folded in ALWAYS_ARTICLES or (query and folded in QUERY_PARTICLES):
        return True  # an-Nusra, at-Tanf, Al-bu-Kamal typed: 'an', 'at', 'bu' are French words too
    if query and folded in HEADS and word[0].isupper():
        return True
    if is_common_word(folded) or folded in TITLES:
        return False
    return query or word[0].isupper() or folded in ARTICLES or folded in PARTICLES


@lru_cache(maxsize=200_000)
def _folded(word: str) -> str:
    return fold_accents(word).lower()


def _has_transliteration_marks(word: str) -> bool:
    """Şūr, Ḥizbu-llāh: letters French does not write (so 'Şūr' is no 'sur')."""
    return any(c.isalpha() and c.lower() not in _FRENCH_LETTERS for c in word)


class CommonWordFilter(Filter):
    """Keeps common words only: proper names must never meet French stemming (Hama/Hamas)."""

    per_word = True

    def __call__(self, tokens, query=False):
        return (t for t in tokens if not is_name_word(t.original, query=False))


# ---------------------------------------------------------------- roles, units, runs

@dataclass(frozen=True)
class Unit:
    script: str   # "l" Latin, "a" Arabic, "h" Hebrew, "=" acronym
    word: str     # the name word, article left out
    start: int    # span of the spelling, article included
    end: int
    pos: int
    starts: bool = False  # a name may start here though the run goes on (Israël-Hamas)
    spelled: str = ""     # the words as written, article and ezafe included
    text: str = ""        # the same with what joins them as written ("al-Bukamal")
    gap: str = ""         # what joins this unit to the previous one, spaces made one


@lru_cache(maxsize=4096)
def _joins(gap: str) -> bool:
    return _JOINING_GAP.fullmatch(gap) is not None and gap.count("\n") < 2


def _roles(tokens: list[Token], query: bool) -> list[str | None]:
    names = [is_name_word(t.original, query) for t in tokens] + [False]
    nexts = tokens[1:] + [None]
    articles = [_is_article(t, n, names[i + 1], query) for i, (t, n) in enumerate(zip(tokens, nexts))] + [False]
    roles: list[str | None] = []
    for i, t in enumerate(tokens):
        if articles[i]:
            roles.append(ARTICLE)
        elif t.original.lower() in EZAFE and roles[-1:] == [NAME] and (t.gap == "-" or query and _joins(t.gap)):
            roles.append(JOINER)
        elif _is_stray_article(t):
            roles.append(None)
        elif names[i] or (articles[i + 1] and _is_head(t, nexts[i])) or _is_particle(t, nexts[i], names[i + 1]):
            roles.append(NAME)
        else:
            roles.append(None)
    return roles


def _is_article(token: Token, nxt: Token | None, next_is_name: bool, query: bool) -> bool:
    folded = _folded(token.original)
    if folded not in ARTICLES | ALWAYS_ARTICLES or nxt is None or not next_is_name or not _joins(nxt.gap):
        return False
    if folded in ALWAYS_ARTICLES or (not query and "-" in nxt.gap) or (query and folded == "a"):
        return True  # a bare a is an article only before a name: Safi a-Din
    return tr.article_assimilates(tr.prepare_latin(token.original), tr.prepare_latin(nxt.original))


def _is_stray_article(token: Token) -> bool:
    """An article form with no name after it is no name: 'un an', 'Al' alone."""
    folded = _folded(token.original)
    return folded in ALWAYS_ARTICLES or (folded in ARTICLES and token.original.islower())


def _is_head(token: Token, nxt: Token) -> bool:
    """A capitalised French word before an article heads a name: Ras al-Aïn, Tel al-Zaatar."""
    return token.original[:1].isupper() and _folded(token.original) not in FRENCH_STOP_WORDS and _joins(nxt.gap)


def _is_particle(token: Token, nxt: Token | None, next_is_name: bool) -> bool:
    """bin, ibn, bu... in lower case between names: Oussama ben Laden, Al-bu-Kamal."""
    return nxt is not None and next_is_name and _joins(nxt.gap) and token.original.lower() in PARTICLES


def _unit(token: Token, article: Token | None, run: list[Unit]) -> Unit:
    word = token.original
    script = "=" if _ACRONYM.fullmatch(word) else "a" if tr.is_arabic(word) else "h" if tr.is_hebrew(word) else "l"
    if script == "l" and _folded(word) in _fixed_names():
        script, word = "=", _folded(word)  # Ghana: not a transliteration, never folded
    first = article if article is not None else token
    spelled = token.original if article is None else f"{article.original} {token.original}"
    text = token.original if article is None else f"{article.original}{_gap(token.gap)}{token.original}"
    unit = Unit(script, word, first.start, token.end, first.pos, spelled=spelled, text=text, gap=_gap(first.gap))
    return replace(unit, starts=bool(run) and _starts_name(unit, first, run[-1]))


def _gap(gap: str) -> str:
    """What joins two words of a name, as a spelling shows it: spaces made one."""
    return re.sub(r"\s+", " ", gap) or " "


def window_text(units: list[Unit]) -> str:
    """The spelling of consecutive units as written: 'Abou Kamal', 'Al-Qaim Al-Bukamal'."""
    return units[0].text + "".join(u.gap + u.text for u in units[1:])


def _starts_name(unit: Unit, first: Token, previous: Unit) -> bool:
    """Where two names meet in a run: a capitalised article (Al-Qaim Al-Bukamal), or a
    hyphen between capitalised names that no particle joins (la guerre Israël-Hamas)."""
    if first.original[:1].isupper() and first.original != unit.word:
        return True
    return (first.gap == "-" and unit.word[:1].isupper() and previous.word[:1].isupper()
            and not _is_particle_unit(unit) and not _is_particle_unit(previous))


def runs(tokens: Iterable[Token], query: bool = False) -> list[list[Unit]]:
    """Units grouped into runs: only names and their articles, no punctuation, between them."""
    tokens = list(tokens)
    out: list[list[Unit]] = [[]]
    article = None
    for t, role in zip(tokens, _roles(tokens, query)):
        if not _joins(t.gap) or role is None:
            out.append([])
        if role == ARTICLE:
            article = t
        elif role == JOINER and out[-1]:
            last = out[-1][-1]
            out[-1][-1] = replace(last, spelled=f"{last.spelled} {t.original}",
                                  text=f"{last.text}{_gap(t.gap)}{t.original}", end=t.end)
        else:
            out[-1] += [_unit(t, article, out[-1])] if role == NAME else []
            article = None
    return [r for r in out if r]


def _segments(run: list[Unit]) -> Iterator[list[Unit]]:
    """A run split where the script changes (acronyms stand alone)."""
    for _, group in itertools.groupby(run, key=lambda u: u.script if u.script != "=" else id(u)):
        yield list(group)


# ---------------------------------------------------------------- keys

Forms = tuple[tuple[str, ...], tuple[str, ...]]  # (letter keys or codes, skeletons) of one unit
_LETTER_PREFIX = {"l": "l:", "a": "a:", "h": "h:", "=": "="}
_SKELETON_PREFIX = {"l": "sl:", "a": "sa:", "h": "sh:"}


@lru_cache(maxsize=200_000)
def _forms(script: str, word: str, query: bool = False) -> Forms:
    """Letters and skeletons of one unit.

    Arabic harakat, where written, tell names apart (عَمّان Amman, عُمان Oman):
    a report indexes the letters with and without them, a query with them asks for them.
    """
    if script == "l":
        return _latin_forms(word)
    if script == "=":
        return (word,), ()
    if script == "h":
        return (tr.hebrew_key(word),), (tr.hebrew_skeleton(word),)
    bare, vowelled = tr.arabic_keys(word), tr.arabic_vowelled_key(word)
    letters = (vowelled,) if query and vowelled else bare + (vowelled,) if vowelled else bare
    return letters, (tr.arabic_skeleton(word),)


def _latin_forms(word: str) -> Forms:
    """Codes and skeletons of a Latin word, over its readings and glued-article pieces."""
    codes, skeletons = [], []
    for pieces in tr.latin_pieces(tr.prepare_latin(word)):
        codes += ["".join(p) for p in _product([tr.latin_codes(x) for x in pieces])]
        skeletons += [tr.join_skeletons(list(p)) for p in _product([tr.latin_skeletons(x) for x in pieces])]
    return _dedupe(codes), _dedupe(s for s in skeletons if s.strip("<>'"))


def _group_forms(units: list[Unit], query: bool = False) -> list[Forms]:
    """Each unit's forms; a case vowel before Allah goes (Ḥizbu-llāh is Hizb Allah)."""
    forms = [_forms(u.script, u.word, query) for u in units]
    for i in range(len(forms) - 1):
        if units[i].script == "l" and forms[i + 1][0] == ("la",):
            forms[i] = (tuple(c[:-1] if len(c) > 2 and c[-1] in "aiu" else c for c in forms[i][0]), forms[i][1])
    return forms


def index_keys(units: list[Unit], query: bool = False) -> tuple[str, ...]:
    """The keys of 1-3 consecutive units of one script, as a report indexes them."""
    return _index_keys(tuple((u.script, u.word) for u in units), query)


@lru_cache(maxsize=200_000)
def _index_keys(words: tuple[tuple[str, str], ...], query: bool) -> tuple[str, ...]:
    script = words[0][0]
    if script == "=" and len(words) > 1:
        return ()
    forms = _group_forms([Unit(s, w, 0, 0, 0) for s, w in words], query)
    keys = [_LETTER_PREFIX[script] + "".join(p) for p in _product([f[0] for f in forms], MAX_KEYS)]
    if script != "=":
        skeletons = (tr.join_skeletons(list(p)) for p in _product([f[1] for f in forms], MAX_KEYS))
        keys += [_SKELETON_PREFIX[script] + s for s in skeletons if s.strip("<>'")]
    return _dedupe(keys)


def _product(options: list, limit: int = tr.MAX_READINGS) -> list[tuple]:
    return list(itertools.islice(itertools.product(*options), limit))


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


_PARTICLE_CODES = frozenset({"l:bu", "l:abd", "l:la", "l:din", "a:بو", "a:عبد", "a:الله", "a:الدين"})


def _is_particle_unit(unit: Unit) -> bool:
    """Abu, Abd, Allah, ad-Din: 'Hizb Allah' and 'Abou Kamal' name what one word does
    (Hezbollah, Boukamal), so they neither look inside longer names nor drop a middle one."""
    return any(_LETTER_PREFIX[unit.script] + code in _PARTICLE_CODES for code in _forms(unit.script, unit.word)[0])


def _skips_middle(units: list[Unit]) -> bool:
    """A three-word name may drop its middle one (a father's name: Ibrahim Mohamed Akil),
    unless a particle makes the name (Abu Bakr al-Baghdadi is no Abu Omar al-Baghdadi)."""
    return len(units) == 3 and not any(_is_particle_unit(u) for u in units)


# ---------------------------------------------------------------- the filter

class NameFilter(Filter):
    """Name keys for the ``names`` field, each spanning the spelling it came from.

    >>> from search.text.analysis import WordTokenizer, ElisionFilter
    >>> names = WordTokenizer() | ElisionFilter() | NameFilter()
    >>> [(split_term(t.text), t.start, t.end) for t in names("près d'Abou Kamal.") if t.text.startswith(("l:", "~l:"))]
    [(('~l:bu', 'Abou'), 7, 11), (('l:bukamal', 'Abou Kamal'), 7, 17), (('~l:kamal', 'Kamal'), 12, 17)]
    """

    def __call__(self, tokens: Iterable[Token], query: bool = False) -> Iterator[Token]:
        tokens = list(tokens)
        for run in runs(tokens, query):
            for segment in _segments(run):
                yield from _segment_tokens(segment)
            key = _spelling_key(u.spelled for u in run)
            yield Token(key, key, run[0].start, run[-1].end, run[0].pos)
        for t in tokens:
            if _is_lower_case_word(t.original):
                yield Token(WORD + _folded(t.original), t.original, t.start, t.end, t.pos)


@lru_cache(maxsize=200_000)
def _is_lower_case_word(word: str) -> bool:
    """A lower-case word that a query would take for a name ('boukamal', but also
    'santé', which French capitalises too often to count as common): indexed as it
    is, folded, so that typed it finds itself."""
    folded = _folded(word)
    return (word[:1].islower() and word[:1].isalpha() and tr.is_latin_word(word)
            and folded not in ARTICLES | PARTICLES | EZAFE and not is_common_word(folded))


def _spelling_key(words: Iterable[str]) -> str:
    """The whole name as written (hyphens aside): it lifts the reports with the very
    spelling typed above those with another (Boukamal above Al-Boukamal)."""
    return SPELLING + " ".join(words)


def _segment_tokens(units: list[Unit]) -> Iterator[Token]:
    """Keys of every window of 1-3 units (PART: not a whole name), and of a three-unit
    window without its middle unit; each distinct segment is worked out once."""
    shape = tuple((u.script, u.word, u.text, u.gap, u.starts) for u in units)
    for term, form, i, j in _segment_terms(shape):
        yield Token(term, form, units[i].start, units[j].end, units[i].pos)


@lru_cache(maxsize=200_000)
def _segment_terms(shape: tuple) -> tuple[tuple[str, str, int, int], ...]:
    """(term, form, first unit, last unit) of a segment given by its units' shape."""
    units = [Unit(script, word, 0, 0, 0, starts=starts, text=text, gap=gap) for script, word, text, gap, starts in shape]
    out = []
    for i, first in enumerate(units):
        for n in range(1, min(MAX_UNITS, len(units) - i) + 1):
            whole = _stands_alone(units, i, i + n)
            mark = "" if whole else PART
            keys = [mark + k for k in index_keys(units[i:i + n])]
            if n == 3 and _skips_middle(units[i:i + n]):
                keys += [PART + k for k in index_keys([first, units[i + 2]])]
            form = window_text(units[i:i + n])
            out += [(form_term(k, form), form, i, i + n - 1) for k in keys]
    return tuple(out)


def form_term(key: str, form: str) -> str:
    """The index term of a key found in a window written ``form``: the key leads, so the
    forms under one key are one prefix apart (the lexicon's blocking look-up)."""
    return key + FORM_SEP + form


def split_term(term: str) -> tuple[str, str]:
    """(key, form) of an index term made by ``form_term``."""
    key, _, form = term.partition(FORM_SEP)
    return key, form


def _stands_alone(units: list[Unit], i: int, j: int) -> bool:
    """Whether units[i:j] names something by itself: the whole name; or, unless the name
    starts with a place or group head (Aïn al-Assad, Kataëb Hezbollah, Deir ez-Zor), its
    surname (Macron in Emmanuel Macron) or its first names (Qassem in Qassem Soleimani).
    A single search word looks for such names; the eval's distractors (Hezbollah /
    Kataëb Hezbollah) are kept apart by the heads, users' surnames are found."""
    start = max((k for k in range(i + 1) if k == 0 or units[k].starts), default=0)
    at_start, at_end = i == start, j == len(units) or units[j].starts
    if at_start and at_end:
        return True
    if _head_form(units[start].word) in NAME_HEADS or _head_form(units[j - 1].word) in PARTICLES:
        return False  # Abou alone is no name of Abou Kamal
    # After Abu / ibn / Umm comes a name that is not this one (Kamal in Abou Kamal).
    return at_start or at_end and _head_form(units[i - 1].word) not in PARTICLES


# ---------------------------------------------------------------- the query side

def query_chunks(words: list[str]) -> tuple[list[list[str]], list[list[Unit]]]:
    """A run of query words as typed (split on spaces and hyphens) -> (terms as written,
    chunks of 1-3 name units).

    The terms as written are alternatives of their own (the whole name as typed, the
    lower-case words folded, an acronym); each chunk is matched through its
    variants (``search.variants``), and a report must hold every chunk.

    >>> [[u.word for u in c] for c in query_chunks(["Abou", "Kamal"])[1]]
    [['Abou', 'Kamal']]
    >>> query_chunks(["dames"])[1]
    []
    """
    found = runs(_tokens(words), query=True)
    chunks = [seg[i:i + MAX_UNITS] for run in found for seg in _segments(run) for i in range(0, len(seg), MAX_UNITS)]
    spelled = [u.spelled for run in found for u in run]
    as_written = [[_spelling_key(spelled)] if spelled else [],
                  [WORD + _folded(w) for w in words if tr.is_latin_word(w)]]
    if len(spelled) == 1 and _ACRONYM.fullmatch(spelled[0].upper()):
        as_written.append([form_term("=" + spelled[0].upper(), spelled[0].upper())])  # HOMS (AFP), ypg typed
    return [alt for alt in as_written if alt], chunks


def query_keys(units: list[Unit]) -> list[str]:
    """Keys that block candidates for the 1-3 query units: the query's own letter keys
    and codes (Latin codes widened by their variants), the skeletons of every script
    (Latin too: the verdict, not the key, decides between Homs and Hamas), and the
    keys of inner windows when the query names two words or more."""
    keys = _own_script_keys(units) + _skeleton_keys(units)
    if _skips_middle(units):  # Ibrahim Mohamed Akil: also Ibrahim Akil
        keys += _own_script_keys(units[::2]) + _skeleton_keys(units[::2])
    parts = [PART + k for k in keys] if sum(not _is_particle_unit(u) for u in units) > 1 else []
    return list(_dedupe(keys))[:MAX_ALTERNATIVES] + list(_dedupe(parts))[:MAX_ALTERNATIVES]


def alias_keys(units: list[Unit]) -> list[tuple[list[Unit], list[str]]]:
    """(units, keys) of each other spelling of the exonym rows the query names (Alep: Halab)."""
    return [(other, _own_script_keys(other) + _skeleton_keys(other)) for other in _exonym_spellings(units)]


def _own_script_keys(units: list[Unit]) -> list[str]:
    """Latin codes and their variants within the budget; Arabic and Hebrew letters."""
    script = units[0].script
    if script != "l":
        return [k for k in index_keys(units, query=True) if k.startswith(_LETTER_PREFIX[script])]
    combos = [(0, "")]
    for unit, forms in zip(units, _group_forms(units, query=True)):
        options = _unit_variants(forms[0], vowels=not unit.word.islower())
        combos = sorted((c + c2, s + v) for c, s in combos for c2, v in options if c + c2 <= VARIANT_BUDGET)
        combos = combos[:MAX_ALTERNATIVES]
    return ["l:" + s for _, s in combos]


@lru_cache(maxsize=20_000)
def _unit_variants(codes: tuple[str, ...], vowels: bool) -> list[tuple[int, str]]:
    """(cost, code) of a unit; a lower-case query word may be a foreign common word
    (camel is no Kamal): its vowels are not read as others then."""
    return sorted({(c, v) for code in codes for c, v in tr.latin_variants(code, vowels)})


def _skeleton_keys(units: list[Unit]) -> list[str]:
    """The skeletons, as the reports of every script index them."""
    script = units[0].script
    if script == "=":
        return []
    skeletons = [k.split(":", 1)[1] for k in index_keys(units) if k.startswith(_SKELETON_PREFIX[script])]
    return [prefix + s for prefix in _SKELETON_PREFIX.values() for s in skeletons]


def _tokens(words: list[str]) -> list[Token]:
    """Query words as tokens, a space between each."""
    return [Token(w, w, 0, len(w), i, " ") for i, w in enumerate(words) if w]


# ---------------------------------------------------------------- exonyms

def _exonym_spellings(units: list[Unit]) -> list[list[Unit]]:
    """The units of every spelling of the alias rows whose letter keys the query has."""
    table, rows = _exonyms(aliases.all_rows())
    mine = _own_script_keys(units)
    found = dict.fromkeys(row for k in mine for row in table.get(k, ()))
    return [other for row in found for other in rows[row]]


def alias_phrases(units: list[Unit]) -> list[str]:
    """The spellings of the query's alias rows that are no name but French words
    (État islamique for Daech): searched as phrases."""
    table, _ = _exonyms(aliases.all_rows())
    rows = aliases.all_rows()
    found = dict.fromkeys(row for k in _own_script_keys(units) for row in table.get(k, ()))
    return [s for row in found for s in rows[row] if not _spelling_units(s.lstrip("="))]


@lru_cache(maxsize=1)
def _fixed_names() -> frozenset[str]:
    """Spellings written =Name in the shipped exonyms file, folded: names that are never folded
    (the index depends on them, so the analyst's file, read without a rebuild, has no say)."""
    return frozenset(_folded(s[1:]) for row in aliases.shipped_rows() for s in row if s.startswith("="))


@lru_cache(maxsize=4)
def _exonyms(rows: aliases.Rows) -> tuple[dict[str, tuple[int, ...]], list[list[list[Unit]]]]:
    """({letter key of a spelling: its rows}, [units of each spelling of each row])."""
    table: dict[str, tuple[int, ...]] = {}
    units_of = [[units for s in row if (units := _spelling_units(s.lstrip("=")))] for row in rows]
    for row, spellings in enumerate(units_of):
        for units in spellings:
            for k in index_keys(units):
                if k.startswith(tuple(_LETTER_PREFIX.values())) and row not in table.get(k, ()):
                    table[k] = table.get(k, ()) + (row,)
    return table, units_of


def _spelling_units(spelling: str) -> list[Unit]:
    """The units of one spelling of an exonym row, as a report would hold them."""
    tokens = list(_WORDS(spelling.strip()))
    units = [u for run in runs(tokens) for u in run]
    named = sum(1 + (u.spelled != u.word and " " in u.spelled) for u in units)
    if named < len(tokens):
        return []  # a word that is no name (État islamique): a phrase, not a name
    return units if 0 < len(units) <= MAX_UNITS and len({u.script for u in units}) == 1 else []
