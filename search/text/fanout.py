"""Several analyzers over one text, their shared steps run once: indexing and highlighting read all fields at once."""
from __future__ import annotations

import re
from functools import cached_property, lru_cache
from typing import Callable

from search.text.analyzers import Analyzer, Token
from search.text.fold import fold
from search.text.tokenizers import ChunkTokenizer, WordTokenizer


class FanOut:
    """Several analyzers over one text, each step they share run once.

    The fields' analyzers start alike (tokenizer, elision, folding...): run one
    by one they would tokenize a text four times. Here shared steps run once,
    and a chain of ``per_word`` filters runs once per distinct word (remembered),
    not once per token. The result is exactly each analyzer's stream, as
    ``(text, start, end, pos)`` tuples::

        >>> from search.text.filters import ElisionFilter, LowercaseFilter
        >>> words = WordTokenizer() | ElisionFilter()
        >>> FanOut({"a": words, "b": words | LowercaseFilter()}).tokens("Le Caire")["b"]
        [('le', 0, 2, 0), ('caire', 3, 8, 1)]
    """

    MEMO_WORDS = 1 << 18  # distinct words remembered per chain before starting afresh, by default

    def __init__(self, analyzers: dict[str, Analyzer], memo_words: int = MEMO_WORDS):
        self.memo_words = memo_words  # an indexer remembers many words; a server's highlighter, few
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
        return self._fan(text, query, only, False)

    def positions(self, text: str, only=None) -> dict[str, dict[str, list[int]]]:
        """Each analyzer's terms of a report (not a query) with their positions, in the order of ``tokens``:
        what an index writes. No tuple is made per token and field (a rebuild's 20 million of them at 34k
        reports), only the position appended to its term's list."""
        return self._fan(text, False, only, True)

    def _fan(self, text: str, query: bool, only, positions: bool) -> dict:
        out: dict = {}
        for root in self.roots.values():
            if root.wanted(only):
                if root.per_word(only) and isinstance(root.part, WordTokenizer):
                    self._by_word(root, root.part.matches(text), query, only, out, positions=positions)
                else:
                    self._walk(root, list(root.part(text)), query, only, out, positions)
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
            by_match = isinstance(root.part, (WordTokenizer, ChunkTokenizer))
            fast = {name for name in root.word_fields if name in only} if by_match else set()
            if fast and isinstance(root.part, ChunkTokenizer):
                out += self._chunk_spans(root, text, wanted, query)
            elif fast:
                out += self._word_spans(root, text, wanted, query)
            rest = {name for name in root.fields if name in only and name not in fast}
            if rest:
                found: dict[str, list] = {}
                self._walk(root, list(root.part(text)), query, rest, found)
                out += [(s, e) for name in rest for t, s, e, _ in found[name] if t in wanted[name]]
        return out

    def word_tokens(self, text: str, name: str, wanted: set[str],
                    query: bool = False) -> WordTokens | None:
        """The tokens of field ``name`` whose text is one of ``wanted``, without analysing the text's
        other words (see ``WordTokens``); None when the field's steps are not all per word (then
        ``tokens`` gives its stream)."""
        root = next((r for r in self.roots.values() if isinstance(r.part, WordTokenizer) and r.per_word({name})
                     and name in r.word_fields), None)
        if root is None:
            return None
        memo = self._memo(root, query, [name])

        def analysed(word: str):
            got = memo.get((word, word))
            if got is None:
                got = memo[(word, word)] = self._one(root, word, word, query, False, [name])
            return got[0]

        words = root.part.pattern.findall(text)
        needle = _needle_re(frozenset(fold(t)[:3] for t in wanted))
        at: dict[str, list[int]] = {}  # a word that may make a wanted term -> its positions
        for pos, word in enumerate(words):
            if word in at or needle(fold(word)):
                at.setdefault(word, []).append(pos)
        found: dict[int, tuple[str, int, int, int]] = {}
        for word, positions in at.items():
            made = analysed(word)
            if made is not None and made[0] in wanted:
                # The word's occurrences as tokens are its positions, in order.
                for pos, (start, end) in zip(positions, root.part.occurrences(text, word)):
                    found[pos] = (made[0], start + made[1], end + made[2], pos)
        return WordTokens(found, lambda pos: 0 <= pos < len(words) and analysed(words[pos]) is not None)

    def _word_spans(self, root: "_Node", text: str, wanted, query: bool) -> list[tuple[int, int]]:
        names, pattern = [n for n in root.word_fields if wanted.get(n)], root.part.pattern
        memo = self._memo(root, query, names)
        hot: dict[str, set[tuple[int, int]]] = {}  # word -> shifts of the spans it makes
        # These steps change a word's case, accents, elided article and plural ending only: a word
        # makes a wanted term only if it holds the term's first letters, folded. The others are
        # never analyzed (a cold report's words cost more than the rest of a search).
        needle = _needle_re(frozenset(fold(t)[:3] for name in names for t in wanted.get(name, ())))
        for word in set(pattern.findall(text)):
            if not needle(fold(word)):
                continue
            got = memo.get((word, word))
            if got is None:
                got = memo[(word, word)] = self._one(root, word, word, query, False, names)
            for found, name in zip(got, names):
                if found is not None and found[0] in wanted.get(name, ()):
                    hot.setdefault(word, set()).add(found[1:])
        if not hot:
            return []
        # The few words that make a wanted term, found where they stand (not every token read again).
        return [(start + ds, end + de) for word, shifts in hot.items()
                for start, end in root.part.occurrences(text, word) for ds, de in shifts]

    def _chunk_spans(self, root: "_Node", text: str, wanted, query: bool) -> list[tuple[int, int]]:
        """``_word_spans`` for a tokenizer of whitespace-separated chunks: a chunk's token depends on
        the chunk alone, so each distinct chunk that may make a wanted term is analysed once, alone
        (tokenizing a whole 1 MB text chunk by chunk took seconds)."""
        names, pattern = [n for n in root.word_fields if wanted.get(n)], root.part.pattern
        memo = self._memo(root, query, names)
        needle = _needle_re(frozenset(fold(t)[:3] for name in names for t in wanted.get(name, ())))
        hot: dict[str, set[tuple[int, int]]] = {}  # chunk -> spans of wanted terms in it
        for chunk in set(pattern.findall(text)):
            if not needle(fold(chunk)):
                continue
            got = memo.get((chunk, None))
            if got is None:
                got = memo[(chunk, None)] = self._chunk(root, chunk, query, names)
            for per_token in got:
                for found, name in zip(per_token, names):
                    if found is not None and found[0] in wanted.get(name, ()):
                        hot.setdefault(chunk, set()).add(found[1:])
        if not hot:
            return []
        return [(start + s, start + e) for chunk, spans in hot.items()
                for start, _ in root.part.occurrences(text, chunk) for s, e in spans]

    def _chunk(self, root: "_Node", chunk: str, query: bool, names: list[str]) -> list[tuple]:
        """Per token of one chunk: what each field of ``names`` makes of it, (text, start, end) within the
        chunk, or None."""
        sub: dict[str, list] = {}
        self._walk(root, list(root.part(chunk)), query, set(names), sub)
        count = max((len(v) for v in sub.values()), default=0)
        return [tuple(sub[name][i][:3] if i < len(sub.get(name, ())) else None for name in names)
                for i in range(count)]

    def _walk(self, node: "_Node", tokens: list[Token], query, only, out, positions: bool = False) -> None:
        ends, by_word, others = node.plan(only)
        for name in ends:
            out[name] = _positions(tokens) if positions else [(t.text, t.start, t.end, t.pos) for t in tokens]
        if by_word:  # read the tokens, never change them
            words = [(t.text, t.original, t.start, t.end, t.pos) for t in tokens]
            for child in by_word:
                self._by_word(child, words, query, only, out, run_part=True, positions=positions)
        for i, child in enumerate(others):
            # A later step reads these tokens too: a step that changes them works on copies.
            shared = i < len(others) - 1 and child.changes
            mine = [_copy(t) for t in tokens] if shared else tokens
            if positions and not child.children and hasattr(child.part, "positions"):
                # The last step, which can give the positions itself (``NameFilter``): no token made for each.
                table = child.part.positions(mine, query=query)
                for name in child.ends:
                    if only is None or name in only:
                        out[name] = table
                continue
            self._walk(child, list(child.part(mine, query=query)), query, only, out, positions)

    def _by_word(self, node: "_Node", words, query, only, out, run_part: bool = False, positions: bool = False) -> None:
        """A per-word subtree: each distinct (text, original) analyzed once for the fields wanted, then replayed."""
        names = [name for name in node.word_fields if only is None or name in only]
        memo = self._memo(node, query, names)
        if positions:
            return self._by_word_positions(node, words, query, run_part, names, memo, out)
        lists = [out.setdefault(name, []) for name in names]
        for text, original, start, end, pos in words:
            got = memo.get((text, original))
            if got is None:
                got = memo[(text, original)] = self._one(node, text, original, query, run_part, names)
            for found, dest in zip(got, lists):
                if found is not None and dest is not None:
                    dest.append((found[0], start + found[1], end + found[2], pos))

    def _by_word_positions(self, node: "_Node", words, query, run_part: bool, names: list[str], memo: dict,
                           out: dict) -> None:
        """``_by_word`` for ``positions``: each word's term per field, its position appended to the term's."""
        tables = [out.setdefault(name, {}) for name in names]
        for text, original, _, _, pos in words:
            got = memo.get((text, original))
            if got is None:
                got = memo[(text, original)] = self._one(node, text, original, query, run_part, names)
            for found, table in zip(got, tables):
                if found is not None:
                    term = found[0]
                    held = table.get(term)
                    if held is None:
                        table[term] = [pos]
                    else:
                        held.append(pos)

    def _one(self, node: "_Node", text: str, original: str, query: bool, run_part: bool, names: list[str]) -> tuple:
        """What each field of ``names`` makes of one word: (text, start shift, end shift) or None. Only those
        fields' steps run: a phrase's highlighting needs one field, not the costly name keys."""
        sub: dict[str, list] = {}
        token = Token(text, original, 0, 0, 0, "")
        tokens = list(node.part([token], query=query)) if run_part else [token]
        self._walk(node, tokens, query, set(names), sub)
        return tuple(sub[name][0][:3] if sub.get(name) else None for name in names)

    def _memo(self, node: "_Node", query: bool, names: list[str]) -> dict:
        """The words remembered by this step for these fields, started afresh past ``memo_words``."""
        memo = node.memos.setdefault((query, tuple(names)), {})
        if len(memo) > self.memo_words:
            memo.clear()
        return memo


