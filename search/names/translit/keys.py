"""Blocking keys: one word of a Middle East name -> keys its other spellings share.

Pure rules, no search engine: ``search.names`` groups words into names and
decides which keys a report indexes and a query asks for.  Three kinds of key:

1. The **Latin code** (``latin_codes``) spells the sounds of a Latin word in a
   small alphabet, so that French, English, German, Turkish and scholarly
   romanizations fall together while vowels still tell names apart (Homs / Hamas)::

       vowels      a  i  u (o, ou, oo, ū)  e (e, é, ê)  A (ay, ai, ei, ey)  Y (y between
                   consonants)  O (German and French eu)  E (a mute or ta-marbuta final e:
                   Zahle, Tyre, Mayadine)  Q (a final long a with ʿayn or hamza: Bekaa, Sanaa)
       consonants  b (b, p)  t (t, th)  j (j, dj, dsch)  x (kh, x)  c (sh, sch, š)  k (k, q, ck,
                   hard c)  w (w, v)  and  d h z r s g f l m n y as written

   Marks (ʿ ʾ ' ’) and diacritics go; doubled letters count once; an initial a,
   e or i is one vowel (Erbil, Arbil, Irbil).  Letters that read two ways give
   two codes: ``ch`` c or x (French Cheikh, German Chuzestan), ``gh`` g or k
   (Persian Ghasem for Qasem), ``dh`` d or z, Turkish ``ş`` s or c, ``ç`` and
   soft ``c`` s or j.  Glued articles and particles split off (``latin_pieces``):
   Alboukamal, Abukamal, Hezbollah, Abdulmalik, Safieddine, Ezzor.
2. **Script keys** (``arabic_keys``, ``hebrew_key``): the letters themselves, their
   variant forms unified (hamza seats, ى/ی, ک/ك, ة/ه; harakat, tatweel and bidi
   marks dropped) and the letters Persian says alike merged (ط/ت, ح/ه, ص/س...).
   The article stays: جبيل (Jbeil) is not الجبيل (Jubail).
3. **Skeletons** (``latin_skeletons``, ``arabic_skeleton``, ``hebrew_skeleton``):
   consonant classes, the article dropped, ``<``/``>`` marking a vowel at either
   edge and ``'`` a final ʿayn.  Arabic and Hebrew write no short vowels, so
   scripts meet on skeletons: Boukamal, البوكمال and אל-בוכמאל all give ``BKML``.

A query's Latin code is widened by ``latin_variants``: the vowels romanizations
render differently (Kemal / Kamal, Mehdi / Mahdi, Tehran / Teheran, Mayadin /
Mayadine) and a few spelling habits (Hebrew Bukhmal, Turkish Mesut, Slavic
Bejrut), each change with a cost so that callers can bound them.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache
from typing import Iterator

from unidecode import unidecode

MAX_READINGS = 8

# ---------------------------------------------------------------- Latin: letters

# Letters that NFKD would strip to a plain letter of the wrong sound.
_SPECIAL = {
    "ş": "9", "ș": "9", "ç": "7", "ğ": "gh", "ı": "i", "ə": "e", "š": "sh", "ž": "j",
    "ḫ": "kh", "ẖ": "kh", "ṯ": "th", "ḏ": "dh", "ġ": "gh", "ß": "ss", "æ": "ae", "œ": "oe",
    "ø": "o", "đ": "d", "ł": "l", "é": "3", "è": "3", "ê": "3", "ë": "3",
}
_SPECIAL_RE = re.compile("|".join(_SPECIAL))
_MARKS = "\u0027\u2019\u02bc\u0060\u00b4\u2018\u02bb\u02bf\u02be\u2032"
_MARKS_RE = re.compile(f"[{_MARKS}]")
_FINAL_AYN_RE = re.compile(f"[aāáà][{_MARKS}]$|[{_MARKS}][aāáà]$")  # San'a, Şan‘ā’: a final ʿayn
_LONG_FINAL_RE = re.compile(r"a{3,}$")  # Sana'a
_FINAL_IE_RE = re.compile(r"i3$")        # Selemié: French -ié is -iyé
_SOFT_C_RE = re.compile(r"c(?=[eiy3])")  # French s, Turkish j (Helebce): both readings
_GRAPHEME_RE = re.compile(r"dsch|tsch|sch|dzh|dj|zh|sh|ch|kh|gh|th|dh|ph|ck|ee|oe(?=[^aeiouy3])|.")
_GRAPHEMES = {
    "dsch": "j", "tsch": "j", "sch": "c", "dzh": "j", "dj": "j", "zh": "j", "sh": "c",
    "ch": "C", "kh": "x", "gh": "G", "th": "t", "dh": "D", "ph": "f", "ck": "k", "ee": "i", "oe": "u",
    "q": "k", "c": "k", "v": "w", "p": "b", "o": "u", "9": "S", "3": "e", "7": "Z",
}
# Spellings that read two ways, and their readings.
_AMBIGUOUS = {"C": "cx", "G": "gk", "D": "dz", "S": "sc", "Z": "sj"}
_V = "aeiuAYEOQ"  # the vowels of a Latin code


@lru_cache(maxsize=200_000)
def prepare_latin(word: str, mark: str = "") -> str:
    """Lower case, transliteration marks read: 'Şūr' -> '9ur' (9: s or sh), 'Ba‘albak' -> 'baalbak'.

    ``mark``: what an inner ʿayn or hamza mark becomes ("0" keeps Kata'ib's a and i apart).
    """
    s = _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group()], word.lower())
    s = _MARKS_RE.sub(mark, _FINAL_AYN_RE.sub("aa", s))
    s = _LONG_FINAL_RE.sub("aa", _FINAL_IE_RE.sub("iy3", s)).replace("ão", "an")  # Teherão
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    if not s.isascii():
        s = unidecode(s).lower()
    return "".join(c for c in _SOFT_C_RE.sub("7", s) if c.isalpha() or c in "937" or c == mark)


def _graphemes(s: str) -> str:
    """One letter per sound; a plain final e after a consonant is E (mute or ta marbuta)."""
    parts = _GRAPHEME_RE.findall(s)
    out = [_GRAPHEMES.get(g, g) for g in parts]
    if len(parts) > 1 and parts[-1] == "e" and out[-2] not in _V:
        out[-1] = "E"
    return "".join(out)


# The core rules, in order; each is idempotent so variants can be re-canonicalized.
_H_AFTER_DIGRAPH = re.compile(r"(?<=[cxCGS])h")  # skeletons keep this h: Mashhad مشهد
_INITIAL_RULES = (
    (re.compile(r"^i"), "a"),                            # Irbil / Arbil, I‘zāz / A‘zāz
    (re.compile(r"^e(?=[^aiuAYOQ]*[aiuAYOQ])"), "a"),    # Erbil / Arbil, Esad / Asad; Eden is no Aden
)
_CORE_RULES = [
    (re.compile(r"aa$"), "Q"),                           # Bekaa, Sanaa: final ā and ʿayn (Baqa differs)
    (re.compile(r"(.)\1+"), r"\1"),                      # Tartouss, Assad
    (re.compile(r"eyi|(?<=a)yi(?=l$)"), "ei"),           # Hüseyin / Hussein, Ismayil / Ismail
    (re.compile(r"[ae][iye](?![aeiuAEOQ])"), "A"),        # Deir / Dayr, Hussein / Husayn, Kataeb
    (re.compile(r"aA"), "A"),                            # Esmaeil / Esmail
    (re.compile(r"[au][uw](?![aeiuAEOQ])"), "u"),          # Zawr / Zor, Rowhani / Rouhani
    (_H_AFTER_DIGRAPH, ""),                              # Mashhad / Mashad: h after sh, kh...
    (re.compile(r"eu"), "O"),                            # German and French eu: Bayreuth is no Beirut
    (re.compile(r"ie(?=h)"), "iye"),                      # Hanieh / Haniyeh (Hania stays apart)
    (re.compile(r"ie(?=[^aeiuAYEOQ])"), "i"),             # Akiel / Akil: German and Dutch ie
    (re.compile(r"u(?=[aeiAOQ])"), "uw"),                  # Soueida / Suwayda
    (re.compile(r"(?<=[^aeiuAEYOQwy])w"), "uw"),           # Sweida / Suwayda
    (re.compile(r"y(?![aeiuAEOQ])"), "Y"),                 # Tyr: y as a vowel
    *_INITIAL_RULES,
    (re.compile(r"(.)\1+"), r"\1"),
]
_FINAL_H_RE = re.compile(r"(?:(?<=a)|(?<=ye))h$")       # Hamah / Hama, Haniyeh / Haniye


def canonical_core(s: str, keep_h: bool = False, initial: bool = True) -> str:
    """The core rules over one-letter sounds; ``keep_h`` keeps h after sh and kh (for
    skeletons), ``initial`` False leaves the first vowel alone (for variants)."""
    skipped = ([_H_AFTER_DIGRAPH] if keep_h else []) + ([] if initial else [p for p, _ in _INITIAL_RULES])
    for pattern, repl in _CORE_RULES:
        if not any(pattern is p for p in skipped):
            s = pattern.sub(repl, s)
    return s


def finish_code(core: str) -> str:
    """A final h after a or after ye goes: Hamah is Hama (skeletons keep it: Rafah رفح)."""
    return _FINAL_H_RE.sub("", core)


def _readings(s: str) -> tuple[str, ...]:
    """Every way to read the ambiguous letters (ch, gh, dh, ş), at most MAX_READINGS."""
    options = [_AMBIGUOUS.get(c, c) for c in s]
    return tuple("".join(p) for p in itertools.islice(itertools.product(*options), MAX_READINGS))


@lru_cache(maxsize=200_000)
def latin_core(word: str, keep_h: bool = False) -> str:
    """The canonical sounds of a prepared Latin word, ambiguous letters unresolved."""
    return canonical_core(_graphemes(word), keep_h)


@lru_cache(maxsize=200_000)
def latin_codes(word: str) -> tuple[str, ...]:
    """The Latin codes of one prepared word: 'boukamal' -> ('bukamal',)."""
    return _readings(finish_code(latin_core(word)))


def is_latin_word(word: str) -> bool:
    """Whether the word's first letter is Latin (or, failing letters, ASCII)."""
    first = next((c for c in word if c.isalpha()), "")
    return bool(first) and (first.isascii() or "LATIN" in unicodedata.name(first, ""))


