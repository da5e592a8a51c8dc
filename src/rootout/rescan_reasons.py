"""Why a re-match found something new, or no longer finds something: pure functions.

A vanished finding's reason is the first of these that holds in the current catalog:
it was replaced by a finding on the same value with another basis or entity; its
signature was disabled or removed; its product or entity was removed; a known trap
(hard negative) now names its value; its signature no longer matches the value; or
the signature still matches but no chain of relations and designations reaches a
covered entity any more.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rootout.catalog.catalog import Catalog
from rootout.match import normalize as norm
from rootout.match.verify import verify
from rootout.model.finding import Finding
from rootout.model.observation import TEXT_FIELDS

SYNTHETIC = ("org.", "alias.", "ident.")
"""Prefixes of the signatures the matcher derives from entity names and identifiers."""


def why_new(finding: Finding, vanished: Iterable[dict[str, Any]], catalog: Catalog) -> str:
    """How the current catalog ties the value to a covered entity (and what it replaces)."""
    what = f"{finding.matched_field} {finding.matched_value!r} now matches "
    if finding.signature in catalog.signatures:
        what += f"signature {finding.signature}"
    else:
        what += f"the names or identifiers of {finding.matched_entity} ({finding.signature})"
    if finding.product:
        what += f", product {finding.product}"
    what += f" -> {finding.entity} ({finding.basis.value}, {finding.confidence.value} confidence)"
    vanished = list(vanished)
    for row in vanished:
        if _same_value(row, finding):
            return f"{what}; replaces {row['id']} ({_difference(row, finding)})"
    for row in vanished:
        if _same_target(row, finding):
            return f"{what}; before, {row['id']} ({row['signature']}) stood for it on this asset"
    return what


def why_vanished(row: dict[str, Any], new: Iterable[Finding], catalog: Catalog) -> str:
    """Why the current catalog no longer ties this stored finding's value to its entity."""
    new = list(new)
    for finding in new:
        if _same_value(row, finding):
            return f"replaced by {finding.id} ({_difference(row, finding)})"
    signature_id: str = row["signature"]
    removed = _removed(catalog, signature_id, row.get("product"), row["entity"])
    if removed:
        return removed
    trap = _trap(catalog, row["matched_value"])
    if trap:
        return trap
    signature = catalog.signatures.get(signature_id)
    if signature is not None and row["matched_field"] not in TEXT_FIELDS:
        verdict = verify(signature, row["matched_value"])
        if not verdict.hit:
            return (
                f"signature {signature_id} no longer matches {row['matched_field']} "
                f"{row['matched_value']!r}: {verdict.reason}"
            )
    for finding in new:
        if _same_target(row, finding):
            return (
                f"superseded by the more specific {finding.id} ({finding.signature}) "
                f"for {finding.entity} on this asset"
            )
    if signature is None and signature_id.startswith(SYNTHETIC):
        return (
            f"{row['matched_value']!r} no longer resolves to {row['matched_entity']} by its "
            "names or identifiers (an alias, identifier or name threshold changed)"
        )
    return (
        f"signature {signature_id} still matches {row['matched_value']!r}, but no relation, "
        f"embedding or designation ties it to {row['entity']} any more"
    )


def _removed(catalog: Catalog, signature_id: str, product: str | None, entity: str) -> str | None:
    for kind, object_id in (("signature", signature_id), ("product", product), ("entity", entity)):
        if object_id is None:
            continue
        if object_id in catalog.disabled:
            return f"{kind} {object_id} is disabled: {catalog.disabled[object_id]}"
        synthetic = kind == "signature" and object_id.startswith(SYNTHETIC)
        if not synthetic and object_id not in catalog:
            return f"{kind} {object_id} is no longer in the catalog"
    return None


def _trap(catalog: Catalog, value: str) -> str | None:
    simple = norm.simplify(value)
    for negative in sorted(catalog.hard_negatives.values(), key=lambda n: n.id):
        if norm.simplify(negative.value) == simple:
            return (
                f"hard negative {negative.id} now names {value!r} a known trap: {negative.reason}"
            )
    return None


def _same_value(row: dict[str, Any], finding: Finding) -> bool:
    return bool(
        row["id"] != finding.id
        and row["asset_key"] == finding.observation.asset.key
        and row["matched_field"] == finding.matched_field
        and row["matched_value"] == finding.matched_value
    )


def _same_target(row: dict[str, Any], finding: Finding) -> bool:
    return bool(
        row["asset_key"] == finding.observation.asset.key and row["entity"] == finding.entity
    )


def _difference(row: dict[str, Any], finding: Finding) -> str:
    changes = [
        f"{name} {row[name]} -> {new}"
        for name, new in (
            ("basis", finding.basis.value),
            ("entity", finding.entity),
            ("signature", finding.signature),
            ("product", finding.product),
        )
        if row[name] != new
    ]
    return ", ".join(changes) or "same value, another route"
