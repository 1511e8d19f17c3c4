"""The words of one index generation, for suggestions: near spellings, and names by their start.

Whoosh's own suggestion walks the whole vocabulary with a Python edit distance (seconds on the
34k-report corpus, on every page that found nothing). Here each field's words are read once per
generation into numpy arrays of character codes, one array per word length, with their report
counts. The words within two edits of a query word (optimal string alignment: a swap of two
neighbours is one edit) come from vector passes over the lengths that can be that close, each
cheaper filter first: the letters each side has that the other lacks, as bit masks (a letter
missing costs an edit at least), then the letters they share, counted (an edit changes at most
one letter of each side's bag, a swap none), then the edit distance itself on the few left,
dropping after each row the words that can no longer get there.

``GenerationWords`` holds these lists for one generation and reads them from a reader of its
own, never the searcher's: reading takes seconds at 34k reports and must not hold the searches.

Names by their start (typing "Ale" offers Alep, Alexandre…) come from the ``names`` field's
``v:`` terms (every name as written, ``search.names.terms``), sorted by their folded form.
"""
from __future__ import annotations

import bisect
import threading
from collections import Counter
from pathlib import Path

import numpy as np
from whoosh import index as windex

from search import settings
from search.names.terms import FORM_SEP, SPELLING
from search.recent import Recent
from search.text.fold import fold

LONGEST = 32  # longer words are never suggested, nor suggested for
SUGGESTIONS_REMEMBERED = 2048  # (field, word) -> near words, per generation: a page shown again redoes none


def field_counts(reader, field: str, prefix: str = "") -> Counter:
    """Each word of ``field`` (starting with ``prefix``) and the reports holding it, read segment by
    segment (a multi-segment reader looks every term up again in each segment)."""
    counts: Counter = Counter()
    for leaf, _ in reader.leaf_readers():
        if field not in leaf.indexed_field_names():
            continue
        for text, info in leaf.iter_prefix(field, prefix):
            counts[text.decode("utf-8") if isinstance(text, bytes) else text] += info.doc_frequency()
    return counts


class NearWords:
    """One field's words by length, as code arrays, with their report counts.

    >>> near = NearWords(Counter({"Damas": 3, "Dames": 1, "Homs": 2, "Hama": 5}))
    >>> near.near("Damass"), near.near("Hmos"), near.near("Zorglub")
    ([('Damas', 3), ('Dames', 1)], [('Homs', 2)], [])
    """

    def __init__(self, counts: Counter):
        by_length: dict[int, list[tuple[str, int]]] = {}
        for word, n in counts.items():
            if 0 < len(word) <= LONGEST:
                by_length.setdefault(len(word), []).append((word, n))
        self.codes: dict[int, np.ndarray] = {}
        self.counts: dict[int, np.ndarray] = {}
        self.masks: dict[int, np.ndarray] = {}  # each word's letters as bits (a letter's code modulo 64)
        for length, items in by_length.items():
            items.sort()
            joined = "".join(w for w, _ in items).encode("utf-32-le")
            self.codes[length] = np.frombuffer(joined, dtype=np.uint32).reshape(len(items), length)
            self.counts[length] = np.array([n for _, n in items], dtype=np.int64)
            self.masks[length] = _masks(self.codes[length])

    def count(self, word: str) -> int | None:
        """The reports holding ``word`` (0: none); None for a word too long to be listed.

        >>> NearWords(Counter({"Damas": 3, "Dames": 1})).count("Dames"), NearWords(Counter()).count("x")
        (1, 0)
        """
        if not 0 < len(word) <= LONGEST:
            return None
        codes = self.codes.get(len(word))
        if codes is None:
            return 0
        # Each row's code points are a fixed-length string of numpy's (UTF-32, code point order, as sorted).
        words = codes.view(f"<U{len(word)}").ravel()
        at = int(np.searchsorted(words, word))
        return int(self.counts[len(word)][at]) if at < len(words) and words[at] == word else 0

    def near(self, word: str, maxdist: int = 2, limit: int = 5) -> list[tuple[str, int]]:
        """Words within ``maxdist`` edits of ``word`` (itself left out): the closest first, then the most
        reported."""
        if not 0 < len(word) <= LONGEST:
            return []
        query = np.frombuffer(word.encode("utf-32-le"), dtype=np.uint32)
        mask = _masks(query[np.newaxis, :])[0]
        found: list[tuple[int, int, str]] = []
        for length in range(max(1, len(word) - maxdist), len(word) + maxdist + 1):
            if length not in self.codes:
                continue
            codes, masks = self.codes[length], self.masks[length]
            near = np.flatnonzero((np.bitwise_count(mask & ~masks) <= maxdist) &
                                  (np.bitwise_count(masks & ~mask) <= maxdist))
            candidates = near[_sharing(query, codes[near], max(len(word), length) - maxdist)]
            rows, distances = _within(query, codes[candidates], maxdist)
            for row, d in zip(candidates[rows], distances):
                text = codes[row].tobytes().decode("utf-32-le")
                if text != word:
                    found.append((int(d), -int(self.counts[length][row]), text))
        found.sort()
        return [(text, -n) for _, n, text in found[:limit]]


