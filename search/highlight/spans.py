"""Where the plan's marked terms stand in a text: character spans, merged where they overlap."""
from __future__ import annotations

import re
import time

from search.fields import FIELD_ANALYZERS
from search.names.units import JOINING, joins
from search.names.terms import spelling_of
from search.query.nodes import Marks
from search.text.analyzers import Analyzer, Token
from search.text.compounds import CompoundFilter
from search.text.fanout import FanOut, WordTokens
from search.text.fold import fold, fold_text
from search.text.tokenizers import GAP_MAX, LETTER, WORD_RE, WordTokenizer

Span = tuple[int, int]
NAMES = "names"
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")  # a name never runs over a blank line (search.names.units.joins)


# The names analyzer in two: the words (tokenizer, elision), then the name filter, run stretch by stretch.
_BEFORE_NAMES = Analyzer(FIELD_ANALYZERS[NAMES].tokenizer, *FIELD_ANALYZERS[NAMES].filters[:-1])
_NAME_FILTER = FIELD_ANALYZERS[NAMES].filters[-1]
assert isinstance(_BEFORE_NAMES.tokenizer, WordTokenizer), "a paragraph's words are read a sentence at a time"
# What stands between two words and holds a character no name runs over, one that ends a sentence
# or a clause (a comma would cut a paragraph into more parts than folding each is worth): from just
# after a letter to just before the next one.
_ENDS = ".!?;:…"
assert not set(_ENDS) & set(re.findall(rf"[{JOINING}]", _ENDS)), "no name runs over them"
_CUT = re.compile(rf"(?<={LETTER})(?:(?!{LETTER}).)*?[{_ENDS}](?:(?!{LETTER}).)*(?={LETTER})", re.S)
MEMO_WORDS = 20_000  # words a highlighter's analyzers remember, per step: a server's memory stays bounded
VERBATIM, VERBATIM_WORDS = "verbatim", "verbatim words"


def _analyzers() -> dict[str, Analyzer]:
    """The fields' analyzers, and ``verbatim``'s words alone (without the runs written as one, "al-Bukamal"):
    a word is found a distinct word at a time, and a phrase's words stand next to each other."""
    verbatim = FIELD_ANALYZERS[VERBATIM]
    assert isinstance(verbatim.filters[-1], CompoundFilter), "verbatim's runs come last"
    return {**FIELD_ANALYZERS, VERBATIM_WORDS: Analyzer(verbatim.tokenizer, *verbatim.filters[:-1])}


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

    def find_spans(self, text: str, marks: Marks) -> list[Span]:
        """Character spans of the marked terms in ``text``, merged where they overlap;
        a quoted phrase is one span from its first word to its last, never its words apart."""
        words = _split_verbatim({f: set(t) for f, t in marks.terms.items() if f != NAMES}, text)
        names = marks.terms.get(NAMES)
        blocks = _paragraphs(text) if marks.phrases or names else []
        return merge(self.fanout.spans(text, words) + self._phrase_spans(text, blocks, marks.phrases)
                     + self._name_spans(blocks, names))

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

    def _name_spans(self, blocks: list[tuple[int, str, str]], wanted) -> list[Span]:
        """Spans of the ``names`` terms, the name analyzer run only over the stretches that write a
        word of one of their spellings: it is the costliest analyzer by far, and a report names the
        searched place in a few of its sentences (``name_stretches``)."""
        if not wanted:
            return []
        needles = {n for term in wanted for n in _needles(term)}
        # A paragraph, or a part of it (``_parts``), that does not write a needle, folded, holds no
        # stretch that does, for needles in ASCII: a text's folding is its characters' (``fold_text``)
        # but for the letters of other scripts, which a text that writes Latin letters too turns into
        # Latin ones (حلب is "Hlb" there) and a word alone keeps. Those are looked for everywhere.
        ascii_only = all(n.isascii() for n in needles)
        out: list[Span] = []
        for start, block, folded in blocks:
            if ascii_only and not any(n in folded for n in needles):
                continue
            for begin, end, pos, prev_end in _parts(block):
                if ascii_only and not any(n in fold_text(block[begin:end]) for n in needles):
                    continue
                words = WordTokenizer.between(block, begin, end, pos, prev_end)
                for f in _BEFORE_NAMES.filters:
                    words = f(words)
                for stretch in name_stretches(list(words)):
                    if any(n in " ".join(fold(t.original) for t in stretch) for n in needles):
                        out += [(start + t.start, start + t.end) for t in _NAME_FILTER(stretch) if t.text in wanted]
        return out

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


def _parts(block: str) -> list[tuple[int, int, int, int]]:
    """(start, end, position of its first word, end of the word before it) of each part of a
    paragraph between two stretches no name runs over (``name_stretches``): cut where the gap
    before a word holds a character that joins no name. The name filter makes of each part's
    stretches what it makes of the whole paragraph's (its words, gaps and positions are the same),
    and a part that writes none of a name's words needs no analysing at all."""
    out, begin, pos, prev_end = [], 0, 0, 0
    for cut in _CUT.finditer(block):
        end, nxt = cut.span()
        if joins(block[max(end, nxt - GAP_MAX):nxt]):  # the gap the next word is given: too far back
            continue
        out.append((begin, end, pos, prev_end))
        pos += len(WORD_RE.findall(block, begin, end))
        begin, prev_end = nxt, end
    out.append((begin, len(block), pos, prev_end))
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
    out, start = [], 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        block = text[start:end]
        if block.strip():
            out.append((start, block, fold_text(block)))
        start = brk.end() if brk else end
    return out


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
