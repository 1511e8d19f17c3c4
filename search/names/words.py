"""Which words take part in name folding: names, Arabic articles, particles, ezafe, titles, place heads.

A word is a name when it is capitalised (or in Arabic, Persian or Hebrew script) and is not a
common French word (``search/data/french_common.txt``): tir, dames, hommes never fold into Tyr,
Damas, Homs. Proper names never reach the French stemmer either (``CommonWordFilter``).
"""
from __future__ import annotations

from functools import lru_cache

from search.names import translit as tr
from search.text.analyzers import Filter
from search.text.fold import fold
from search.text.wordlists import is_common_word

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
# A company's legal form, as sanctions lists and company registers write it after the name
# (Proma Industry Company, Proma Industry CO., LTD.), and the words that only qualify one
# (Private Limited, Joint Stock Company): no part of the name, which each list writes with
# another form or none.
LEGAL_FORMS = frozenset("""
co company companies corp corporation inc incorporated ltd limited llc llp lp plc jsc pjsc ojsc cjsc
sa sal sarl sas spa srl gmbh ag bv nv fze fzco fzc fzllc pvt pte pty kg
""".split())
LEGAL_QUALIFIERS = frozenset("private public joint stock".split())
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ئ": "ي", "ى": "ي", "ؤ": "و"})
HEADS = frozenset({"ras", "tel", "tell"})          # Ras al-Aïn: Arabic words French writes too
_FRENCH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ")


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
    folded = fold(word)
    if folded in ALWAYS_ARTICLES or (query and folded in QUERY_PARTICLES):
        return True  # an-Nusra, at-Tanf, Al-bu-Kamal typed: 'an', 'at', 'bu' are French words too
    if query and folded in HEADS and word[0].isupper():
        return True
    if is_common_word(folded) or folded in TITLES:
        return False
    return query or word[0].isupper() or folded in ARTICLES or folded in PARTICLES


def legal_form_tail(words: list[str]) -> int:
    """How many of the typed words end the query as a company's legal form (``LEGAL_FORMS``, its
    qualifiers before it): none unless two name words are left before it, so that a form alone, a
    name of one word and its form (Total SA) or French words and a form (Des International
    Company: des, international) are searched as typed.

    >>> legal_form_tail(["Rawafed", "Damascus", "Private", "Joint", "Stock", "Company"])
    4
    >>> legal_form_tail(["Proma", "Industry", "CO.,", "LTD."]), legal_form_tail(["Total", "SA"])
    (2, 0)
    >>> legal_form_tail(["Des", "International", "Company"])
    0
    """
    letters = ["".join(c for c in fold(w) if c.isalnum()) for w in words]
    tail = 0
    while tail < len(letters) and letters[-1 - tail] in LEGAL_FORMS:
        tail += 1
    while tail and tail < len(letters) and letters[-1 - tail] in LEGAL_QUALIFIERS:
        tail += 1
    names = sum(is_name_word(w.strip(".,;:()&'’-"), query=True) for w in words[:len(words) - tail])
    return tail if names >= 2 else 0


def head_form(word: str) -> str:
    return "".join(c for c in fold(word) if c.isalpha()).translate(_ARABIC_FOLD)


def _has_transliteration_marks(word: str) -> bool:
    """Şūr, Ḥizbu-llāh: letters French does not write (so 'Şūr' is no 'sur')."""
    return any(c.isalpha() and c.lower() not in _FRENCH_LETTERS for c in word)


class CommonWordFilter(Filter):
    """Keeps common words only: proper names must never meet French stemming (Hama/Hamas)."""

    per_word = True

    def __call__(self, tokens, query=False):
        return (t for t in tokens if not is_name_word(t.original, query=False))
