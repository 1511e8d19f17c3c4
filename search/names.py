"""Placeholder until the transliteration module lands."""
from .analysis import Filter


class NameFilter(Filter):
    def __call__(self, tokens, query=False):
        return iter(())
