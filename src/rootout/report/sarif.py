"""``--format sarif``: SARIF 2.1.0 for code-scanning dashboards.

One result per active or waived finding (gone findings are not results):
``ruleId`` is the deciding signature, ``level`` follows confidence (high: error,
medium: warning, low: note; a historical finding is a note), the location is the
input file and line, and ``properties`` carry entity, basis and legal bases.
Waived findings carry an accepted external suppression with the exception's rule.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from rootout import __version__
from rootout.catalog.catalog import Catalog
from rootout.report import facts
from rootout.report.data import ReportData

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def artifact_uri(path: str) -> str:
    """A URI reference for an input path (absolute paths become file: URIs)."""
    if PureWindowsPath(path).drive:
        return PureWindowsPath(path).as_uri()
    if PurePosixPath(path).is_absolute():
        return PurePosixPath(path).as_uri()
    return quote(path, safe="/!:@+,;=-._~")


def _level(row: dict[str, Any]) -> str:
    return "note" if row["historical"] else facts.SEVERITY_BY_CONFIDENCE[row["confidence"]]


def _rule(catalog: Catalog, signature_id: str) -> dict[str, Any]:
    signature = catalog.signatures.get(signature_id)
    if signature is None:
        return {
            "id": signature_id,
            "shortDescription": {"text": f"signature {signature_id} (not in the loaded catalog)"},
        }
    target = facts.product_name(catalog, signature.product) or facts.entity_name(
        catalog, signature.entity
    )
    urls = [catalog.sources[s].url for s in signature.sources if s in catalog.sources]
    rule: dict[str, Any] = {
        "id": signature_id,
        "shortDescription": {"text": f"{signature.kind.value} signature of {target}"},
        "defaultConfiguration": {"level": facts.SEVERITY_BY_CONFIDENCE[signature.confidence]},
        "properties": {
            "kind": signature.kind.value,
            "match": signature.match.value,
            "confidence": signature.confidence.value,
            "patterns": list(signature.patterns),
            "sources": urls,
        },
    }
    if urls:
        rule["helpUri"] = urls[0]
    if signature.notes:
        rule["fullDescription"] = {"text": signature.notes}
    return rule


def _artifacts(data: ReportData) -> dict[str, dict[str, Any]]:
    """Every input of every scan in scope, by path, first seen first."""
    seen: dict[str, dict[str, Any]] = {}
    for scan in data.scans:
        for item in scan.inputs:
            if item.path in seen:
                continue
            artifact: dict[str, Any] = {"location": {"uri": artifact_uri(item.path)}}
            if item.sha256:
                artifact["hashes"] = {"sha-256": item.sha256}
            if item.size is not None:
                artifact["length"] = item.size
            artifact["properties"] = {"format": item.format, "error": item.error}
            seen[item.path] = artifact
    return seen


def _result(
    row: dict[str, Any], catalog: Catalog, rule_index: int, artifact_index: dict[str, int]
) -> dict[str, Any]:
    path, line = facts.source_of(row)
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path)}}
    if path in artifact_index:
        location["artifactLocation"]["index"] = artifact_index[path]
    if line:
        location["region"] = {"startLine": line}
    asset = row["observation"]["asset"]
    what = facts.what(row, catalog)
    legal = ", ".join(facts.in_force(row)) or "no legal basis in force on the observation date"
    result: dict[str, Any] = {
        "ruleId": row["signature"],
        "ruleIndex": rule_index,
        "level": _level(row),
        "message": {
            "text": f"{what} ({facts.entity_name(catalog, row['entity'])}, {row['basis']}) "
            f"on {asset['name']}: {row['matched_field']}={row['matched_value']}. {legal}."
        },
        "locations": [
            {
                "physicalLocation": location,
                "logicalLocations": [{"name": asset["name"], "fullyQualifiedName": asset["key"]}],
            }
        ],
        "partialFingerprints": {"rootoutFindingId/v1": row["id"]},
        "properties": {
            "findingId": row["id"],
            "status": row["status"],
            "entity": {"id": row["entity"], "name": facts.entity_name(catalog, row["entity"])},
            "matchedEntity": row["matched_entity"],
            "product": row["product"],
            "basis": row["basis"],
            "confidence": row["confidence"],
            "evidence": row["evidence"],
            "historical": bool(row["historical"]),
            "legal": row["legal"],
            "observedOn": row["observed_on"],
            "pointer": row["observation"]["source"]["pointer"],
        },
    }
    if row["status"] == "waived":
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": f"rootout exception {row.get('waived_by') or ''}".strip(),
            }
        ]
    return result


def _notifications(data: ReportData) -> list[dict[str, Any]]:
    said = [
        {"level": "warning", "message": {"text": f"{path}: {why}"}}
        for _scan, path, why in facts.failed_inputs(data)
    ]
    if data.empty_store:
        said.append(
            {"level": "note", "message": {"text": "No scans are stored: nothing was inspected."}}
        )
    return said


def document(data: ReportData) -> dict[str, Any]:
    rows = [r for r in data.findings if r["status"] in ("active", "waived")]
    signatures = sorted({r["signature"] for r in rows})
    rule_index = {sig: i for i, sig in enumerate(signatures)}
    artifacts = _artifacts(data)
    artifact_index = {path: i for i, path in enumerate(artifacts)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "rootout",
                "version": __version__,
                "rules": [_rule(data.catalog, s) for s in signatures],
            }
        },
        "invocations": [
            {"executionSuccessful": True, "toolExecutionNotifications": _notifications(data)}
        ],
        "artifacts": list(artifacts.values()),
        "results": [
            _result(r, data.catalog, rule_index[r["signature"]], artifact_index) for r in rows
        ],
        "properties": {
            "tenant": data.tenant,
            "generatedOn": data.generated_on.isoformat(),
            "catalogVersion": data.catalog_info.version,
            "scans": [s.id for s in data.scans],
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(data: ReportData) -> str:
    return json.dumps(document(data), indent=2, ensure_ascii=False) + "\n"
