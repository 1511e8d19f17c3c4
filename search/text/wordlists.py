"""French word lists: stop words, and the common words kept out of name folding."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

# Accent-folded. Whoosh's French list lacks "les", "cette" and many others.
FRENCH_STOP_WORDS = frozenset("""
a afin ai aie aient aies ait alors as au aucun aucune aupres auquel aussi autre autres aux auxquelles auxquels
avaient avais avait avant avec avez aviez avions avoir avons ayant ayez ayons
c ca car ce ceci cela celle celles celui cependant ces cet cette ceux chacun chacune chaque chez ci comme comment
d dans de des desquelles desquels dessous dessus deux donc dont du duquel durant
elle elles en encore entre es est et etaient etais etait etant ete etes etiez etions etre eu eue eues eurent
eus eusse eussent eusses eussiez eussions eut eux
fait fois furent fus fusse fussent fusses fussiez fussions fut
ici il ils
j je jusqu jusque
l la laquelle le lequel les lesquelles lesquels leur leurs lors lorsque lui
m ma mais me meme memes mes moi moins mon
n ne ni nos notre nous
on ont ou
par parce pas pendant peu peut plus plusieurs pour pourquoi puis puisque
qu quand que quel quelle quelles quels qui quoi
s sa sans se selon ses si sien sienne soi soient sois soit sommes son sont sous soyez soyons suis sur
t ta tandis te tel telle telles tels tes toi ton tous tout toute toutes tres tu
un une unes uns
vers via voici voila vos votre vous vu
y
""".split())


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    path = DATA / "french_common.txt"
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return frozenset(w for w in lines if w and not w.startswith("#"))


def is_common_word(folded_lower: str) -> bool:
    """True for 'tir', 'dames', 'hommes', 'cout' -- words French text writes in lower case."""
    return folded_lower in FRENCH_STOP_WORDS or folded_lower in common_words()
