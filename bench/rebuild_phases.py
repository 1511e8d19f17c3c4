"""Where a rebuild's CPU seconds go, phase by phase, in one process (no workers):

    nice -n 5 .venv/bin/python bench/rebuild_phases.py --reports FOLDER [--follow-links] [--size N]
        [--profile analysis|pool|write] [--code CHECKOUT] [--no-gc]

``--code``: the checkout whose code runs (default: this one), to compare with another (``../main``).

Phases, each timed in CPU seconds (``time.process_time``) over the same reports:

- read: the reports folder walked, files parsed, each report made (``search.indexing.read_reports``);
- document: the fields dict of each report (``writer.document``);
- pickle: what a rebuild's parent sends its workers (Whoosh's job files: pickled batches of 200
  documents), dumped and loaded again;
- analysis: every analyzer over each report at once (``FanOut``, cold memory, as a worker starts),
  and each field's analyzer through ``FanOut`` alone (its share: the shared tokenizing counted in each);
- pool: ``SegmentBuilder.add_document`` of every report less its analysis: postings pooled, stored
  fields and lengths written;
- write: the commit (postings sorted and written in the codec's blocks, terms file, segment).

``--profile PHASE`` prints that phase's top functions by own time (cProfile: slower, shares distorted
towards small functions).
"""
from __future__ import annotations

import argparse
import cProfile
import pickle
import pstats
import sys
import tempfile
import time
from pathlib import Path


def _timed(name: str, spent: dict, profile: str | None, work):
    prof = cProfile.Profile() if profile == name else None
    started = time.process_time()
    if prof:
        prof.enable()
    out = work()
    if prof:
        prof.disable()
    spent[name] = time.process_time() - started
    if prof:
        pstats.Stats(prof).sort_stats("tottime").print_stats(35)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, required=True)
    parser.add_argument("--follow-links", action="store_true")
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--profile", choices=("read", "analysis", "pool", "write"))
    parser.add_argument("--alone", action="store_true", help="also each field's analysis alone")
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--no-gc", action="store_true", help="Python's cyclic garbage collector off")
    args = parser.parse_args()
    if args.no_gc:
        import gc
        gc.disable()
    sys.path.insert(0, str(args.code.resolve()))
    from whoosh import index as windex

    from search.engine.whoosh.schema import make_schema
    from search.engine.whoosh.segments import SegmentBuilder
    from search.engine.whoosh.writer import WRITER_OPTIONS, document
    from search.fields import FIELD_ANALYZERS
    from search.indexing import FileBook, RebuildJob, guard, read_reports
    from search.text.fanout import FanOut
    spent: dict[str, float] = {}

    def read():
        job = RebuildJob(read_reports(args.reports, args.follow_links, FileBook()), None, guard(True))
        out = []
        for report in job.reports():
            out.append(report)
            if len(out) >= args.size:
                break
        return out
    reports = _timed("read", spent, args.profile, read)
    schema = make_schema()
    docs = _timed("document", spent, args.profile, lambda: [document(r, schema) for r in reports])

    def send():
        for i in range(0, len(docs), 200):
            pickle.loads(b"".join(pickle.dumps((0, d), 2) for d in docs[i:i + 200]))
    _timed("pickle", spent, args.profile, send)

    def analyse(only=None):
        fanout = FanOut(FIELD_ANALYZERS)
        analyse_one = getattr(fanout, "positions", None) or fanout.tokens  # what the checkout's writer calls
        for r in reports:
            analyse_one(r.searchable(), only=only)
    _timed("analysis", spent, args.profile, analyse)
    if args.alone:
        for name in FIELD_ANALYZERS:
            _timed(f"analysis: {name} alone", spent, None, lambda name=name: analyse({name}))

    with tempfile.TemporaryDirectory(dir=args.reports.parent if args.reports.is_dir() else None) as tmp:
        ix = windex.create_in(tmp, make_schema())
        writer = SegmentBuilder(ix, **WRITER_OPTIONS)

        def pool():
            for d in docs:
                writer.add_document(**d)
        _timed("pool", spent, args.profile, pool)
        spent["pool"] -= spent["analysis"]
        _timed("write", spent, args.profile, writer.commit)
    total = sum(v for k, v in spent.items() if "alone" not in k)
    import search
    print(f"{len(reports)} reports, {total:.1f} s of CPU in one process ({Path(search.__file__).parent.parent})")
    for name, seconds in spent.items():
        share = "" if "alone" in name else f"  {seconds / total:5.1%}"
        print(f"  {name:28} {seconds:7.1f} s{share}")


if __name__ == "__main__":
    main()
