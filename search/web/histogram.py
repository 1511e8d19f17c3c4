"""The dates of the matches as bars drawn on the server: CSS bars, their heights classes (``h0``..``h20``)
of the stylesheet, since the CSP refuses style attributes; no script.

One bar per month when the matches span at most ``MONTHLY_SPAN`` months, else one per year; each
bar is a link that narrows the dates to its month or year. Counts are the month facet's: every
filter but the dates, so the bars show where else to look.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from search.params import SearchParams
from search.web.facet_links import month_label
from search.web.urls import search_url

MONTHLY_SPAN = 36
LEVELS = 20  # bar heights in steps of 5 %: classes h1..h20 in static/style.css


@dataclass(frozen=True)
class Bar:
    label: str      # "novembre 2023" or "2023"
    value: str      # "2023-11" or "2023": the from/to of its link
    count: int
    url: str
    selected: bool  # inside the dates chosen
    level: int      # height, 0..LEVELS


@dataclass(frozen=True)
class Histogram:
    bars: list[Bar]
    by: str          # "mois" or "année"
    first: str       # the labels at both ends
    last: str


def histogram(params: SearchParams, months: Counter | dict[str, int]) -> Histogram | None:
    """The bars for the month counts (YYYY-MM -> reports), None when there is no dated match."""
    counts = {m: c for m, c in months.items() if c}
    if not counts:
        return None
    span = _month_range(min(counts), max(counts))
    if len(span) > MONTHLY_SPAN:
        years: Counter[str] = Counter()
        for m, c in counts.items():
            years[m[:4]] += c
        values = [str(y) for y in range(int(min(years)), int(max(years)) + 1)]
        counts, by = years, "année"
    else:
        values, by = span, "mois"
    top = max(counts.values())
    bars = []
    for value in values:
        count = counts.get(value, 0)
        level = max(1, round(LEVELS * count / top)) if count else 0  # one report still shows
        bars.append(Bar(month_label(value) if by == "mois" else value, value, count, _url(params, value),
                        _inside(params, value), level))
    return Histogram(bars, by, bars[0].label, bars[-1].label)


def _url(params: SearchParams, value: str) -> str:
    if params.date_from == params.date_to == value:  # the bar chosen: a click clears the dates
        return search_url(params, date_from="", date_to="")
    return search_url(params, date_from=value, date_to=value, undated=False)


def _inside(params: SearchParams, value: str) -> bool:
    """Whether the bar lies within the dates chosen (compared as text: YYYY, YYYY-MM, YYYY-MM-DD)."""
    if not (params.date_from or params.date_to):
        return False
    start, end = params.date_from or "0000", params.date_to or "9999"
    return start[:len(value)] <= value and value <= end[:len(value)]


def _month_range(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
