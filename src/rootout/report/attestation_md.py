"""The attestation as Markdown: a pure function of its payload and digest.

``rootout attest verify`` re-renders a document with :func:`markdown` and
compares, so any edit to the text, not only to the embedded payload, is found.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

from rootout.report.md import bullets, code, esc, join, table

RECORD_MARKER = "<!-- rootout attestation payload: do not edit -->"

INQUIRY_NOTE = (
    "FAR 52.204-25(a) defines a *reasonable inquiry* as an inquiry designed to uncover "
    "information in the entity's possession about who produced or provided the covered "
    "equipment or services it uses; it does not require an internal or third-party audit. "
    "This record lists exactly what was inspected. It says nothing about anything it does "
    "not list."
)


def _why(error: str, observations: int) -> str:
    if error == "unrecognised":
        return "format not recognised; nothing read"
    if error == "skipped":
        return "skipped (not a regular file)"
    if observations:
        return f"read in part ({observations} observations before the error): {error}"
    return f"not read: {error}"


def _when(iso: str) -> str:
    stamp = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


def _status(item: dict[str, Any]) -> str:
    error = item["error"]
    if not error:
        return "read"
    if error == "archive":
        return "archive (members listed)"
    return "NOT READ" if not item["observations"] else "PART READ"


def _result(record: dict[str, Any], names: dict[str, str]) -> list[str]:
    findings = record["findings"]
    if not record["scans"]:
        return [
            "## Result",
            "**Nothing was scanned.** No inputs are recorded for this scope, so this record "
            "cannot support a representation that covered products are absent.",
        ]
    if not findings:
        return [
            "## Result",
            "**None found.** No observation in the inputs listed below matched a covered "
            "entity, product or identifier in the catalog the scans used.",
        ]
    in_force = sum(1 for f in findings if not f["historical"])
    by_entity = Counter(names.get(f["entity"], f["entity"]) for f in findings)
    lines = [
        "## Result",
        f"**Covered products were found:** {len(findings)} finding(s), {in_force} with a "
        f"legal basis in force on the observation date, {len(findings) - in_force} historical.",
        "",
    ]
    lines += bullets(f"{esc(name)}: {count}" for name, count in sorted(by_entity.items()))
    return lines


def _scan_block(scan: dict[str, Any]) -> list[str]:
    label = f" ({esc(scan['label'])})" if scan["label"] else ""
    lines = [
        f"### Scan {code(scan['id'])}{label}",
        f"Finished {esc(_when(scan['finished_at']))}; catalog {code(scan['catalog_version'])}; "
        f"engine {esc(scan['engine'])}; {len(scan['inputs'])} input(s), "
        f"{len(scan['assets'])} asset(s).",
        "",
    ]
    lines += table(
        ["input", "format", "sha256", "bytes", "observations", "status"],
        (
            [
                esc(i["path"]),
                esc(i["format"] or "-"),
                code(i["sha256"]) if i["sha256"] else "-",
                str(i["size"] if i["size"] is not None else "-"),
                str(i["observations"]),
                _status(i),
            ]
            for i in scan["inputs"]
        ),
    )
    return lines


def _coverage(scans: list[dict[str, Any]]) -> list[str]:
    formats: Counter[str] = Counter()
    observations: Counter[str] = Counter()
    assets: dict[str, tuple[str, str]] = {}
    for scan in scans:
        for item in scan["inputs"]:
            if not item["error"] and item["format"]:
                formats[item["format"]] += 1
                observations[item["format"]] += item["observations"]
        for asset in scan["assets"]:
            assets[asset["key"]] = (asset["name"], asset["kind"])
    lines = ["### Formats read"]
    lines += (
        table(
            ["format", "inputs", "observations"],
            ([esc(f), str(formats[f]), str(observations[f])] for f in sorted(formats)),
        )
        if formats
        else ["None."]
    )
    lines += ["", f"### Assets covered ({len(assets)})"]
    lines += bullets(
        f"{esc(name)} ({esc(kind)})"
        for name, kind in sorted(assets.values(), key=lambda p: p[0].lower())
    ) or ["None."]
    return lines


def _not_inspected(scans: list[dict[str, Any]]) -> list[str]:
    lines = ["## What was not inspected"]
    failed = [
        (i["path"], _why(i["error"], i["observations"]))
        for s in scans
        for i in s["inputs"]
        if i["error"] and i["error"] != "archive"
    ]
    if failed:
        lines += ["Inputs that could not be read, or only in part:", ""]
        lines += bullets(f"{esc(path)}: {esc(why)}" for path, why in failed)
    elif scans:
        lines.append("Every input listed above was read in full.")
    else:
        lines.append("Everything: nothing was scanned.")
    lines += [
        "",
        "Hosts, devices, SBOMs, contracts and suppliers that no listed input describes were "
        "not inspected.",
    ]
    return lines


def _findings(record: dict[str, Any], names: dict[str, str]) -> list[str]:
    if not record["findings"]:
        return ["## Findings", "None found." if record["scans"] else "Nothing was scanned."]
    rows = (
        [
            code(f["id"]),
            esc(names.get(f["entity"], f["entity"])),
            esc(names.get(f["product"], f["product"]) if f["product"] else f["matched_value"]),
            esc(f["basis"]),
            esc(f["confidence"]),
            esc(f["asset"]),
            esc(f["source"]),
            esc(
                "; ".join(r["short"] for r in f["legal"] if r["status"] == "in_force")
                or "historical"
            ),
        ]
        for f in record["findings"]
    )
    header = ["finding", "entity", "what", "basis", "confidence", "asset", "source", "in force"]
    return ["## Findings", *table(header, rows)]


def _catalog(meta: dict[str, Any], scans: list[dict[str, Any]]) -> list[str]:
    used = sorted({s["catalog_version"] for s in scans})
    catalog = meta["catalog"]
    lines = ["## Catalog"]
    if used:
        lines.append("Catalog used by the scans: " + ", ".join(code(v) for v in used) + ".")
    lines.append(
        f"Catalog when this record was made: {code(catalog['version'])}, dated "
        f"{esc(catalog['date'] or 'unknown')}; packs: "
        + ", ".join(f"{esc(p['name'])} {esc(p['version'])}" for p in catalog["packs"])
        + "."
    )
    return lines


def markdown(body: dict[str, Any], sha256: str) -> str:
    meta, record = body["meta"], body["record"]
    names = meta["names"]
    scope = meta["scope"]
    scoped = [f"{k} {esc(v)}" for k, v in scope.items() if v]
    header = [
        "# Absence attestation: record of a reasonable inquiry",
        f"Made {esc(meta['generated_on'])} by rootout {esc(meta['tool']['version'])} for tenant "
        f"{code(meta['tenant'])}; scope: {', '.join(scoped) or 'every scan in the store'}.",
        "",
        INQUIRY_NOTE,
    ]
    inspected = ["## What was inspected"]
    for scan in record["scans"]:
        inspected += [*_scan_block(scan), ""]
    inspected += _coverage(record["scans"]) if record["scans"] else ["Nothing."]
    verification = [
        "## Verification",
        f"SHA-256 of the canonical JSON payload below: {code(sha256)}",
        "",
        "Check it against the store with `rootout attest verify FILE --db DB`.",
        "",
        RECORD_MARKER,
        "```json",
        json.dumps(body, indent=2, ensure_ascii=False, sort_keys=True),
        "```",
    ]
    return join(
        [
            header,
            _result(record, names),
            inspected,
            _not_inspected(record["scans"]),
            _catalog(meta, record["scans"]),
            _findings(record, names),
            verification,
        ]
    )
