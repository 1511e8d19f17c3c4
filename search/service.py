"""The search service: one object holding what a search needs, created once per app or command.

``SearchService`` holds the engine, the alias table, and the memories of plans and shaped hits;
the web app creates it in its lifespan, the command line one per command. Nothing here lives in
a module's globals: two services (two apps, two alias files) never see each other's state.

    service = SearchService.open(Path("index"), alias_file=Path("aliases.tsv"))
    result = service.run(parse_params({"q": ["Alep"]}))
"""
from __future__ import annotations

import dataclasses
import logging
import re
import weakref
from pathlib import Path

from search import indexing, settings
from search.engine.contract import Engine, Filters, Hit, Location, StoredReport
from search.highlight import excerpts
from search.highlight.spans import Highlighter, spellings
from search.ingest.dates import Period, period_of
from search.names.aliases import AliasTable
from search.names.variants import Variant, group_key
from search.params import SearchParams, filters
from search.query.nodes import Marks
from search.query.planner import Plan, Planner, Steer
from search.query.syntax import ParsedQuery, parse, ranked, without_repeats
from search.recent import Recent
from search.results import ResultHit, SearchResult
from search.sources import SourceTable

# A snippet is chosen among the first matches only: a huge paste of one name has
# hundreds of thousands, and the choice of window is not linear in their number.
SNIPPET_SPANS = 500
# A title longer than this (a one-line paste is all title) is shown as a window around its matches.
TITLE_CHARS = 300
COMPLETABLE = re.compile(r"[^\s\"()*]+")  # the words a name completion may start from (no quote, bracket, star)
log = logging.getLogger("search.service")
HITS_REMEMBERED = 4096  # shaped hits (snippet, marks): paging back and forth, or a refined filter, redoes none


