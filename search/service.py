"""The search service: one object holding what a search needs, created once per app or command.

``SearchService`` holds the engine, the alias table, and the memories of plans and shaped hits;
the web app creates it in its lifespan, the command line one per command. Nothing here lives in
a module's globals: two services (two apps, two alias files) never see each other's state.

    service = SearchService.open(Path("index"), alias_file=Path("aliases.tsv"))
    result = service.run(parse_params({"q": ["Alep"]}))
"""
from __future__ import annotations

import dataclasses
import weakref
from pathlib import Path

from search import indexing, settings
from search.engine.contract import Engine, Filters, Hit, StoredReport
from search.highlight import excerpts
from search.highlight.spans import Highlighter, spellings
from search.ingest.dates import Period, period_of
from search.names.aliases import AliasTable
from search.names.match import NameGroup
from search.names.variants import Variant, group_key
from search.params import SearchParams, filters
from search.query.nodes import Marks
from search.query.planner import Plan, Planner, Steer, phrase_node
from search.query.syntax import ParsedQuery, parse, ranked, without_repeats
from search.recent import Recent
from search.results import ResultHit, SearchResult

# A snippet is chosen among the first matches only: a huge paste of one name has
# hundreds of thousands, and the choice of window is not linear in their number.
SNIPPET_SPANS = 500
# A title longer than this (a one-line paste is all title) is shown as a window around its matches.
TITLE_CHARS = 300
HITS_REMEMBERED = 4096  # shaped hits (snippet, marks): paging back and forth, or a refined filter, redoes none


class SearchService:
    """Searches one engine with one alias table; plans and shaped hits remembered."""

    def __init__(self, engine: Engine, aliases: AliasTable | None = None):
        self.engine = engine
        self.aliases = aliases or AliasTable()
        self.highlighter = Highlighter()
        self._planners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a generation's vocabulary -> Planner
        self._shaped: Recent[ResultHit] = Recent(HITS_REMEMBERED)

    @classmethod
    def open(cls, index: Path, alias_file: Path | None = None, engine: str = "whoosh") -> "SearchService":
        """The service over the live index in ``index`` (raises IndexMissing or IndexDamaged)."""
        return cls(indexing.open_index(index, engine), AliasTable(alias_file))

    def close(self) -> None:
        self.engine.close()

    def run(self, params: SearchParams) -> SearchResult:
        parsed, planned, sort, found = self._search(params)
        marks = planned.marks if planned else Marks()
        notices = parsed.notices + (planned.notices if planned else [])
        names = self._counted(planned.names) if planned else []
        return SearchResult(params, parsed, found.total, self._hits(found.hits, marks), found.sources,
                            found.months, found.undated, sort, notices,
                            _variants([v for g in names for v in g.variants]), names)

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

    def _counted(self, names: list[NameGroup]) -> list[NameGroup]:
        """Each name's spellings, sorted; an alias row's phrase (État islamique) with the reports
        writing it, counted by the engine (the lexicon holds names, not phrases of French words)."""
        for v in (v for g in names for v in g.variants if v.phrase and not v.reports):
            node = phrase_node(v.spelling)
            v.reports = self.engine.search(node, Filters(), "relevance", 0, 0, facets=False).total if node else 0
        return [NameGroup(g.name, _variants(g.variants)) for g in names]

    def _search(self, params: SearchParams):
        parsed = parse(params.q)
        planned = self.plan(parsed, params.steer)
        offset, limit = (params.page - 1) * params.per_page, params.per_page
        node = planned.node if planned else None
        sort = params.sort if ranked(parsed.node) or params.sort != "relevance" else "date"
        return parsed, planned, sort, self.engine.search(node, filters(params), sort, offset, limit)

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
