"""Re-match stored observations after a catalog update, without re-reading the inputs.

For each asset, its latest scan is the one that says what the asset holds. When that
scan was matched with another catalog than the current one (or always, with
``everything``), its stored observations of those assets are matched again and
compared with the findings the scan recorded: findings matched now and not before are
*new*, findings matched before and not now have *vanished*, each with the reason.
The result is stored as a new scan (engine ``rescan``), so the usual new/gone
bookkeeping and ``rootout diff`` apply to it, and ``rootout case open`` groups its new
findings. It never verifies a case: a catalog change is no proof that anything was
removed. Its id depends on the scan it re-matched and the catalog, so running the same
rescan again stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Literal

from sqlalchemy import Engine, Select, func, select

from rootout.catalog.catalog import Catalog
from rootout.config import Settings
from rootout.match.index import CompiledIndex
from rootout.model.finding import Finding
from rootout.model.observation import Observation
from rootout.rescan_reasons import why_new, why_vanished
from rootout.scanning import matcher_for
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store.observations import load_observations

ENGINE = "rescan"
_IN_CHUNK = 500
"""Scan ids per ``IN (...)`` list: a fleet of agents has one latest scan per host."""


@dataclass(frozen=True)
class LatestScan:
    """A stored scan that is the latest one for ``assets``."""

    id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    catalog_version: str
    engine: str
    summary: dict[str, Any]
    assets: frozenset[str]

    @property
    def observations_from(self) -> str | None:
        """The scan whose stored observations this one's are (None: none were stored)."""
        origin = self.summary.get("observations_from")
        if origin:
            return str(origin)
        return self.id if self.summary.get("observations_stored") else None

    @property
    def observed_on(self) -> dt.date:
        """The date undated observations were judged at when first matched."""
        stored = self.summary.get("observed_on")
        return dt.date.fromisoformat(stored) if stored else self.started_at.date()


@dataclass(frozen=True)
class Change:
    change: Literal["new", "vanished"]
    finding_id: str
    asset: str
    entity: str
    signature: str
    matched: str
    confidence: str
    historical: bool
    why: str


@dataclass(frozen=True)
class Rematched:
    """One scan re-matched: what changed, and the scan stored for it (if any)."""

    scan_id: str
    catalog_before: str
    assets: int
    observations: int
    new: tuple[Change, ...]
    vanished: tuple[Change, ...]
    stored_scan: str | None = None


@dataclass(frozen=True)
class CannotRematch:
    scan_id: str
    engine: str
    assets: int
    reason: str


@dataclass(frozen=True)
class RescanResult:
    catalog_version: str
    catalog_base: str
    dry_run: bool
    rematched: tuple[Rematched, ...]
    cannot_rematch: tuple[CannotRematch, ...]
    up_to_date: int
    """Latest scans already matched with the current catalog (and not re-matched)."""

    @property
    def new(self) -> tuple[Change, ...]:
        return tuple(c for r in self.rematched for c in r.new)

    @property
    def vanished(self) -> tuple[Change, ...]:
        return tuple(c for r in self.rematched for c in r.vanished)


@dataclass(frozen=True)
class RescanRecord(repo.ScanRecord):
    """A scan record whose id names the scan it re-matched, so a rescan is stored once."""

    rescan_of: str = ""

    def content_id(self, tenant: str) -> str:
        key = f"{tenant}\0{ENGINE}\0{self.catalog_version}\0{self.rescan_of}"
        digest = hashlib.sha256(key.encode())
        for asset in sorted(a.key for a in self.assets):
            digest.update(f"\0{asset}".encode())
        return "S" + digest.hexdigest()[:15]


def rescan(
    engine: Engine,
    catalog: Catalog,
    index: CompiledIndex,
    settings: Settings,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    everything: bool = False,
    dry_run: bool = False,
) -> RescanResult:
    """Re-match the latest scans matched with another catalog (every latest scan with
    ``everything``) and, unless ``dry_run``, store each changed result as a new scan."""
    rematched: list[Rematched] = []
    cannot: list[CannotRematch] = []
    up_to_date = 0
    for scan in latest_scans(engine, tenant):
        if scan.catalog_version == catalog.version and not everything:
            up_to_date += 1
        elif scan.observations_from is None:
            cannot.append(_cannot(scan))
        else:
            result = _rematch(engine, catalog, index, settings, tenant, scan, dry_run)
            rematched.append(result)
    return RescanResult(
        catalog.version, catalog.base, dry_run, tuple(rematched), tuple(cannot), up_to_date
    )