class WordTokens:
    """A field's tokens of some words of a text: ``at`` by position, (text, start, end, pos); and
    ``makes_token(pos)``, whether the word at a position makes a token at all (a step may drop
    it), its word analysed when asked. What a phrase needs: its words' tokens, and whether the
    words between them stand in the field's stream."""

    def __init__(self, at: dict[int, tuple[str, int, int, int]], makes_token: Callable[[int], bool]):
        self.at, self.makes_token = at, makes_token


class _Node:
    """One step of the analyzers, shared by every analyzer that starts with the same steps."""

    def __init__(self, part):
        self.part = part
        self.ends: list[str] = []
        self.children: dict[int, _Node] = {}
        self.memos: dict[tuple[bool, tuple[str, ...]], dict] = {}  # (query flag, fields) -> {(text, original): per field}
        self.plans: dict[frozenset[str] | None, tuple] = {}  # fields wanted -> what ``plan`` gives

    def plan(self, only) -> tuple[list[str], list["_Node"], list["_Node"]]:
        """For the fields ``only`` (None: all), the fields ending here, and the steps below that lead to
        them, per word and the others: worked out once (a word's first sight walks its steps one by one)."""
        key = None if only is None else frozenset(only)
        plan = self.plans.get(key)
        if plan is None:
            children = [c for c in self.children.values() if c.wanted(only)]
            plan = self.plans[key] = ([name for name in self.ends if only is None or name in only],
                                      [c for c in children if c.per_word(only)],
                                      [c for c in children if not c.per_word(only)])
        return plan

    @cached_property
    def fields(self) -> list[str]:
        """The fields this step leads to."""
        return self.ends + [name for c in self.children.values() for name in c.fields]

    @cached_property
    def word_fields(self) -> list[str]:
        """The fields this step leads to through ``per_word`` steps only."""
        return self.ends + [name for c in self.children.values()
                            if getattr(c.part, "per_word", False) for name in c.word_fields]

    @cached_property
    def changes(self) -> bool:
        """Whether this step or one below it may change the tokens it is given (most filters set their
        text in place; ``Filter.changes`` says otherwise)."""
        return getattr(self.part, "changes", True) or any(c.changes for c in self.children.values())

    def wanted(self, only) -> bool:
        return only is None or any(name in only for name in self.fields)

    def per_word(self, only) -> bool:
        """Whether this step and every step below it that ``only`` needs handle each word on its own."""
        if not getattr(self.part, "per_word", False):
            return False
        words = self.word_fields
        return all(name in words for name in self.fields if only is None or name in only)


@lru_cache(maxsize=1024)
def _needle_re(needles: frozenset[str]) -> Callable[[str], object]:
    """Whether a folded word holds one of the needles: one regular expression, not one test each."""
    if not needles:
        return lambda word: False
    return re.compile("|".join(sorted(map(re.escape, needles)))).search


def _positions(tokens: list[Token]) -> dict[str, list[int]]:
    """Each term's positions, in the order of the tokens."""
    out: dict[str, list[int]] = {}
    for t in tokens:
        held = out.get(t.text)
        if held is None:
            out[t.text] = [t.pos]
        else:
            held.append(t.pos)
    return out


def _copy(t: Token) -> Token:
    return Token(t.text, t.original, t.start, t.end, t.pos, t.gap)
