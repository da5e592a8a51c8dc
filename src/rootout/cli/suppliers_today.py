"""``--today`` of the ``rootout suppliers`` commands: one parser, one message for a bad date,
read before the store is opened."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from rootout.errors import InputError, Location

if TYPE_CHECKING:
    from sqlalchemy import Engine


def parse_today(value: str | None) -> dt.date:
    """The date ``--today`` names (ISO, e.g. 2026-11-28), or today's date when it is not given."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(Location("--today"), f"not an ISO date (YYYY-MM-DD): {value!r}") from None


def open_store(db: str | None, today: str | None) -> tuple[Engine, dt.date]:
    """The store and the ``--today`` date; a bad date is refused before the store is opened."""
    from rootout.store.db import connect

    day = parse_today(today)
    return connect(db), day