# ---------------------------------------------------------------- Latin: query variants

# Vowel changes, each in a family: some a, i or ay written e ("ea", "ei", "eA":
# Kemal / Kamal, Hashem / Hashim, Solemani / Soleimani), every e read a, i or ay
# (the same with "*"), an epenthetic e dropped ("del": Teheran / Tehran), or a
# spelling habit ("ep", below).  Two changes must share a family or include a
# spelling habit: so Tekrit meets Tikret, but Michel never meets Mechaal.
_FAMILIES = (("a", "ea"), ("i", "ei"), ("A", "eA"))
_C = "[^aeiuAYEOQ]"  # a consonant of a Latin code
_EPENTHETIC_E_RE = re.compile(f"(?<={_C})e(?={_C})")


def _swap(a: str, b: str):
    return lambda m: b if m.group() == a else a


def _toggle(letters: str):
    return lambda m: "" if m.group(1) else letters


# Spelling habits: (where, what to write instead).
_HABITS = [
    (re.compile(f"(?<={_C})(?={_C})"), lambda m: "e"),                    # Tehran / Teheran, Tulkarm / Tulkarem
    (re.compile(f"(?<=[aeiuA][xhG])(a?)(?={_C})"), _toggle("a")),          # Sakhr / Sakhar, Fahd / Fahad
    (re.compile(f"(?<=[aeiu]{_C})(a?)(?={_C}a$)"), _toggle("a")),          # Tabqa / Tabaqa
    (re.compile(f"(?<=^{_C})(u?)(?=r[aeiuA])"), _toggle("u")),             # Ghraib / Ghuraib: no initial cluster
    (re.compile(f"(?<=u{_C})(u?)(?={_C})|(?<=[aeiuA]{_C})(u?)(?={_C}u)"),  # Urmia / Urumia, Nablus / Nabulus
     lambda m: "" if m.group(1) or m.group(2) else "u"),
    (re.compile(f"(?<={_C})(?:ia|ya)(?=[aeiuAEQ]?$|{_C})"), _swap("ia", "ya")),  # Yahia / Yahya, Lahia / Lahya
    (re.compile("(?<=[aeiuA])[td]$"), _swap("t", "d")),                    # Mesut / Masoud: Turkish final t
    (re.compile("[gj]"), _swap("g", "j")),                                 # Golani / Jolani: Egyptian g
    (re.compile("[sz](?=[bdgjlmnr])"), _swap("s", "z")),                  # Hisbollah: German s for z
    (re.compile(f"[hx](?={_C})"), _swap("h", "x")),                        # Khmeimim, Akhvaz: Russian kh for h
    (re.compile(f"ej(?={_C})|A(?={_C})"), _swap("ej", "A")),               # Bejrut / Beirut: Slavic j
    (re.compile("(?<=[aeiuAYEOQ])[kx](?=[aeiuAYEOQ])"), _swap("k", "x")),  # Cheykoun / Cheikhoun
    (re.compile(f"[xC](?={_C})|ka(?={_C}[aeiuA])"),                        # Bukhmal / Bukamal: Hebrew
     lambda m: "x" if m.group() == "ka" else "ka"),                        # writes no vowel after כ
]


