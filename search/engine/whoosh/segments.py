"""Writing segments fast: each report analyzed once for all fields, postings pooled by term.

Whoosh's own writer runs each field's analyzer over the same text (four times
here) and sorts every posting of a segment as one tuple, spilling sorted runs
to disk. :class:`SegmentBuilder` writes the same segment files, but

- runs :class:`search.text.fanout.FanOut` once per report for all text fields;
- keeps postings in a dict by (field, term), in document order, so only the
  keys are sorted when the segment is written (a run spills to disk only past
  ``limitmb``);
- reads field lengths back from memory, not from the lengths file, while writing.

:class:`ParallelWriter` is Whoosh's multiprocessing writer with one builder per
process, each writing a whole segment of its own: nothing is merged at the end.
"""
from __future__ import annotations

import gc
import multiprocessing
import queue
import threading
from typing import Callable, Iterator, NoReturn

from whoosh import formats
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from search.engine.whoosh.codec import TermCodec, VarintPositions
from search.engine.whoosh.postings import Lengths, TermPostings, grouped, write_terms
from search.engine.whoosh.schema import FieldAnalyzer
from search.errors import IndexingFailed
from search.fields import FIELD_ANALYZERS
from search.text.fanout import FanOut

ANALYZED, POOLED, WRITTEN = range(3)  # a meter's counters, per writer
POLL_SECONDS = 0.5


class Meter:
    """How far each segment writer is, in shared memory so that worker processes can tell the writer:
    reports analysed, postings pooled, postings written into the segment's files.

    The writing of a segment (sorting and merging its postings, then writing them) comes after
    the last report is read: it is the minute or more of a rebuild with nothing to read.
    """

    def __init__(self, writers: int):
        self.writers = writers
        self.values = multiprocessing.RawArray("q", 3 * writers)

    def set(self, slot: int, counter: int, value: int) -> None:
        self.values[3 * slot + counter] = value

    def add(self, slot: int, counter: int, value: int) -> None:
        self.values[3 * slot + counter] += value

    def total(self, counter: int) -> int:
        return sum(self.values[3 * slot + counter] for slot in range(self.writers))


Report = Callable[[int, int, int], None]  # (reports analysed, postings pooled, postings written)
# What the pool holds in memory, roughly, for its limit: a posting is three list slots (its document,
# weight and value mostly shared objects); a term its key, its list and the table's slot.
BYTES_PER_POSTING = 32
BYTES_PER_TERM = 160


