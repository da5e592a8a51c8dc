"""Business-day arithmetic on the US federal calendar: weekends, holidays, observed dates."""

from __future__ import annotations

import datetime as dt

import pytest

from rootout.cases.businessdays import US_FEDERAL, BusinessCalendar, add_days
from rootout.catalog.model import DayUnit
from rootout.errors import ConfigError

D = dt.date.fromisoformat
B, C = DayUnit.BUSINESS, DayUnit.CALENDAR


@pytest.mark.parametrize(
    ("holiday", "observed"),
    [
        ("2021-07-04", "2021-07-05"),  # Sunday -> Monday
        ("2020-07-04", "2020-07-03"),  # Saturday -> Friday
        ("2022-12-25", "2022-12-26"),  # Sunday -> Monday
        ("2023-11-11", "2023-11-10"),  # Saturday -> Friday
        ("2022-01-01", "2021-12-31"),  # Saturday -> Friday of the previous year
        ("2021-06-19", "2021-06-18"),  # Juneteenth, first year, Saturday -> Friday
    ],
)
def test_weekend_holidays_are_observed_on_the_nearest_weekday(holiday: str, observed: str) -> None:
    assert D(holiday).weekday() >= 5
    assert not US_FEDERAL.is_business_day(D(observed))
    assert "observed" in (US_FEDERAL.closed_for(D(observed)) or "")


@pytest.mark.parametrize(
    ("start", "days", "unit", "due", "why"),
    [
        ("2025-03-03", 1, B, "2025-03-04", "Monday: day 1 is Tuesday, not the start day"),
        ("2025-03-03", 3, B, "2025-03-06", "three plain weekdays"),
        ("2025-03-07", 1, B, "2025-03-10", "Friday: the weekend does not count"),
        ("2025-03-08", 1, B, "2025-03-10", "identified on a Saturday: day 1 is Monday"),
        ("2025-03-09", 3, B, "2025-03-12", "identified on a Sunday"),
        ("2025-01-17", 1, B, "2025-01-21", "Friday before Martin Luther King Jr. Day"),
        ("2025-11-26", 1, B, "2025-11-28", "Thanksgiving Thursday skipped"),
        ("2025-12-24", 3, B, "2025-12-30", "Christmas Thursday and a weekend skipped"),
        ("2020-07-02", 1, B, "2020-07-06", "Friday 2020-07-03 observes Saturday's July 4"),
        ("2021-07-02", 1, B, "2021-07-06", "Monday 2021-07-05 observes Sunday's July 4"),
        ("2022-12-23", 1, B, "2022-12-27", "Monday 2022-12-26 observes Sunday's Christmas"),
        ("2023-11-09", 1, B, "2023-11-13", "Friday 2023-11-10 observes Saturday's Veterans Day"),
        ("2021-12-30", 1, B, "2022-01-03", "Friday 2021-12-31 observes New Year's Day 2022"),
        ("2023-12-01", 10, B, "2023-12-15", "ten business days, two weekends"),
        ("2025-06-18", 10, B, "2025-07-03", "Juneteenth skipped"),
        ("2025-06-26", 10, B, "2025-07-11", "Independence Day skipped"),
        ("2017-09-13", 30, C, "2017-10-13", "BOD 17-01 day 30"),
        ("2017-09-13", 60, C, "2017-11-12", "BOD 17-01 day 60, a Sunday: calendar days"),
        ("2017-09-13", 90, C, "2017-12-12", "BOD 17-01 day 90"),
        ("2025-03-07", 0, B, "2025-03-07", "zero days is the start date"),
    ],
)
def test_deadline_table(start: str, days: int, unit: DayUnit, due: str, why: str) -> None:
    assert add_days(D(start), days, unit, US_FEDERAL) == D(due), why


def test_extra_closures_and_subdivision_holidays_count() -> None:
    closed = BusinessCalendar(closures=frozenset({D("2025-01-09")}))  # a national day of mourning
    assert add_days(D("2025-01-08"), 1, B, US_FEDERAL) == D("2025-01-09")
    assert add_days(D("2025-01-08"), 1, B, closed) == D("2025-01-10")
    dc = BusinessCalendar(subdivision="DC")  # Inauguration Day is a DC-area holiday
    assert US_FEDERAL.is_business_day(D("2021-01-20"))
    assert not dc.is_business_day(D("2021-01-20"))


def test_government_category_adds_executive_order_closures() -> None:
    christmas_eve = D("2024-12-24")
    assert US_FEDERAL.is_business_day(christmas_eve)
    with_closures = BusinessCalendar(categories=("public", "government"))
    assert not with_closures.is_business_day(christmas_eve)


def test_unknown_calendars_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="QQ"):
        BusinessCalendar(country="QQ").is_business_day(D("2025-01-02"))
    with pytest.raises(ConfigError, match="XX"):
        BusinessCalendar(subdivision="XX").is_business_day(D("2025-01-02"))


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_days(D("2025-01-02"), -1, B, US_FEDERAL)
