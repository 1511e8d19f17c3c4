"""python -m search: rebuild, update and query the index from a terminal.

A thin layer: it parses arguments, calls the library, and turns the errors a
user can fix into one line on stderr with a non-zero exit code.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Sequence

from . import aliases, indexing, service, settings
from .engine import IndexingFailed, Summary
from .store import IndexBusy, IndexDamaged, IndexMissing

EXIT_USAGE, EXIT_ERROR = 2, 1
EXIT_KEPT = 3  # an update done, but files it could not read kept their reports as indexed


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (IndexBusy, IndexDamaged, IndexMissing, IndexingFailed, indexing.ReportsMissing, service.BadRequest) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:  # a full disk, a folder we may not write to: the writers changed nothing live
        note = "; the index in use was left as it was" if args.run in (_rebuild, _update) else ""
        print(f"error: {e}{note}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("error: interrupted; the index in use was left as it was", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m search", description="Search press reports, any spelling of a name.")
    sub = p.add_subparsers(required=True, metavar="COMMAND")
    for name, run, doc in (("rebuild", _rebuild, "build a new index from the reports and swap it in when complete"),
                           ("update", _update, "index new and changed reports, drop deleted ones")):
        cmd = sub.add_parser(name, help=doc, description=doc)
        cmd.add_argument("--reports", help=f"reports folder (default: $SEARCH_REPORTS or {settings.get('reports')})")
        cmd.add_argument("--index", help=f"index folder (default: $SEARCH_INDEX or {settings.get('index')})")
        cmd.add_argument("--follow-links", action="store_true",
                         help="read files that links in the reports folder point to out of it (skipped otherwise)")
        cmd.set_defaults(run=run)
    q = sub.add_parser("query", help="search the index", description="Search the index; prints ranked hits.")
    q.add_argument("text", help='the query: words, "exact spelling", OR, -word, prefix*')
    q.add_argument("--source", action="append", default=[], help="keep this source (repeatable)")
    q.add_argument("--from", dest="date_from", default="", help="from this date: YYYY, YYYY-MM or YYYY-MM-DD")
    q.add_argument("--to", dest="date_to", default="", help="to this date: YYYY, YYYY-MM or YYYY-MM-DD")
    q.add_argument("--sort", choices=service.SORTS, default="relevance", help="order of the hits")
    q.add_argument("--limit", type=int, default=settings.get("per_page"), help="hits to show (1-100)")
    q.add_argument("--page", type=int, default=1, help="page of hits to show")
    q.add_argument("--index", help=f"index folder (default: $SEARCH_INDEX or {settings.get('index')})")
    q.add_argument("--sans", action="append", default=[], help="drop this spelling from the name's variants")
    q.add_argument("--avec", action="append", default=[], help="add this rejected spelling back")
    q.add_argument("--json", action="store_true", help="print the API's JSON object")
    q.set_defaults(run=_query)
    n = sub.add_parser("names", help="the spellings a name query accepts and rejects",
                       description="Every candidate spelling of the names in TEXT, with its verdict, score and reports.")
    n.add_argument("text", help="a name, as you would search it")
    n.add_argument("--index", help=f"index folder (default: $SEARCH_INDEX or {settings.get('index')})")
    n.add_argument("--json", action="store_true", help="print the candidates as JSON")
    n.set_defaults(run=_names)
    return p


def _rebuild(args) -> int:
    return _write(args, indexing.rebuild, "rebuilt")


def _update(args) -> int:
    return _write(args, indexing.update, "updated")


def _write(args, action, verb: str) -> int:
    reports, index = settings.reports_dir(args.reports), settings.index_dir(args.index)
    with _Progress("read") as progress:
        summary = action(reports, index, progress, follow_links=args.follow_links)
    _print_summary(verb, summary, index)
    return EXIT_KEPT if summary.kept else 0


def _query(args) -> int:
    raw = {"q": [args.text], "source": args.source, "from": [args.date_from], "to": [args.date_to],
           "sort": [args.sort], "page": [str(args.page)], "per_page": [str(args.limit)],
           "sans": args.sans, "avec": args.avec}
    result = _search(args.index, service.parse_params(raw))
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if args.json else _format(result))
    return 0


def _search(index_flag, params: service.SearchParams) -> service.SearchResult:
    aliases.use_analyst_file(settings.aliases_file(None, settings.index_dir(index_flag)))
    index = indexing.open_index(settings.index_dir(index_flag))
    try:
        return service.run(index, params)
    finally:
        index.close()


def _names(args) -> int:
    result = _search(args.index, service.parse_params({"q": [args.text], "per_page": ["1"]}))
    if args.json:
        print(json.dumps([v.to_json() for v in result.variants], ensure_ascii=False, indent=2))
        return 0
    for title, group in (("accepted", result.accepted), ("rejected", [v for v in result.variants if not v.accepted])):
        print(f"{title} ({len(group)}):")
        for v in group:
            print(f"  {v.score:5.3f}  {v.reports:6d}  {v.spelling}{'  (inside a longer name)' if v.partial else ''}")
    return 0


def _format(result: service.SearchResult) -> str:
    lines = [f"! {n}" for n in result.notices]
    lines.append(f"{result.total} report(s)" + (f", page {result.params.page}/{result.pages}" if result.total else ""))
    if result.accepted:
        lines.append("spellings: " + ", ".join(f"{v.spelling} ({v.reports})" for v in result.accepted))
    for n, hit in enumerate(result.hits, (result.params.page - 1) * result.params.per_page + 1):
        when = str(hit.period) if hit.period else "undated"
        lines.append(f"\n{n}. {hit.title[:120]}\n   {hit.id} | {when} | {hit.source or 'no source'}")
        lines.append("   " + _plain(hit.snippet))
    return "\n".join(lines)


def _plain(html: str) -> str:
    """The snippet for a terminal: matches in [brackets], entities decoded."""
    import html as h
    return h.unescape(str(html).replace("<mark>", "[").replace("</mark>", "]"))


def _print_summary(verb: str, s: Summary, index) -> None:
    counts = f"{s.indexed} report(s) indexed"
    if verb == "updated":
        counts += f", {s.unchanged} unchanged, {s.removed} removed"
        if s.kept:
            counts += f", {sum(s.kept.values())} kept unread"
    print(f"{verb} {index}: {counts}, {len(s.skipped)} skipped, {s.seconds:.1f} s")
    for item in s.skipped:
        print(f"  skipped {item.path}: {item.reason}")
    for warning in s.warnings:
        print(f"  warning {warning}")
    for place, count in s.kept.items():
        print(f"  kept {count} report(s) as indexed: {place} could not be read now")


class _Progress:
    """A progress bar on a terminal; a line every few thousand reports otherwise."""

    EVERY = 5000

    def __init__(self, verb: str):
        self.verb, self.count, self.started, self.bar = verb, 0, time.monotonic(), None

    def __enter__(self):
        if sys.stderr.isatty():
            from tqdm import tqdm
            self.bar = tqdm(unit=" reports", desc=self.verb, file=sys.stderr)
        return self

    def __call__(self, item) -> None:
        self.count += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.count % self.EVERY == 0:
            rate = self.count / max(1e-6, time.monotonic() - self.started)
            print(f"{self.verb} {self.count} reports ({rate:.0f}/s)", file=sys.stderr, flush=True)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