def _masks(codes: np.ndarray) -> np.ndarray:
    """Each row's letters as the bits of a 64-bit word (letters whose codes meet modulo 64 share a bit:
    the filter is then weaker, never wrong)."""
    bits = np.left_shift(np.uint64(1), (codes % 64).astype(np.uint64))
    return np.bitwise_or.reduce(bits, axis=1)


def _sharing(query: np.ndarray, words: np.ndarray, least: int) -> np.ndarray:
    """The rows of ``words`` that share at least ``least`` letters with ``query`` (as multisets)."""
    if least <= 0:
        return np.arange(len(words))
    shared = np.zeros(len(words), dtype=np.int32)
    letters, wanted = np.unique(query, return_counts=True)
    for letter, count in zip(letters, wanted):
        shared += np.minimum((words == letter).sum(axis=1), count)
    return np.flatnonzero(shared >= least)


def _within(query: np.ndarray, words: np.ndarray, maxdist: int) -> tuple[np.ndarray, np.ndarray]:
    """The rows of ``words`` (all of one length) within ``maxdist`` edits of ``query``, and their distances.

    The dynamic programme runs row by row (one query letter at a time) over every word at once;
    a word whose best cell passes ``maxdist`` can never come back, and is dropped.
    """
    n = words.shape[1]
    alive = np.arange(len(words))
    cols = np.arange(n + 1, dtype=np.int32)
    before = np.broadcast_to(cols, (len(words), n + 1)).copy()  # row 0: j insertions
    earlier: np.ndarray | None = None
    for i in range(1, len(query) + 1):
        diff = words[alive] != query[i - 1]  # (N, n): the substitution cost of each cell
        row = np.empty_like(before)
        row[:, 0] = i
        for j in range(1, n + 1):
            best = np.minimum(before[:, j] + 1, before[:, j - 1] + diff[:, j - 1])
            row[:, j] = np.minimum(best, row[:, j - 1] + 1)
            if earlier is not None and j > 1:
                swapped = (words[alive, j - 2] == query[i - 1]) & (words[alive, j - 1] == query[i - 2])
                row[:, j] = np.where(swapped, np.minimum(row[:, j], earlier[:, j - 2] + 1), row[:, j])
        keep = row.min(axis=1) <= maxdist
        alive, earlier, before = alive[keep], before[keep], row[keep]
        if not len(alive):
            break
    distances = before[:, n]
    close = distances <= maxdist
    return alive[close], distances[close]


