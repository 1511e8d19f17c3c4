"""Text analysis: a tokenizer followed by small filters joined with ``|``.

Each analyzer turns a text into a stream of :class:`Token` objects that keep
the character span of the spelling they came from, so that highlighting can
mark the very words that matched::

    >>> folded = WordTokenizer() | ElisionFilter() | LowercaseFilter() | AccentFoldFilter()
    >>> [t.text for t in folded("L’armée à Damas")]
    ['armee', 'a', 'damas']

The index has one field per analyzer (see ``search.fields.FIELD_ANALYZERS``):

- ``verbatim``: the words as written (case and accents kept) -- exact spelling ranks first;
- ``folded``: lowercased, accents folded -- quoted phrases match here;
- ``stem``: common French words only, stop words removed, plurals folded;
- ``names``: transliteration keys of proper names (see ``search.names``).

Plain Python, no search engine imported: ``search.engine`` adapts these
streams to the engine's own token type.
"""
from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Callable, Iterable, Iterator

from unidecode import unidecode

from search.text.wordlists import FRENCH_STOP_WORDS


@dataclass(slots=True)
class Token:
    text: str       # the form the filters have made so far
    original: str   # the spelling in the text, after elision
    start: int      # character span of ``original`` in the analyzed text
    end: int
    pos: int        # word position, for phrases
    gap: str = ""   # what separates this word from the previous one ("-", " ", ", "...)


class Composable:
    def __or__(self, other: "Filter") -> "Analyzer":
        return Analyzer(self, other) if not isinstance(self, Analyzer) else Analyzer(*self.parts, other)


class Tokenizer(Composable, ABC):
    @abstractmethod
    def __call__(self, text: str) -> Iterator[Token]:
        """The words of ``text``, in order."""


class Filter(Composable, ABC):
    """A generator over tokens. ``query`` is true when a query, not a report, is analyzed.

    ``per_word``: each token in gives at most one token out, made from its own
    ``text`` and ``original`` only (not its neighbours, gap or position), so
    :class:`FanOut` may analyze each distinct word once.
    """

    per_word = False

    @abstractmethod
    def __call__(self, tokens: Iterable[Token], query: bool = False) -> Iterator[Token]:
        """The tokens, changed, dropped or added to."""


class Analyzer(Composable):
    def __init__(self, tokenizer: Tokenizer, *filters: Filter):
        self.parts = (tokenizer, *filters)

    def __call__(self, text: str, query: bool = False) -> Iterator[Token]:
        tokenizer, *filters = self.parts
        tokens: Iterable[Token] = tokenizer(text)
        for f in filters:
            tokens = f(tokens, query=query)
        return iter(tokens)

    def texts(self, text: str, query: bool = False) -> list[str]:
        return [t.text for t in self(text, query=query)]