def _vowel_changes(code: str) -> Iterator[tuple[str, str]]:
    """(family, code changed once)."""
    for vowel, family in _FAMILIES:
        places = [i for i, c in enumerate(code) if c == vowel and i > 0][:4]
        for n in range(1, len(places) + 1):
            for chosen in itertools.combinations(places, n):
                yield family, "".join("e" if i in chosen else c for i, c in enumerate(code))
        if "e" in code[1:]:
            yield family + "*", code[0] + code[1:].replace("e", vowel)
    for m in _EPENTHETIC_E_RE.finditer(code):
        yield "del", code[:m.start()] + code[m.end():]
    for pattern, write in _HABITS:
        yield from (("ep", code[:m.start()] + write(m) + code[m.end():]) for m in pattern.finditer(code))


_LONG_EH_RE = re.compile(r"[aeiuA][^aeiuAYEOQ]+[aeiuA][^aeiuAYEOQ]+eh$")  # two vowels before -eh
_GLIDE_RE = re.compile(r"iya|ia|(?<=[^aeiuAYEOQ])ya")  # Sulaimania / Sulaimaniya, Lahya / Lahiya / Lahia


def _glides(code: str) -> Iterator[str]:
    """The other spellings of a glide, and a final ʿayn left out (Karbalaa / Karbala,
    eş-Şara / Sharaa): these cost 2, so Hania is no Haniya and Bekaa no Baqa."""
    for m in _GLIDE_RE.finditer(code):
        for other in {"iya", "ia", "ya"} - {m.group()}:
            yield code[:m.start()] + other + code[m.end():]
    if code[-1:] in ("a", "Q"):
        yield code[:-1] + ("Q" if code[-1] == "a" else "a")


