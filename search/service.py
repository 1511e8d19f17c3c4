"""The search service: one object holding what a search needs, created once per app or command.

``SearchService`` holds the engine, the alias table, and the memories of plans and shaped hits;
the web app creates it in its lifespan, the command line one per command. Nothing here lives in
a module's globals: two services (two apps, two alias files) never see each other's state.

    service = SearchService.open(Path("index"), alias_file=Path("aliases.tsv"))
    result = service.run(parse_params({"q": ["Alep"]}))
"""
from __future__ import annotations

import contextlib
import dataclasses
import logging
import re
import time
import weakref
from pathlib import Path

from search import indexing, settings
from search.engine.contract import Engine, Filters, Hit, Location, StoredReport
from search.highlight import excerpts
from search.highlight.spans import Highlighter, cut_point, spellings
from search.ingest.dates import Period, period_of
from search.lanes import CHEAP_SECONDS, Lanes, heavy_plan
from search.names import query as names_query
from search.names.aliases import AliasTable
from search.names.context import judge_for
from search.names.match import NameGroup
from search.names.variants import Variant, group_key
from search.params import SearchParams, filters
from search.query.nodes import Marks, Nothing
from search.query.planner import Plan, Planner, Steer, phrase_node
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
# A hit's title past this is cut, with "…": a one-line paste of 50 MB is all title, and each answer holding it would be 50 MB.
HIT_TITLE_CHARS = 10_000
PARTIAL = ("Recherche arrêtée au bout de {s} s : des rapports qui correspondent peuvent manquer, et les nombres "
           "être trop bas. Précisez la recherche (un mot de plus, une source, des dates).")
UNMARKED = "Temps écoulé : des extraits sont montrés sans leurs occurrences marquées."


