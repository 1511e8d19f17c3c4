"""Where the plan's marked terms stand in a text: character spans, merged where they overlap."""
from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from itertools import accumulate
from collections.abc import Callable

from search.fields import FIELD_ANALYZERS
from search.names.units import joins
from search.names.terms import spelling_of
from search.query.nodes import Marks
from search.recent import Recent
from search.text.analyzers import Analyzer, Token
from search.text.compounds import CompoundFilter
from search.text.fanout import FanOut, WordTokens
from search.text.filters import ElisionFilter
from search.text.fold import APOSTROPHES, fold, fold_text
from search.text.tokenizers import GAP_MAX, LETTER, WORD_RE, WordTokenizer

Span = tuple[int, int]
NAMES = "names"
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # a name never runs over a blank line (search.names.units.joins)


# The names analyzer in two: the words (tokenizer, elision), then the name filter, run stretch by stretch.
_BEFORE_NAMES = Analyzer(FIELD_ANALYZERS[NAMES].tokenizer, *FIELD_ANALYZERS[NAMES].filters[:-1])
_NAME_FILTER = FIELD_ANALYZERS[NAMES].filters[-1]
assert isinstance(_BEFORE_NAMES.tokenizer, WordTokenizer), "a paragraph's words are read a sentence at a time"
# A word's token is the word's alone, and differs from it only where an article is elided, after an
# apostrophe (Highlighter._writing).
assert all(isinstance(f, ElisionFilter) for f in _BEFORE_NAMES.filters), "what the name filter is given"
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
# WORD_RE's letter is a word character but "_", or a mark: an alternation tried at each character. As
# one class (every word character, "_" too, and the marks) the same words are found twice as fast in
# a text without "_" (``words_re``).
_MARKS = re.fullmatch(r"\(\?:\[\^\\W_\]\|\[(.+)\]\)", LETTER)
assert _MARKS and "_" not in _MARKS.group(1), "LETTER is a word character but '_', or one of the marks"
_WORDS_WITHOUT_UNDERSCORE = re.compile(rf"[\w{_MARKS.group(1)}]+(?:[{APOSTROPHES}][\w{_MARKS.group(1)}]+)*")
assert WORD_RE.pattern == rf"{LETTER}+(?:[{APOSTROPHES}]{LETTER}+)*", "the same words but for '_'"
MEMO_WORDS = 20_000  # words a highlighter's analyzers remember, per step: a server's memory stays bounded
SEARCHES_REMEMBERED = 64  # searches whose names' needles a highlighter remembers
VERBATIM, VERBATIM_WORDS = "verbatim", "verbatim words"


def _analyzers() -> dict[str, Analyzer]:
    """The fields' analyzers, and ``verbatim``'s words alone (without the runs written as one, "al-Bukamal"):
    a word is found a distinct word at a time, and a phrase's words stand next to each other."""
    verbatim = FIELD_ANALYZERS[VERBATIM]
    assert isinstance(verbatim.filters[-1], CompoundFilter), "verbatim's runs come last"
    fields = {**FIELD_ANALYZERS, VERBATIM_WORDS: Analyzer(verbatim.tokenizer, *verbatim.filters[:-1])}
    # The same steps, the words read with the faster pattern (one tokenizer: the fields still share it).
    words = _FasterWordTokenizer()
    return {name: Analyzer(words if type(a.tokenizer) is WordTokenizer else a.tokenizer, *a.filters)
            for name, a in fields.items()}


class _WordsPattern:
    """``WORD_RE`` for ``FanOut``'s word steps (its ``findall``), with the faster pattern where it finds the same."""

    @staticmethod
    def findall(text: str) -> list[str]:
        return words_re(text).findall(text)


class _FasterWordTokenizer(WordTokenizer):
    """``WordTokenizer`` whose ``pattern`` finds a text's words with ``words_re``: the same words."""

    pattern = _WordsPattern()  # type: ignore[assignment]


