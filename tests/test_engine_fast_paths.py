"""The fast paths give exactly what the plain ones give: FanOut, find_spans, SegmentBuilder."""
from __future__ import annotations

import random

import pytest
from whoosh import index as windex
from whoosh.writing import SegmentWriter

from search.engine.whoosh import schema, segments, writer
from search.engine.whoosh.segments import SegmentBuilder, TermPool
from search.fields import FIELD_ANALYZERS, TEXT_FIELDS
from search.highlight.spans import Highlighter, merge
from search.ingest.reports import iter_reports
from search.query.nodes import Marks
from search.text.fanout import FanOut

from .conftest import SEEDS, write_reports

TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir())] + [
    "L’armée à Damas", "d'Alep jusqu'à qu'il", "", "Abou Kamal, al-Bukamal et l'ONU à Deir ez-Zor",
    "ŒUVRE Œil æ ß", "1er 2e 3ème", "Mohammed ben Salmane et Hama, Hamas, dames, Homs, hommes.",
    "Les frappes\n\nde Boukamal", "Pal\u200bmyre", "\u062f\u064a\u0631 \u0627\u0644\u0632\u0648\u0631",
]


def _plain(name: str, text: str, query: bool = False):
    return [(t.text, t.start, t.end, t.pos) for t in FIELD_ANALYZERS[name](text, query=query)]


@pytest.mark.parametrize("only", [None, {"stem"}, {"verbatim", "folded"}, {"names"}, {"folded", "names"}])
@pytest.mark.parametrize("query", [False, True])
def test_fanout_is_each_analyzer(only, query):
    fan = FanOut(FIELD_ANALYZERS)
    for _ in range(2):  # the second time from its memo
        for text in TEXTS:
            got = fan.tokens(text, query=query, only=only)
            assert set(got) == {n for n in FIELD_ANALYZERS if only is None or n in only}
            for name, tokens in got.items():
                assert tokens == _plain(name, text, query), (name, text[:40])


@pytest.mark.parametrize("only", [None, {"stem"}, {"verbatim", "names"}])
def test_fanout_positions_are_its_tokens_positions(only):
    fan, plain = FanOut(FIELD_ANALYZERS), FanOut(FIELD_ANALYZERS)
    for _ in range(2):  # the second time from its memo
        for text in TEXTS:
            want: dict[str, dict[str, list[int]]] = {}
            for name, tokens in plain.tokens(text, only=only).items():
                table = want[name] = {}
                for term, _, _, pos in tokens:
                    table.setdefault(term, []).append(pos)
            got = fan.positions(text, only=only)
            assert got == want and all(list(got[n]) == list(want[n]) for n in want), text[:40]


def test_find_spans_is_every_field_analyzed():
    rng = random.Random(7)
    vocab = {n: sorted({t[0] for text in TEXTS for t in _plain(n, text)}) for n in FIELD_ANALYZERS}
    for _ in range(150):
        fields = rng.sample(sorted(FIELD_ANALYZERS), rng.randint(1, 4))
        terms = {n: set(rng.sample(vocab[n], min(3, len(vocab[n])))) for n in fields}
        for text in TEXTS:
            plain = merge([(s, e) for n, wanted in terms.items() for t, s, e, _ in _plain(n, text) if t in wanted])
            assert Highlighter().find_spans(text, Marks({n: frozenset(t) for n, t in terms.items()})) == plain


def _postings(folder, writer_class, reports):
    folder.mkdir()
    ix = windex.create_in(str(folder), schema.make_schema())
    w = writer_class(ix, **writer.WRITER_OPTIONS)
    for item in iter_reports(reports):
        if hasattr(item, "text"):
            w.add_document(**writer.document(item, ix.schema))
    w.commit()
    reader = windex.open_dir(str(folder)).reader()
    out = {}
    for fieldname in reader.indexed_field_names():
        for text in reader.lexicon(fieldname):
            m, items = reader.postings(fieldname, text), []
            while m.is_active():
                items.append((m.id(), m.weight(), m.value()))
                m.next()
            ti = reader.term_info(fieldname, text)  # the term's entry: what our codec writes in its own way
            stats = (ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(), ti.max_weight(),
                     ti.min_id(), ti.max_id(), reader.doc_frequency(fieldname, text), reader.frequency(fieldname, text))
            out[fieldname, text] = items, stats
    lengths = {(f, d): reader.doc_field_length(d, f) for f in TEXT_FIELDS for d in range(reader.doc_count_all())}
    stored = list(reader.all_stored_fields())
    return out, lengths, stored


def test_segment_builder_writes_what_whoosh_writes(tmp_path):
    reports = write_reports(tmp_path / "reports", {f"r{n}.txt": text for n, text in enumerate(TEXTS) if text.strip()})
    assert _postings(tmp_path / "a", SegmentWriter, reports) == _postings(tmp_path / "b", SegmentBuilder, reports)