def _final_variants(code: str) -> Iterator[str]:
    """Ta marbuta and mute e: Zahle / Zahlah / Zahlé, Mayadine / Mayadin, Tyre / Tyr."""
    last = code[-1:]
    if last == "a":
        yield from (code[:-1] + "E", code[:-1] + "e")
    elif last == "E":
        yield from (code[:-1] + "a", code[:-1] + "e", code[:-1])
    elif last == "e":
        yield code[:-1] + "E"
    elif last == "Q":
        yield code[:-1] + "eh"  # Sharaa / Chareh: a final ʿayn written -eh
    elif code.endswith("eh"):
        yield code[:-2] + "Q"
        if _LONG_EH_RE.search(code):
            yield from (code[:-2] + "a", code[:-2] + "e")  # Hassakeh / Hasakah, Hassaké; Saleh is no Salah
    if last in ("a", "e") and _LONG_EH_RE.search(code[:-1] + "eh"):
        yield code[:-1] + "eh"
    if last and last not in _V:
        yield code + "E"


def _compatible(first: str, second: str) -> bool:
    """Whether a second change may follow the first (both e for a, say, or an epenthesis).

    Only an e the word had may be dropped: Abadi read Abedi never loses its e (Abdi).
    """
    if not first or first == "del":
        return True
    if second == "del" or (first == "ep" and second.endswith("*")):
        return first == "ep" and second == "del"  # an e put in is not then read a: Abdi is no Abadi
    return first.rstrip("*") == second.rstrip("*") or "ep" in (first, second)


