"""Catalog dates with honest precision.

Public sources often give only a year ("from Junos 9.5, about 2009") or a month
("Honor left Huawei in November 2020"). A :class:`PartialDate` keeps that
precision instead of inventing a day. Intervals built from partial dates are
*inclusive of the whole uncertain period at both ends*: a relation valid "to
2020-11" still holds on 2020-11-30. Uncertain boundaries therefore resolve
towards coverage, and the explanation shows the date as written.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
JSON_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and 1000 <= value <= 9999:
            return cls(value)
        if not isinstance(value, str):
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        match = _PATTERN.match(value.strip())
        if not match:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        result = cls(year, month, day)
        try:
            result.start()
        except ValueError as exc:
            raise ValueError(f"not a calendar date: {value!r} ({exc})") from None
        return result

    def start(self) -> dt.date:
        """First day the date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def end(self) -> dt.date:
        """Last day the date can mean."""
        if self.month is None:
            return dt.date(self.year, 12, 31)
        if self.day is None:
            return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return dt.date(self.year, self.month, self.day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _parse(value: Any) -> PartialDate:
    return PartialDate.parse(value)


CatalogDate = Annotated[
    PartialDate,
    BeforeValidator(_parse),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": JSON_PATTERN}),
]


def in_interval(on: dt.date, start: PartialDate | None, end: PartialDate | None) -> bool:
    """Whether ``on`` falls in [start, end], each end widened to its whole period."""
    if start is not None and on < start.start():
        return False
    return not (end is not None and on > end.end())