def test_a_spilled_pool_writes_the_same_segment(tmp_path, monkeypatch):
    reports = write_reports(tmp_path / "reports", {f"r{n}.txt": text for n, text in enumerate(TEXTS) if text.strip()})
    whole = _postings(tmp_path / "a", SegmentBuilder, reports)
    limitmb = writer.WRITER_OPTIONS["limitmb"]
    monkeypatch.setattr("search.engine.whoosh.segments.BYTES_PER_POSTING", limitmb * 2**20 // 500)  # a run per 500 postings
    runs = []
    monkeypatch.setattr(TermPool, "_add_run", lambda self, path: (runs.append(path), self.runs.append(path)))
    assert _postings(tmp_path / "b", SegmentBuilder, reports) == whole
    assert len(runs) > 2


def _segment_bytes(folder, writer_class, reports) -> dict[str, bytes]:
    """The postings and terms files of a one-segment index, by extension."""
    folder.mkdir()
    ix = windex.create_in(str(folder), schema.make_schema())
    w = writer_class(ix, **writer.WRITER_OPTIONS)
    for item in iter_reports(reports):
        w.add_document(**writer.document(item, ix.schema))
    w.commit()
    return {p.suffix: p.read_bytes() for p in folder.iterdir() if p.suffix in (".pst", ".trm")}


class _ByTerm(SegmentBuilder):
    inline = False  # a word seen once in a block of its own, as Whoosh's writer does


class _PerPosting(SegmentBuilder):
    """The same builder, its postings handed to Whoosh's own loop (``FieldWriter.add_postings``)."""

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader()
        self.fieldwriter.add_postings(self.schema, segments._Lengths(self.lengths, pdr), self.pool.iter_postings())
        self.fieldwriter.close()
        pdr.close()


def test_postings_written_by_term_are_whooshs_bytes(tmp_path):
    # 300 reports: common words hold more than one 128-posting block, others one posting.
    rng = random.Random(3)
    words = [w for text in TEXTS for w in text.split()]
    texts = {f"r{n:03}.txt": " ".join(rng.choice(words) for _ in range(rng.randint(1, 60))) + " Damas"
             for n in range(300)}
    reports = write_reports(tmp_path / "reports", texts)
    ours = _segment_bytes(tmp_path / "a", _ByTerm, reports)
    whooshs = _segment_bytes(tmp_path / "b", _PerPosting, reports)
    assert set(ours) == {".pst", ".trm"} and ours == whooshs


class _InlinedByWriter(SegmentBuilder):
    entries_by_hand = False  # a word seen once: its entry made through the postings writer and a term info


def test_inlined_entries_made_by_hand_are_the_writers_bytes(tmp_path):
    rng = random.Random(5)
    words = [w for text in TEXTS for w in text.split()]
    texts = {f"r{n:03}.txt": " ".join(rng.choice(words) for _ in range(rng.randint(1, 60))) + f" mot{n} Mot{n}"
             for n in range(300)}
    reports = write_reports(tmp_path / "reports", texts)
    ours = _segment_bytes(tmp_path / "a", SegmentBuilder, reports)
    assert ours == _segment_bytes(tmp_path / "b", _InlinedByWriter, reports)
    assert set(ours) == {".pst", ".trm"}


@pytest.mark.parametrize("weight, maxweight, minid", [(3.0, 2.0, 7), (2.5, 1.25, 0), (1.0, 1.0, None), (2.0**30, 5.0, 3)])
@pytest.mark.parametrize("inlined", [False, True])
def test_a_term_entry_reads_back(weight, maxweight, minid, inlined):
    from whoosh.util.numeric import byte_to_length, length_to_byte

    from search.engine.whoosh.codec import TermInfo
    info = TermInfo(weight=weight, df=1 if inlined else 40, minlength=3, maxlength=900, maxweight=maxweight,
                    minid=minid, maxid=None if minid is None else minid + (0 if inlined else 1000))
    if inlined:
        info.set_inlined([minid], [weight], [b"\x05"])
    else:
        info.set_extent(123456789, 4321)
    back = TermInfo.from_bytes(info.to_bytes())
    assert (back.weight(), back.doc_frequency(), back.max_weight(), back.min_id(), back.max_id()) == \
        (weight, info.doc_frequency(), maxweight, minid, info.max_id())
    assert (back.min_length(), back.max_length()) == (byte_to_length(length_to_byte(3)), byte_to_length(length_to_byte(900)))
    assert back.is_inlined() == inlined
    if inlined:
        assert back.inlined_postings() == ((minid,), (weight,), (b"\x05",))
    else:
        assert back.extent() == (123456789, 4321)


def test_positions_read_back():
    from search.engine.whoosh.codec import VarintPositions
    fmt = VarintPositions()
    for poslist in ([0], [57], [3, 4, 200, 70_000, 2_000_000], list(range(0, 5000, 7))):
        value = fmt.encode(poslist)
        assert fmt.decode_positions(value) == poslist
        assert fmt.decode_frequency(value) == len(poslist) == fmt.decode_weight(value)
    assert len(fmt.encode([57])) == 2