def _cannot(scan: LatestScan) -> CannotRematch:
    if scan.engine in ("python", ENGINE):
        reason = (
            "no stored observations (stored before rootout kept them, or a bulk tabular "
            "scan): re-scan the inputs"
        )
    else:
        reason = (
            f"the {scan.engine} engine does not store observations: "
            "re-scan the inputs with `rootout scan`"
        )
    return CannotRematch(scan.id, scan.engine, len(scan.assets), reason)


def latest_scans(engine: Engine, tenant: str) -> list[LatestScan]:
    """Each scan that is the latest for at least one asset, with those assets, oldest first."""
    assets: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for asset_key, scan_id in conn.execute(_latest_scan_per_asset(tenant)):
            assets.setdefault(scan_id, set()).add(asset_key)
        ids = sorted(assets)
        s = t.scans.c
        rows = [
            row
            for start in range(0, len(ids), _IN_CHUNK)
            for row in conn.execute(
                select(t.scans).where(
                    s.tenant_id == tenant, s.id.in_(ids[start : start + _IN_CHUNK])
                )
            )
        ]
    scans = [
        LatestScan(
            row.id,
            row.started_at,
            row.finished_at,
            row.catalog_version,
            row.engine,
            dict(row.summary or {}),
            frozenset(assets[row.id]),
        )
        for row in rows
    ]
    return sorted(scans, key=lambda x: (x.finished_at, x.id))


def _latest_scan_per_asset(tenant: str) -> Select[str, str]:
    """``(asset_key, scan_id)`` of each asset's latest scan: the greatest
    ``(finished_at, scan id)`` among the tenant's scans that saw it."""
    s, sa = t.scans.c, t.scan_assets.c
    rank = (
        func.row_number()
        .over(partition_by=sa.asset_key, order_by=(s.finished_at.desc(), s.id.desc()))
        .label("rank")
    )
    ranked = (
        select(sa.asset_key, sa.scan_id, rank)
        .join(t.scans, (s.tenant_id == sa.tenant_id) & (s.id == sa.scan_id))
        .where(sa.tenant_id == tenant)
        .subquery()
    )
    return select(ranked.c.asset_key, ranked.c.scan_id).where(ranked.c.rank == 1)


_BEFORE = (
    "id",
    "asset_key",
    "basis",
    "confidence",
    "entity",
    "matched_entity",
    "product",
    "signature",
    "matched_field",
    "matched_value",
    "historical",
)


def findings_before(engine: Engine, tenant: str, scan: LatestScan) -> dict[str, dict[str, Any]]:
    """The findings ``scan`` sighted on its assets, by id (the columns a comparison needs)."""
    f, si = t.findings.c, t.sightings.c
    query = (
        select(*(f[name] for name in _BEFORE))
        .join(t.sightings, (si.tenant_id == f.tenant_id) & (si.finding_id == f.id))
        .where(si.tenant_id == tenant, si.scan_id == scan.id)
    )
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    return {r["id"]: r for r in rows if r["asset_key"] in scan.assets}


def _observations(engine: Engine, tenant: str, scan: LatestScan) -> Iterator[Observation]:
    origin = scan.observations_from
    assert origin is not None
    for observation in load_observations(engine, origin, tenant=tenant):
        if observation.asset.key in scan.assets:
            yield observation


