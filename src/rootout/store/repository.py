"""Reading and writing scans and findings. Every statement is filtered by tenant.

A scan is stored in one transaction: an interrupted scan leaves nothing behind.
Scan ids are content hashes of the tenant, the inputs' hashes and the catalog
version, so storing the same inputs twice with the same catalog is a no-op.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from rootout.catalog.catalog import Catalog
from rootout.errors import NotFoundError
from rootout.model.finding import Finding
from rootout.model.observation import Asset, Observation
from rootout.store import schema as t
from rootout.store.observations import Chunk, insert_chunks
from rootout.store.serialize import explanation_json, legal_json, observation_json

DEFAULT_TENANT = "default"


@dataclass(frozen=True)
class InputRecord:
    path: str
    sha256: str | None
    size: int | None
    format: str | None
    observations: int
    error: str | None


@dataclass(frozen=True)
class AssetSeen:
    key: str
    kind: str
    name: str
    identifiers: tuple[tuple[str, str], ...]
    tags: tuple[tuple[str, str], ...]
    observations: int
    formats: frozenset[str]


class AssetTally:
    """Observations per asset over all inputs; an asset's name is the one of its first row."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.first: dict[str, tuple[tuple[int, int], Asset]] = {}
        self.formats: dict[str, set[str]] = {}

    def add(self, asset: Asset, count: int, order: tuple[int, int], fmt: str) -> None:
        key = asset.key
        self.counts[key] += count
        if key not in self.first or order < self.first[key][0]:
            self.first[key] = (order, asset)
        self.formats.setdefault(key, set()).add(fmt)

    def add_observation(self, observation: Observation, order: tuple[int, int]) -> None:
        self.add(observation.asset, 1, order, observation.source.format)

    def assets(self) -> tuple[AssetSeen, ...]:
        return tuple(
            AssetSeen(
                key,
                self.first[key][1].kind.value,
                self.first[key][1].name,
                self.first[key][1].identifiers,
                self.first[key][1].tags,
                self.counts[key],
                frozenset(self.formats[key]),
            )
            for key in sorted(self.counts)
        )


@dataclass(frozen=True)
class ScanRecord:
    started_at: dt.datetime
    finished_at: dt.datetime
    catalog_version: str
    engine: str
    inputs: tuple[InputRecord, ...]
    assets: tuple[AssetSeen, ...]
    label: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)

    def content_id(self, tenant: str) -> str:
        digest = hashlib.sha256(f"{tenant}\0{self.catalog_version}".encode())
        for item in sorted(self.inputs, key=lambda i: (i.path, i.sha256 or "")):
            digest.update(f"\0{item.path}\0{item.sha256}".encode())
        return "S" + digest.hexdigest()[:15]


@dataclass(frozen=True)
class SaveResult:
    scan_id: str
    reused: bool
    new: tuple[str, ...] = ()
    seen_again: tuple[str, ...] = ()
    reappeared: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def ensure_tenant(conn: Connection, tenant: str, name: str | None = None) -> None:
    exists = conn.execute(select(t.tenants.c.id).where(t.tenants.c.id == tenant)).first()
    if exists is None:
        conn.execute(insert(t.tenants).values(id=tenant, name=name or tenant, created_at=_now()))


def log_event(
    conn: Connection,
    tenant: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    detail: dict[str, Any],
) -> None:
    conn.execute(
        insert(t.events).values(
            tenant_id=tenant,
            at=_now(),
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )
    )


def save_scan(
    engine: Engine,
    scan: ScanRecord,
    findings: Sequence[Finding],
    catalog: Catalog,
    *,
    tenant: str = DEFAULT_TENANT,
    actor: str = "rootout",
    observations: Sequence[Chunk] = (),
) -> SaveResult:
    """Store a scan, its findings and (compressed) ``observations`` in one transaction."""
    scan_id = scan.content_id(tenant)
    with engine.begin() as conn:
        ensure_tenant(conn, tenant)
        existing = conn.execute(
            select(t.scans.c.id).where(t.scans.c.tenant_id == tenant, t.scans.c.id == scan_id)
        ).first()
        if existing is not None:
            return SaveResult(scan_id, reused=True)
        _insert_scan(conn, tenant, scan_id, scan)
        insert_chunks(conn, tenant, scan_id, observations, [i.path for i in scan.inputs])
        result = _merge_findings(conn, tenant, scan_id, scan, findings, catalog)
        log_event(
            conn,
            tenant,
            actor,
            "scan.stored",
            "scan",
            scan_id,
            {"new": len(result.new), "gone": len(result.gone), "inputs": len(scan.inputs)},
        )
    return result


