"""Check an attestation later: is the document intact, and does the store still agree?

1. The digest printed in the document must be the SHA-256 of its payload.
2. A Markdown attestation must be exactly what the payload renders to (no edited text).
3. The record is re-read from the store for the same tenant, scope and scans, and
   compared field by field; every difference is reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from rootout.catalog.catalog import Catalog
from rootout.errors import InputError, Location
from rootout.report import attestation
from rootout.report.attestation_md import RECORD_MARKER, markdown
from rootout.report.data import Scope, gather
from rootout.store import repository as repo

_DIGEST = re.compile(r"SHA-256 of the canonical JSON payload below: `([0-9a-f]{64})`")


@dataclass(frozen=True)
class Verification:
    sha256: str
    document_intact: bool
    changes: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return self.document_intact and not self.changes


def _from_markdown(text: str, where: Location) -> tuple[dict[str, Any], str]:
    found = _DIGEST.search(text)
    start = text.find(RECORD_MARKER)
    if found is None or start < 0:
        raise InputError(where, "not a rootout attestation (no digest or payload block)")
    block = text[start + len(RECORD_MARKER) :].split("```json\n", 1)[-1].rsplit("\n```", 1)[0]
    try:
        body = json.loads(block)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"the payload block is not JSON: {exc}") from exc
    return body, found.group(1)


def _from_json(text: str, where: Location) -> tuple[dict[str, Any], str]:
    try:
        document = json.loads(text)
        return document["payload"], str(document["digest"]["value"])
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(where, f"not a rootout attestation: {exc}") from exc


def read(path: Path) -> tuple[dict[str, Any], str, str]:
    """(payload, digest, text) of an attestation file, Markdown or JSON."""
    where = Location(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(where, f"cannot read: {exc}") from exc
    stripped = text.lstrip()
    body, sha = (_from_json if stripped.startswith("{") else _from_markdown)(text, where)
    if not isinstance(body, dict) or not {"meta", "record"} <= body.keys():
        raise InputError(where, "the payload has no meta and record")
    return body, sha, text


def _keyed(items: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {str(item[key]): item for item in items}


def _compare(kind: str, before: dict[str, Any], after: dict[str, Any]) -> Iterator[str]:
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) != after.get(name):
            yield f"{kind}: {name} was {before.get(name)!r}, now {after.get(name)!r}"


def _changed_inputs(scan_id: str, before: list[Any], after: list[Any]) -> Iterator[str]:
    old, new = _keyed(before, "path"), _keyed(after, "path")
    for path in sorted(old.keys() - new.keys()):
        yield f"scan {scan_id}: input {path} is no longer recorded"
    for path in sorted(new.keys() - old.keys()):
        yield f"scan {scan_id}: input {path} was not in the attestation"
    for path in sorted(old.keys() & new.keys()):
        yield from _compare(f"scan {scan_id} input {path}", old[path], new[path])


def differences(recorded: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between the attested record and the store's, in words."""
    said: list[str] = []
    old_scans, new_scans = _keyed(recorded["scans"], "id"), _keyed(current["scans"], "id")
    said += [
        f"scan {s} is no longer in the store" for s in sorted(old_scans.keys() - new_scans.keys())
    ]
    for scan_id in sorted(old_scans.keys() & new_scans.keys()):
        old, new = dict(old_scans[scan_id]), dict(new_scans[scan_id])
        said += _changed_inputs(scan_id, old.pop("inputs"), new.pop("inputs"))
        said += _compare(f"scan {scan_id}", old, new)
    old_f, new_f = _keyed(recorded["findings"], "id"), _keyed(current["findings"], "id")
    said += [
        f"finding {f} was attested but is not in the store"
        for f in sorted(old_f.keys() - new_f.keys())
    ]
    said += [
        f"finding {f} is in the store but was not attested"
        for f in sorted(new_f.keys() - old_f.keys())
    ]
    for finding_id in sorted(old_f.keys() & new_f.keys()):
        said += _compare(f"finding {finding_id}", old_f[finding_id], new_f[finding_id])
    return said


def _first_edit(text: str, expected: str) -> str:
    for number, (got, want) in enumerate(
        zip(text.splitlines(), expected.splitlines(), strict=False), 1
    ):
        if got != want:
            return f"the document text was edited (first at line {number})"
    return "the document text was edited (lines added or removed at the end)"


def verify(path: Path, engine: Engine, catalog: Catalog) -> Verification:
    body, sha, text = read(path)
    problems: list[str] = []
    actual = attestation.digest(body)
    if actual != sha:
        problems.append(f"the payload does not match its digest (it hashes to {actual})")
    elif not text.lstrip().startswith("{") and text != markdown(body, sha):
        problems.append(_first_edit(text, markdown(body, sha)))
    meta = body["meta"]
    tenant = meta.get("tenant", repo.DEFAULT_TENANT)
    stored = {row["id"] for row in repo.scan_rows(engine, tenant=tenant)}
    present = tuple(s for s in meta["scan_ids"] if s in stored)
    scope = meta["scope"]
    data = gather(
        engine,
        catalog,
        tenant=tenant,
        scope=Scope(asset=scope.get("asset"), case=scope.get("case"), scan_ids=present),
    )
    changes = differences(body["record"], attestation.record(data))
    return Verification(sha, not problems, tuple(problems + changes))
