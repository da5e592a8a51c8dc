"""Store reads the API needs beyond :mod:`rootout.store.queries`; each filtered by tenant."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from rootout.errors import NotFoundError
from rootout.store import schema as t


def scan_detail(engine: Engine, tenant: str, scan_id: str) -> dict[str, Any]:
    """One scan of ``tenant`` with its inputs; another tenant's scan is not found."""
    with engine.connect() as conn:
        row = conn.execute(
            select(t.scans).where(t.scans.c.tenant_id == tenant, t.scans.c.id == scan_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no scan with id {scan_id!r}")
        inputs = conn.execute(
            select(t.inputs)
            .where(t.inputs.c.tenant_id == tenant, t.inputs.c.scan_id == scan_id)
            .order_by(t.inputs.c.seq)
        )
        return {**dict(row._mapping), "inputs": [dict(i._mapping) for i in inputs]}