class FanOut:
    """Several analyzers over one text, each step they share run once.

    The fields' analyzers start alike (tokenizer, elision, folding...): run one
    by one they would tokenize a text four times. Here shared steps run once,
    and a chain of ``per_word`` filters runs once per distinct word (remembered),
    not once per token. The result is exactly each analyzer's stream, as
    ``(text, start, end, pos)`` tuples::

        >>> FanOut({"a": words, "b": words | LowercaseFilter()}).tokens("Le Caire")["b"]
        [('le', 0, 2, 0), ('caire', 3, 8, 1)]
    """

    MEMO_WORDS = 1 << 18  # distinct words remembered per chain before starting afresh

    def __init__(self, analyzers: dict[str, Analyzer]):
        self.roots: dict[int, _Node] = {}
        for name, analyzer in analyzers.items():
            nodes = self.roots
            for i, part in enumerate(analyzer.parts):
                node = nodes.setdefault(id(part), _Node(part))
                if i == len(analyzer.parts) - 1:
                    node.ends.append(name)
                nodes = node.children

    def tokens(self, text: str, query: bool = False, only=None) -> dict[str, list[tuple[str, int, int, int]]]:
        """Each analyzer's tokens (only those of the fields in ``only``, if given)."""
        out: dict[str, list] = {}
        for root in self.roots.values():
            if root.wanted(only):
                if root.per_word(only) and isinstance(root.part, WordTokenizer):
                    self._by_word(root, root.part.matches(text), query, only, out)
                else:
                    self._walk(root, list(root.part(text)), query, only, out)
        return out

    def spans(self, text: str, wanted: dict[str, set[str]], query: bool = False) -> list[tuple[int, int]]:
        """Character spans of the tokens whose text is one of ``wanted[field]``, field by field.

        A cheap pre-filter for the fields of per-word steps: the distinct words of
        the text are looked up first, and only the words that make a wanted term
        are located; the other fields are analyzed in full.
        """
        only = {name for name, terms in wanted.items() if terms}
        out: list[tuple[int, int]] = []
        for root in self.roots.values():
            fast = {name for name in root.word_fields if name in only} if isinstance(root.part, WordTokenizer) else set()
            if fast:
                out += self._word_spans(root, text, wanted, query)
            rest = {name for name in root.fields if name in only and name not in fast}
            if rest:
                found: dict[str, list] = {}
                self._walk(root, list(root.part(text)), query, rest, found)
                out += [(s, e) for name in rest for t, s, e, _ in found[name] if t in wanted[name]]
        return out

    def _word_spans(self, root: "_Node", text: str, wanted, query: bool) -> list[tuple[int, int]]:
        memo, names, pattern = root.memo[query], root.word_fields, root.part.pattern
        if len(memo) > self.MEMO_WORDS:
            memo.clear()
        hot: dict[str, set[tuple[int, int]]] = {}  # word -> shifts of the spans it makes
        # These steps change a word's case, accents, elided article and plural ending only: a word
        # makes a wanted term only if it holds the term's first letters, folded. The others are
        # never analyzed (a cold report's words cost more than the rest of a search).
        needles = {_folded_lower(t)[:3] for name in names for t in wanted.get(name, ())}
        for word in set(pattern.findall(text)):
            if not any(n in _folded_lower(word) for n in needles):
                continue
            got = memo.get((word, word))
            if got is None:
                got = memo[(word, word)] = self._one(root, word, word, query, run_part=False)
            for found, name in zip(got, names):
                if found is not None and found[0] in wanted.get(name, ()):
                    hot.setdefault(word, set()).add(found[1:])
        if not hot:
            return []
        return [(m.start() + ds, m.end() + de) for m in pattern.finditer(text) if m.group() in hot
                for ds, de in hot[m.group()]]

    def _walk(self, node: "_Node", tokens: list[Token], query, only, out) -> None:
        for name in node.ends:
            if only is None or name in only:
                out[name] = [(t.text, t.start, t.end, t.pos) for t in tokens]
        children = [c for c in node.children.values() if c.wanted(only)]
        by_word = [c for c in children if c.per_word(only)]
        others = [c for c in children if not c.per_word(only)]
        for child in by_word:  # read the tokens, never change them
            self._by_word(child, [(t.text, t.original, t.start, t.end, t.pos) for t in tokens], query, only, out,
                          run_part=True)
        for i, child in enumerate(others):
            mine = tokens if i == len(others) - 1 else [_copy(t) for t in tokens]
            self._walk(child, list(child.part(mine, query=query)), query, only, out)

    def _by_word(self, node: "_Node", words, query, only, out, run_part: bool = False) -> None:
        """A per-word subtree: each distinct (text, original) analyzed once, then replayed."""
        memo = node.memo[query]
        if len(memo) > self.MEMO_WORDS:
            memo.clear()
        names = node.word_fields
        lists = [out.setdefault(name, []) if only is None or name in only else None for name in names]
        for text, original, start, end, pos in words:
            got = memo.get((text, original))
            if got is None:
                got = memo[(text, original)] = self._one(node, text, original, query, run_part)
            for found, dest in zip(got, lists):
                if found is not None and dest is not None:
                    dest.append((found[0], start + found[1], end + found[2], pos))

    def _one(self, node: "_Node", text: str, original: str, query: bool, run_part: bool) -> tuple:
        """What each field of the subtree makes of one word: (text, start shift, end shift) or None."""
        sub: dict[str, list] = {}
        token = Token(text, original, 0, 0, 0, "")
        only = set(node.word_fields)
        tokens = list(node.part([token], query=query)) if run_part else [token]
        self._walk(node, tokens, query, only, sub)
        return tuple(sub[name][0][:3] if sub.get(name) else None for name in node.word_fields)


class _Node:
    """One step of the analyzers, shared by every analyzer that starts with the same steps."""

    def __init__(self, part):
        self.part = part
        self.ends: list[str] = []
        self.children: dict[int, _Node] = {}
        self.memo: tuple[dict, dict] = ({}, {})  # per query flag: (text, original) -> per field result

    @cached_property
    def fields(self) -> list[str]:
        """The fields this step leads to."""
        return self.ends + [name for c in self.children.values() for name in c.fields]

    @cached_property
    def word_fields(self) -> list[str]:
        """The fields this step leads to through ``per_word`` steps only."""
        return self.ends + [name for c in self.children.values()
                            if getattr(c.part, "per_word", False) for name in c.word_fields]

    def wanted(self, only) -> bool:
        return only is None or any(name in only for name in self.fields)

    def per_word(self, only) -> bool:
        """Whether this step and every step below it that ``only`` needs handle each word on its own."""
        if not getattr(self.part, "per_word", False):
            return False
        words = self.word_fields
        return all(name in words for name in self.fields if only is None or name in only)


