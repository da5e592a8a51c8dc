"""The contracts summary as one self-contained HTML page (Jinja2 with autoescaping, inline SVG)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import cache

from jinja2 import Environment

from rootout import __version__
from rootout.ingest.scan import InputRecord
from rootout.procurement.analysis import Summary
from rootout.procurement.export import source, vendors
from rootout.procurement.timeline import timeline
from rootout.report.templating import autoescaped

MAX_ROWS = 2000
"""Rows of the full action list shown in the page (the CSV and JSON have them all)."""


@cache
def _environment() -> Environment:
    return autoescaped("rootout.procurement")


def money(amount: Decimal | None) -> str:
    """'$1,234.50', '-$3,100.00' (a deobligation); '' when there is no amount."""
    if amount is None:
        return ""
    return f"-${-amount:,.2f}" if amount < 0 else f"${amount:,.2f}"


def key_numbers(summary: Summary) -> list[tuple[str, str]]:
    purchases = summary.purchases
    after = summary.after_prohibition
    removals = [a for a in summary.actions if not a.purchases]
    return [
        ("purchase actions", str(len(purchases))),
        ("purchased", money(sum((a.amount or Decimal(0) for a in purchases), Decimal(0)))),
        ("after a prohibition", str(len(after))),
        ("amount after", money(sum((a.amount or Decimal(0) for a in after), Decimal(0)))),
        ("removal actions", str(len(removals))),
        ("agencies", str(len({a.get("agency") for a in purchases}))),
    ]


def to_html(
    summary: Summary,
    inputs: Sequence[InputRecord] = (),
    *,
    scan_id: str = "",
    catalog_version: str = "",
) -> str:
    return (
        _environment()
        .get_template("contracts.html.j2")
        .render(
            summary=summary,
            after=summary.after_prohibition,
            numbers=key_numbers(summary),
            chart=timeline(summary.actions, summary.rules, "Contract actions by fiscal year"),
            inputs=inputs,
            shown=min(len(summary.actions), MAX_ROWS),
            vendors=vendors,
            source=source,
            money=money,
            scan_id=scan_id,
            catalog_version=catalog_version,
            generated=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            version=__version__,
        )
    )
