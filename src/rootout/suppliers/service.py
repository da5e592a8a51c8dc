"""The supplier jobs as library calls: import, screen and store, reminders.

The CLI (``rootout suppliers ...``) and the API (``/api/v1/suppliers``) are thin
wrappers over these functions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine

from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.config import load_settings
from rootout.errors import InputError, Location
from rootout.model.finding import Basis, Finding, Step
from rootout.scanning import matcher_for
from rootout.store import repository as repo
from rootout.suppliers import store
from rootout.suppliers.build import SOURCE_FORMAT, strongest, supplier_asset, supplier_observation
from rootout.suppliers.evidence import gather
from rootout.suppliers.lists import read_list_file
from rootout.suppliers.model import (
    Delivery,
    Evidence,
    ImportProblem,
    ListEntry,
    Register,
    Supplier,
    SupplierFinding,
)
from rootout.suppliers.register import ReadResult, Record, RegisterKind, read_register_file
from rootout.suppliers.representations import Reminder, reminders
from rootout.suppliers.screen import screen

ENGINE_NAME = "suppliers"


@dataclass(frozen=True)
class Screened:
    """One screening of the stored register, before anything is stored."""

    register: Register
    lists: tuple[ListEntry, ...]
    evidence: tuple[Evidence, ...]
    findings: tuple[SupplierFinding, ...]
    catalog: Catalog


@dataclass(frozen=True)
class ScreenOutcome:
    findings: tuple[SupplierFinding, ...]
    evidence: tuple[Evidence, ...]
    saved: repo.SaveResult
    catalog: Catalog


# -- import ----------------------------------------------------------------------------


def resolve_deliveries(result: ReadResult, csv_path: Path) -> ReadResult:
    """Deliveries resolved against the CSV's folder; a delivered file that does not exist
    is reported and skipped."""
    records: list[Record] = []
    problems = list(result.problems)
    for record in result.records:
        if not isinstance(record, Delivery):
            records.append(record)
            continue
        path = (csv_path.parent / record.path).resolve()
        if path.is_file():
            records.append(dataclasses.replace(record, path=str(path)))
        else:
            reason = f"delivered file not found: {record.path}"
            problems.append(ImportProblem(str(csv_path), record.line, reason))
    problems.sort(key=lambda p: p.line)
    return ReadResult(result.kind, tuple(records), tuple(problems), result.rows)


def import_file(
    engine: Engine,
    path: Path,
    *,
    kind: RegisterKind | None = None,
    column_map: Mapping[str, str] | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = "rootout",
) -> store.ImportOutcome:
    """Read one register CSV and upsert its good rows; bad rows come back as problems."""
    with _open(path) as stream:
        read = read_register_file(stream, str(path), kind=kind, column_map=column_map)
    return _save(engine, resolve_deliveries(read, path), tenant, actor)


def import_bytes(
    engine: Engine,
    data: bytes,
    name: str,
    *,
    kind: RegisterKind | None = None,
    column_map: Mapping[str, str] | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = "rootout",
) -> store.ImportOutcome:
    """The same for an upload: deliveries cannot be imported this way (they name files)."""
    read = read_register_file(io.BytesIO(data), name, kind=kind, column_map=column_map)
    if read.kind is RegisterKind.DELIVERIES:
        raise InputError(
            Location(name, 1), "deliveries name files on disk: import them with the CLI"
        )
    return _save(engine, read, tenant, actor)


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise InputError(Location(str(path)), f"cannot read the file: {exc.strerror}") from None


def _save(engine: Engine, read: ReadResult, tenant: str, actor: str) -> store.ImportOutcome:
    return store.save_records(
        engine,
        read.kind.value,
        read.records,
        total=read.rows,
        problems=read.problems,
        tenant=tenant,
        actor=actor,
    )


def import_list(
    engine: Engine, path: Path, *, tenant: str = repo.DEFAULT_TENANT, actor: str = "rootout"
) -> store.ImportOutcome:
    """Import a Consolidated Screening List or SAM exclusions CSV."""
    with _open(path) as stream:
        read = read_list_file(stream, str(path))
    return store.save_entries(
        engine, read.list_name, read.entries, problems=read.problems, tenant=tenant, actor=actor
    )


# -- screening -------------------------------------------------------------------------


def screen_and_store(
    engine: Engine,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    today: dt.date | None = None,
    catalog_dirs: Sequence[Path] = (),
    actor: str = "rootout",
) -> ScreenOutcome:
    """Screen the tenant's register and store the findings (basis ``supplier``).

    Stored like a scan (engine ``suppliers``): a finding that no longer applies on a
    later screening is marked gone; screening again with nothing changed is a no-op.
    """
    day = today or dt.date.today()
    screened = screen_stored(engine, tenant=tenant, today=day, catalog_dirs=catalog_dirs)
    register, findings, catalog = screened.register, screened.findings, screened.catalog
    record = scan_record(register, screened.lists, screened.evidence, findings, catalog, day)
    by_id = register.by_id
    stored = [as_finding(f, by_id[f.supplier_id], day) for f in findings]
    saved = repo.save_scan(engine, record, stored, catalog, tenant=tenant, actor=actor)
    return ScreenOutcome(findings, screened.evidence, saved, catalog)


def screen_stored(
    engine: Engine, *, tenant: str, today: dt.date, catalog_dirs: Sequence[Path] = ()
) -> Screened:
    """Screen the tenant's stored register and screening lists on ``today``; stores nothing."""
    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *catalog_dirs])
    matcher = matcher_for(catalog, index, today, settings)
    register = store.load_register(engine, tenant=tenant)
    lists = store.load_entries(engine, tenant=tenant)
    evidence = tuple(gather(register.deliveries, matcher))
    findings = tuple(
        screen(register, catalog, today=today, lists=lists, evidence=evidence, matcher=matcher)
    )
    return Screened(register, lists, evidence, findings, catalog)


