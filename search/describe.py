"""A search told in French, in one line: for the saved searches, the history and ``watch``.

    >>> describe(SearchParams(q="Alep", sources=("AFP",), date_from="2016-07", date_to="2017", sort="date"))
    '« Alep » · source : AFP · dates : de juillet 2016 à 2017 · les plus récents d’abord'
    >>> describe(SearchParams())
    'tous les rapports'
"""
from __future__ import annotations

from search.ingest.dates import DateError, Period, read_bound
from search.params import SearchParams

SORTS = {"date": "les plus récents d’abord", "oldest": "les plus anciens d’abord"}


def describe(params: SearchParams) -> str:
    parts = [f"« {params.q} »" if params.q else "tous les rapports"]
    if params.sources:
        parts.append(("sources : " if len(params.sources) > 1 else "source : ") + ", ".join(params.sources))
    if params.date_from or params.date_to:
        parts.append(dates_label(params.date_from, params.date_to))
    if params.undated:
        parts.append("sans date seulement")
    if params.without:
        parts.append("sans " + ", ".join(params.without))
    if params.extra:
        parts.append("avec " + ", ".join(params.extra))
    if params.sort in SORTS:
        parts.append(SORTS[params.sort])
    return " · ".join(parts)


def dates_label(date_from: str, date_to: str) -> str:
    """The dates of a search in French, as the facets and the bars write them.

    >>> dates_label("2016-08-01", "2016-08-15")
    'dates : du 1er août 2016 au 15 août 2016'
    >>> dates_label("", "2016-04"), dates_label("2016-04", "2016-04"), dates_label("2016", "")
    ('dates : jusqu’à avril 2016', 'date : avril 2016', 'dates : depuis 2016')
    """
    start, end = period(date_from), period(date_to)
    if start and end and start == end:
        return f"date : {start.label_fr}"
    if start and end:
        return f"dates : {_from(start)} {_to(end)}"
    if start:
        return f"dates : depuis {start.label_fr}"
    return f"dates : jusqu’{_to(end)}" if end else ""


def date_box(value: str) -> str:
    """A date of the URL (ISO) as its box shows it: "2016-07" -> "juillet 2016"."""
    found = period(value)
    return found.label_fr if found else value


def period(value: str) -> Period | None:
    try:
        return read_bound(value) if value else None
    except DateError:  # not a date: the caller shows the text as typed
        return None


def _from(start: Period) -> str:
    """'du 1er août 2016', 'de juillet 2016', 'd’avril 2016', 'de 2016'."""
    label = start.label_fr
    if start.precision == "day":
        return f"du {label}"
    return f"d’{label}" if label[0] in "ao" else f"de {label}"


def _to(end: Period | None) -> str:
    """'au 15 août 2016', 'à juillet 2016'."""
    if end is None:
        return ""
    return f"au {end.label_fr}" if end.precision == "day" else f"à {end.label_fr}"
