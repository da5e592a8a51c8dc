"""``--today`` of the ``rootout suppliers`` commands: one parser, one message for a bad date."""

from __future__ import annotations

import datetime as dt

from rootout.errors import InputError, Location


def parse_today(value: str | None) -> dt.date:
    """The date ``--today`` names (ISO, e.g. 2026-11-28), or today's date when it is not given."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(Location("--today"), f"not an ISO date (YYYY-MM-DD): {value!r}") from None
