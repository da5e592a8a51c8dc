"""``--format json``: the findings report as one JSON document.

Its shape is published as ``schemas/findings-report.schema.json`` (JSON Schema
2020-12); each finding is the stable shape of docs/findings.md.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from typing import Any

from rootout import __version__
from rootout.report import facts
from rootout.report.cases_view import CaseLike
from rootout.report.data import ReportData, ScanView
from rootout.report.findings_json import finding_json

SCHEMA_ID = "rootout/findings-report/1"


def _scan(scan: ScanView) -> dict[str, Any]:
    return {
        "id": scan.id,
        "label": scan.label,
        "started_at": scan.started_at.isoformat(),
        "finished_at": scan.finished_at.isoformat(),
        "catalog_version": scan.catalog_version,
        "engine": scan.engine,
        "inputs": [asdict(i) for i in scan.inputs],
        "assets": [asdict(a) for a in scan.assets],
        "findings_seen": len(scan.sightings),
    }


def _case(case: CaseLike) -> dict[str, Any]:
    record = asdict(case)
    record["finding_ids"] = list(case.finding_ids)
    record["asset_names"] = list(case.asset_names)
    record["deadlines"] = [
        {
            **asdict(d),
            "due": d.due.isoformat() if d.due else None,
            "done_on": d.done_on.isoformat() if d.done_on else None,
        }
        for d in case.deadlines
    ]
    return record


def _counted(pairs: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"name": name, "count": count} for name, count in pairs]


def summary(data: ReportData) -> dict[str, Any]:
    rows = data.findings
    return {
        "findings": len(rows),
        "by_status": dict(sorted(Counter(r["status"] for r in rows).items())),
        "in_force": sum(1 for r in rows if not r["historical"]),
        "historical": sum(1 for r in rows if r["historical"]),
        "assets_affected": len({r["asset_key"] for r in rows if r["status"] != "gone"}),
        "by_entity": _counted(facts.count_by(rows, "entity", data.catalog)),
        "by_basis": _counted(facts.count_by(rows, "basis", data.catalog)),
    }


def notes(data: ReportData) -> list[str]:
    said = []
    if data.empty_store:
        said.append("No scans are stored: nothing was inspected.")
    elif not data.findings:
        said.append("No findings in scope.")
    if data.cases is None:
        said.append("Removal cases are not available in this installation.")
    return said


def document(data: ReportData) -> dict[str, Any]:
    info = data.catalog_info
    return {
        "schema": SCHEMA_ID,
        "report": "findings",
        "tool": {"name": "rootout", "version": __version__},
        "generated_on": data.generated_on.isoformat(),
        "tenant": data.tenant,
        "scope": {
            "since": data.scope.since.isoformat() if data.scope.since else None,
            "asset": data.scope.asset,
            "case": data.scope.case,
        },
        "catalog": {
            "version": info.version,
            "date": info.date,
            "packs": [asdict(p) for p in info.packs],
        },
        "scans": [_scan(s) for s in data.scans],
        "summary": summary(data),
        "notes": notes(data),
        "findings": [finding_json(r, data.catalog) for r in data.findings],
        "cases": None if data.cases is None else [_case(c) for c in data.cases],
    }


def render(data: ReportData) -> str:
    return json.dumps(document(data), indent=2, ensure_ascii=False) + "\n"