@lru_cache(maxsize=50_000)
def latin_variants(code: str, vowels: bool = True, most: int = 2) -> tuple[tuple[int, str], ...]:
    """(cost, code): the code and its variants within ``most`` changes, cheapest first.

    A change is a vowel change (see ``_vowel_changes``) or a final vowel's
    (``_final_variants``); without ``vowels`` only the final vowel may change.
    """
    found = {code: 0}
    frontier = [(code, "")]
    for cost in range(1, most + 1):
        frontier = [(_recanon(v), family or f) for c, family in frontier for f, v in _vowel_changes(c)
                    if _compatible(family, f) and (vowels or f in ("ep", "del"))]
        frontier = [(v, f) for v, f in dict(frontier).items() if found.setdefault(v, cost) == cost]
    for v, cost in list(found.items()):
        for f in _final_variants(v) if cost < most else ():
            found.setdefault(f, cost + 1)
    for g in _glides(code) if most >= 2 else ():
        found.setdefault(g, 2)
    return tuple(sorted(((c, v) for v, c in found.items() if v), key=lambda cv: cv[0]))


def _recanon(code: str) -> str:
    """Rules again after a change, but a final h stays (Saleh read Salah is 'salah', not
    'sala') and so does the first vowel (Eden read Edan is not Adan)."""
    return code[:1] + canonical_core(code[1:], initial=False) if code else code


# ---------------------------------------------------------------- skeletons

# Consonant classes shared by the three scripts; merged where romanizations
# and scripts blur them (d/z/dh/ḍ/ẓ, k/q/kh).
_LATIN_CLASS = {
    "b": "B", "t": "T", "j": "J", "h": "H", "x": "K", "d": "D", "z": "D", "r": "R", "s": "S",
    "c": "C", "g": "GJ", "k": "K", "f": "F", "l": "L", "m": "M", "n": "N", "w": "W", "y": "Y",
    "C": "CK", "G": "GK", "D": "D", "S": "SC", "Z": "SJ",
}


_HIATUS_RE = re.compile(r"i(?=[aeuA])")


@lru_cache(maxsize=200_000)
def latin_skeletons(word: str) -> tuple[str, ...]:
    """Consonant classes of a prepared Latin word, '<' / '>' for a vowel at either edge."""
    core = latin_core(word, keep_h=True)
    if not core:
        return ()
    ends = _skeleton_ends(core)
    body = core[:-1] if "H" in ends else core
    body = _HIATUS_RE.sub("iy", body)  # Diala / ديالى: Arabic writes the glide
    # Jumblatt / جنبلاط: Arabic writes n before b where it is said m
    options = [_LATIN_CLASS[c] for c in body if c in _LATIN_CLASS]
    bodies = ("".join(p).replace("MB", "NB") for p in itertools.islice(itertools.product(*options), MAX_READINGS))
    start = "<" if core[0] in _V else ""
    return tuple(start + b + e for b in bodies for e in ends)


def _skeleton_ends(core: str) -> tuple[str, ...]:
    """A final h after a vowel may be a letter (Rafah رفح) or ta marbuta (Hamah حماة);
    a final a may hide an ʿayn or hamza (Suwayda السويداء), written aa it does (Sanaa صنعاء)."""
    if core[-1] == "Q":
        return ("'",)
    if core[-1] == "a":
        return (">", "'")
    if core[-1] == "E":
        return (">", "")
    if core.endswith("eh"):
        return ("H", ">", "'")  # Chareh الشرع
    if core[-1] == "h" and len(core) > 1 and core[-2] in _V:
        return ("H", ">")
    return (">",) if core[-1] in _V else ("",)


