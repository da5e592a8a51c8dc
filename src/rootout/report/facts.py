"""Small pure helpers every report uses to read finding rows and name things."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from rootout.catalog.catalog import Catalog
from rootout.report.data import ReportData, ScanView

SEVERITY_BY_CONFIDENCE = {"high": "error", "medium": "warning", "low": "note"}


def entity_name(catalog: Catalog, entity_id: str | None) -> str:
    if not entity_id:
        return ""
    entity = catalog.entities.get(entity_id)
    return entity.name if entity else entity_id


def product_name(catalog: Catalog, product_id: str | None) -> str:
    if not product_id:
        return ""
    product = catalog.products.get(product_id)
    return product.name if product else product_id


def asset_name(row: dict[str, Any]) -> str:
    return str(row["observation"]["asset"]["name"])


def source_of(row: dict[str, Any]) -> tuple[str, int]:
    source = row["observation"]["source"]
    return str(source["path"]), int(source["line"] or 0)


def where(row: dict[str, Any]) -> str:
    path, line = source_of(row)
    return f"{path}:{line}" if line else path


def in_force(row: dict[str, Any]) -> list[str]:
    """Short names of the legal bases in force for the finding on its observation date."""
    return sorted({ref["short"] for ref in row["legal"] if ref["status"] == "in_force"})


def under(row: dict[str, Any], legal_basis: str) -> bool:
    """The finding falls under ``legal_basis`` (in force on its observation date)."""
    return any(
        ref["legal_basis"] == legal_basis and ref["status"] == "in_force" for ref in row["legal"]
    )


def legal_text(row: dict[str, Any]) -> str:
    return "; ".join(
        ref["short"] + ("" if ref["status"] == "in_force" else " (historical)")
        for ref in row["legal"]
    )


def what(row: dict[str, Any], catalog: Catalog) -> str:
    """What was found: the catalog product, else the observed name, else the matched value."""
    named = row["observation"]["fields"].get("name")
    return product_name(catalog, row["product"]) or str(named or row["matched_value"])


def fmt_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def scan_title(scan: ScanView) -> str:
    label = f" ({scan.label})" if scan.label else ""
    return f"{scan.id}{label}"


def count_by(rows: Iterable[dict[str, Any]], key: str, catalog: Catalog) -> list[tuple[str, int]]:
    """(name, count) pairs, most first, then by name."""
    counts: Counter[str] = Counter()
    for row in rows:
        value = row[key]
        counts[entity_name(catalog, value) if key in ("entity", "matched_entity") else value] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def formats_read(data: ReportData) -> list[tuple[str, int, int]]:
    """(format, inputs read, observations) over every scan in scope."""
    inputs: Counter[str] = Counter()
    observations: Counter[str] = Counter()
    for scan in data.scans:
        for item in scan.read_inputs:
            if item.format:
                inputs[item.format] += 1
                observations[item.format] += item.observations
    return [(name, inputs[name], observations[name]) for name in sorted(inputs)]


def why_not_read(error: str, observations: int) -> str:
    if error == "unrecognised":
        return "format not recognised; nothing read"
    if error == "skipped":
        return "skipped (not a regular file)"
    partly = f"read in part ({observations} observations before the error)" if observations else ""
    return f"{partly}: {error}" if partly else f"not read: {error}"


def failed_inputs(data: ReportData) -> list[tuple[str, str, str]]:
    """(scan id, path, why) for every input that could not be read, or only in part."""
    return [
        (scan.id, item.path, why_not_read(item.error or "", item.observations))
        for scan in data.scans
        for item in scan.failed_inputs
    ]


def assets_scanned(data: ReportData) -> list[str]:
    names = {(a.kind, a.name) for scan in data.scans for a in scan.assets}
    return [f"{name} ({kind})" for kind, name in sorted(names, key=lambda p: (p[1].lower(), p[0]))]
