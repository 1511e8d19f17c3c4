"""Writing a segment's postings a term at a time: the same bytes as Whoosh's writer, without its call per posting.

Whoosh's ``FieldWriter.add_postings`` reads one ``(field, term, doc, weight, value)`` tuple at a
time and hands it to the postings writer's ``add_posting`` (type checks, a block check, four
appends), then asks the lengths file for the document's length: about 40 % of a rebuild went
there. Our pool already holds each term's postings together (``TermPool``), so here a term's
postings go into the codec's block buffers by whole slices, 128 at a time (the codec's block), and
the codec writes each block as before: the files are byte for byte those of Whoosh's own loop
(``tests/test_engine_fast_paths.py`` compares them), but for the postings of a word seen once,
kept in its term's entry (see ``write_terms``). Whoosh's readers read both, so the TOC and every
reader are unchanged; a generation written so is refused by code older than ANALYSIS_VERSION 3.
"""
from __future__ import annotations

import itertools
import pickle
import zlib
from array import array
from typing import Callable, Iterable, Iterator

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.util.numlists import delta_encode

from search.engine.whoosh.codec import TermInfo, _varint

TermPostings = tuple[str, bytes, list]  # (field, term bytes, [docnum, weight, value, docnum, ...])
BlockLengths = Callable[[list[int]], list[int]]  # docnums -> their lengths, as the lengths file gives them
Lengths = Callable[[str], BlockLengths]  # per field