class NameStarts:
    """Every name the collection writes (``v:`` terms), sorted by folded form, for completion.

    >>> starts = NameStarts(Counter({"v:Alep": 12, "v:ALEP": 2, "v:Alexandre": 3, "v:Damas": 4}))
    >>> starts.complete("ale"), starts.complete("Da"), starts.complete("x")
    ([('Alep', 12), ('Alexandre', 3)], [('Damas', 4)], [])
    """

    def __init__(self, terms: Counter):
        best: dict[str, tuple[int, str, int]] = {}  # folded -> (most written count, spelling, total)
        for term, n in terms.items():
            name = term[len(SPELLING):]
            folded = fold(name)
            seen = best.get(folded)
            if seen is None:
                best[folded] = (n, name, n)
            else:
                top, spelling, total = seen
                best[folded] = (n, name, max(total, n)) if n > top else (top, spelling, max(total, n))
        self.keys = sorted(best)
        self.names = [best[k][1] for k in self.keys]
        self.counts = np.array([best[k][2] for k in self.keys], dtype=np.int64)

    def complete(self, start: str, limit: int = 8) -> list[tuple[str, int]]:
        """The names starting with ``start`` (case and accents aside), the most reported first."""
        key = fold(start)
        if not key:
            return []
        lo = bisect.bisect_left(self.keys, key)
        hi = bisect.bisect_left(self.keys, key + "\U0010ffff")
        if lo >= hi:
            return []
        counts = self.counts[lo:hi]
        top = np.argsort(-counts, kind="stable")[:limit]
        return [(self.names[lo + i], int(counts[i])) for i in top]

    def most_written(self, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` names the most reports write, each in its most written spelling.

        >>> NameStarts(Counter({"v:Alep": 12, "v:ALEP": 2, "v:Damas": 4, "v:Homs": 4})).most_written(2)
        [('Alep', 12), ('Damas', 4)]
        """
        top = np.argsort(-self.counts, kind="stable")[:limit]
        return [(self.names[i], int(self.counts[i])) for i in top]


class NameForms:
    """Every name form of the lexicon (``names`` terms ``key<US>form``) with its reports, sorted: the
    forms filed under a key are a slice found by bisection, where Whoosh's term dictionary walked its
    file for each key (2 ms a key, 30 keys a name: most of a misspelt name's first search).

    >>> table = NameForms(Counter({"l:alb\\x1fAlep": 3, "l:alb\\x1fALEP": 1, "l:albu\\x1fAlbu": 2, "v:Alep": 3}))
    >>> [(term.split(FORM_SEP)[1], n) for term, n in table.forms("l:alb")], table.forms("l:zz")
    ([('ALEP', 1), ('Alep', 3)], [])
    """

    def __init__(self, terms: Counter):
        # Code point order is UTF-8's byte order: the order Whoosh gives the terms in.
        self.terms = sorted(t for t in terms if FORM_SEP in t)
        self.counts = np.array([terms[t] for t in self.terms], dtype=np.int64)

    def forms(self, key: str) -> list[tuple[str, int]]:
        lo = bisect.bisect_left(self.terms, key + FORM_SEP)
        hi = bisect.bisect_left(self.terms, key + chr(ord(FORM_SEP) + 1), lo)
        return [(self.terms[i], int(self.counts[i])) for i in range(lo, hi)]


class GenerationWords:
    """The word lists of one generation (near spellings per field, names by their start, name forms
    by key, ids by document number), each read when first asked for, from a reader of its own."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()  # one list read at a time; searches never wait on it
        self._near: dict[str, NearWords] = {}
        self.suggested: Recent[list[tuple[str, int]]] = Recent(SUGGESTIONS_REMEMBERED)  # (field, word) ->
        self._starts: NameStarts | None = None
        self._ids: list[str] | None = None
        self.forms: NameForms | None = None  # set once read (``read_forms``): until then, ask Whoosh
        self._forms_lock = threading.Lock()
        self._too_many = False

    def read_forms(self, most_reports: int | None = None) -> NameForms | None:
        """The name forms, read now unless they were (4 s and 43 MB at 34k reports: a server reads
        them in the background, and asks Whoosh key by key meanwhile). None for a collection of more
        than ``most_reports`` (``name_forms_reports``): its table would not fit a server's memory."""
        most = int(settings.get("name_forms_reports") if most_reports is None else most_reports)
        with self._forms_lock:
            if self.forms is None and not self._too_many:
                counts = self._read(lambda r: field_counts(r, "names") if r.doc_count_all() <= most else None)
                self._too_many = counts is None
                self.forms = NameForms(counts) if counts is not None else None
            return self.forms

    def count(self, field: str, word: str) -> int | None:
        """The reports holding ``word`` in ``field`` (Whoosh's document frequency, deleted reports
        included), from the field's list if it was read (``near``); None when it was not, or the
        word is too long to be listed: ask Whoosh then. Never waits for a list being read."""
        words = self._near.get(field)
        return words.count(word) if words is not None else None

    def near(self, field: str) -> NearWords:
        with self._lock:
            if field not in self._near:
                self._near[field] = NearWords(self._read(lambda r: field_counts(r, field)))
            return self._near[field]

    def starts(self) -> NameStarts:
        with self._lock:
            if self._starts is None:
                self._starts = NameStarts(self._read(lambda r: field_counts(r, "names", SPELLING)))
            return self._starts

    def ids(self) -> list[str]:
        """Every document's id by number (the numbers of the searcher of this generation)."""
        with self._lock:
            if self._ids is None:
                self._ids = self._read(ids_by_number)
            return self._ids

    def _read(self, work):
        reader = windex.open_dir(str(self.path)).reader()
        try:
            return work(reader)
        finally:
            reader.close()


def ids_by_number(reader) -> list[str]:
    """Each document's id, read from the id field's term list (not the stored fields: they hold the
    whole text); a term of one document gives it in its statistics, without reading its postings."""
    names = [""] * reader.doc_count_all()
    for leaf, offset in reader.leaf_readers():
        for text, info in leaf.iter_field("id"):
            name = text.decode("utf-8") if isinstance(text, bytes) else text
            if info.doc_frequency() == 1:
                names[offset + info.min_id()] = name
                continue
            postings = leaf.postings("id", text)  # the same id twice in one segment: an update's leftover
            while postings.is_active():
                names[offset + postings.id()] = name
                postings.next()
    return names