def _rematch(
    engine: Engine,
    catalog: Catalog,
    index: CompiledIndex,
    settings: Settings,
    tenant: str,
    scan: LatestScan,
    dry_run: bool,
) -> Rematched:
    session = matcher_for(catalog, index, scan.observed_on, settings).session()
    tally = _Tally()
    for observation in _observations(engine, tenant, scan):
        session.add(observation)
        tally.take(observation)
    now = {f.id: f for f in session.findings()}
    before = findings_before(engine, tenant, scan)
    added = [now[i] for i in sorted(set(now) - set(before))]
    gone = [before[i] for i in sorted(set(before) - set(now))]
    # the reasons compare findings on one asset only: group them so a large scan is not quadratic
    gone_on: dict[str, list[dict[str, Any]]] = {}
    for row in gone:
        gone_on.setdefault(row["asset_key"], []).append(row)
    added_on: dict[str, list[Finding]] = {}
    for finding in added:
        added_on.setdefault(finding.observation.asset.key, []).append(finding)
    new = tuple(_new(f, gone_on.get(f.observation.asset.key, []), catalog) for f in added)
    vanished = tuple(_vanished(row, added_on.get(row["asset_key"], []), catalog) for row in gone)
    result = Rematched(scan.id, scan.catalog_version, len(scan.assets), tally.total, new, vanished)
    changed = scan.catalog_version != catalog.version or new or vanished
    if dry_run or not changed:
        return result
    stored = _store(engine, catalog, tenant, scan, tally, tuple(now.values()))
    return replace(result, stored_scan=stored)


def _new(finding: Finding, vanished: list[dict[str, Any]], catalog: Catalog) -> Change:
    return Change(
        "new",
        finding.id,
        finding.observation.asset.key,
        finding.entity,
        finding.signature,
        f"{finding.matched_field}={finding.matched_value}",
        finding.confidence.value,
        finding.historical,
        why_new(finding, vanished, catalog),
    )


def _vanished(row: dict[str, Any], new: Iterable[Finding], catalog: Catalog) -> Change:
    return Change(
        "vanished",
        row["id"],
        row["asset_key"],
        row["entity"],
        row["signature"],
        f"{row['matched_field']}={row['matched_value']}",
        row["confidence"],
        bool(row["historical"]),
        why_vanished(row, new, catalog),
    )


class _Tally(repo.AssetTally):
    """The assets of the re-matched observations, and the observations by format."""

    def __init__(self) -> None:
        super().__init__()
        self.by_format: Counter[str] = Counter()

    @property
    def total(self) -> int:
        return sum(self.by_format.values())

    def take(self, observation: Observation) -> None:
        self.add_observation(observation, (0, 0))  # read in order: the first row names the asset
        self.by_format[observation.source.format] += 1


def _store(
    engine: Engine,
    catalog: Catalog,
    tenant: str,
    scan: LatestScan,
    tally: _Tally,
    findings: tuple[Finding, ...],
) -> str:
    now = dt.datetime.now(dt.UTC)
    record = RescanRecord(
        started_at=now,
        finished_at=now,
        catalog_version=catalog.version,
        engine=ENGINE,
        inputs=_inputs(engine, tenant, scan.id),
        assets=tally.assets(),
        label=f"rescan of {scan.id}: catalog {scan.catalog_version} -> {catalog.version}",
        summary={
            **{k: scan.summary.get(k, 0) for k in ("inputs", "failed", "unrecognised")},
            "observations": tally.total,
            "assets": len(tally.counts),
            "findings": len(findings),
            "observations_by_format": dict(sorted(tally.by_format.items())),
            "observations_from": scan.observations_from,
            "observed_on": scan.observed_on.isoformat(),
            "rescan_of": scan.id,
            "catalog_before": scan.catalog_version,
            "catalog_base": catalog.base,
        },
        rescan_of=scan.id,
    )
    # No case verification: a finding that vanished because the catalog changed was not
    # removed from its asset, and only a scan of the asset can prove a removal.
    saved = repo.save_scan(engine, record, findings, catalog, tenant=tenant, actor="rootout rescan")
    return saved.scan_id


def _inputs(engine: Engine, tenant: str, scan_id: str) -> tuple[repo.InputRecord, ...]:
    """The re-matched scan's inputs: the rescan covers what they held."""
    c = t.inputs.c
    query = select(t.inputs).where(c.tenant_id == tenant, c.scan_id == scan_id).order_by(c.seq)
    with engine.connect() as conn:
        return tuple(
            repo.InputRecord(r.path, r.sha256, r.size, r.format, r.observations, r.error)
            for r in conn.execute(query)
        )
