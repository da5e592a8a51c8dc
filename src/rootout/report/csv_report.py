"""``--format csv``: one row per finding in scope, formula-safe (``csvsafe``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rootout.catalog.catalog import Catalog
from rootout.report import facts
from rootout.report.csvsafe import write_csv
from rootout.report.data import ReportData

COLUMNS = (
    "id",
    "status",
    "basis",
    "confidence",
    "historical",
    "entity",
    "entity_id",
    "matched_entity",
    "product",
    "asset",
    "asset_key",
    "matched_field",
    "matched_value",
    "legal_bases_in_force",
    "legal_bases",
    "source",
    "observed_on",
    "first_seen_scan",
    "last_seen_scan",
    "gone_in_scan",
    "case",
)


def _row(row: dict[str, Any], catalog: Catalog, case_of: dict[str, str]) -> list[object]:
    return [
        row["id"],
        row["status"],
        row["basis"],
        row["confidence"],
        "true" if row["historical"] else "false",
        facts.entity_name(catalog, row["entity"]),
        row["entity"],
        facts.entity_name(catalog, row["matched_entity"]),
        facts.product_name(catalog, row["product"]),
        facts.asset_name(row),
        row["asset_key"],
        row["matched_field"],
        row["matched_value"],
        ";".join(facts.in_force(row)),
        facts.legal_text(row),
        facts.where(row),
        row["observed_on"],
        row["first_seen_scan"],
        row["last_seen_scan"],
        row["gone_in_scan"] or "",
        case_of.get(row["id"], ""),
    ]


def findings_csv(
    rows: Iterable[dict[str, Any]], catalog: Catalog, case_of: dict[str, str] | None = None
) -> str:
    """Stored finding rows as CSV: the one column set of the report and ``rootout findings``."""
    return write_csv(COLUMNS, (_row(r, catalog, case_of or {}) for r in rows))


def render(data: ReportData) -> str:
    case_of = {fid: case.id for case in data.cases or () for fid in case.finding_ids}
    return findings_csv(data.findings, data.catalog, case_of)
