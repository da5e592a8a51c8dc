"""Verification by rescan: the scanning service calls :func:`verify_after_scan` after each scan.

For every working or verified case with a finding on an asset the scan read:

* a finding of the case seen again in this scan reopens a ``removed`` or
  ``verified`` case (event ``case.reopened``);
* when every finding of the product is ``gone`` (the store marks a finding gone
  when a rescan of its asset, with the same input format, no longer shows it), the
  case moves to ``removed``, recording the scan; then, unless residual artifacts
  of the same covered entity remain active on the case's assets (drivers,
  services, certificates, registry keys, files, or ``residual`` findings), to
  ``verified``, recording the same scan as the proof. With residuals it stays
  ``removed`` with the reason "residual artifacts remain: ...".

Leftovers covered by an exception (a waiver or a false positive) do not block
verification; artifacts of another product of the same entity do not either (they
belong to that product's case).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from rootout.cases import records
from rootout.cases.model import (
    WORKING,
    CaseStatus,
    describe_finding,
    is_residual_like,
)
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store import suppress

WATCHED = WORKING | {CaseStatus.VERIFIED}
_CHUNK = 500


@dataclass(frozen=True)
class Decision:
    status: CaseStatus
    reason: str
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyOutcome:
    verified: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    reopened: tuple[str, ...] = ()


def assess(
    case: dict[str, Any],
    members: Sequence[dict[str, Any]],
    nearby: Iterable[dict[str, Any]],
    scan_id: str,
) -> Decision | None:
    """What a scan means for one case (pure)."""
    status = CaseStatus(case["status"])
    product = [f for f in members if not is_residual_like(f)] or list(members)
    if status in (CaseStatus.REMOVED, CaseStatus.VERIFIED):
        back = [f["id"] for f in product if _seen_in(f, scan_id)]
        if back:
            return Decision(
                CaseStatus.OPEN, f"seen again in scan {scan_id}: {', '.join(back)}", tuple(back)
            )
    if status is CaseStatus.VERIFIED or any(f["status"] == "active" for f in product):
        return None
    leftovers = sorted({describe_finding(f) for f in _leftovers(case, members, product, nearby)})
    if leftovers:
        reason = "residual artifacts remain: " + "; ".join(leftovers)
        if status is CaseStatus.REMOVED and case["residual_reason"] == reason:
            return None
        return Decision(CaseStatus.REMOVED, reason)
    return Decision(
        CaseStatus.VERIFIED,
        f"rescan {scan_id} shows every finding gone and no residual artifacts",
    )


def _seen_in(finding: dict[str, Any], scan_id: str) -> bool:
    return bool(finding["status"] == "active" and finding["last_seen_scan"] == scan_id)


def _leftovers(
    case: dict[str, Any],
    members: Sequence[dict[str, Any]],
    product: Sequence[dict[str, Any]],
    nearby: Iterable[dict[str, Any]],
) -> list[dict[str, Any]]:
    own = {f["id"] for f in members}
    assets = {f["asset_key"] for f in members}
    primary = {f["id"] for f in product}
    result = [f for f in members if f["id"] not in primary and f["status"] == "active"]
    for f in nearby:
        if (
            f["id"] not in own
            and f["entity"] == case["entity"]
            and f["asset_key"] in assets
            and f["product"] in (None, case["product"])
            and is_residual_like(f)
        ):
            result.append(f)
    return result


def verify_after_scan(
    engine: Engine,
    scan_id: str,
    tenant: str = repo.DEFAULT_TENANT,
    *,
    actor: str = "rootout",
    today: dt.date | None = None,
) -> VerifyOutcome:
    """Move the cases a stored scan proves removed (or disproves) and log why."""
    rules = suppress.suppressions(engine, tenant=tenant)
    outcome: dict[CaseStatus, list[str]] = {s: [] for s in CaseStatus}
    with engine.begin() as conn:
        cases = _touched_cases(conn, tenant, scan_id)
        if not cases:
            return VerifyOutcome()
        membership = records.members(conn, tenant, [c["id"] for c in cases])
        assets = {f["asset_key"] for fs in membership.values() for f in fs}
        nearby = suppress.apply(
            _active_on(conn, tenant, assets, {c["entity"] for c in cases}),
            rules,
            today or dt.date.today(),
        )
        nearby = [f for f in nearby if f["status"] == "active"]
        for case in cases:
            decision = assess(case, membership[case["id"]], nearby, scan_id)
            if decision is not None:
                _apply(conn, tenant, actor, case, decision, scan_id)
                outcome[decision.status].append(case["id"])
    return VerifyOutcome(
        tuple(outcome[CaseStatus.VERIFIED]),
        tuple(outcome[CaseStatus.REMOVED]),
        tuple(outcome[CaseStatus.OPEN]),
    )


def _apply(
    conn: Connection,
    tenant: str,
    actor: str,
    case: dict[str, Any],
    decision: Decision,
    scan_id: str,
) -> None:
    detail = {"scan": scan_id}
    if decision.status is CaseStatus.OPEN:
        records.transition(
            conn,
            tenant,
            actor,
            case,
            CaseStatus.OPEN,
            decision.reason,
            {**detail, "findings": list(decision.findings)},
            action="case.reopened",
            removed_scan=None,
            verified_scan=None,
            residual_reason=None,
        )
        return
    residual = decision.reason if decision.status is CaseStatus.REMOVED else None
    if case["status"] != CaseStatus.REMOVED.value:
        why = residual or f"every finding gone in scan {scan_id}"
        records.transition(
            conn,
            tenant,
            actor,
            case,
            CaseStatus.REMOVED,
            why,
            detail,
            removed_scan=scan_id,
            residual_reason=residual,
        )
    elif residual is not None:
        records.update_case(conn, tenant, case["id"], residual_reason=residual)
        records.log(conn, tenant, actor, "case.residual", case["id"], {**detail, "why": residual})
    if decision.status is CaseStatus.VERIFIED:
        records.transition(
            conn,
            tenant,
            actor,
            case,
            CaseStatus.VERIFIED,
            decision.reason,
            detail,
            verified_scan=scan_id,
            removed_scan=case["removed_scan"] or scan_id,
            residual_reason=None,
        )


def _touched_cases(conn: Connection, tenant: str, scan_id: str) -> list[dict[str, Any]]:
    """Watched cases with a finding on an asset this scan read."""
    f, cf, sa_ = t.findings, t.case_findings, t.scan_assets
    touched = (
        select(cf.c.case_id)
        .join(f, (f.c.tenant_id == cf.c.tenant_id) & (f.c.id == cf.c.finding_id))
        .join(
            sa_,
            (sa_.c.tenant_id == f.c.tenant_id)
            & (sa_.c.asset_key == f.c.asset_key)
            & (sa_.c.scan_id == scan_id),
        )
        .where(cf.c.tenant_id == tenant)
        .distinct()
    )
    rows = conn.execute(
        select(t.cases).where(
            t.cases.c.tenant_id == tenant,
            t.cases.c.id.in_(touched),
            t.cases.c.status.in_([s.value for s in WATCHED]),
        )
    )
    return sorted((dict(r._mapping) for r in rows), key=lambda c: int(c["id"][1:]))


def _active_on(
    conn: Connection, tenant: str, assets: set[str], entities: set[str]
) -> list[dict[str, Any]]:
    keys = sorted(assets)
    rows: list[dict[str, Any]] = []
    for start in range(0, len(keys), _CHUNK):
        rows.extend(
            dict(r._mapping)
            for r in conn.execute(
                select(t.findings).where(
                    t.findings.c.tenant_id == tenant,
                    t.findings.c.status == "active",
                    t.findings.c.asset_key.in_(keys[start : start + _CHUNK]),
                    t.findings.c.entity.in_(sorted(entities)),
                )
            )
        )
    return rows
