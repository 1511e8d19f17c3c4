"""Placeholder until the transliteration module lands (the helper replaces this file whole)."""
from .analysis import Filter, fold_accents
from .wordlists import is_common_word


class NameFilter(Filter):
    def __call__(self, tokens, query=False):
        for t in tokens:
            if is_name_word(t.original, query):
                t.text = fold_accents(t.original).lower()
                yield t


def is_name_word(word: str, query: bool) -> bool:
    return bool(word) and not is_common_word(fold_accents(word).lower())


def name_alternatives(words):
    return [[fold_accents(w).lower() for w in words]]
