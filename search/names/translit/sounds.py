"""The sounds of a name, declared as data: which spellings write one sound, which sounds
romanizations confuse, and how Arabic, Persian and Hebrew letters sound.

The verdict (``search.names.verdict``) aligns two spellings sound by sound; its costs
come from these tables.  Each row carries examples: pairs of real spellings of one
name that differ by that row (``tests/test_translit_rules.py`` runs every example
through the verdict).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SoundClass:
    """Spellings of one sound: writing one for another is one cheap change."""
    name: str
    spellings: tuple[str, ...]
    examples: tuple[tuple[str, str], ...]
    why: str
    vowel: bool = False


@dataclass(frozen=True)
class Confusion:
    """Two consonant classes romanizations mix up: a costlier change than one inside a class."""
    a: str
    b: str
    examples: tuple[tuple[str, str], ...]
    why: str


def _c(name, spellings, examples, why, vowel=False) -> SoundClass:
    return SoundClass(name, tuple(spellings.split()), tuple(tuple(e.split("/")) for e in examples), why, vowel)


# Spellings are the graphemes of ``translit.prepare_latin`` output: é/è/ê are "3",
# Turkish ş is "9" (s or sh), ç and a soft c are "7" (s or j).
CLASSES: tuple[SoundClass, ...] = (
    _c("A", "a", [], "Arabic fatha and alif", vowel=True),
    _c("E", "e 3", ["Zahle/Zahlé"], "French and Turkish e, é: a or i heard as e", vowel=True),
    _c("I", "i ee y", ["Tyr/Tir", "Mayadin/Mayadeen"], "English ee, y between consonants", vowel=True),
    _c("U", "u o ou oo w aw ow", ["Mossoul/Mosul", "Boukamal/Bukamal", "Rouhani/Rohani", "Zawr/Zour", "Rowhani/Rouhani"],
       "French ou, English u, o: Arabic damma and waw; aw and ow said o", vowel=True),
    _c("AY", "ai ay ei ey", ["Hussein/Husayn", "Deir/Dayr"], "the diphthong ay in its habits", vowel=True),
    _c("AW", "aw ow au", [], "the diphthong aw", vowel=True),
    _c("EU", "eu", [], "German and French eu: Bayreuth is no Beirut", vowel=True),
    _c("Y", "y", [], "y as a consonant (Yazid)"),
    _c("W", "w v", ["Ahwaz/Ahvaz"], "w and v: Persian and Turkish v for waw"),
    _c("B", "b", [], "b"),
    _c("P", "p", [], "p: Persian pe, never Arabic"),
    _c("T", "t th", ["Tabqa/Thabqa"], "t, and th for ta and tha"),
    _c("D", "d dh", ["Dhiban/Diban"], "d, and dh for dal and dhal"),
    _c("Z", "z dh", ["Ezzor/Ezor"], "z, and dh read z (Persian)"),
    _c("S", "s 9 7", ["Sinjar/Şinjar"], "s, Turkish ş and ç read s"),
    _c("SH", "sh sch ch 9", ["Mechaal/Meshaal", "Daech/Daesh", "Scharaa/Sharaa"],
       "French ch, English sh, German sch, Turkish ş"),
    _c("KH", "kh x ch", ["Khamenei/Chamenei", "Cheikh/Sheikh"], "kh, x, and German ch"),
    _c("K", "k q ck c gh", ["Qassem/Kassem", "Qamishli/Kamishli"], "k, q, hard c; Persian gh for qaf"),
    _c("G", "g gh", ["Ghraib/Graib"], "g and gh for ghayn"),
    _c("J", "j dj dsch dzh zh tsch g 7", ["Djeddah/Jeddah", "Halabja/Halabdscha", "Jolani/Golani"],
       "French dj, English j, German dsch, Egyptian g, Turkish c"),
    _c("F", "f ph", [], "f, ph"),
    _c("H", "h", [], "h"),
    _c("L", "l", [], "l"),
    _c("M", "m", [], "m"),
    _c("N", "n", [], "n"),
    _c("R", "r", [], "r"),
)

def _pair(example: str) -> tuple[str, str]:
    """'Qassem/Ghassem' -> ('Qassem', 'Ghassem')."""
    a, b = example.split("/")
    return a, b


CONFUSIONS: tuple[Confusion, ...] = tuple(Confusion(a, b, tuple(_pair(e) for e in ex), why) for a, b, ex, why in (
    ("K", "G", ["Qassem/Ghassem"], "Persian gh for qaf, Egyptian g"),
    ("K", "KH", ["Bukamal/Bukhamal"], "Hebrew kaf for kha"),
    ("KH", "H", ["Ahvaz/Akhvaz"], "Russian kh for ha"),
    ("G", "J", ["Golani/Jolani"], "Egyptian g for jim"),
    ("S", "Z", ["Hisbollah/Hizbollah"], "German s for z"),
    ("S", "SH", [], "s and sh: Turkish ş, French s"),
    ("Z", "D", ["Zahiri/Dhahiri"], "z, dh and d for dhal and dad"),
    ("D", "T", ["Mahmut/Mahmud"], "Turkish final t for d"),
    ("Z", "J", [], "French j for Persian zhe"),
    ("B", "P", [], "p for b in Persian spellings"),
    ("B", "W", [], "b and v/w"),
    ("F", "P", [], "p and f"),
    ("SH", "J", [], "ch, j: French and Turkish habits"),
    ("T", "S", [], "th read s (Persian)"),
    ("J", "Y", [], "German and Slavic j for ya (Bejrut)"),
))

# A consonant and the vowel after it, written as one other sound: (consonant class, the
# class it is written as). Hebrew writes no vowel after kaf, which then reads kh.
CONTRACTIONS: tuple[tuple[str, str], ...] = (("K", "KH"),)
CONTRACTION_EXAMPLES: tuple[tuple[str, str], ...] = (("Bukamal", "Bukhmal"), ("Boukamal", "Bochmal"))

# Arabic and Persian letters as the Latin spelling each is most often written with
# (the verdict reads that spelling's classes); letters for vowels and glides carry
# every class they may be written as.
ARABIC_LETTERS = {
    "ب": "b", "پ": "p", "ت": "t", "ث": "th", "ج": "j", "چ": "tsch", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh",
    "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "gh",
    "ف": "f", "ق": "q", "ك": "k", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ڵ": "l", "ڕ": "r",
    "ا": "a",
}
HEBREW_LETTERS = {
    "ב": "b v", "ג": "g", "ג'": "j", "ד": "d", "ה": "h", "ו": "w", "ז": "z", "ח": "h kh", "ח'": "kh",
    "ט": "t", "י": "y", "כ": "k kh", "ל": "l", "מ": "m", "נ": "n", "ס": "s", "פ": "p f", "צ": "s z",
    "צ'": "tsch", "ק": "q", "ר": "r", "ש": "sh s", "ת": "t", "ת'": "th", "ט'": "dh", "ע'": "gh", "ז'": "zh",
}
VOWEL_LETTERS = {  # letter -> the classes it may be read as
    "ي": "I Y AY", "ی": "I Y AY", "ێ": "I Y AY", "ئ": "I Y AY", "و": "U W AW", "ۆ": "U W AW", "ؤ": "U W AW",
    "ة": "A E", "ە": "A E", "ى": "A E", "י": "I Y AY", "ו": "U W AW",
}
CARRIERS = frozenset("اأإآٱא")  # first letters that carry any vowel: Irbil, Erbil, Arbil are اربيل
CARRIER_CLASSES = "A E I U"