def _split_verbatim(words: dict[str, set[str]], text: str) -> dict[str, set[str]]:
    """``verbatim``'s terms looked for as words, and its runs written as one ("al-Bukamal") only in a text
    that writes them (the whole text is analysed for those)."""
    terms = words.pop(VERBATIM, set())
    alone = {t for t in terms if WORD_RE.fullmatch(t)}
    words[VERBATIM_WORDS] = words.get(VERBATIM_WORDS, set()) | alone
    runs = {t for t in terms - alone if t in text}
    if runs:
        words[VERBATIM] = runs
    return words


class Highlighter:
    """Finds spans; its analyzers remember the words they met (one per service: the memory is its own).

    One pass over a text serves every field; the word-level steps run once per distinct word.
    """

    def __init__(self, memo_words: int = MEMO_WORDS) -> None:
        self.fanout = FanOut(_analyzers(), memo_words)
        self._originals: dict[str, str] = {}  # a word -> its token's original as the name filter is given it
        self._needle_sets: Recent[re.Pattern] = Recent(SEARCHES_REMEMBERED)  # a search's names terms -> needles

    def find_spans(self, text: str, marks: Marks) -> list[Span]:
        """Character spans of the marked terms in ``text``, merged where they overlap;
        a quoted phrase is one span from its first word to its last, never its words apart."""
        words = _split_verbatim({f: set(t) for f, t in marks.terms.items() if f != NAMES}, text)
        blocks = _paragraphs(text) if marks.phrases else []
        return merge(self.fanout.spans(text, words) + self._phrase_spans(text, blocks, marks.phrases)
                     + self._name_spans(text, marks.terms.get(NAMES)))

    def first_span(self, text: str, marks: Marks, most: int, step: int = 100_000,
                   deadline: float | None = None) -> Span | None:
        """The first span of the marked terms in ``text[:most]``, looked for a part at a time (each cut at a
        paragraph break, or a space, so that no match is split), until ``deadline`` (``time.monotonic()``)."""
        start = 0
        while start < min(len(text), most):
            end = cut_point(text, start + step)
            found = self.find_spans(text[start:end], marks)
            if found:
                return found[0][0] + start, found[0][1] + start
            if deadline is not None and time.monotonic() > deadline:
                return None
            start = end
        return None

    def _name_spans(self, text: str, wanted) -> list[Span]:
        """Spans of the ``names`` terms, the name analyzer run only over the stretches that write a
        word of one of their spellings: it is the costliest analyzer by far, and a report names the
        searched place in a few of its sentences (``name_stretches``)."""
        if not wanted:
            return []
        needles = self._needles(frozenset(wanted))
        at = self._writing(text, needles)
        out: list[Span] = []
        for start, block in _blocks(text) if at else []:
            hot = at[bisect_left(at, start):bisect_left(at, start + len(block))]
            if hot:
                for stretch in _stretches_at(block, [o - start for o in hot], self._original):
                    if any(needles.search(fold(t.original)) for t in stretch):
                        out += [(start + t.start, start + t.end) for t in _NAME_FILTER(stretch) if t.text in wanted]
        return out

    def _writing(self, text: str, needles: re.Pattern) -> list[int]:
        """Where the words stand (sorted) whose token, as the name filter is given it, folded, writes a needle:
        a stretch holds a wanted term only if one of its tokens does (``_needles``). Each distinct word
        of the text is folded alone (never the text's folding: a text that writes Latin letters turns
        حلب into "Hlb", the word alone does not), and the folded words searched at once, one a line:
        no test per word in Python (a text's 200 distinct words cost more than its stretches' analysis)."""
        words = list(set(words_re(text).findall(text)))
        if needles.fullmatch(""):  # a spelling without a word: every word may make it
            hot = set(words)
        else:
            hot = {words[i] for i in _lines(needles, list(map(fold, words)))}
            # A word with an elided article is given to the name filter without it (l’Alep is Alep):
            # those words alone are looked at one by one.
            elided = {words[i] for i in _lines(_APOSTROPHE, words)}
            hot = (hot - elided) | {w for w in elided if needles.search(fold(self._original(w)))}
        return sorted(s for word in hot for s, _ in WordTokenizer.occurrences(text, word))

    def _original(self, word: str) -> str:
        """The original of the token the name filter is given for ``word`` (remembered)."""
        if len(self._originals) > MEMO_WORDS:
            self._originals.clear()
        found = self._originals.get(word)
        if found is None:
            found = self._originals[word] = _name_token(word)
        return found

    def _needles(self, wanted: frozenset[str]) -> re.Pattern:
        """The needles of the spellings of ``wanted`` (``_needles``) as one pattern, worked out once per search."""
        found = self._needle_sets.get(wanted)
        if found is None:
            needles = sorted({n for term in wanted for n in _needles(term)})
            found = self._needle_sets.put(wanted, re.compile("|".join(map(re.escape, needles))))
        return found

    def _phrase_spans(self, text: str, blocks: list[tuple[int, str, str]], phrases) -> list[Span]:
        """Spans of whole phrases, each looked for in the paragraphs that hold the first letters of all
        its words (in the whole text only when no paragraph alone holds it: a phrase over a break)."""
        out: list[Span] = []
        for field, wanted in phrases.items():
            for words in wanted:
                starts = [fold(w)[:3] for w in words]
                found = [(start + s, start + e) for start, block, folded in blocks if all(n in folded for n in starts)
                         for s, e in self._phrase_in(block, field, words)]
                # Over a break: the words' letters are each in some paragraph.
                if not found and all(any(n in folded for _, _, folded in blocks) for n in starts):
                    found = self._phrase_in(text, field, words)
                out += found
        return out

    def _phrase_in(self, text: str, field: str, words: tuple[str, ...]) -> list[Span]:
        field = VERBATIM_WORDS if field == VERBATIM else field
        found = self.fanout.word_tokens(text, field, set(words))
        if found is not None:
            return _phrase_at(found, words)
        tokens = self.fanout.tokens(text, only={field}).get(field, [])
        out: list[Span] = []
        for i in (i for i, t in enumerate(tokens) if t[0] == words[0]):
            window = tokens[i:i + len(words)]
            if tuple(t[0] for t in window) == words and _adjacent(window):
                out.append((window[0][1], window[-1][2]))
        return out


