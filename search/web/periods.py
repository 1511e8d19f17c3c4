"""Relative dates as links: the last 7 days, the last 30 days, this year; counted back from the
newest report of the collection (a collection may end years ago) and from today.

The links set plain dates (``from=2017-03-06&to=2017-03-12``): a link, a bookmark or a saved
search keeps the period it was made for.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from search.ingest.dates import Period
from search.params import SearchParams
from search.web.urls import search_url

SPANS = (("7 derniers jours", 7), ("30 derniers jours", 30))


@dataclass(frozen=True)
class PeriodLink:
    label: str
    url: str
    selected: bool  # the dates in force are this period's


@dataclass(frozen=True)
class PeriodRow:
    basis: str                 # "jusqu’au 12 mars 2017 (le rapport le plus récent)"
    links: list[PeriodLink]


def relative_dates(params: SearchParams, newest: Period | None, today: date) -> list[PeriodRow]:
    """A row of links counted back from the newest report, and one from today when it is another day.

    >>> rows = relative_dates(SearchParams(q="Alep"), Period.of_day(date(2017, 3, 12)), date(2026, 12, 6))
    >>> [(r.basis, [(l.label, l.url) for l in r.links]) for r in rows][0]  # doctest: +NORMALIZE_WHITESPACE
    ('jusqu’au 12 mars 2017, date du rapport le plus récent',
     [('7 derniers jours', '/?q=Alep&from=2017-03-06&to=2017-03-12'),
      ('30 derniers jours', '/?q=Alep&from=2017-02-11&to=2017-03-12'),
      ('cette année', '/?q=Alep&from=2017-01-01&to=2017-03-12')])
    >>> rows[1].basis
    'jusqu’à aujourd’hui (6 décembre 2026)'
    """
    rows = []
    last = min(newest.end, today) if newest else None
    if last is not None:
        rows.append(PeriodRow(f"jusqu’au {Period.of_day(last).label_fr}, date du rapport le plus récent",
                              _links(params, last)))
    if last != today:
        rows.append(PeriodRow(f"jusqu’à aujourd’hui ({Period.of_day(today).label_fr})", _links(params, today)))
    return rows


def _links(params: SearchParams, last: date) -> list[PeriodLink]:
    spans = [(label, last - timedelta(days=days - 1)) for label, days in SPANS]
    spans.append(("cette année", date(last.year, 1, 1)))
    out = []
    for label, first in spans:
        start, end = first.isoformat(), last.isoformat()
        selected = (params.date_from, params.date_to) == (start, end)
        url = search_url(params, date_from="", date_to="") if selected else \
            search_url(params, date_from=start, date_to=end, undated=False)
        out.append(PeriodLink(label, url, selected))
    return out
