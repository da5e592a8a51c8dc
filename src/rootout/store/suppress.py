"""Exceptions: suppression rules with justification, approver and expiry.

A suppressed finding is not hidden: it stays in every listing with status
``waived`` and the rule that waived it, until the rule expires. Adding and
removing rules are events in the append-only log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from rootout.errors import NotFoundError, RootoutError
from rootout.store import repository as repo
from rootout.store import schema as t


class Scope(StrEnum):
    FINDING = "finding"
    SIGNATURE = "signature"
    PRODUCT = "product"
    ENTITY = "entity"
    ASSET = "asset"
    TAG = "tag"  # value "key=value" matched against the asset's tags


@dataclass(frozen=True)
class Suppression:
    id: str
    scope: Scope
    value: str
    justification: str
    approver: str
    expires: dt.date | None

    def active(self, today: dt.date) -> bool:
        return self.expires is None or today <= self.expires

    def covers(self, row: dict[str, Any]) -> bool:
        if self.scope is Scope.TAG:
            tags = {f"{k}={v}" for k, v in row["observation"]["asset"]["tags"]}
            return self.value in tags
        column = {
            Scope.FINDING: "id",
            Scope.SIGNATURE: "signature",
            Scope.PRODUCT: "product",
            Scope.ENTITY: "entity",
            Scope.ASSET: "asset_key",
        }[self.scope]
        return bool(row[column] == self.value)


def add_suppression(
    engine: Engine,
    scope: Scope,
    value: str,
    *,
    justification: str,
    approver: str,
    expires: dt.date | None,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = "rootout",
) -> Suppression:
    if not justification.strip() or not approver.strip():
        raise RootoutError("an exception needs a justification and an approver")
    suppression_id = "X" + hashlib.sha256(f"{tenant}\0{scope}\0{value}".encode()).hexdigest()[:11]
    with engine.begin() as conn:
        repo.ensure_tenant(conn, tenant)
        conn.execute(
            delete(t.suppressions).where(
                t.suppressions.c.tenant_id == tenant, t.suppressions.c.id == suppression_id
            )
        )
        conn.execute(
            insert(t.suppressions).values(
                tenant_id=tenant,
                id=suppression_id,
                scope=scope.value,
                value=value,
                justification=justification,
                approver=approver,
                expires=expires.isoformat() if expires else None,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        repo.log_event(
            conn,
            tenant,
            actor,
            "exception.added",
            "exception",
            suppression_id,
            {
                "scope": scope.value,
                "value": value,
                "approver": approver,
                "justification": justification,
                "expires": expires.isoformat() if expires else None,
            },
        )
    return Suppression(suppression_id, scope, value, justification, approver, expires)


def remove_suppression(
    engine: Engine,
    suppression_id: str,
    *,
    reason: str,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = "rootout",
) -> None:
    with engine.begin() as conn:
        removed = conn.execute(
            delete(t.suppressions).where(
                t.suppressions.c.tenant_id == tenant, t.suppressions.c.id == suppression_id
            )
        ).rowcount
        if not removed:
            raise NotFoundError(f"no exception with id {suppression_id!r}")
        repo.log_event(
            conn,
            tenant,
            actor,
            "exception.removed",
            "exception",
            suppression_id,
            {"reason": reason},
        )


def suppressions(engine: Engine, *, tenant: str = repo.DEFAULT_TENANT) -> list[Suppression]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.suppressions)
            .where(t.suppressions.c.tenant_id == tenant)
            .order_by(t.suppressions.c.id)
        )
        return [
            Suppression(
                r.id,
                Scope(r.scope),
                r.value,
                r.justification,
                r.approver,
                dt.date.fromisoformat(r.expires) if r.expires else None,
            )
            for r in rows
        ]


def apply(
    rows: list[dict[str, Any]], rules: list[Suppression], today: dt.date
) -> list[dict[str, Any]]:
    """Rows with ``status`` set to ``waived`` (and ``waived_by``) where an active rule covers them."""
    active = [rule for rule in rules if rule.active(today)]
    result = []
    for row in rows:
        rule = next((r for r in active if r.covers(row)), None)
        if rule is not None and row["status"] == "active":
            row = {**row, "status": "waived", "waived_by": rule.id}
        result.append(row)
    return result
