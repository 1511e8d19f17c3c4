"""Dates of reports and of the API's from/to filters, each at its own precision.

A report may be dated to the day ("1er novembre 2023"), to the month
("2023-11") or only to the year.  A :class:`Period` keeps that precision as
the span of days it covers, so that filters compare spans instead of
pretending that every date is a day::

    >>> parse_date("1er novembre 2023").label_fr
    '1er novembre 2023'
    >>> parse_date("2023-11").overlaps(parse_bound("2023-11-20", end=False))
    True

The readers, from lenient to strict:

- :func:`parse_date` reads a whole string (a header value, a JSONL field) and
  returns ``None`` for anything it does not understand;
- :func:`find_date` finds the first date inside a longer text, such as a title;
- :func:`match_date` reads a date at the very start of a text and returns
  what follows it (for a ``date 2023-11 Title`` line);
- :func:`parse_bound` reads YYYY, YYYY-MM or YYYY-MM-DD and raises :class:`DateError`
  for anything else;
- :func:`read_bound` reads what an analyst types in the page's "du" / "au" boxes or the
  API's ``from`` / ``to``: those, or a French date ("juillet 2016", "15/07/2016",
  "1er juil. 2016"), and raises :class:`DateError` with an example of what it reads.

None of the lenient readers ever raises.  Only the standard library is used.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable, Optional

from search.errors import BadRequest
from search.text.fold import fold

MIN_YEAR = 1000
MAX_YEAR = 2999

MONTH_NAMES_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


# Full names plus the abbreviations French typography uses ("1 nov. 2023").
_MONTHS = {fold(name): number for number, name in enumerate(MONTH_NAMES_FR, 1)}
_MONTHS.update({
    "janv": 1, "jan": 1, "fev": 2, "fevr": 2, "avr": 4, "juil": 7, "juill": 7,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
})


class DateError(BadRequest):
    """A from/to filter that is not YYYY, YYYY-MM or YYYY-MM-DD, or no such date."""


@dataclass(frozen=True)
class Period:
    """The days a date covers, with the precision it was written at.

    >>> p = Period.of_month(2023, 11)
    >>> (p.start.isoformat(), p.end.isoformat(), p.precision, str(p))
    ('2023-11-01', '2023-11-30', 'month', '2023-11')
    """

    start: date
    end: date
    precision: str  # "year" | "month" | "day"

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def of_month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last), "month")

    @classmethod
    def of_day(cls, day: date) -> Period:
        return cls(day, day, "day")

    @property
    def iso(self) -> str:
        """The first day, "YYYY-MM-DD", whatever the precision."""
        return self.start.isoformat()

    @property
    def month(self) -> str | None:
        """"YYYY-MM", or None when only the year is known."""
        return None if self.precision == "year" else self.start.isoformat()[:7]

    @property
    def label_fr(self) -> str:
        """"2023", "novembre 2023", "1er novembre 2023" or "15 novembre 2023"."""
        parts = [str(self.start.year)]
        if self.precision != "year":
            parts.insert(0, MONTH_NAMES_FR[self.start.month - 1])
        if self.precision == "day":
            parts.insert(0, "1er" if self.start.day == 1 else str(self.start.day))
        return " ".join(parts)

    def overlaps(self, other: Period) -> bool:
        """True when the two spans share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def __str__(self) -> str:
        """The date as precisely as it is known: "2023", "2023-11" or "2023-11-01"."""
        return {"year": self.iso[:4], "month": self.iso[:7]}.get(self.precision, self.iso)


def day_number(day: date) -> int:
    """2023-11-01 -> 20231101: how the index stores and compares days."""
    return day.year * 10000 + day.month * 100 + day.day


