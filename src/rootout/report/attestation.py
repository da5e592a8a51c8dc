"""``--format attestation``: a dated record of a reasonable inquiry, verifiable later.

The attestation states what was inspected (scans, every input with its SHA-256,
formats, assets, coverage, and the inputs that could not be read and why), the
catalog, and the findings, or plainly that none were found. Everything it shows
is one JSON *payload*:

- ``meta``: who, when, scope, tool and catalog at the time, and names for ids;
- ``record``: the facts re-read from the store (scans, inputs, assets, findings).

Its SHA-256 over the canonical JSON of the payload (sorted keys, no whitespace,
UTF-8) is printed with it. ``rootout attest verify`` checks the digest, re-renders
the document, and re-reads the record from the store (see ``attest_verify``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rootout import __version__
from rootout.report import facts
from rootout.report.attestation_md import markdown
from rootout.report.data import ReportData, ScanView

SCHEMA_ID = "rootout/attestation/1"


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def _scan(scan: ScanView) -> dict[str, Any]:
    return {
        "id": scan.id,
        "label": scan.label,
        "started_at": scan.started_at.isoformat(),
        "finished_at": scan.finished_at.isoformat(),
        "catalog_version": scan.catalog_version,
        "engine": scan.engine,
        "inputs": [
            {
                "path": i.path,
                "sha256": i.sha256,
                "size": i.size,
                "format": i.format,
                "observations": i.observations,
                "error": i.error,
            }
            for i in scan.inputs
        ],
        "assets": [
            {"key": a.key, "kind": a.kind, "name": a.name, "observations": a.observations}
            for a in scan.assets
        ],
    }


def _finding(row: dict[str, Any], scans: tuple[ScanView, ...]) -> dict[str, Any]:
    seen_in = [s.id for s in scans if row["id"] in s.sightings]
    last = next(s.sightings[row["id"]] for s in reversed(scans) if row["id"] in s.sightings)
    return {
        "id": row["id"],
        "entity": row["entity"],
        "matched_entity": row["matched_entity"],
        "product": row["product"],
        "basis": row["basis"],
        "evidence": row["evidence"],
        "signature": row["signature"],
        "confidence": last.confidence,
        "asset_key": row["asset_key"],
        "asset": facts.asset_name(row),
        "matched_field": row["matched_field"],
        "matched_value": last.matched_value,
        "source": facts.where(row),
        "observed_on": row["observed_on"],
        "historical": bool(row["historical"]),
        "legal": [
            {"legal_basis": r["legal_basis"], "short": r["short"], "status": r["status"]}
            for r in row["legal"]
        ],
        "seen_in": seen_in,
    }


def record(data: ReportData) -> dict[str, Any]:
    """The part of the payload that is re-read from the store when verifying."""
    seen = {fid for scan in data.scans for fid in scan.sightings}
    return {
        "scans": [_scan(s) for s in data.scans],
        "findings": [_finding(r, data.scans) for r in data.findings if r["id"] in seen],
    }


def _names(data: ReportData, findings: list[dict[str, Any]]) -> dict[str, str]:
    """Catalog names of the entities and products the findings name, as they were."""
    names = {}
    for f in findings:
        for key in ("entity", "matched_entity"):
            names[f[key]] = facts.entity_name(data.catalog, f[key])
        if f["product"]:
            names[f["product"]] = facts.product_name(data.catalog, f["product"])
    return dict(sorted(names.items()))


def payload(data: ReportData) -> dict[str, Any]:
    facts_record = record(data)
    info = data.catalog_info
    meta = {
        "schema": SCHEMA_ID,
        "tool": {"name": "rootout", "version": __version__},
        "tenant": data.tenant,
        "generated_on": data.generated_on.isoformat(),
        "scope": {
            "since": data.scope.since.isoformat() if data.scope.since else None,
            "asset": data.scope.asset,
            "case": data.scope.case,
        },
        "scan_ids": [s.id for s in data.scans],
        "catalog": {
            "version": info.version,
            "date": info.date,
            "packs": [{"name": p.name, "version": p.version} for p in info.packs],
        },
        "names": _names(data, facts_record["findings"]),
    }
    return {"meta": meta, "record": facts_record}


def render_json(data: ReportData) -> str:
    body = payload(data)
    return json_document(body, digest(body))


def json_document(body: dict[str, Any], sha256: str) -> str:
    document = {
        "digest": {"algorithm": "sha256", "over": "canonical JSON of payload", "value": sha256},
        "payload": body,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(data: ReportData) -> str:
    body = payload(data)
    return markdown(body, digest(body))
