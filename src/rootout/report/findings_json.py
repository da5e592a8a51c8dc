"""The public JSON shape of one finding (documented in docs/findings.md; stable)."""

from __future__ import annotations

from typing import Any

from rootout.catalog.catalog import Catalog

FINDING_FIELDS = (
    "id",
    "status",
    "basis",
    "confidence",
    "historical",
    "entity",
    "matched_entity",
    "product",
    "signature",
    "evidence",
    "asset",
    "matched",
    "observation",
    "legal",
    "explanation",
    "observed_on",
    "first_seen_scan",
    "last_seen_scan",
    "gone_in_scan",
)


def _named(catalog: Catalog, table: str, object_id: str | None) -> dict[str, str] | None:
    if object_id is None:
        return None
    obj = getattr(catalog, table).get(object_id)
    return {"id": object_id, "name": obj.name if obj is not None else object_id}


def finding_json(row: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    observation = dict(row["observation"])
    asset = observation.pop("asset")
    result = {
        "id": row["id"],
        "status": row["status"],
        "basis": row["basis"],
        "confidence": row["confidence"],
        "historical": bool(row["historical"]),
        "entity": _named(catalog, "entities", row["entity"]),
        "matched_entity": _named(catalog, "entities", row["matched_entity"]),
        "product": _named(catalog, "products", row["product"]),
        "signature": row["signature"],
        "evidence": row["evidence"],
        "asset": asset,
        "matched": {"field": row["matched_field"], "value": row["matched_value"]},
        "observation": observation,
        "legal": row["legal"],
        "explanation": row["explanation"],
        "observed_on": row["observed_on"],
        "first_seen_scan": row["first_seen_scan"],
        "last_seen_scan": row["last_seen_scan"],
        "gone_in_scan": row["gone_in_scan"],
    }
    assert tuple(result) == FINDING_FIELDS
    return result
