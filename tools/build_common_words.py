"""Build search/data/french_common.txt: the words French news writes in lower case.

A word is "common" when the corpus writes it in lower case at least 5 times and at
least twice as often in lower case as capitalised inside a sentence (capitals at a
sentence start say nothing: "Enfin", "Lundi"; names are capitalised everywhere). Proper names are kept out of stemming and
transliteration folding by this list ('tir', 'dames', 'hommes', 'coût' are common;
'Tyr', 'Damas', 'Homs', 'Kout' are not).

Source: ../shared/corpus/fr_news.jsonl.gz (OrangeSum, CC BY-SA 4.0; see its README).
The list, derived from it, is CC BY-SA 4.0 too.

    python tools/build_common_words.py [CORPUS] > search/data/french_common.txt
"""
import collections
import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from search.text.filters import ElisionFilter  # noqa: E402
from search.text.fold import fold, fold_accents  # noqa: E402
from search.text.tokenizers import WordTokenizer  # noqa: E402

WORDS = WordTokenizer() | ElisionFilter()


def _starts_sentence(text: str, before: int) -> bool:
    """Whether only a sentence end (or nothing) precedes this point, spaces and quotes aside."""
    head = text[max(0, before - 12):max(0, before)].rstrip(" \t«»\"“”'’(-–—")
    return not head or head[-1] in ".!?:\n…"


def count(path):
    lower, upper = collections.Counter(), collections.Counter()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            text = art["title"] + "\n" + art["text"]
            for token in WORDS(text):
                word = token.original
                if word[:1].isupper() and _starts_sentence(text, token.start):
                    continue
                if not word[0].isalpha() or not word.isascii() and not fold_accents(word).isascii():
                    continue
                key = fold(word)
                (lower if word[0].islower() else upper)[key] += 1
    return lower, upper


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/fr_news.jsonl.gz"
    lower, upper = count(path)
    words = sorted(w for w, n in lower.items() if n >= 5 and n >= 2 * upper[w] and len(w) > 1)
    print("# French words written in lower case in news text; built by tools/build_common_words.py")
    print("# from the OrangeSum corpus (CC BY-SA 4.0). One accent-folded lower-case word a line.")
    print("\n".join(words))


if __name__ == "__main__":
    main()