def _copy(t: Token) -> Token:
    return Token(t.text, t.original, t.start, t.end, t.pos, t.gap)


# Letters and digits, the combining marks of Latin, Arabic and Hebrew (harakat, niqqud),
# and apostrophes between letters: "l’armée", "Sana'a", "Ba‘ath" stay one word here.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
_LETTER = rf"(?:[^\W_]|[{_MARKS}])"
_APOSTROPHES = "'’ʼ`´‘ʻ"
WORD_RE = re.compile(rf"{_LETTER}+(?:[{_APOSTROPHES}]{_LETTER}+)*")
_GAP_MAX = 8


class WordTokenizer(Tokenizer):
    per_word = True  # its tokens are the matches of WORD_RE, each standing alone (see ``matches``)
    pattern = WORD_RE

    def __call__(self, text: str) -> Iterator[Token]:
        prev_end = 0
        for pos, m in enumerate(WORD_RE.finditer(text)):
            start, end = m.span()
            word = m.group()
            yield Token(word, word, start, end, pos, text[max(prev_end, start - _GAP_MAX):start])
            prev_end = end

    @staticmethod
    def matches(text: str) -> list[tuple[str, str, int, int, int]]:
        """The tokens as (text, original, start, end, pos) tuples, without their gaps: the fast path."""
        return [(m.group(), m.group(), *m.span(), pos) for pos, m in enumerate(WORD_RE.finditer(text))]


# What surrounds a word in running text but is not part of its spelling. Apostrophes and
# ʿayn marks are kept: "‘Adan" and "San'a'" are spellings of their own.
_CHUNK_EDGES = ".,;:!?()[]{}«»\"“”„<>/\\|*…–—-‹›"
_CHUNK_RE = re.compile(r"\S+")


class ChunkTokenizer(Tokenizer):
    """Whitespace-separated words as written, hyphens and apostrophes inside kept:
    "al-Bukamal" and "al Bukamal" differ here, and the spelling typed can rank first."""

    per_word = False

    def __call__(self, text: str) -> Iterator[Token]:
        for pos, m in enumerate(_CHUNK_RE.finditer(text)):
            chunk = m.group()
            word = chunk.strip(_CHUNK_EDGES)
            if word:
                start = m.start() + len(chunk) - len(chunk.lstrip(_CHUNK_EDGES))
                yield Token(word, word, start, start + len(word), pos)


_ELISION_RE = re.compile(rf"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)[{_APOSTROPHES}](?=\w)", re.I)


class ElisionFilter(Filter):
    """Drops French elided articles and pronouns: l’, d’, qu’, jusqu’... (both apostrophes)."""

    per_word = True

    def __call__(self, tokens, query=False):
        for t in tokens:
            m = _ELISION_RE.match(t.text)
            if m:
                cut = m.end()
                t.text, t.original, t.start = t.text[cut:], t.original[cut:], t.start + cut
                t.gap = t.gap + m.group()
            yield t


_INNER_APOSTROPHES = re.compile(f"[{_APOSTROPHES}]")


class LowercaseFilter(Filter):
    per_word = True

    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = t.text.lower()
            yield t


@lru_cache(maxsize=1 << 18)  # a word list's worth: the same words recur in every text
def fold_accents(word: str) -> str:
    """'Aïn' -> 'Ain', 'Abū' -> 'Abu', 'œuvre' -> 'oeuvre'; other scripts are kept, marks stripped."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))
    stripped = _INNER_APOSTROPHES.sub("", stripped)
    if stripped.isascii():
        return stripped
    if any("LATIN" in unicodedata.name(c, "") for c in stripped):
        return unidecode(stripped)
    return stripped.replace("\u0640", "")  # tatweel stretches a word, it is not a letter


@lru_cache(maxsize=1 << 18)
def _folded_lower(word: str) -> str:
    return fold_accents(word).lower()


class AccentFoldFilter(Filter):
    per_word = True

    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = fold_accents(t.text)
            if t.text:
                yield t


class StopFilter(Filter):
    per_word = True

    def __init__(self, stop_words: frozenset[str] = FRENCH_STOP_WORDS):
        self.stop_words = stop_words

    def __call__(self, tokens, query=False):
        return (t for t in tokens if t.text not in self.stop_words)


def light_stem(word: str) -> str:
    """French plural folding only: 'frappes' -> 'frappe', 'journaux' -> 'journal'.

    Deliberately light: a stronger stemmer merges 'hommes' with 'Homs'.
    """
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx" and word[-2] not in "su":
        return word[:-1]
    return word


class LightStemFilter(Filter):
    per_word = True

    def __init__(self, stem: Callable[[str], str] = light_stem):
        self.stem = stem

    def __call__(self, tokens, query=False):
        for t in tokens:
            t.text = self.stem(t.text)
            yield t