def _phrase_at(found: WordTokens, words: tuple[str, ...]) -> list[Span]:
    """The phrase's spans from its words' tokens: the next token of the field's stream after each
    word must be the phrase's next word, at most one position on (slop 1, as the search): the
    words between are analysed only where that decides (a word no token stands for)."""
    out: list[Span] = []
    for pos in sorted(p for p, t in found.at.items() if t[0] == words[0]):
        window, last = [found.at[pos]], pos
        for word in words[1:]:
            nxt = last + 1 if found.makes_token(last + 1) or not found.makes_token(last + 2) else last + 2
            token = found.at.get(nxt)
            if token is None or token[0] != word:
                break
            window.append(token)
            last = nxt
        else:
            out.append((window[0][1], window[-1][2]))
    return out


def name_stretches(tokens: list[Token]) -> list[list[Token]]:
    """The tokens cut where no name can run on: before each word that punctuation (or more than
    spaces, hyphens and apostrophes) parts from the one before. The name filter makes the same
    terms of each stretch alone as of the whole text: its runs never cross such a gap, and what
    it reads of a neighbour (the next word's gap, the previous word's role) is the same there."""
    out: list[list[Token]] = []
    for t in tokens:
        if not out or not joins(t.gap):
            out.append([])
        out[-1].append(t)
    return out