class SearchService:
    """Searches one engine with one alias table; plans and shaped hits remembered."""

    def __init__(self, engine: Engine, aliases: AliasTable | None = None, sources: SourceTable | None = None):
        self.engine = engine
        self.aliases = aliases or AliasTable()
        self.sources = sources or SourceTable()
        self.highlighter = Highlighter()
        self._planners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a generation's vocabulary -> Planner
        self._shaped: Recent[ResultHit] = Recent(HITS_REMEMBERED)

    @classmethod
    def open(cls, index: Location, alias_file: Path | None = None, engine: str = "whoosh",
             sources_file: Path | None = None) -> "SearchService":
        """The service over the live index in ``index`` (raises IndexMissing or IndexDamaged)."""
        return cls(indexing.open_index(index, engine), AliasTable(alias_file), SourceTable(sources_file))

    def close(self) -> None:
        self.engine.close()

    def run(self, params: SearchParams) -> SearchResult:
        parsed, planned, sort, found = self._search(params)
        marks = planned.marks if planned else Marks()
        notices = parsed.notices + (planned.notices if planned else [])
        merge = self.sources.merge()
        hits = self._hits(found.hits, marks)
        if merge:
            hits = [dataclasses.replace(h, source=merge.name(h.source)) for h in hits]
        return SearchResult(params, parsed, found.total, hits, merge.counts(found.sources),
                            found.months, found.undated, sort, notices,
                            _variants(planned.variants if planned else []))

    def shaped(self, ids: list[str], params: SearchParams) -> list[ResultHit]:
        """These reports as hits of the search ``params`` (snippets and marks for its query), newest first."""
        reports = [r for r in (self.engine.get(i) for i in ids) if r is not None]
        reports.sort(key=lambda r: (-r.date_start, r.id))
        merge = self.sources.merge()
        return [dataclasses.replace(h, source=merge.name(h.source))
                for h in self._hits([Hit(r, None) for r in reports], self.marks(params.q, params.steer))]

    def ids(self, params: SearchParams) -> set[str]:
        """The id of every report the search finds (all pages): what a saved search compares with
        what it saw before."""
        parsed = parse(params.q)
        planned = self.plan(parsed, params.steer)
        return set(self.engine.ids(planned.node if planned else None, self._filters(params)))

    def newest(self) -> Period | None:
        """The period of the newest dated report (relative dates count back from it)."""
        found = self.engine.search(None, Filters(), "date", 0, 1, facets=False)
        return report_period(found.hits[0].report) if found.hits else None

    def complete(self, text: str, limit: int = 8) -> tuple[str, list[tuple[str, int]]]:
        """Names that complete the end of what is typed: (the end they replace, the names with their reports).

        The longest end of up to three words that some name starts with wins ("Abou K" -> Abou Kamal).
        """
        words = COMPLETABLE.findall(text)
        if not text or text[-1].isspace() or not words:
            return "", []
        for n in range(min(3, len(words)), 0, -1):
            fragment = " ".join(words[-n:])
            if len(fragment) < 2 or not text.endswith(words[-1]):
                continue
            names = self.engine.complete(fragment, limit)
            if names:
                return fragment, names
        return "", []

    def warm(self) -> None:
        """Reads the word lists of suggestions now (a second at 34k reports), not on the first page that needs them."""
        try:
            self.engine.suggest("aa", 1)
            self.engine.complete("aa", 1)
        except Exception:  # noqa: BLE001 - a warm-up only: the page that needs them says what went wrong
            log.exception("warming the suggestions failed")

    def source_name(self, source: str | None) -> str | None:
        """The name a report's source is shown under (the analyst's file of sources to merge)."""
        return self.sources.merge().name(source)

    def page_titles(self, params: SearchParams) -> tuple[int, list[tuple[str, str]]]:
        """The total and the (id, title) of each hit of the page: no snippet, so no text to highlight."""
        found = self._search(params)[-1]
        return found.total, [(h.report.id, h.report.title) for h in found.hits]

    def plan(self, parsed: ParsedQuery, steer: Steer = Steer()) -> Plan | None:
        """The engine-neutral plan of a parsed query (None for the empty query: every report)."""
        node = without_repeats(parsed.node)
        if node is None:
            return None
        vocabulary = self.engine.vocabulary()
        planner = self._planners.get(vocabulary)
        if planner is None:
            planner = self._planners[vocabulary] = Planner(vocabulary, settings.get("max_prefix_terms"))
        return planner.plan(node, steer, self.aliases.rows())

    def marks(self, q: str, steer: Steer = Steer()) -> Marks:
        """What to highlight in a report opened from a search for ``q``."""
        planned = self.plan(parse(q), steer)
        return planned.marks if planned else Marks()

    def _search(self, params: SearchParams):
        parsed = parse(params.q)
        planned = self.plan(parsed, params.steer)
        offset, limit = (params.page - 1) * params.per_page, params.per_page
        node = planned.node if planned else None
        sort = params.sort if ranked(parsed.node) or params.sort != "relevance" else "date"
        return parsed, planned, sort, self.engine.search(node, self._filters(params), sort, offset, limit)

    def _filters(self, params: SearchParams) -> Filters:
        """The engine's filters: a chosen source stands for every name of its outlet."""
        chosen = filters(params)
        merge = self.sources.merge()
        if not (merge and chosen.sources):
            return chosen
        every = self.engine.search(None, Filters(), "date", 0, 0).sources  # each name the index knows (remembered)
        return dataclasses.replace(chosen, sources=merge.expand(chosen.sources, every))

    def _hits(self, hits: list[Hit], marks: Marks) -> list[ResultHit]:
        """The page's hits shaped for display, each remembered by its content and the marks."""
        key = marks.key
        return [self._hit(h, marks, key) for h in hits]

    def _hit(self, hit: Hit, marks: Marks, key: tuple) -> ResultHit:
        report = hit.report
        if report.hash is None:
            return self._shape(hit, marks)
        # The whole report but its text (its hash stands for it: a 1 MB paste is not kept as a key).
        memo = (dataclasses.replace(report, body=""), key)
        found = self._shaped.get(memo) or self._shaped.put(memo, self._shape(hit, marks))
        return dataclasses.replace(found, score=hit.score, matched=list(found.matched))

    def _shape(self, hit: Hit, marks: Marks) -> ResultHit:
        report = hit.report
        body, title = report.body, report.title
        spans, title_spans = self.highlighter.find_spans(body, marks), self.highlighter.find_spans(title, marks)
        return ResultHit(
            id=report.id, title=title, title_excerpt=excerpts.fitted(title, title_spans[:SNIPPET_SPANS], TITLE_CHARS),
            period=report_period(report), source=report.source, score=hit.score,
            snippet=excerpts.snippet(body, spans[:SNIPPET_SPANS], settings.get("snippet_chars")),
            matched=list(dict.fromkeys(spellings(title, title_spans) + spellings(body, spans))),
        )


def report_period(report: StoredReport) -> Period | None:
    """The report's dated period (``StoredReport`` keeps plain numbers: the contract loads no dates module)."""
    return period_of(report.date_start, report.date_end, report.precision)


def _variants(found: list[Variant]) -> list[Variant]:
    """Each spelling once (a name's chunks may share one), accepted first, as judged."""
    seen: dict[str, Variant] = {}
    for v in found:
        seen.setdefault(group_key(v.spelling), v)
    return sorted(seen.values(), key=lambda v: (not v.accepted, not v.exact, -v.reports if v.accepted else -v.score,
                                                v.spelling))