def _insert_scan(conn: Connection, tenant: str, scan_id: str, scan: ScanRecord) -> None:
    conn.execute(
        insert(t.scans).values(
            tenant_id=tenant,
            id=scan_id,
            started_at=scan.started_at,
            finished_at=scan.finished_at,
            catalog_version=scan.catalog_version,
            engine=scan.engine,
            label=scan.label,
            summary=scan.summary,
        )
    )
    if scan.inputs:
        conn.execute(
            insert(t.inputs),
            [
                {
                    "tenant_id": tenant,
                    "scan_id": scan_id,
                    "seq": seq,
                    "path": item.path,
                    "sha256": item.sha256,
                    "size": item.size,
                    "format": item.format,
                    "observations": item.observations,
                    "error": item.error,
                }
                for seq, item in enumerate(scan.inputs)
            ],
        )
    _upsert_assets(conn, tenant, scan_id, scan.assets)
    if scan.assets:
        conn.execute(
            insert(t.scan_assets),
            [
                {
                    "tenant_id": tenant,
                    "scan_id": scan_id,
                    "asset_key": a.key,
                    "observations": a.observations,
                }
                for a in scan.assets
            ],
        )


ASSET_BATCH = 5_000


def _asset_upsert(dialect: str) -> Any:
    """INSERT INTO assets .. ON CONFLICT (tenant_id, key) DO UPDATE name, last_seen_scan."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        pg = pg_insert(t.assets)
        excluded = pg.excluded
        return pg.on_conflict_do_update(
            index_elements=[t.assets.c.tenant_id, t.assets.c.key],
            set_={"name": excluded.name, "last_seen_scan": excluded.last_seen_scan},
        )
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    lite = sqlite_insert(t.assets)
    return lite.on_conflict_do_update(
        index_elements=[t.assets.c.tenant_id, t.assets.c.key],
        set_={"name": lite.excluded.name, "last_seen_scan": lite.excluded.last_seen_scan},
    )


def _upsert_assets(
    conn: Connection, tenant: str, scan_id: str, assets: Sequence[AssetSeen]
) -> None:
    """Insert new assets and refresh known ones, a batch per statement (INSERT .. ON CONFLICT).

    A known asset keeps its kind, identifiers, tags and first scan; its name and last scan
    become this scan's (what the former select-then-insert-or-update per asset did)."""
    rows = [
        {
            "tenant_id": tenant,
            "key": asset.key,
            "kind": asset.kind,
            "name": asset.name,
            "identifiers": [list(p) for p in asset.identifiers],
            "tags": [list(p) for p in asset.tags],
            "first_seen_scan": scan_id,
            "last_seen_scan": scan_id,
        }
        for asset in assets
    ]
    statement = _asset_upsert(conn.dialect.name)
    for start in range(0, len(rows), ASSET_BATCH):
        conn.execute(statement, rows[start : start + ASSET_BATCH])


def _merge_findings(
    conn: Connection,
    tenant: str,
    scan_id: str,
    scan: ScanRecord,
    findings: Sequence[Finding],
    catalog: Catalog,
) -> SaveResult:
    unique = {f.id: f for f in findings}
    known = {
        row.id: row.status
        for row in conn.execute(
            select(t.findings.c.id, t.findings.c.status).where(
                t.findings.c.tenant_id == tenant, t.findings.c.id.in_(list(unique))
            )
        )
    }
    new: list[str] = []
    again: list[str] = []
    back: list[str] = []
    for finding_id, finding in sorted(unique.items()):
        if finding_id not in known:
            conn.execute(insert(t.findings).values(_row(tenant, scan_id, finding, catalog)))
            new.append(finding_id)
            log_event(
                conn, tenant, "rootout", "finding.new", "finding", finding_id, {"scan": scan_id}
            )
            continue
        values: dict[str, Any] = {
            "last_seen_scan": scan_id,
            "status": "active",
            "gone_in_scan": None,
        }
        conn.execute(
            update(t.findings)
            .where(t.findings.c.tenant_id == tenant, t.findings.c.id == finding_id)
            .values(**values)
        )
        (back if known[finding_id] == "gone" else again).append(finding_id)
        if known[finding_id] == "gone":
            log_event(
                conn,
                tenant,
                "rootout",
                "finding.reappeared",
                "finding",
                finding_id,
                {"scan": scan_id},
            )
    if unique:
        conn.execute(
            insert(t.sightings),
            [
                {
                    "tenant_id": tenant,
                    "scan_id": scan_id,
                    "finding_id": fid,
                    "confidence": f.confidence.value,
                    "matched_value": f.matched_value,
                    "version": f.observation.fields.get("version"),
                }
                for fid, f in sorted(unique.items())
            ],
        )
    gone = _mark_gone(conn, tenant, scan_id, scan, set(unique))
    return SaveResult(scan_id, False, tuple(new), tuple(again), tuple(back), tuple(gone))


