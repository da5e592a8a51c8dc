from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rootout.catalog.dates import PartialDate, in_interval


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2020", dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        ("2020-11", dt.date(2020, 11, 1), dt.date(2020, 11, 30)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
        ("2022-03-25", dt.date(2022, 3, 25), dt.date(2022, 3, 25)),
    ],
)
def test_partial_dates_cover_their_whole_period(text: str, start: dt.date, end: dt.date) -> None:
    date = PartialDate.parse(text)
    assert (date.start(), date.end()) == (start, end)
    assert str(date) == text


@pytest.mark.parametrize(
    "bad", ["2020-13", "2020-02-30", "20-01-01", "November 2020", "", None, 3.5]
)
def test_invalid_dates_are_rejected(bad: object) -> None:
    with pytest.raises(ValueError, match="date"):
        PartialDate.parse(bad)


def test_honor_left_huawei_in_november_2020_interval() -> None:
    # An end known only to the month still holds on the last day of that month,
    # and no longer holds the day after.
    end = PartialDate.parse("2020-11")
    assert in_interval(dt.date(2020, 11, 30), None, end)
    assert not in_interval(dt.date(2020, 12, 1), None, end)


def test_open_intervals() -> None:
    start = PartialDate.parse("2022-03-25")
    assert not in_interval(dt.date(2022, 3, 24), start, None)
    assert in_interval(dt.date(2022, 3, 25), start, None)
    assert in_interval(dt.date(2099, 1, 1), start, None)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_round_trip(day: dt.date) -> None:
    parsed = PartialDate.parse(day.isoformat())
    assert parsed.start() == parsed.end() == day
    assert PartialDate.parse(str(parsed)) == parsed