def day_of_number(n: int) -> date:
    """20231101 -> 2023-11-01."""
    return date(n // 10000, n // 100 % 100, n % 100)


def _period(year: int, month: int | None = None, day: int | None = None) -> Period | None:
    """The period for these numbers, or None for an impossible date."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if month is None:
        return Period.of_year(year)
    if not 1 <= month <= 12:
        return None
    if day is None:
        return Period.of_month(year, month)
    try:
        return Period.of_day(date(year, month, day))
    except ValueError:  # 30 February and the like
        return None


def _number(match: re.Match[str], group: str) -> int | None:
    # int() reads any Unicode digit, so Arabic-Indic "٢٠٢٣" works like "2023".
    text = match.groupdict().get(group)
    return int(text) if text else None


def _from_numbers(match: re.Match[str]) -> Period | None:
    return _period(_number(match, "y") or 0, _number(match, "m"), _number(match, "d"))


def _from_words(match: re.Match[str]) -> Period | None:
    month = _MONTHS.get(fold(match["month"]))
    if month is None:  # "le 12 personnes 2023": the word is not a month
        return None
    return _period(int(match["y"]), month, _number(match, "d"))


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], Optional[Period]]]

# A time after an ISO day ("2023-11-01T08:30:00+01:00") is read and dropped:
# the day as written is the day of the report.
_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_FRENCH = (
    r"(?<!\w)(?:(?:le\s+)?(?:(?:" + "|".join(WEEKDAYS_FR) + r")\s+)?(?P<d>\d{1,2})(?:er|ᵉʳ)?\s+"
    r"|(?:mi|d[ée]but|fin)[-\s]+)?"  # mi-, début, fin: the month is all they say
    r"(?P<month>[^\W\d_]+)\.?\s+(?P<y>\d{4})(?!\d)"
)

# Rules that are safe to look for inside any text, such as a title.
_SEARCH_RULES: list[_Rule] = [
    (re.compile(r"(?<!\d)(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})"
                r"(?:(?P=sep)(?P<d>\d{1,2})" + _TIME + r")?(?![\d:])"), _from_numbers),
    (re.compile(r"(?<!\d)(?P<d>\d{1,2})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)"),
     _from_numbers),
    (re.compile(_FRENCH, re.IGNORECASE), _from_words),
    (re.compile(r"\((?P<y>\d{4})\)"), _from_numbers),  # "Bilan (2023)"
]
# Rules for a text that is known to be a date: inside a title, "1500 morts"
# is not a year and "3/2023" may be anything.
_WHOLE_RULES: list[_Rule] = _SEARCH_RULES + [
    (re.compile(r"(?<!\d)(?P<y>\d{4})(?!\d)"), _from_numbers),
    (re.compile(r"(?<!\d)(?P<m>\d{1,2})[-/.](?P<y>\d{4})(?!\d)"), _from_numbers),
]


def parse_date(text: object) -> Period | None:
    """The date that ``text`` is, as a whole, or None.

    >>> str(parse_date("1er nov. 2023")), str(parse_date("01/11/2023")), parse_date("2023-02-30")
    ('2023-11-01', '2023-11-01', None)
    """
    if not isinstance(text, str):
        return None
    text = text.strip()
    for pattern, build in _WHOLE_RULES:
        match = pattern.fullmatch(text)
        if match and (period := build(match)):
            return period
    return None


def match_date(text: str) -> tuple[Period, str] | None:
    """The date at the very start of ``text`` and the text after it, or None.

    >>> period, rest = match_date("2023-11 Revue de presse")
    >>> str(period), rest
    ('2023-11', ' Revue de presse')
    """
    best: tuple[Period, int] | None = None
    for pattern, build in _WHOLE_RULES:
        match = pattern.match(text)
        # The longest reading wins: "2023-11" rather than the year "2023".
        if match and (best is None or match.end() > best[1]) and (period := build(match)):
            best = (period, match.end())
    return None if best is None else (best[0], text[best[1]:])


def find_date(text: str) -> Period | None:
    """The first date inside ``text``, or None.

    >>> str(find_date("Revue de presse : Perspectives Med (1er novembre 2023)"))
    '2023-11-01'
    """
    if not isinstance(text, str):
        return None
    found: list[tuple[int, int, Period]] = []
    for pattern, build in _SEARCH_RULES:
        for match in pattern.finditer(text):
            if period := build(match):
                found.append((match.start(), -match.end(), period))
                break
    return min(found, key=lambda item: item[:2])[2] if found else None


_BOUND = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


def parse_bound(text: str, end: bool) -> Period:
    """A ``from`` (``end=False``) or ``to`` (``end=True``) filter of the API.

    The period is the same either way: the caller takes ``.start`` of a
    from-bound and ``.end`` of a to-bound, so "to=2023-11" includes the whole
    of November.  The messages are French, as the API's are.

    >>> parse_bound("2023-11", end=True).end.isoformat()
    '2023-11-30'
    """
    match = _BOUND.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise DateError(f"« {text} » n'est pas une date AAAA, AAAA-MM ou AAAA-MM-JJ")
    numbers = [int(group) if group else None for group in match.groups()]
    period = _period(numbers[0] or 0, numbers[1], numbers[2])
    if period is None:
        raise DateError(f"« {text} » : cette date n'existe pas")
    return period


_MONTH_ALONE = re.compile(r"(?:(?:le\s+)?\d{1,2}(?:er)?\s+)?(?P<month>[^\W\d_]+)\.?", re.IGNORECASE)
EXAMPLES = "2016, juillet 2016, 15 juillet 2016, 15/07/2016 ou 2016-07-15"


def read_bound(text: str) -> Period:
    """A date as an analyst types it in a "du" / "au" box: ISO first, then the French forms.

    >>> [str(read_bound(t)) for t in ("2016-07", "juillet 2016", "15/07/2016", "1er juil. 2016", " 2016 ")]
    ['2016-07', '2016-07', '2016-07-15', '2016-07-01', '2016']
    """
    if not isinstance(text, str) or not text.strip():
        raise DateError("date vide")
    stripped = " ".join(text.split())
    if _BOUND.fullmatch(stripped):
        return parse_bound(stripped, end=False)
    period = parse_date(stripped)
    if period is not None:
        return period
    alone = _MONTH_ALONE.fullmatch(stripped)
    if alone and fold(alone["month"]) in _MONTHS:
        raise DateError(f"« {stripped} » : précisez l'année (par exemple {stripped} 2016)")
    raise DateError(f"« {stripped} » n'est pas une date lisible : écrivez par exemple {EXAMPLES}")


def more_precise(header: Period | None, title: Period | None) -> Period | None:
    """The date of a report that gives one in its header and one in its title.

    When they agree (one contains the other) the more precise one wins; when
    they disagree the header wins, since someone wrote it down on purpose.

    >>> str(more_precise(parse_date("2023-11"), parse_date("1er novembre 2023")))
    '2023-11-01'
    """
    if header is None or title is None:
        return header or title
    return title if header.contains(title) else header


def period_of(start: int, end: int, precision: str | None) -> Period | None:
    """The period of a report as an index stores it (YYYYMMDD numbers; 0: undated)."""
    if not start or not precision:
        return None
    return Period(day_of_number(start), day_of_number(end), precision)
