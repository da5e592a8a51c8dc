"""Store reads only the dashboard needs (assets); each filtered by tenant like the rest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from rootout.cases.records import case_of_finding
from rootout.errors import NotFoundError
from rootout.store import schema as t


def asset_rows(engine: Engine, tenant: str) -> list[dict[str, Any]]:
    """The tenant's assets by name, each with its count of active findings."""
    counts = (
        select(t.findings.c.asset_key, func.count().label("active"))
        .where(t.findings.c.tenant_id == tenant, t.findings.c.status == "active")
        .group_by(t.findings.c.asset_key)
        .subquery()
    )
    query = (
        select(t.assets, func.coalesce(counts.c.active, 0).label("active"))
        .outerjoin(counts, counts.c.asset_key == t.assets.c.key)
        .where(t.assets.c.tenant_id == tenant)
        .order_by(t.assets.c.name, t.assets.c.key)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query)]


def asset_detail(engine: Engine, tenant: str, key: str) -> dict[str, Any]:
    """One asset of ``tenant`` and the scans that saw it; another tenant's asset is not found."""
    with engine.connect() as conn:
        row = conn.execute(
            select(t.assets).where(t.assets.c.tenant_id == tenant, t.assets.c.key == key)
        ).first()
        if row is None:
            raise NotFoundError(f"no asset {key!r}")
        sa, scans = t.scan_assets, t.scans
        seen = conn.execute(
            select(scans.c.id, scans.c.finished_at, scans.c.label, sa.c.observations)
            .join(sa, (sa.c.tenant_id == scans.c.tenant_id) & (sa.c.scan_id == scans.c.id))
            .where(sa.c.tenant_id == tenant, sa.c.asset_key == key)
            .order_by(scans.c.finished_at)
        )
        return {**dict(row._mapping), "scans": [dict(s._mapping) for s in seen]}


def case_of(engine: Engine, tenant: str, finding_id: str) -> str | None:
    """The removal case of ``tenant`` that holds the finding, if any."""
    with engine.connect() as conn:
        return case_of_finding(conn, tenant, finding_id)