class TermPool(PostingPool):
    """Postings by field and term in document order; sorted runs go to disk past ``limitmb``.

    A field of ``texts`` (the analyzed ones) is keyed by the term as analysis gives it (a ``str``, the
    very object the analyzers' memory holds), encoded only when written: no bytes and no (field, term)
    tuple made per posting. UTF-8 keeps the order of code points, so the terms sort alike either way.
    """

    def __init__(self, tempstore, segment, limitmb=128, texts: frozenset[str] = frozenset(), **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self.texts = texts
        self.tables: dict[str, dict] = {}  # field -> term (str, or bytes) -> [docnum, weight, value, docnum, ...]
        self.max_bytes = max(1, limitmb * 2**20)
        self.count = 0    # postings in memory
        self.terms = 0    # terms in memory
        self.pooled = 0   # every posting added, runs spilled to disk included

    def table(self, fieldname: str) -> dict:
        """The field's terms: a writer adds a document's postings to it, then calls ``added``."""
        table = self.tables.get(fieldname)
        if table is None:
            table = self.tables[fieldname] = {}
            self.fieldnames.add(fieldname)
        return table

    def added(self, postings: int, terms: int) -> None:
        """So many postings, and new terms, added to the tables: a run is spilled past the limit."""
        self.count += postings
        self.pooled += postings
        self.terms += terms
        if self.count * BYTES_PER_POSTING + self.terms * BYTES_PER_TERM >= self.max_bytes:
            self.save()

    def add(self, item) -> None:
        self.add_posting(*item)

    def add_posting(self, fieldname: str, tbytes: bytes, docnum: int, weight: float, vbytes) -> None:
        table = self.table(fieldname)
        key = tbytes.decode("utf-8") if fieldname in self.texts else tbytes
        flat: list | None = table.get(key)
        new = flat is None
        if flat is None:
            flat = table[key] = []
        flat.extend((docnum, weight, vbytes))
        self.added(1, new)

    def _in_order(self) -> Iterator[tuple[str, bytes, list]]:
        for fieldname in sorted(self.tables):
            table = self.tables[fieldname]
            textual = fieldname in self.texts
            for key in sorted(table):
                yield fieldname, key.encode("utf-8") if textual else key, table[key]

    def _sorted(self):
        for fieldname, tbytes, flat in self._in_order():
            for i in range(0, len(flat), 3):
                yield fieldname, tbytes, flat[i], flat[i + 1], flat[i + 2]

    def save(self) -> None:
        if self.tables:
            path, f = self._new_run()
            self._write_run(f, self._sorted())
            self._add_run(path)
            self.tables, self.count, self.terms = {}, 0, 0

    def items(self, maxfiles=128):
        if not self.runs:
            return self._sorted()
        return super().items(maxfiles)  # saves the rest, then merges the runs

    def terms_in_order(self) -> Iterator[TermPostings]:
        """Each term's postings as one flat list, sorted by field and term: straight from memory, or
        grouped from the merge of the runs spilled to disk."""
        if self.runs:
            yield from grouped(super().items())
            return
        yield from self._in_order()


class _Lengths:
    """Field lengths of the documents being written, for the postings writer."""

    def __init__(self, written: dict[str, dict[int, int]], fallback):
        self.written, self.fallback = written, fallback

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        length = self.written.get(fieldname, {}).get(docnum)
        if length is None:  # a document of a merged segment
            return self.fallback.doc_field_length(docnum, fieldname, default) if self.fallback else default
        return length


def _quantized(length: int) -> int:
    """The length as the lengths file gives it back (one byte, logarithmic)."""
    return byte_to_length(length_to_byte(length)) if length else 0


class SegmentBuilder(SegmentWriter):
    """A segment writer that analyzes each text once for all our fields (see the module doc)."""

    inline = True  # a word seen once: its posting in its term's entry (see search.engine.whoosh.postings)
    entries_by_hand = True  # such an entry made without the postings writer (the same bytes)

    def __init__(self, ix, meter: Meter | None = None, slot: int = 0, **kwargs):
        kwargs.setdefault("codec", TermCodec())  # compact term entries (search.engine.whoosh.codec)
        super().__init__(ix, **kwargs)
        self.meter, self.slot = meter, slot
        self.analyzed = {name: field for name, field in self.schema.items()
                         if isinstance(field.analyzer, FieldAnalyzer) and type(field.format) in _FORMATS
                         and field.analyzer.field in FIELD_ANALYZERS and not field.vector}
        self.pool = TermPool(self._tempstorage, self.newsegment, limitmb=kwargs.get("limitmb", 128),
                             texts=frozenset(self.analyzed))
        self.lengths: dict[str, dict[int, int]] = {name: {} for name in self.analyzed}
        self._single_positions: dict[int, bytes] = {}  # position -> value of a term seen once
        self._frequencies: dict[int, bytes] = {}
        self._weights: dict[float, dict[int, float]] = {}  # boost -> frequency -> weight: one float object each
        self.fanout = FanOut(FIELD_ANALYZERS)  # its memory of words lives and dies with this writer

    def add_document(self, **fields) -> None:
        if any(name.startswith("_") for name in fields):  # boosts and stored variants: Whoosh's way
            return super().add_document(**fields)
        self._check_state()
        names = sorted(fields)
        self._check_fields(self.schema, names)
        texts = self._analyze(fields)
        docnum, perdoc = self.docnum, self.perdocwriter
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is not None:
                    self._add_field(name, value, texts.get(name), docnum)
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1
        if self.meter is not None:
            self.meter.add(self.slot, ANALYZED, 1)
            self.meter.set(self.slot, POOLED, self.pool.pooled)

    def _analyze(self, fields: dict) -> dict[str, dict[str, list[int]]]:
        """Positions of each term, per analyzed field: one FanOut per distinct text."""
        by_text: dict[int, tuple[str, set[str]]] = {}
        for name, field in self.analyzed.items():
            value = fields.get(name)
            if isinstance(value, str):
                by_text.setdefault(id(value), (value, set()))[1].add(field.analyzer.field)
        out = {}
        for text, wanted in by_text.values():
            for analyzer_name, positions in self.fanout.positions(text, only=wanted).items():
                for name, field in self.analyzed.items():
                    if field.analyzer.field == analyzer_name and fields.get(name) is text:
                        out[name] = positions
        return out

    def _add_field(self, name: str, value, positions: dict[str, list[int]] | None, docnum: int) -> None:
        field = self.schema[name]
        length = 0
        if positions is not None:
            length = self._add_terms(name, field, positions, docnum)
        elif field.indexed:
            for tbytes, freq, weight, vbytes in field.index(value):
                length += freq if field.scorable else 0
                self.pool.add_posting(name, tbytes, docnum, weight, vbytes)
        self.perdocwriter.add_field(name, field, value if field.stored else None, length)
        if field.column_type and value is not None:
            self.perdocwriter.add_column_value(name, field.column_type, field.to_column_value(value))

    def _add_terms(self, name: str, field, positions: dict[str, list[int]], docnum: int) -> int:
        """The postings Whoosh's format would make of these positions (values of one position shared)."""
        fmt = field.format
        positional = isinstance(fmt, formats.Positions)
        cache = self._single_positions if positional else self._frequencies
        boost = fmt.field_boost
        weights = self._weights.setdefault(boost, {})
        table = self.pool.table(name)
        length = new = 0
        for term, poslist in positions.items():
            freq = len(poslist)
            length += freq
            if positional and freq > 1:
                vbytes = fmt.encode(poslist)
            else:
                key = poslist[0] if positional else freq
                vbytes = cache.get(key)
                if vbytes is None:
                    vbytes = cache[key] = fmt.encode(poslist) if positional else pack_uint(freq)
            weight = weights.get(freq)
            if weight is None:
                weight = weights[freq] = float(freq) * boost
            flat = table.get(term)
            if flat is None:
                table[term] = [docnum, weight, vbytes]
                new += 1
            else:
                flat += (docnum, weight, vbytes)
        self.lengths[name][docnum] = _quantized(length)
        self.pool.added(len(positions), new)
        return length

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = _Lengths(self.lengths, pdr) if pdr else None
        write_terms(self.fieldwriter, self.schema, self._lengths_of(lengths), self.pool.terms_in_order(),
                    self._written if self.meter is not None else None, inline=self.inline,
                    by_hand=self.entries_by_hand)
        self.fieldwriter.close()
        if pdr:
            pdr.close()

    def _lengths_of(self, lengths: "_Lengths | None") -> Lengths:
        """Per field, the lengths of a block's documents as the postings writer reads them: from
        memory, or from the lengths file for a merged segment's documents (none: no statistics)."""
        def of(fieldname: str) -> Callable[[list[int]], list[int]]:
            if lengths is None:
                return lambda docs: [0] * len(docs)
            written = lengths.written.get(fieldname, {})

            def many(docs: list[int]) -> list[int]:
                got = list(map(written.get, docs))
                if None in got:
                    return [lengths.doc_field_length(d, fieldname) if n is None else n for d, n in zip(docs, got)]
                return got  # type: ignore[return-value]  # no None in it
            return many
        return of

    def _written(self, count: int) -> None:
        """The meter told of the postings written (each term's, the slot's total)."""
        if self.meter is not None:
            self.meter.add(self.slot, WRITTEN, count)


def watch_meter(meter: Meter, report: Report | None, done: threading.Event) -> None:
    """Calls ``report`` with the meter's totals until ``done`` is set, and once more at the end.

    It waits on ``done``, not a sleep: the writer joins this thread when its commit ends, and a sleep
    made every commit wait out the rest of its half second (0.5 s of an update of 100 reports)."""
    while not done.is_set():
        if report is not None:
            report(meter.total(ANALYZED), meter.total(POOLED), meter.total(WRITTEN))
        done.wait(POLL_SECONDS)
    if report is not None:
        report(meter.total(ANALYZED), meter.total(POOLED), meter.total(WRITTEN))


_FORMATS = (formats.Positions, VarintPositions, formats.Frequency)  # the formats whose postings we make


class _BuilderTask(SubWriterTask):
    """A worker process: one :class:`SegmentBuilder`, finished into a whole segment.

    It puts one result on the result queue: ``("done", fieldnames, segment)`` at the end, or
    ``("failed", what, None)`` as soon as it fails (a full disk...). A failure is not printed
    here (the writer raises it, as one error, not one traceback per process); the failed worker
    then takes the remaining jobs off the queue unread, so that the writer never waits on it.
    """

    def run(self) -> None:
        self.finished = False  # True once the writer has said there are no more jobs
        try:
            self._build()
        except BaseException as e:
            self.resultqueue.put(("failed", _describe(e), None), timeout=5)
            while not self.finished and self.jobqueue.get() is not None:
                pass

    def _build(self) -> None:
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = SegmentBuilder(ix, _lk=False, meter=self.meter, slot=self.slot, **self.kwargs)
        for job in iter(self.jobqueue.get, None):
            self._process_file(*job)
            # What the batch left (postings, remembered words) lives until the segment is written: out of the
            # garbage collector's sight, or its passes read millions of objects again and again. This process
            # ends with its segment: nothing frozen outlives it.
            gc.freeze()
        self.finished = True
        self.resultqueue.put(("done", writer.pool.fieldnames, writer._finalize_segment()), timeout=5)


def _describe(error: BaseException) -> tuple:
    """A worker's error in plain values, to raise again in the writer."""
    if isinstance(error, OSError):
        return ("os", error.errno, error.strerror, error.filename)
    return ("other", f"{type(error).__name__}: {error}")


def _raise(described: tuple) -> NoReturn:
    if described[0] == "os":
        raise OSError(*described[1:])
    raise IndexingFailed(f"un processus d’indexation a échoué : {described[1]}")


class ParallelWriter(MpWriter):
    """Whoosh's multiprocessing writer, each process writing its own segment with a SegmentBuilder.

    Unlike Whoosh's, a worker's failure fails the commit (Whoosh commits without that worker's
    segment), and cancelling ends the workers.
    """

    def __init__(self, ix, procs: int, report: Report | None = None, **kwargs):
        self.meter, self.report = Meter(procs), report
        super().__init__(ix, procs=procs, batchsize=200, multisegment=True, **kwargs)

    def _new_task(self):
        task = _BuilderTask(self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True)
        task.meter, task.slot = self.meter, len(self.tasks)  # inherited by the process it starts
        self.tasks.append(task)
        task.start()
        return task

    def _enqueue(self) -> None:
        # Before the end only a failed worker speaks: stop feeding at its first word.
        try:
            kind, described, _ = self.resultqueue.get_nowait()
        except queue.Empty:
            return super()._enqueue()
        _raise(described)

    def _commit(self, mergetype, optimize, merge) -> None:
        """Whoosh's multi-segment commit, with every worker's segment or an error; the meter told all along
        (the last batches queued, the workers' last reports analysed, their segments written)."""
        done = threading.Event()
        watcher = threading.Thread(target=watch_meter, args=(self.meter, self.report, done), daemon=True)
        watcher.start()
        try:
            self._commit_segments(mergetype, optimize, merge)
        finally:
            done.set()
            watcher.join()

    def _commit_segments(self, mergetype, optimize, merge) -> None:
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self.jobqueue.put(None)
        segments = self._merge_segments(mergetype, optimize, merge) + self._worker_segments()
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments)
        self._finish()

    def _worker_segments(self) -> list:
        for task in self.tasks:
            task.join()
        segments = []
        for _ in self.tasks:
            try:
                kind, value, segment = self.resultqueue.get(timeout=1)
            except queue.Empty:
                codes = ", ".join(str(task.exitcode) for task in self.tasks)
                raise IndexingFailed(f"un processus d’indexation a fini sans son segment (codes de sortie {codes})") from None
            if kind == "failed":
                _raise(value)
            segments.append(segment)
        return segments

    def cancel(self) -> None:
        for task in self.tasks:
            if task.is_alive():
                task.terminate()
        for task in self.tasks:
            task.join()
        SegmentWriter.cancel(self)
