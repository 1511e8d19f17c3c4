"""Our segment codec: Whoosh's (``W3Codec``), its term entries and positions written in a few bytes.

Every distinct word of a segment has an entry in its terms file (``.trm``), and a segment of
5,000 reports holds 290,000 of them. Whoosh writes each entry as a fixed 23-byte record (flags,
weight and maximum weight as floats, document frequency, lengths, first and last document) plus
a 12-byte pointer into the postings file, or a pickle of the postings for an inlined term:
35 to 55 bytes, 40 % of the index. Here the same values are written as variable-length
integers (a weight is a whole number of occurrences, unless a boost made it a fraction), and a
word seen once (``postings.write_terms`` inlines it) keeps only its posting's value: its
document is the entry's first document, its weight the entry's weight. About 12 bytes for a word
seen once, 18 for others.

A posting's positions (``verbatim`` and ``folded``, for phrases) were Whoosh's ``Positions``: four
bytes of count, then a pickled list of the gaps between positions (13 bytes for a word seen once
in a report). :class:`VarintPositions` writes the count and the gaps as variable-length integers
(2 bytes for a word seen once, before the block's compression); its class is pickled with the
schema.

The codec is pickled with each segment in the index's table of contents, so a generation
written with it names it (``search.engine.whoosh.codec.TermCodec``); one written before is
refused by its analysis version (3) anyway.
"""
from __future__ import annotations

import struct

from whoosh import formats
from whoosh.codec import whoosh3 as w3
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

_INLINED, _WEIGHT_FLOAT, _MAX_FLOAT, _NO_ID = 1, 2, 4, 8
_FLOAT = struct.Struct("!f")


def _varint(n: int, out: bytearray) -> None:
    while n > 0x7F:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        b = data[at]
        at += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, at
        shift += 7


def _whole(x: float) -> bool:
    """A weight written as an integer: whole, and below float32's exact range (what Whoosh stored)."""
    return x >= 0 and x == int(x) and x < 1 << 24


class TermInfo(w3.W3TermInfo):
    """A term's statistics and where its postings are, in a few bytes (see the module's doc)."""

    def to_bytes(self) -> bytes:
        inlined = self.is_inlined()
        flags = (_INLINED if inlined else 0) | (0 if _whole(self._weight) else _WEIGHT_FLOAT) \
            | (0 if _whole(self._maxweight) else _MAX_FLOAT) | (_NO_ID if self._minid is None else 0)
        out = bytearray((flags,))
        _varint(self._df, out)
        for value, as_float in ((self._weight, flags & _WEIGHT_FLOAT), (self._maxweight, flags & _MAX_FLOAT)):
            if as_float:
                out += _FLOAT.pack(value)
            else:
                _varint(int(value), out)
        out.append(0 if self._minlength is None else length_to_byte(self._minlength))
        out.append(length_to_byte(self._maxlength))
        if self._minid is not None:
            _varint(self._minid, out)
            _varint(self._maxid - self._minid, out)
        if inlined:
            out += self._inlined[2][0]  # one posting: its document and weight are the entry's own
        else:
            _varint(self._offset, out)
            _varint(self._length, out)
        return bytes(out)

    @classmethod
    def from_bytes(cls, s: bytes) -> "TermInfo":
        info = cls()
        flags = s[0]
        info._df, at = _read_varint(s, 1)
        weights = []
        for as_float in (flags & _WEIGHT_FLOAT, flags & _MAX_FLOAT):
            if as_float:
                weights.append(_FLOAT.unpack_from(s, at)[0])
                at += 4
            else:
                n, at = _read_varint(s, at)
                weights.append(float(n))
        info._weight, info._maxweight = weights
        info._minlength, info._maxlength = byte_to_length(s[at]), byte_to_length(s[at + 1])
        at += 2
        if flags & _NO_ID:
            info._minid = info._maxid = None
        else:
            info._minid, at = _read_varint(s, at)
            delta, at = _read_varint(s, at)
            info._maxid = info._minid + delta
        if flags & _INLINED:
            info._inlined = ((info._minid,), (info._weight,), (bytes(s[at:]),))
        else:
            info._offset, at = _read_varint(s, at)
            info._length, at = _read_varint(s, at)
        return info


class _FieldWriter(w3.W3FieldWriter):
    def start_term(self, btext: bytes) -> None:
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, TermInfo())


class _FieldCursor(w3.W3FieldCursor):
    def term_info(self):
        if self._pos is None:
            return None
        return TermInfo.from_bytes(self._tindex.dbfile.get(self._datapos, self._datalen))


class _TermsReader(w3.W3TermsReader):
    def cursor(self, fieldname, fieldobj):
        return _FieldCursor(self._tindex, fieldname, self._keycoder, self._keydecoder, fieldobj)

    def items(self):
        return ((self._keydecoder(k), TermInfo.from_bytes(v)) for k, v in self._tindex.items())

    def items_from(self, fieldname, prefix):
        start = self._keycoder(fieldname, prefix)
        return ((self._keydecoder(k), TermInfo.from_bytes(v)) for k, v in self._tindex.items_from(start))

    def term_info(self, fieldname, tbytes):
        try:
            return TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)])
        except KeyError:
            raise TermNotFound(f"No term {fieldname}:{tbytes!r}") from None

    # A missing term raises KeyError here (the segment reader answers 0), TermNotFound in term_info.
    def frequency(self, fieldname, tbytes):
        return TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).weight()

    def doc_frequency(self, fieldname, tbytes):
        return TermInfo.from_bytes(self._tindex[self._keycoder(fieldname, tbytes)]).doc_frequency()


class TermCodec(w3.W3Codec):
    """``W3Codec`` with compact term entries; postings, columns and stored fields are Whoosh's."""

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def terms_reader(self, storage, segment):
        tiname = segment.make_filename(self.TERMS_EXT)
        return _TermsReader(self, storage.open_file(tiname), storage.file_length(tiname),
                            segment.open_file(storage, self.POSTS_EXT))


class VarintPositions(formats.Positions):
    """Whoosh's ``Positions``, the count and the gaps between positions as variable-length integers."""

    def encode(self, poslist) -> bytes:
        out = bytearray()
        _varint(len(poslist), out)
        base = 0
        for pos in poslist:
            _varint(pos - base, out)
            base = pos
        return bytes(out)

    def decode_positions(self, valuestring: bytes) -> list[int]:
        count, at = _read_varint(valuestring, 0)
        positions, position = [], 0
        for _ in range(count):
            gap, at = _read_varint(valuestring, at)
            position += gap
            positions.append(position)
        return positions

    def decode_frequency(self, valuestring: bytes) -> int:
        return _read_varint(valuestring, 0)[0]

    def decode_weight(self, valuestring: bytes) -> float:
        return self.decode_frequency(valuestring) * self.field_boost
