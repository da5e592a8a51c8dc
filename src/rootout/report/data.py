"""What every report is rendered from: one :class:`ReportData`, gathered once from the store.

Gathering is the only I/O; each report module is a pure ``render(data)`` over it.
The scope options narrow it the same way for every format:

- ``since``: only scans finished on or after that date, and the findings they saw;
- ``asset``: only findings (and scanned assets) whose asset key contains the text;
- ``case``: only the findings of that removal case (needs :mod:`rootout.cases`);
- ``scan_ids``: exactly these scans (used to re-check an attestation).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from rootout.catalog.catalog import Catalog
from rootout.errors import NotFoundError
from rootout.report import cases_view
from rootout.report.cases_view import CaseLike
from rootout.store import queries
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store.clock import as_utc

ALL_STATUSES = ("active", "waived", "gone")
ARCHIVE = "archive"  # an input status: a container whose members were read as inputs of their own


@dataclass(frozen=True)
class Scope:
    since: dt.date | None = None
    asset: str | None = None
    case: str | None = None
    scan_ids: tuple[str, ...] | None = None

    def describe(self) -> str:
        parts = []
        if self.since:
            parts.append(f"scans since {self.since.isoformat()}")
        if self.asset:
            parts.append(f"assets matching {self.asset!r}")
        if self.case:
            parts.append(f"case {self.case}")
        if self.scan_ids is not None:
            parts.append(f"scans {', '.join(self.scan_ids) or '(none)'}")
        return "; ".join(parts) or "everything in the store"


@dataclass(frozen=True)
class AssetView:
    key: str
    kind: str
    name: str
    observations: int


@dataclass(frozen=True)
class Sighting:
    confidence: str
    matched_value: str
    version: str | None


@dataclass(frozen=True)
class ScanView:
    id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    catalog_version: str
    engine: str
    label: str | None
    summary: Mapping[str, Any]
    inputs: tuple[repo.InputRecord, ...]
    assets: tuple[AssetView, ...]
    sightings: Mapping[str, Sighting]
    """Finding id -> what this scan saw, for the findings in scope."""

    @property
    def failed_inputs(self) -> tuple[repo.InputRecord, ...]:
        """Inputs not read, or read only in part (an archive that was expanded is not one)."""
        return tuple(i for i in self.inputs if i.error and i.error != ARCHIVE)

    @property
    def read_inputs(self) -> tuple[repo.InputRecord, ...]:
        return tuple(i for i in self.inputs if not i.error)


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    builtin: bool


@dataclass(frozen=True)
class CatalogInfo:
    version: str
    packs: tuple[PackInfo, ...]

    @property
    def date(self) -> str | None:
        """The newest pack date (pack versions are dates such as 2026.11.28)."""
        dates = []
        for pack in self.packs:
            text = pack.version.replace(".", "-")
            try:
                dates.append(dt.date.fromisoformat(text))
            except ValueError:
                continue
        return max(dates).isoformat() if dates else None


@dataclass(frozen=True)
class ReportData:
    tenant: str
    generated_on: dt.date
    scope: Scope
    catalog: Catalog
    catalog_info: CatalogInfo
    scans: tuple[ScanView, ...]
    findings: tuple[dict[str, Any], ...]
    """Finding rows (``rootout.store.queries.list_findings``), every status, in scope."""
    cases: tuple[CaseLike, ...] | None = field(default=None)
    """Removal cases in scope; None when the cases module is not installed."""

    @property
    def empty_store(self) -> bool:
        return not self.scans

    def active(self) -> list[dict[str, Any]]:
        return [r for r in self.findings if r["status"] in ("active", "waived")]


def catalog_info(catalog: Catalog) -> CatalogInfo:
    packs = tuple(
        sorted(
            (
                PackInfo(p.header.pack, p.header.version, p.builtin)
                for p in catalog.packs
                if p.header is not None
            ),
            key=lambda p: p.name,
        )
    )
    return CatalogInfo(catalog.version, packs)


def _inputs(engine: Engine, tenant: str, scan_ids: Sequence[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {s: [] for s in scan_ids}
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.inputs)
            .where(t.inputs.c.tenant_id == tenant, t.inputs.c.scan_id.in_(list(scan_ids)))
            .order_by(t.inputs.c.scan_id, t.inputs.c.seq)
        )
        for row in rows:
            found[row.scan_id].append(
                repo.InputRecord(
                    row.path, row.sha256, row.size, row.format, row.observations, row.error
                )
            )
    return found


def _assets(engine: Engine, tenant: str, scan_ids: Sequence[str]) -> dict[str, list[AssetView]]:
    found: dict[str, list[AssetView]] = {s: [] for s in scan_ids}
    sa, a = t.scan_assets, t.assets
    with engine.connect() as conn:
        rows = conn.execute(
            select(sa.c.scan_id, sa.c.observations, a.c.key, a.c.kind, a.c.name)
            .join(a, (a.c.tenant_id == sa.c.tenant_id) & (a.c.key == sa.c.asset_key))
            .where(sa.c.tenant_id == tenant, sa.c.scan_id.in_(list(scan_ids)))
            .order_by(sa.c.scan_id, a.c.key)
        )
        for row in rows:
            found[row.scan_id].append(AssetView(row.key, row.kind, row.name, row.observations))
    return found


def _sightings(
    engine: Engine, tenant: str, scan_ids: Sequence[str]
) -> dict[str, dict[str, Sighting]]:
    found: dict[str, dict[str, Sighting]] = {s: {} for s in scan_ids}
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.sightings)
            .where(t.sightings.c.tenant_id == tenant, t.sightings.c.scan_id.in_(list(scan_ids)))
            .order_by(t.sightings.c.scan_id, t.sightings.c.finding_id)
        )
        for row in rows:
            found[row.scan_id][row.finding_id] = Sighting(
                row.confidence, row.matched_value, row.version
            )
    return found


def _select_scans(rows: Iterable[dict[str, Any]], scope: Scope) -> list[dict[str, Any]]:
    chosen = []
    for row in rows:
        if scope.scan_ids is not None and row["id"] not in scope.scan_ids:
            continue
        if scope.since and as_utc(row["finished_at"]).date() < scope.since:
            continue
        chosen.append(row)
    if scope.scan_ids is not None:
        missing = sorted(set(scope.scan_ids) - {r["id"] for r in chosen})
        if missing:
            raise NotFoundError(f"scan(s) not in the store: {', '.join(missing)}")
    return chosen


def _scan_views(
    engine: Engine, tenant: str, rows: list[dict[str, Any]], in_scope: set[str], asset: str | None
) -> tuple[ScanView, ...]:
    ids = [r["id"] for r in rows]
    inputs, assets, seen = (
        _inputs(engine, tenant, ids),
        _assets(engine, tenant, ids),
        _sightings(engine, tenant, ids),
    )
    wanted = (asset or "").lower()
    return tuple(
        ScanView(
            id=r["id"],
            started_at=as_utc(r["started_at"]),
            finished_at=as_utc(r["finished_at"]),
            catalog_version=r["catalog_version"],
            engine=r["engine"],
            label=r["label"],
            summary=dict(r["summary"]),
            inputs=tuple(inputs[r["id"]]),
            assets=tuple(a for a in assets[r["id"]] if wanted in a.key.lower()),
            sightings={k: v for k, v in seen[r["id"]].items() if k in in_scope},
        )
        for r in rows
    )


def gather(
    engine: Engine,
    catalog: Catalog,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    scope: Scope | None = None,
    today: dt.date | None = None,
) -> ReportData:
    """Read everything the reports need, once."""
    scope = scope or Scope()
    rows = queries.list_findings(
        engine, queries.FindingFilter(asset=scope.asset, statuses=ALL_STATUSES), tenant=tenant
    )
    today = today or dt.date.today()
    cases = cases_view.load(engine, catalog, tenant=tenant, case_id=scope.case, today=today)
    if scope.case is not None:
        assert cases is not None  # load() raises when a case is asked for and cannot be read
        wanted = {fid for case in cases for fid in case.finding_ids}
        rows = [r for r in rows if r["id"] in wanted]
    scan_rows = _select_scans(repo.scan_rows(engine, tenant=tenant), scope)
    if scope.since or scope.scan_ids is not None:
        seen = set(_sightings_union(engine, tenant, [r["id"] for r in scan_rows]))
        rows = [r for r in rows if r["id"] in seen]
    in_scope = {r["id"] for r in rows}
    if cases is not None and (scope.asset or scope.since or scope.scan_ids is not None):
        cases = tuple(c for c in cases if in_scope & set(c.finding_ids))
    scans = _scan_views(engine, tenant, scan_rows, in_scope, scope.asset)
    return ReportData(
        tenant=tenant,
        generated_on=today,
        scope=scope,
        catalog=catalog,
        catalog_info=catalog_info(catalog),
        scans=scans,
        findings=tuple(rows),
        cases=cases,
    )


def _sightings_union(engine: Engine, tenant: str, scan_ids: Sequence[str]) -> set[str]:
    if not scan_ids:
        return set()
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.sightings.c.finding_id).where(
                t.sightings.c.tenant_id == tenant, t.sightings.c.scan_id.in_(list(scan_ids))
            )
        )
        return {row.finding_id for row in rows}