def join_skeletons(parts: list[str]) -> str:
    """The skeleton of several words: only the outer edges keep their vowel marks.

    A ta marbuta ('}') is said t before the next word of a compound (Jabhat al-Nusra).
    """
    inner = "".join(p.strip("<>'").replace("}", "T") for p in parts[:-1]) + parts[-1].strip("<>}'")
    start = "<" if parts[0].startswith("<") else ""
    end = {">": ">", "}": ">", "'": "'"}.get(parts[-1][-1:], "")
    return start + inner + end


# ---------------------------------------------------------------- Arabic and Persian script

_AR_STRIP = re.compile(  # harakat and Quranic marks, tatweel, joiners, bidi marks
    "[\u064b-\u065f\u0670\u06d6-\u06ed\u0610-\u061a\u0640\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_AR_UNIFY = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي",
    "ک": "ك", "ڪ": "ك", "گ": "ك", "ة": "ه", "ە": "ه", "ھ": "ه", "ۆ": "و", "ۇ": "و", "ۉ": "و",
    "ؤ": "و", "ڵ": "ل", "ڕ": "ر", "پ": "ب", "چ": "ج", "ژ": "ز", "ء": None,
})
_AR_CLASS = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "T", "ج": "J", "چ": "J", "ژ": "J", "ح": "H",
    "ه": "H", "ھ": "H", "خ": "K", "د": "D", "ذ": "D", "ض": "D", "ظ": "D", "ز": "D", "ر": "R", "ڕ": "R",
    "س": "S", "ص": "S", "ش": "C", "غ": "G", "گ": "G", "ف": "F", "ق": "K", "ك": "K", "ک": "K",
    "ل": "L", "ڵ": "L", "م": "M", "ن": "N",
}
_AR_VOWEL_LETTERS = set("اأإآٱءؤئعىةە")
_AR_GLIDES = {"و": "W", "ۆ": "W", "ۇ": "W", "ي": "Y", "ی": "Y", "ې": "Y", "ێ": "Y"}
_AR_FINAL_VOWELS = set("اأإآىيیېێوۆۇةهەءئع")
_AR_HARAKAT = re.compile("[\u064b-\u0652]")