def _mark_gone(
    conn: Connection, tenant: str, scan_id: str, scan: ScanRecord, seen: set[str]
) -> list[str]:
    """Active findings on a rescanned asset, from an input format this scan read again, not seen now."""
    formats_by_asset = {a.key: a.formats for a in scan.assets}
    rows = conn.execute(
        select(t.findings.c.id, t.findings.c.asset_key, t.findings.c.observation).where(
            t.findings.c.tenant_id == tenant,
            t.findings.c.status == "active",
            t.findings.c.asset_key.in_(list(formats_by_asset)),
        )
    )
    gone = [
        row.id
        for row in rows
        if row.id not in seen
        and row.observation["source"]["format"] in formats_by_asset[row.asset_key]
    ]
    for finding_id in gone:
        conn.execute(
            update(t.findings)
            .where(t.findings.c.tenant_id == tenant, t.findings.c.id == finding_id)
            .values(status="gone", gone_in_scan=scan_id)
        )
        log_event(conn, tenant, "rootout", "finding.gone", "finding", finding_id, {"scan": scan_id})
    return sorted(gone)


def _row(tenant: str, scan_id: str, finding: Finding, catalog: Catalog) -> dict[str, Any]:
    return {
        "tenant_id": tenant,
        "id": finding.id,
        "asset_key": finding.observation.asset.key,
        "basis": finding.basis.value,
        "confidence": finding.confidence.value,
        "entity": finding.entity,
        "matched_entity": finding.matched_entity,
        "product": finding.product,
        "signature": finding.signature,
        "evidence": finding.evidence,
        "matched_field": finding.matched_field,
        "matched_value": finding.matched_value,
        "historical": finding.historical,
        "legal": legal_json(finding),
        "explanation": explanation_json(finding, catalog),
        "observation": observation_json(finding.observation),
        "observed_on": finding.observed_on.isoformat(),
        "first_seen_scan": scan_id,
        "last_seen_scan": scan_id,
        "status": "active",
        "gone_in_scan": None,
    }


# -- reading -------------------------------------------------------------------------


def finding_rows(
    engine: Engine, *, tenant: str = DEFAULT_TENANT, statuses: Iterable[str] = ("active",)
) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.findings)
            .where(t.findings.c.tenant_id == tenant, t.findings.c.status.in_(list(statuses)))
            .order_by(t.findings.c.entity, t.findings.c.asset_key, t.findings.c.id)
        )
        return [dict(row._mapping) for row in rows]


def get_finding(engine: Engine, finding_id: str, *, tenant: str = DEFAULT_TENANT) -> dict[str, Any]:
    """A finding by id or unambiguous id prefix."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.findings)
            .where(
                t.findings.c.tenant_id == tenant,
                t.findings.c.id.startswith(finding_id, autoescape=True),
            )
            .limit(2)
        ).all()
    if len(rows) != 1:
        what = "no finding" if not rows else "more than one finding"
        raise NotFoundError(f"{what} with id {finding_id!r}")
    return dict(rows[0]._mapping)


def scan_rows(engine: Engine, *, tenant: str = DEFAULT_TENANT) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.scans).where(t.scans.c.tenant_id == tenant).order_by(t.scans.c.finished_at)
        )
        return [dict(row._mapping) for row in rows]


def sightings_of(
    engine: Engine, scan_id: str, *, tenant: str = DEFAULT_TENANT
) -> dict[str, tuple[str, str, str | None]]:
    """Finding id -> (confidence, matched value, version) as seen in one scan."""
    with engine.connect() as conn:
        scan = conn.execute(
            select(func.count())
            .select_from(t.scans)
            .where(t.scans.c.tenant_id == tenant, t.scans.c.id == scan_id)
        ).scalar_one()
        if not scan:
            raise NotFoundError(f"no scan with id {scan_id!r}")
        rows = conn.execute(
            select(t.sightings).where(
                t.sightings.c.tenant_id == tenant, t.sightings.c.scan_id == scan_id
            )
        )
        return {row.finding_id: (row.confidence, row.matched_value, row.version) for row in rows}


def events_for(
    engine: Engine, object_type: str, object_id: str, *, tenant: str = DEFAULT_TENANT
) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.events)
            .where(
                t.events.c.tenant_id == tenant,
                t.events.c.object_type == object_type,
                t.events.c.object_id == object_id,
            )
            .order_by(t.events.c.id)
        )
        return [dict(row._mapping) for row in rows]
