"""Time as the store keeps it: every stored moment is UTC.

SQLite hands timestamps back naive and PostgreSQL hands them back aware, so
whatever reads a stored moment passes it through :func:`as_utc` before
comparing, formatting or sending it.
"""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` in UTC; a naive one is taken to be UTC already (the store writes only UTC)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