def write_terms(fieldwriter, schema, lengths: Lengths, terms: Iterable[TermPostings],
                written: Callable[[int], None] | None = None, inline: bool = True, by_hand: bool = True) -> None:
    """Write every term's postings, in the order given (sorted by field, then term), as
    ``FieldWriter.add_postings`` would; ``written(n)`` after each term with its posting count.

    ``inline``: a term of one posting keeps it in its entry of the terms file (Whoosh's inlined
    postings, which its writer never makes: it calls ``set_inline``, the term info defines
    ``set_inlined``) rather than a block of its own in the postings file (a header, a pickled and
    compressed block: some 60 bytes and a zlib call for each of the many words seen once).
    Whoosh's readers read either (``W3Codec.postings_reader``).

    ``by_hand``: such a term's entry is made from a prefix per (weight, length) and its document and value,
    without the postings writer's buffers and a term info object for each (half the terms of a segment);
    the bytes are the same (``tests/test_engine_fast_paths.py``)."""
    lastfn = None
    length_of: BlockLengths = _zeros
    entries = _Entries()
    for fieldname, tbytes, flat in terms:
        if fieldname != lastfn:
            if lastfn is not None:
                fieldwriter.finish_field()
            fieldwriter.start_field(fieldname, schema[fieldname])
            lastfn, length_of = fieldname, lengths(fieldname)
            add_entry, field_key = fieldwriter._tindex.add, pack_ushort(fieldwriter._fieldid)
        if inline and len(flat) == 3 and flat[2]:  # a value to keep: ListMatcher gives "" for none, not None
            if by_hand:
                add_entry(field_key + tbytes, entries.inlined(flat[0], flat[1], flat[2], length_of([flat[0]])[0]))
            else:
                fieldwriter.start_term(tbytes)
                _fill(fieldwriter._postwriter, flat[0::3], flat[1::3], flat[2::3], length_of)
                _finish_inlined(fieldwriter)
        elif by_hand and len(flat) <= 3 * fieldwriter._postwriter._blocklimit and fieldwriter._postwriter._inlinelimit <= 1:
            add_entry(field_key + tbytes, _one_block(fieldwriter, flat, length_of))
        else:
            fieldwriter.start_term(tbytes)
            _add_term(fieldwriter._postwriter, flat, length_of)
            fieldwriter.finish_term()
        if written is not None:
            written(len(flat) // 3)


class _Entries:
    """The terms file's entry of a term of one posting, as ``TermInfo.to_bytes`` writes it after the postings
    writer's ``add_block`` and ``set_inlined``: flags, frequency, weights and lengths (the same for every
    term of that weight and length: made once), then the document, 0 (the last document's distance from
    the first) and the posting's value."""

    def __init__(self) -> None:
        self.prefixes: dict[tuple[float, int], bytes] = {}

    def inlined(self, docnum: int, weight: float, value: bytes, length: int) -> bytes:
        prefix = self.prefixes.get((weight, length))
        if prefix is None:
            prefix = self.prefixes[(weight, length)] = _entry_prefix(weight, length)
        out = bytearray(prefix)
        _varint(docnum, out)
        out.append(0)
        out += value
        return bytes(out)


def _entry_prefix(weight: float, length: int) -> bytes:
    """An inlined entry up to its document: a term info filled as ``add_block`` fills it from a block of
    one posting (its weight as the block's float array keeps it), written for document 0 and an empty
    value, less the two bytes of the document and its distance."""
    info = TermInfo(weight=0 + sum(array("f", [weight])), df=1, minlength=length or None, maxlength=length,
                    maxweight=max(0, weight), minid=0, maxid=0)
    info.set_inlined((0,), (weight,), (b"",))
    entry = info.to_bytes()
    assert entry.endswith(b"\x00\x00")
    return entry[:-2]


def _one_block(fieldwriter, flat: list, length_of: BlockLengths) -> bytes:
    """The postings of a term that fit one block, written as the postings writer's ``_write_block(last=True)``
    writes them after ``start_postings`` and ``_fill``, without its buffers and checks: a header, the block's
    statistics and its pickled (and compressed) documents, weights and values. Gives the term's entry, as
    ``finish_term`` makes it from the term info that ``finish_postings`` fills."""
    pw = fieldwriter._postwriter
    postfile = pw._postfile
    docs, weights = flat[0::3], flat[1::3]
    values = [v for v in flat[2::3] if v]  # add_posting keeps a value only when it is not empty
    found = [n for n in length_of(docs) if n]  # add_posting ignores a length of 0
    minlength, maxlength = (min(found), max(found)) if found else (None, 0)
    maxweight = max(0, max(weights))
    floats = array("f", weights)
    fixed = fieldwriter._fieldobj.format.fixed_value_size()
    data = (tuple(delta_encode(docs)),
            None if all(w == 1.0 for w in floats) else floats[0] if all(w == floats[0] for w in floats) else tuple(floats),
            tuple(values) if fixed is None or fixed < 0 else None if fixed == 0 else b"".join(values))
    databytes = pickle.dumps(data, 2)
    comp = pw._compression
    if comp:
        databytes = zlib.compress(databytes, comp)
    infobytes = pickle.dumps((len(docs), docs[-1], maxweight, comp, length_to_byte(minlength), length_to_byte(maxlength)), 2)
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    postfile.write_int(-(len(infobytes) + len(databytes)))  # negative: the term's last block
    postfile.write(infobytes)
    postfile.write(databytes)
    info = TermInfo(weight=0 + sum(floats), df=len(docs), minlength=minlength, maxlength=maxlength,
                    maxweight=maxweight, minid=docs[0], maxid=docs[-1])
    info.set_extent(start, postfile.tell() - start)
    return info.to_bytes()


def _finish_inlined(fieldwriter) -> None:
    """``finish_term`` for a term whose postings (in the block buffers) go into its term info."""
    pw = fieldwriter._postwriter
    terminfo = pw._terminfo
    terminfo.add_block(pw)
    terminfo.set_inlined(pw._ids, pw._weights, pw._values)
    pw._terminfo = None
    fieldwriter._tindex.add(pack_ushort(fieldwriter._fieldid) + fieldwriter._btext, terminfo.to_bytes())


def _add_term(pw, flat: list, length_of: BlockLengths) -> None:
    """One term's postings into the postings writer's blocks: each full block written, the last left
    for ``finish_term`` (as ``add_posting`` leaves it)."""
    docs, weights, values = flat[0::3], flat[1::3], flat[2::3]
    step = pw._blocklimit
    for i in range(0, len(docs), step):
        if i:
            pw._write_block()
        _fill(pw, docs[i:i + step], weights[i:i + step], values[i:i + step], length_of)


def _fill(pw, docs: list, weights: list, values: list, length_of: BlockLengths) -> None:
    """A block's buffers and statistics, as ``add_posting`` one posting at a time would leave them."""
    pw._ids = array("I", docs)
    pw._weights = array("f", weights)
    pw._values = [v for v in values if v]  # add_posting keeps a value only when it is not empty
    pw._maxweight = max(0, max(weights))
    found = [n for n in length_of(docs) if n]  # add_posting ignores a length of 0
    pw._minlength = min(found) if found else None
    pw._maxlength = max(found) if found else 0


def _zeros(docs: list[int]) -> list[int]:
    return [0] * len(docs)


def grouped(postings: Iterator[tuple]) -> Iterator[TermPostings]:
    """A sorted stream of ``(field, term, doc, weight, value)`` postings (the merge of runs spilled to
    disk) as one flat list per term."""
    for (fieldname, tbytes), run in itertools.groupby(postings, key=lambda p: (p[0], p[1])):
        flat: list = []
        for posting in run:
            flat += posting[2:]
        yield fieldname, tbytes, flat
