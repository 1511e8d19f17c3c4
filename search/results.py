"""A search's answer, as the API, the page, the command line and the export all see it.

A hit keeps its title and snippet as excerpts (text windows and their spans): the page and the
API write them as HTML (``HtmlFormatter``), the command line and the CSV export as plain text
(``TextFormatter``). ``SearchResult.to_json()`` is the API's object.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from markupsafe import Markup

from search import settings
from search.highlight.excerpts import Excerpt
from search.highlight.formatters import HtmlFormatter
from search.ingest.dates import Period
from search.names.match import NameGroup
from search.names.variants import Variant, group_key
from search.params import SearchParams
from search.query.syntax import ParsedQuery

HTML = HtmlFormatter()


@dataclass
class ResultHit:
    id: str
    title: str
    title_excerpt: Excerpt
    period: Period | None
    source: str | None
    score: float | None
    snippet: Excerpt
    matched: list[str]

    @property
    def title_html(self) -> Markup:
        return HTML.format(self.title_excerpt)

    @property
    def snippet_html(self) -> Markup:
        return HTML.format(self.snippet)

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title,
                "date": self.period.iso if self.period else None,
                "date_precision": self.period.precision if self.period else None,
                "source": self.source, "score": None if self.score is None else round(self.score, 4),
                "snippet": str(self.snippet_html), "matched": self.matched}


@dataclass
class SearchResult:
    params: SearchParams
    query: ParsedQuery
    total: int
    hits: list[ResultHit]
    sources: Counter
    months: Counter
    undated: int
    sort: str = "relevance"  # the order used: an unranked query (empty, exclusions only) is by date
    notices: list[str] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)  # every name's spellings, each once
    names: list[NameGroup] = field(default_factory=list)   # one list of spellings per name of the query

    @property
    def accepted(self) -> list[Variant]:
        return [v for v in self.variants if v.accepted]

    @property
    def rejected(self) -> list[Variant]:
        """The closest spellings the verdict turned down, for the analyst to add."""
        return shown_rejected(self.variants, self.params.without)

    @property
    def shown_names(self) -> list[NameGroup]:
        """Each name with its accepted spellings and the closest ones turned down."""
        return [NameGroup(g.name, [v for v in g.variants if v.accepted] + shown_rejected(g.variants, self.params.without))
                for g in self.names]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.per_page))

    def to_json(self) -> dict:
        return {
            "query": self.params.q, "total": self.total, "page": self.params.page,
            "per_page": self.params.per_page, "hits": [h.to_json() for h in self.hits],
            "facets": {"source": dict(self.sources.most_common()),
                       "month": dict(sorted(self.months.items(), reverse=True)),
                       "undated": self.undated},
            "notices": self.notices,
            "variants": [v.to_json() for v in self.accepted + self.rejected],
            "names": [{"name": g.name, "variants": [v.to_json() for v in g.variants]} for g in self.shown_names],
        }


def shown_rejected(variants: list[Variant], without: tuple[str, ...]) -> list[Variant]:
    """The spellings turned down that the page lists: those the analyst dropped, then the closest
    ones the verdict turned down (``rejected_shown`` of them)."""
    dropped = {group_key(s) for s in without}
    rest = [v for v in variants if not v.accepted]
    return ([v for v in rest if group_key(v.spelling) in dropped]
            + [v for v in rest if group_key(v.spelling) not in dropped][:settings.get("rejected_shown")])