def is_arabic(word: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" or "\u0750" <= c <= "\u077f" or "\ufb50" <= c <= "\ufefc" for c in word)


def clean_arabic(word: str) -> str:
    """Harakat, tatweel, joiners and bidi marks dropped, presentation forms unfolded; a
    Persian ه before a non-joiner is a vowel (خامنه‌ای Khamenei) and becomes ە."""
    return _AR_STRIP.sub("", unicodedata.normalize("NFKC", word).replace("ه\u200c", "ە"))


# Letters Persian says alike, and Persian spellings of Arabic names use (طهران / تهران,
# الأحواز / الأهواز): t, h, s, z.
_PERSIAN_LETTERS = re.compile("[یکگپچژ]")
_AR_PERSIAN = str.maketrans({"ط": "ت", "ح": "ه", "ص": "س", "ث": "س", "ذ": "ز", "ض": "ز", "ظ": "ز"})


@lru_cache(maxsize=100_000)
def arabic_key(word: str) -> str:
    """The letters with their variant forms unified: 'حماة' and 'حماه' -> 'حماه'."""
    return clean_arabic(word).translate(_AR_UNIFY)


@lru_cache(maxsize=100_000)
def arabic_keys(word: str) -> tuple[str, ...]:
    """Letter keys of an Arabic-script word: variant forms unified, Persian-alike letters
    merged, the article kept (جبيل Jbeil is not الجبيل Jubail) except in Albu, a form of Abu."""
    key = arabic_key(word).translate(_AR_PERSIAN)
    if key in ("ابو", "البو"):
        return ("بو",)
    if key.startswith("البو") and len(key) > 6:
        return key, key[2:]  # البوكمال: Albu Kamal, Abu Kamal
    if _PERSIAN_LETTERS.search(word) and not key.startswith("ال"):
        return key, "ال" + key  # Persian has no article: بسیج is البسيج
    return (key,)


@lru_cache(maxsize=10_000)
def arabic_vowelled_key(word: str) -> str:
    """The letters unified and the harakat kept ('' when there are none): عَمّان is not عُمان."""
    if not _AR_HARAKAT.search(word):
        return ""
    kept = "".join(c for c in unicodedata.normalize("NFC", word) if _AR_HARAKAT.match(c) or not _AR_STRIP.match(c))
    return kept.translate(_AR_UNIFY)


def strip_arabic_article(word: str) -> str:
    """'البوكمال' -> 'بوكمال'; 'أبو' and 'البو' -> 'بو' (Abu, Albu: Boukamal)."""
    w = clean_arabic(word)
    if w.startswith("ال") and len(w) > 3:
        w = w[2:]
    if w in ("ابو", "أبو", "بو"):
        return "بو"
    return w


@lru_cache(maxsize=100_000)
def arabic_skeleton(word: str) -> str:
    """Consonant classes of an Arabic-script word without its article: 'البوكمال' -> 'BKML'.

    A final ة gives '}': 't' inside a compound (Jabhat al-Nusra), a vowel at its end.
    """
    w = strip_arabic_article(word)
    skeleton = _script_skeleton(w, _AR_CLASS, _AR_GLIDES, _AR_VOWEL_LETTERS, final_h="هة")
    if len(w) > 1 and (w[-1] in "ءعأ" or (w[-2] in "ءع" and w[-1] in "اى")):
        skeleton += "'"  # صنعاء, البقاع, شبعا: Sanaa, Bekaa, Chebaa
    elif len(w) > 1 and w[-1] in _AR_FINAL_VOWELS:
        skeleton += ">"
    return skeleton[:-1] + "}" if w.endswith("ة") and skeleton.endswith(">") else skeleton


def _is_glide_consonant(w, i: int, glides, vowel_letters, final_h) -> bool:
    """و/ي (ו/י) are consonants first, before a vowel letter, or before a vowel glide."""
    nxt = w[i + 1] if i + 1 < len(w) else ""
    after = w[i + 2] if i + 2 < len(w) else ""
    if i == 0 or nxt in vowel_letters or (nxt in final_h and i + 2 == len(w)):
        return True
    return nxt in glides and after not in vowel_letters  # سويداء suwayda, but ديوان diwan


def _script_skeleton(w, classes, glides, vowel_letters, final_h) -> str:
    """Shared by Arabic and Hebrew: the consonant classes, '<' / '>' for a vowel at either edge."""
    if not w:
        return ""
    out = ["<" if w[0] in vowel_letters else ""]
    for i, c in enumerate(w):
        if c in glides:
            out.append(glides[c] if _is_glide_consonant(w, i, glides, vowel_letters, final_h) else "")
        elif not (c in final_h and i == len(w) - 1 and i > 0):
            out.append(classes.get(c, ""))
    return "".join(out)


# ---------------------------------------------------------------- Hebrew script

_HE_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
_HE_GERESH = str.maketrans({"\u05f3": "'", "’": "'", "`": "'", "ʼ": "'", "׳": "'"})
_HE_CLASS = {
    "ב": "B", "ג": "G", "ד": "D", "ה": "H", "ז": "D", "ח": "H", "ט": "T", "כ": "K", "ל": "L",
    "מ": "M", "נ": "N", "ס": "S", "פ": "F", "צ": "S", "ק": "K", "ר": "R", "ש": "C", "ת": "T",
    # With a geresh, the letters Hebrew uses for Arabic sounds it lacks.
    "ג'": "J", "ח'": "K", "ע'": "G", "צ'": "J", "ט'": "D", "ד'": "D", "ת'": "T", "ז'": "J",
}
_HE_GLIDES = {"ו": "W", "י": "Y"}
_HE_NIQQUD = re.compile("[\u0591-\u05c7]")


def is_hebrew(word: str) -> bool:
    return any("\u05d0" <= c <= "\u05ea" for c in word)


@lru_cache(maxsize=50_000)
def hebrew_key(word: str) -> str:
    """Niqqud dropped, final letter forms unified, geresh as an apostrophe."""
    return _HE_NIQQUD.sub("", word).translate(_HE_FINALS).translate(_HE_GERESH)


@lru_cache(maxsize=50_000)
def hebrew_skeleton(word: str) -> str:
    """Consonant classes of a Hebrew word: 'בוכמאל' -> 'BKML', 'חזבאללה' -> 'HDBL>'."""
    w = hebrew_key(word)
    if w.startswith("אל") and len(w) > 4:
        w = w[2:]
    letters = re.findall(r"[\u05d0-\u05ea]'?", w)
    letters = [g for i, g in enumerate(letters) if i == 0 or g != letters[i - 1]]  # אללה
    classes = {g: _HE_CLASS.get(g, _HE_CLASS.get(g[:1], "")) for g in letters}
    skeleton = _script_skeleton(letters, classes, _HE_GLIDES, {"א", "ע"}, final_h="ה")
    ends = {"א": ">", "ה": ">", "ו": ">", "י": ">", "ע": "'"}
    return skeleton + (ends.get(letters[-1], "") if len(letters) > 1 else "")


# ---------------------------------------------------------------- Arabic article and compounds in Latin

_ABU_RE = re.compile(r"(?:al|el)?[ae]?bu|abu|bou|(?:al|el)?[ae]?bou")
_ABU_GLUED_RE = re.compile(r"(?:al|el|a|e)bo?u(?=[^aeiou][a-z]{2})")         # Abukamal, Alboukamal
_ABD_RE = re.compile(r"abd(?:[aeiou]{1,2}l|[aeiou]{1,2}(?=([tdsznr])\1))")   # Abdel Malek, Abdurrahman
_ALLAH_RE = re.compile(r"([a-z]{3,}?)(?:[aiu]llah|ollah?|ullah?|ellah)|([a-z]{2,}[^aeiou]{2})[ou]la")  # Hezbolá
_ALLAH = frozenset({"allah", "alla", "llah", "ullah", "ollah", "illah"})
_DIN_RE = re.compile(r"([a-z]{3,}?)[aeiou]ddine?")                             # Safieddine, Nureddin
_GLUED_AL_RE = re.compile(r"(?:al|el)(?=[^aeiou][a-z]{4})()")                   # Alfayyadh, Alboukamal
_GLUED_SUN_RE = re.compile(r"e(?=(sh|th|[tdsznr])\1[a-z]{2})")                 # Ezzor, Essaouira


@lru_cache(maxsize=100_000)
def latin_pieces(s: str) -> tuple[tuple[str, ...], ...]:
    """The readings of a prepared word as pieces, the Arabic article dropped where it is glued.

    'abukamal' and 'alboukamal' -> (('bu', 'kamal'),); 'hezbollah' -> (('hezb', 'lah'),);
    'ezzor' -> (('ezzor',), ('zor',)): a glued article may also be part of the word.
    """
    if _ABU_RE.fullmatch(s):
        return (("bu",),)
    m = _ABU_GLUED_RE.match(s)
    if m:
        return tuple(("bu",) + rest for rest in _compound_pieces(s[m.end():]))
    m = _GLUED_AL_RE.match(s) or _GLUED_SUN_RE.match(s)
    if m:
        return ((s,),) + _compound_pieces(s[m.end() + len(m.group(1) or ""):])
    return _compound_pieces(s)


def article_assimilates(article: str, word: str) -> bool:
    """Whether a prepared article's consonant begins the prepared word (sun letters):
    as-Suwayda, eş-Şara, ash-Sham, at-Tabqa; not 'en Syrie'."""
    consonants = _readings(latin_core(article)[1:])
    return bool(consonants[0]) and any(c.startswith(k) for c in latin_codes(word) for k in consonants)


def _compound_pieces(s: str) -> tuple[tuple[str, ...], ...]:
    """Abd al-, Allah and ad-Din glued to the word: 'abdulmalik' -> ('abd', 'malik')."""
    if s in _ALLAH:
        return (("lah",),)
    m = _ABD_RE.match(s)
    if m:
        rest = s[m.end():]
        return (("abd", rest),) if rest else (("abd",),)
    m = _ALLAH_RE.fullmatch(s)
    if m:
        return ((m.group(1) or m.group(2), "lah"),)
    m = _DIN_RE.fullmatch(s)
    if m:
        return ((m.group(1), "din"),)
    return ((s,),)