class SearchService:
    """Searches one engine with one alias table; plans and shaped hits remembered."""

    def __init__(self, engine: Engine, aliases: AliasTable | None = None, sources: SourceTable | None = None,
                 name_context: bool | None = None):
        """``name_context``: names' close spellings judged by their reports' context too (the
        ``name_context`` setting when None)."""
        self.engine = engine
        self.name_context = bool(settings.get("name_context") if name_context is None else name_context)
        self.aliases = aliases or AliasTable()
        self.sources = sources or SourceTable()
        self.highlighter = Highlighter()
        self._planners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # a generation's vocabulary -> Planner
        self._shaped: Recent[ResultHit] = Recent(HITS_REMEMBERED)
        self.lanes = Lanes(int(settings.get("heavy_searches")))

    @classmethod
    def open(cls, index: Location, alias_file: Path | None = None, engine: str = "whoosh",
             sources_file: Path | None = None) -> "SearchService":
        """The service over the live index in ``index`` (raises IndexMissing or IndexDamaged)."""
        return cls(indexing.open_index(index, engine), AliasTable(alias_file), SourceTable(sources_file))

    def close(self) -> None:
        self.engine.close()

    def run(self, params: SearchParams, heavy: bool = False) -> SearchResult:
        """One search, within ``search_seconds`` of work: past it, what was found, with a notice.

        Heavy work (``heavy``: an export's page; a long page, a phrase or a prefix; or a search still
        running after ``CHEAP_SECONDS``) waits for a turn in the heavy lane (``search.lanes``) first.
        """
        budget, cpu = float(settings.get("search_seconds")), time.thread_time()
        parsed = parse(params.q)
        planned = self.plan(parsed, params.steer)
        node = self._node(parsed, planned)
        with contextlib.ExitStack() as turn:
            if heavy or heavy_plan(node, params.per_page):
                turn.enter_context(self.lanes.heavy())
            working = time.monotonic()
            sort, found = self._search(params, parsed, node, working + budget)
            spent = time.monotonic() - working
            # This thread's own time: a cheap search slowed by others is not made to wait behind them.
            if found.hits and not self.lanes.holding and time.thread_time() - cpu > CHEAP_SECONDS:
                turn.enter_context(self.lanes.heavy())
            marks = planned.marks if planned else Marks()
            hits, whole = self._hits(found.hits, marks, time.monotonic() + budget - spent)
        notices = parsed.notices + (planned.notices if planned else [])
        if found.partial:
            notices.append(PARTIAL.format(s=f"{budget:g}".replace(".", ",")))
        if not whole:
            notices.append(UNMARKED)
        merge = self.sources.merge()
        if merge:
            hits = [dataclasses.replace(h, source=merge.name(h.source)) for h in hits]
        names = self._counted(planned.names) if planned else []
        return SearchResult(params, parsed, found.total, hits, merge.counts(found.sources), found.months,
                            found.undated, sort, notices, _variants([v for g in names for v in g.variants]), names)

    def shaped(self, ids: list[str], params: SearchParams) -> list[ResultHit]:
        """These reports as hits of the search ``params`` (snippets and marks for its query), newest first."""
        reports = [r for r in (self.engine.get(i) for i in ids) if r is not None]
        reports.sort(key=lambda r: (-r.date_start, r.id))
        merge = self.sources.merge()
        return [dataclasses.replace(h, source=merge.name(h.source))
                for h in self._hits([Hit(r, None) for r in reports], self.marks(params.q, params.steer))[0]]

    def ids(self, params: SearchParams) -> set[str]:
        """The id of every report the search finds (all pages): what a saved search compares with
        what it saw before."""
        parsed = parse(params.q)
        return set(self.engine.ids(self._node(parsed, self.plan(parsed, params.steer)), self._filters(params)))

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
        """Reads the name forms by key and the word lists of suggestions now (seconds at 34k reports),
        and works out the alias rows' keys, not on the first search or page that needs them."""
        try:
            names_query.prepare(self.aliases.rows())
            self.engine.suggest("aa", 1)
            self.engine.complete("aa", 1)
            self.engine.vocabulary().warm(counts=True)  # last: a page that finds nothing waits for the words above
        except Exception:  # noqa: BLE001 - a warm-up only: the page that needs them says what went wrong
            log.exception("warming the suggestions failed")

    def source_name(self, source: str | None) -> str | None:
        """The name a report's source is shown under (the analyst's file of sources to merge)."""
        return self.sources.merge().name(source)

    def page_titles(self, params: SearchParams) -> tuple[int, list[tuple[str, str]]]:
        """The total and the (id, title) of each hit of the page: no snippet, so no text to highlight."""
        parsed = parse(params.q)
        node = self._node(parsed, self.plan(parsed, params.steer))
        with self.lanes.heavy() if heavy_plan(node, params.per_page) else contextlib.nullcontext():
            found = self._search(params, parsed, node, time.monotonic() + float(settings.get("search_seconds")))[1]
        return found.total, [(h.report.id, _short(h.report.title)) for h in found.hits]

    def plan(self, parsed: ParsedQuery, steer: Steer = Steer()) -> Plan | None:
        """The engine-neutral plan of a parsed query (None for the empty query: every report)."""
        node = without_repeats(parsed.node)
        if node is None:
            return None
        vocabulary = self.engine.vocabulary()
        planner = self._planners.get(vocabulary)
        if planner is None:
            planner = self._planners[vocabulary] = Planner(vocabulary, settings.get("max_prefix_terms"),
                                                           judge_for(self.name_context))
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

    @staticmethod
    def _node(parsed: ParsedQuery, planned: Plan | None):
        """The plan's node; None (every report) for the empty query; Nothing for a query with nothing to search."""
        return planned.node if planned else (Nothing() if parsed.unsearchable else None)

    def _search(self, params: SearchParams, parsed: ParsedQuery, node, deadline: float):
        offset, limit = (params.page - 1) * params.per_page, params.per_page
        sort = params.sort if ranked(parsed.node) or params.sort != "relevance" else "date"
        return sort, self.engine.search(node, self._filters(params), sort, offset, limit, deadline=deadline)

    def _filters(self, params: SearchParams) -> Filters:
        """The engine's filters: a chosen source stands for every name of its outlet."""
        chosen = filters(params)
        merge = self.sources.merge()
        if not (merge and chosen.sources):
            return chosen
        every = self.engine.search(None, Filters(), "date", 0, 0).sources  # each name the index knows (remembered)
        return dataclasses.replace(chosen, sources=merge.expand(chosen.sources, every))

    def _hits(self, hits: list[Hit], marks: Marks, deadline: float | None = None) -> tuple[list[ResultHit], bool]:
        """The page's hits shaped for display, each remembered by its content and the marks; past the
        deadline, a hit not remembered gets its opening as snippet, unmarked (and ``False`` says so)."""
        key, out, whole = marks.key, [], True
        for hit in hits:
            shaped = self._hit(hit, marks, key, deadline)
            whole = whole and shaped is not None
            out.append(shaped or self._shape(hit, Marks()))
        return out, whole

    def _hit(self, hit: Hit, marks: Marks, key: tuple, deadline: float | None) -> ResultHit | None:
        """The hit shaped (remembered, or shaped now unless the deadline is past: then None)."""
        report = hit.report
        late = deadline is not None and time.monotonic() > deadline
        if report.hash is None:
            return None if late else self._shape(hit, marks, deadline)
        # The whole report but its text (its hash stands for it: a 1 MB paste is not kept as a key).
        memo = (dataclasses.replace(report, body="", title=_short(report.title)), key)
        found = self._shaped.get(memo)
        if found is None:
            if late:
                return None
            found = self._shaped.put(memo, self._shape(hit, marks, deadline))
        return dataclasses.replace(found, score=hit.score, matched=list(found.matched))

    def _shape(self, hit: Hit, marks: Marks, deadline: float | None = None) -> ResultHit:
        """Title and snippet around the first matches. A long text is read a part at a time
        (``snippet_scan_chars``) up to its first match, until the deadline: the cost of a hit is
        bounded, however long its report (highlighting a 50 MB one whole took a minute)."""
        report = hit.report
        body, body_spans = self._part(report.body, marks, deadline)
        title, title_spans = self._part(report.title, marks, deadline)
        snippet = excerpts.snippet(body.text, body_spans[:SNIPPET_SPANS], settings.get("snippet_chars"))
        shown = excerpts.fitted(title.text, title_spans[:SNIPPET_SPANS], TITLE_CHARS)
        return ResultHit(
            id=report.id, title=_short(report.title), title_excerpt=body_cut(shown, title),
            period=report_period(report), source=report.source, score=hit.score,
            snippet=body_cut(snippet, body),
            matched=list(dict.fromkeys(spellings(title.text, title_spans) + spellings(body.text, body_spans))),
        )

    def _part(self, text: str, marks: Marks, deadline: float | None) -> tuple["Part", list]:
        """The part of ``text`` to take a snippet from, and the spans in it: the text's opening, or, when
        that holds no match, the part from a little before its first match."""
        scan = int(settings.get("snippet_scan_chars"))
        opening = Part(text[:scan], 0, len(text))
        spans = self.highlighter.find_spans(opening.text, marks)
        if spans or len(text) <= scan or not marks.terms and not marks.phrases:
            return opening, spans
        first = self.highlighter.first_span(text, marks, int(settings.get("max_indexed_chars")), scan, deadline)
        if first is None:
            return opening, spans
        start = cut_point(text, max(0, first[0] - settings.get("snippet_chars")))
        part = Part(text[start:start + scan], start, len(text))
        return part, self.highlighter.find_spans(part.text, marks)


@dataclasses.dataclass(frozen=True)
class Part:
    """A part of a longer text: ``text`` starts at ``start`` of ``length`` characters."""
    text: str
    start: int
    length: int


def body_cut(excerpt: excerpts.Excerpt, part: Part) -> excerpts.Excerpt:
    """An excerpt of a part, with '…' on each side where the whole text goes on."""
    before = excerpt.cut_before or part.start > 0
    after = excerpt.cut_after or part.start + len(part.text) < part.length
    return dataclasses.replace(excerpt, cut_before=before, cut_after=after)


def _short(title: str) -> str:
    return title if len(title) <= HIT_TITLE_CHARS else title[:HIT_TITLE_CHARS] + "…"


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
