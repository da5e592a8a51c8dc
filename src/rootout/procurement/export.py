"""The contracts summary as CSV (one row per action) and JSON (everything).

CSV goes through :func:`rootout.report.csvsafe.write_csv`: a cell a spreadsheet
would run as a formula is prefixed with ``'`` (so is a negative amount such as
a deobligation, ``'-3100.00``: CSV consumers that sum amounts should read the
JSON, whose amounts are exact decimal strings).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from rootout import __version__
from rootout.ingest.scan import InputRecord
from rootout.procurement.actions import Action
from rootout.procurement.analysis import Summary, Total
from rootout.report.csvsafe import write_csv

ACTION_COLUMNS = (
    "action_date",
    "fiscal_year",
    "agency",
    "sub_agency",
    "office",
    "recipient",
    "recipient_parent",
    "recipient_uei",
    "covered_vendors",
    "channel",
    "removal_of",
    "amount",
    "after_prohibition",
    "rules_in_force",
    "psc",
    "naics",
    "piid",
    "parent_piid",
    "award_key",
    "transaction_key",
    "description",
    "finding_ids",
    "source",
)


def vendors(action: Action, *, removal: bool = False) -> str:
    chosen = action.removals if removal else action.purchases
    return "; ".join(sorted({f"{i.entity_name} ({i.via.value})" for i in chosen}))


def source(action: Action) -> str:
    return f"{action.path}:{action.line}" if action.line else f"{action.path} row {action.row}"


def action_cells(action: Action) -> list[object]:
    return [
        action.on.isoformat() if action.on else "",
        action.get("fiscal_year"),
        action.get("agency"),
        action.get("sub_agency"),
        action.get("office"),
        action.get("recipient"),
        action.get("parent_name"),
        action.get("uei"),
        vendors(action),
        action.channel,
        vendors(action, removal=True),
        action.get("amount"),
        "yes" if action.in_force else "no",
        "; ".join(action.in_force),
        action.get("psc"),
        action.get("naics"),
        action.get("piid"),
        action.get("parent_piid"),
        action.get("award_key"),
        action.get("transaction_key"),
        action.get("description") or action.get("base_description"),
        " ".join(sorted({i.finding_id for i in action.involvements})),
        source(action),
    ]


def to_csv(summary: Summary) -> str:
    return write_csv(ACTION_COLUMNS, (action_cells(a) for a in summary.actions))


def _total(total: Total, names: Sequence[str]) -> dict[str, Any]:
    return {
        **dict(zip(names, total.key, strict=True)),
        "actions": total.actions,
        "amount": str(total.amount),
    }


def _action(action: Action) -> dict[str, Any]:
    return {
        **dict(zip(ACTION_COLUMNS, (str(c) for c in action_cells(action)), strict=True)),
        "involvements": [
            {
                "entity": i.entity,
                "entity_name": i.entity_name,
                "via": i.via.value,
                "removal": i.removal,
                "product": i.product,
                "confidence": i.confidence.value,
                "finding_id": i.finding_id,
                "matched": {"field": i.matched_field, "value": i.matched_value},
                "legal": [{"short": r.short, "status": r.status.value} for r in i.legal],
            }
            for i in action.involvements
        ],
    }


def to_json(summary: Summary, inputs: Sequence[InputRecord] = (), scan_id: str = "") -> str:
    document = {
        "tool": f"rootout {__version__}",
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scan_id": scan_id,
        "inputs": [
            {
                "path": r.path,
                "status": r.status.value,
                "format": r.format,
                "records": r.count,
                "bad_records": r.bad_records,
                "error": r.error,
            }
            for r in inputs
        ],
        "totals": {
            "by_agency_year": [
                _total(t, ("agency", "fiscal_year")) for t in summary.by_agency_year
            ],
            "by_recipient": [_total(t, ("recipient", "channel")) for t in summary.by_recipient],
            "by_channel": [_total(t, ("channel",)) for t in summary.by_channel],
            "by_vendor": [_total(t, ("vendor", "purpose")) for t in summary.by_vendor],
        },
        "rules": [
            {
                "rule": r.short,
                "vendors": list(r.vendors),
                "effective_from": r.effective_from,
                "actions_after": r.actions_after,
                "amount_after": str(r.amount_after),
            }
            for r in summary.rules
        ],
        "first_purchases": [
            {
                "agency": f.agency,
                "date": f.on.isoformat() if f.on else None,
                "vendor": f.vendor,
                "recipient": f.recipient,
                "channel": f.channel,
                "description": f.description,
            }
            for f in summary.first_purchases
        ],
        "duplicates": [
            {"key": d.key, "kept": d.kept, "dropped": d.dropped} for d in summary.duplicates
        ],
        "superseded_award_summaries": summary.superseded_awards,
        "unreadable_amounts": summary.unreadable_amounts,
        "actions": [_action(a) for a in summary.actions],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=_default) + "\n"


def _default(value: object) -> str:
    if isinstance(value, Decimal | dt.date):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