def _stretches_at(block: str, hot: list[int], original: Callable[[str], str]) -> list[list[Token]]:
    """The name stretches (``name_stretches``) of a paragraph that hold a word starting at one of the
    offsets ``hot``, each once, as the name filter is given them (gaps and positions as in the whole
    paragraph's): only their words are made tokens, not the paragraph's. ``original``: a word's token's."""
    spans = [m.span() for m in words_re(block).finditer(block)]

    def starts(k: int) -> bool:
        """Whether word ``k`` starts a stretch: the first, or one whose gap (``WordTokenizer.between``'s)
        joins no name, or that has an elided article (the article goes to the gap: letters join none)."""
        if k == 0:
            return True
        s, e = spans[k]
        word = block[s:e]
        return not joins(block[max(spans[k - 1][1], s - GAP_MAX):s]) or original(word) != word

    index = {s: i for i, (s, _) in enumerate(spans)}
    out, seen = [], set()
    for i in sorted({index[o] for o in hot}):
        first = i
        while not starts(first):
            first -= 1
        if first in seen:
            continue
        seen.add(first)
        last = i + 1
        while last < len(spans) and not starts(last):
            last += 1
        words = WordTokenizer.between(block, spans[first][0], spans[last - 1][1], first, spans[first - 1][1] if first else 0)
        for f in _BEFORE_NAMES.filters:
            words = f(words)
        out += name_stretches(list(words))
    return out


def cut_point(text: str, at: int) -> int:
    """Where to cut ``text`` near ``at`` without splitting a paragraph if it can, a word at least."""
    if at >= len(text):
        return len(text)
    brk = text.rfind("\n\n", max(0, at - 20_000), at)
    if brk > 0:
        return brk + 2
    space = max(text.rfind(" ", max(0, at - 1000), at), text.rfind("\n", max(0, at - 1000), at))
    return space + 1 if space > 0 else at


def _paragraphs(text: str) -> list[tuple[int, str, str]]:
    """(offset, paragraph, its folded text) of each paragraph that holds more than spaces."""
    return [(start, block, fold_text(block)) for start, block in _blocks(text)]


def _blocks(text: str) -> list[tuple[int, str]]:
    """(offset, paragraph) of each paragraph that holds more than spaces."""
    out, start = [], 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        block = text[start:end]
        if block.strip():
            out.append((start, block))
        start = brk.end() if brk else end
    return out


def _lines(pattern: re.Pattern, lines: list[str]) -> set[int]:
    """The indices of ``lines`` (none holding a newline) where ``pattern`` (which matches no newline) is found."""
    ends = list(accumulate(map((1).__add__, map(len, lines))))  # where each line ends, its newline included
    return {bisect_right(ends, m.start()) for m in pattern.finditer("\n".join(lines))}


def _name_token(word: str) -> str:
    """The original of the token the name filter is given for ``word`` alone (its elided article left
    out: l’Alep is Alep); "" when the steps before drop it."""
    tokens = [Token(word, word, 0, len(word), 0, "")]
    for f in _BEFORE_NAMES.filters:
        tokens = list(f(tokens))
    return tokens[0].original if tokens else ""


def words_re(text: str) -> re.Pattern:
    """A pattern that finds in ``text`` the words ``WORD_RE`` finds: a faster one when it holds no "_"."""
    return WORD_RE if "_" in text else _WORDS_WITHOUT_UNDERSCORE


def _needles(term: str) -> list[str]:
    """Folded words that a text holding ``term`` must write: its spelling's longest word."""
    words = WORD_RE.findall(fold(spelling_of(term)))
    return [max(words, key=len)] if words else [""]


def _adjacent(tokens) -> bool:
    return all(b[3] - a[3] <= 2 for a, b in zip(tokens, tokens[1:]))  # slop 1, as the search


def merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def spellings(text: str, spans: list[Span]) -> list[str]:
    """The distinct spellings that matched, in the order they first appear."""
    return list(dict.fromkeys(" ".join(text[s:e].split()) for s, e in spans))