def scan_record(
    register: Register,
    lists: Sequence[ListEntry],
    evidence: Sequence[Evidence],
    findings: Sequence[SupplierFinding],
    catalog: Catalog,
    today: dt.date,
) -> repo.ScanRecord:
    digest = hashlib.sha256(repr((register, tuple(lists), today)).encode())
    for item in evidence:
        digest.update(_file_digest(item.path).encode())
    now = dt.datetime.now(dt.UTC)
    assets = tuple(_asset_seen(s) for s in register.suppliers)
    return repo.ScanRecord(
        started_at=now,
        finished_at=now,
        catalog_version=catalog.version,
        engine=ENGINE_NAME,
        inputs=(
            repo.InputRecord(
                "supplier-register", digest.hexdigest(), None, SOURCE_FORMAT, len(assets), None
            ),
        ),
        assets=assets,
        label=f"supplier screening {today}",
        summary={
            "suppliers": len(assets),
            "findings": len(findings),
            "deliveries": len(evidence),
            "unreadable_deliveries": sum(1 for e in evidence if e.error),
        },
    )


def _asset_seen(supplier: Supplier) -> repo.AssetSeen:
    asset = supplier_asset(supplier)
    return repo.AssetSeen(
        asset.key,
        "supplier",
        supplier.id,
        asset.identifiers,
        asset.tags,
        1,
        frozenset({SOURCE_FORMAT}),
    )


def _file_digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return "missing"


def as_finding(finding: SupplierFinding, supplier: Supplier, today: dt.date) -> Finding:
    """A supplier finding in the store's shape, so that ``findings``, ``explain`` and cases
    show it. ``entity`` is ``supplier.<kind>`` when no covered entity stands behind it."""
    best = strongest(finding.evidence)
    ask = Step("ask", f"ask the supplier for {finding.ask}")
    return Finding(
        id=finding.id,
        basis=Basis.SUPPLIER,
        confidence=finding.confidence,
        entity=finding.entity or f"supplier.{finding.kind.value}",
        matched_entity=(best.matched_entity if best else None)
        or finding.entity
        or f"supplier.{finding.kind.value}",
        product=best.product if best else None,
        signature=f"supplier.{finding.kind.value}",
        evidence=f"supplier_{finding.severity.value}",
        observation=supplier_observation(supplier, today),
        matched_field=finding.kind.value,
        matched_value=finding.title,
        legal=best.legal if best else (),
        explanation=(*finding.explanation, ask),
        observed_on=today,
    )


def due_reminders(
    engine: Engine,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    today: dt.date | None = None,
    within: int = 30,
) -> list[Reminder]:
    register = store.load_register(engine, tenant=tenant)
    return reminders(register.representations, today or dt.date.today(), within)
