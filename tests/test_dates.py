"""Dates at their own precision: parse_date, find_date, match_date, parse_bound, more_precise."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.errors import BadRequest
from search.ingest.dates import DateError, Period, find_date, match_date, more_precise, parse_bound, parse_date


def span(period):
    return (str(period), period.precision, period.start.isoformat(), period.end.isoformat())


@pytest.mark.parametrize("text, expected", [
    ("2023", ("2023", "year", "2023-01-01", "2023-12-31")),
    ("2023-11", ("2023-11", "month", "2023-11-01", "2023-11-30")),
    ("2024-02", ("2024-02", "month", "2024-02-01", "2024-02-29")),
    ("2023-11-01", ("2023-11-01", "day", "2023-11-01", "2023-11-01")),
    ("2023/11/01", ("2023-11-01", "day", "2023-11-01", "2023-11-01")),
    ("01/11/2023", ("2023-11-01", "day", "2023-11-01", "2023-11-01")),  # day first, as in French
    ("2023-11-01T08:30:00+01:00", ("2023-11-01", "day", "2023-11-01", "2023-11-01")),
    ("  2023-11  ", ("2023-11", "month", "2023-11-01", "2023-11-30")),
])
def test_numeric_dates_at_each_precision(text, expected):
    assert span(parse_date(text)) == expected


@pytest.mark.parametrize("text, expected", [
    ("1er novembre 2023", "2023-11-01"),
    ("1 nov. 2023", "2023-11-01"),
    ("1ᵉʳ novembre 2023", "2023-11-01"),
    ("mercredi 1er novembre 2023", "2023-11-01"),
    ("1\u00a0novembre\u00a02023", "2023-11-01"),  # no-break spaces, as typeset
    ("novembre 2023", "2023-11"),
    ("Novembre 2023", "2023-11"),
    ("NOVEMBRE 2023", "2023-11"),
    ("mi-novembre 2023", "2023-11"),
    ("début mars 2020", "2020-03"),
    ("février 2024", "2024-02"),
    ("fevrier 2024", "2024-02"),
    ("29 février 2024", "2024-02-29"),
    ("août 2020", "2020-08"),
    ("aout 2020", "2020-08"),
    ("Août 2020", "2020-08"),
    ("décembre 1999", "1999-12"),
    ("decembre 1999", "1999-12"),
    ("déc. 1999", "1999-12"),
    ("sept. 2019", "2019-09"),
])
def test_french_dates_with_and_without_accents(text, expected):
    assert str(parse_date(text)) == expected


@pytest.mark.parametrize("text", [
    "2023-02-30", "2023-13", "2023-00", "2023-11-31", "31/04/2023", "29 février 2023",
    "32 janvier 2023", "999", "3000", "0999-01-01", "Syrie 2023", "", "   ", "hier",
    "2023-11-01 et 2023-11-02", None, 2023,
])
def test_impossible_or_unknown_dates_are_none(text):
    assert parse_date(text) is None


def test_labels_and_month_keys():
    assert [parse_date(t).label_fr for t in ("2023", "2023-11", "2023-11-01", "2020-08")] == [
        "2023", "novembre 2023", "1er novembre 2023", "août 2020"]
    assert [parse_date(t).month for t in ("2023", "2023-11", "2023-11-01")] == [None, "2023-11", "2023-11"]
    assert parse_date("2023-11").iso == "2023-11-01"


def test_a_month_overlaps_a_range_starting_inside_it():
    # Filtering from 2023-11-20 must keep a report dated only "2023-11".
    november = parse_date("2023-11")
    assert november.overlaps(Period(date(2023, 11, 20), date(2024, 1, 31), "day"))
    assert not november.overlaps(parse_bound("2023-12", end=False))
    assert parse_date("2023").overlaps(parse_date("2023-06-15"))
    assert not parse_date("2023-11-01").overlaps(parse_date("2023-11-02"))


@pytest.mark.parametrize("title, expected", [
    ("Revue de presse : Perspectives Med (1er novembre 2023)*", "2023-11-01"),
    ("Gaza, le 4 mai 2021 : reprise des frappes", "2021-05-04"),
    ("Rapport du 2023-11-05 sur Alep", "2023-11-05"),
    ("Rapport 05/11/2023", "2023-11-05"),
    ("Bilan (2023)", "2023"),
    ("Point de situation, mi-octobre 2023", "2023-10"),
    ("Syrie 2023 puis 3 mars 2022", "2022-03-03"),  # "Syrie" is no month
    ("Résolution 2023-24, adoptée en juin 2023", "2023-06"),  # no 24th month
])
def test_find_date_in_a_title(title, expected):
    assert str(find_date(title)) == expected


@pytest.mark.parametrize("title", ["1500 morts en Syrie", "Les 12 travaux", "Rapports sur une autre attaque"])
def test_find_date_does_not_take_counts_for_years(title):
    assert find_date(title) is None


def test_match_date_reads_the_start_only():
    period, rest = match_date("2023-11 Revue de presse")
    assert (str(period), rest) == ("2023-11", " Revue de presse")
    assert str(match_date("1er novembre 2023")[0]) == "2023-11-01"
    assert match_date("limite de dépôt") is None
    assert match_date("le rapport du 1er novembre 2023") is None


@pytest.mark.parametrize("text, end, first, last, precision", [
    ("2023", False, "2023-01-01", "2023-12-31", "year"),
    ("2023-02", True, "2023-02-01", "2023-02-28", "month"),
    ("2023-11-20", False, "2023-11-20", "2023-11-20", "day"),
    (" 2023-11-20 ", True, "2023-11-20", "2023-11-20", "day"),
])
def test_parse_bound(text, end, first, last, precision):
    period = parse_bound(text, end=end)
    assert (period.start.isoformat(), period.end.isoformat(), period.precision) == (first, last, precision)


@pytest.mark.parametrize("text", [
    "2023-02-30", "2023-13", "2023/11/01", "01/11/2023", "novembre 2023", "2023-1", "23", "", "0999", "٢٠٢٣",
])
def test_parse_bound_rejects_anything_else(text):
    # The message is shown to the user as is.
    with pytest.raises(DateError) as error:
        parse_bound(text, end=True)
    assert f"« {text} »" in str(error.value)
    assert isinstance(error.value, BadRequest) and error.value.status == 400


def test_more_precise_keeps_the_precise_date_when_they_agree():
    month, day = parse_date("2023-11"), parse_date("1er novembre 2023")
    assert more_precise(month, day) == day
    assert more_precise(day, month) == day
    assert more_precise(None, month) == month
    assert more_precise(month, None) == month
    assert more_precise(None, None) is None


def test_more_precise_prefers_the_header_when_they_disagree():
    header, title = parse_date("2023-10"), parse_date("1er novembre 2023")
    assert more_precise(header, title) == header


@given(st.text())
def test_readers_never_raise(text):
    parse_date(text)
    find_date(text)
    match_date(text)


@given(st.from_regex(r"[0-9٠-٩ /.:T+-]{0,30}|(1er|[0-9]{1,2}|mi-)? ?[a-zéû]{3,9}\.? [0-9]{4}", fullmatch=True))
def test_date_like_text_reads_the_same_whole_or_at_the_start(text):
    whole = parse_date(text)
    if whole is not None:
        assert match_date(text.strip()) == (whole, "")
    try:
        parse_bound(text, end=False)
    except DateError:  # the only exception a bad bound may raise
        pass


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)))
def test_every_day_reads_back_from_its_own_forms(day):
    period = Period.of_day(day)
    assert parse_date(str(period)) == period
    assert parse_date(period.label_fr) == period
    assert parse_date(day.strftime("%d/%m/%Y")) == period
    assert find_date(f"Revue de presse : X ({period.label_fr})") == period
