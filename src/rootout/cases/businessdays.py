"""Business days: Monday to Friday, minus the holidays and closures of a calendar.

The default calendar is the US federal one from the ``holidays`` library
(``holidays.country_holidays("US")``, category ``public``: the holidays of
5 U.S.C. 6103, each with its observed date: a holiday on a Saturday is observed
on the Friday before, one on a Sunday on the Monday after). Treating a FAR
"business day" as Monday to Friday minus federal holidays is an interpretation
(regulations.md, "What this means for the tool" §5), so the calendar is
configurable: another country or subdivision, the ``government`` category
(one-off executive-order closures), and extra closure dates.

Counting convention: day 1 is the first business day *after* the start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

import holidays

from rootout.catalog.model import DayUnit
from rootout.errors import ConfigError


class Calendar(Protocol):
    def is_business_day(self, day: dt.date) -> bool: ...


@dataclass(frozen=True)
class BusinessCalendar:
    """A working-day calendar: weekends, a ``holidays`` country calendar and extra closures."""

    country: str = "US"
    subdivision: str | None = None
    categories: tuple[str, ...] = ("public",)
    closures: frozenset[dt.date] = field(default_factory=frozenset)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        try:
            return holidays.country_holidays(
                self.country, subdiv=self.subdivision, categories=self.categories
            )
        except (NotImplementedError, ValueError) as exc:  # unknown country, subdivision, category
            raise ConfigError(f"case policy calendar: {exc}") from exc

    def closed_for(self, day: dt.date) -> str | None:
        """Why ``day`` is not a business day (``None`` when it is one)."""
        if day.weekday() >= 5:
            return day.strftime("%A")
        if day in self.closures:
            return "closure listed in the case policy"
        name = self._holidays.get(day)
        return str(name) if name else None

    def is_business_day(self, day: dt.date) -> bool:
        return self.closed_for(day) is None

    def describe(self) -> str:
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        extra = f", {len(self.closures)} extra closure(s)" if self.closures else ""
        return f"{where} holidays ({', '.join(self.categories)}), Monday to Friday{extra}"


US_FEDERAL = BusinessCalendar()


def add_days(start: dt.date, days: int, unit: DayUnit, calendar: Calendar) -> dt.date:
    """The date ``days`` days of ``unit`` after ``start``.

    Calendar days simply add. Business days count only days the calendar is open,
    starting with the first one after ``start`` (``start`` itself never counts, even
    when it is a business day); zero days is ``start``.
    """
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if unit is DayUnit.CALENDAR:
        return start + dt.timedelta(days=days)
    day, remaining = start, days
    while remaining:
        day += dt.timedelta(days=1)
        if calendar.is_business_day(day):
            remaining -= 1
    return day
