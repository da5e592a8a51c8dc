"""Opening cases: group active findings by covered entity, product and org unit.

``open_cases`` is idempotent: a finding already in a case is never grouped again,
and a group with a working case extends it instead of opening another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine

from rootout.cases import records
from rootout.cases.model import WORKING, CaseStatus, GroupKey, group_key, is_residual_like
from rootout.catalog.catalog import Catalog
from rootout.store import queries
from rootout.store import repository as repo

DEFAULT_ACTOR = "rootout"


@dataclass(frozen=True)
class OpenResult:
    created: tuple[str, ...] = ()
    extended: tuple[str, ...] = ()
    reopened: tuple[str, ...] = ()
    findings: int = 0


def case_title(catalog: Catalog, key: GroupKey) -> str:
    product = catalog.products.get(key.subject)
    subject = product.name if product else _entity_name(catalog, key.subject)
    if (product.entity if product else key.subject) != key.entity:
        subject += f" (covered: {_entity_name(catalog, key.entity)})"
    return f"{subject} — {key.org_unit}"[:300]


def _entity_name(catalog: Catalog, entity_id: str) -> str:
    entity = catalog.entities.get(entity_id)
    return entity.name if entity else entity_id


def open_cases(
    engine: Engine,
    catalog: Catalog,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = DEFAULT_ACTOR,
    today: dt.date | None = None,
) -> OpenResult:
    """Group every active, unwaived, in-force finding not yet in a case (idempotent).

    A finding joins the working case of its group (entity, product or matched
    entity, org unit); a group without one gets a new case. A ``removed`` case that
    gains a finding of the product itself is reopened. Waived cases whose waiver has
    expired are reopened.
    """
    today = today or dt.date.today()
    selection = queries.FindingFilter(statuses=("active",), include_historical=False)
    rows = queries.list_findings(engine, selection, tenant=tenant)
    with engine.begin() as conn:
        repo.ensure_tenant(conn, tenant)
        records.lock_case_ids(conn, tenant)  # a concurrent run waits, then sees our cases
        reopened = _reopen_expired_waivers(conn, tenant, actor, today)
        cased = records.cased_finding_ids(conn, tenant)
        groups: dict[GroupKey, list[dict[str, Any]]] = {}
        for row in rows:
            if row["id"] not in cased:
                groups.setdefault(group_key(row), []).append(row)
        working: dict[str, dict[str, Any]] = {}
        for case in records.case_rows(conn, tenant, WORKING):
            working.setdefault(case["group_key"], case)
        created: list[str] = []
        extended: list[str] = []
        for key, found in sorted(groups.items()):
            target = working.get(str(key))
            if target is None:
                created.append(_create(conn, tenant, actor, catalog, key, found))
                continue
            _extend(conn, tenant, actor, target, found)
            extended.append(target["id"])
    return OpenResult(
        tuple(created), tuple(extended), tuple(reopened), sum(len(f) for f in groups.values())
    )


def _create(
    conn: Connection,
    tenant: str,
    actor: str,
    catalog: Catalog,
    key: GroupKey,
    found: Sequence[dict[str, Any]],
) -> str:
    case_id = records.next_case_id(conn, tenant)
    identified_at, scan_id = records.first_seen(conn, tenant, (f["first_seen_scan"] for f in found))
    how = (
        f"scan {scan_id} first saw the earliest finding"
        if scan_id
        else "first scan not found: the clock starts when the case opened"
    )
    first = found[0]
    records.insert_case(
        conn,
        tenant,
        {
            "id": case_id,
            "group_key": str(key),
            "title": case_title(catalog, key),
            "entity": key.entity,
            "product": first["product"],
            "matched_entity": first["matched_entity"],
            "org_unit": key.org_unit,
            "identified_at": identified_at,
            "identified_how": how,
        },
    )
    ids = [f["id"] for f in found]
    records.attach(conn, tenant, case_id, ids)
    records.log(
        conn,
        tenant,
        actor,
        "case.opened",
        case_id,
        {
            "why": "grouped by `case open --auto`",
            "group": str(key),
            "findings": ids,
            "identified_at": identified_at.isoformat(),
            "identified_how": how,
        },
    )
    return case_id


def _extend(
    conn: Connection, tenant: str, actor: str, case: dict[str, Any], found: Sequence[dict[str, Any]]
) -> None:
    ids = [f["id"] for f in found]
    records.attach(conn, tenant, case["id"], ids)
    records.log(
        conn,
        tenant,
        actor,
        "case.findings_added",
        case["id"],
        {"why": "same group", "findings": ids},
    )
    product_back = [f["id"] for f in found if not is_residual_like(f)]
    if case["status"] == CaseStatus.REMOVED.value and product_back:
        records.transition(
            conn,
            tenant,
            actor,
            case,
            CaseStatus.OPEN,
            f"new finding(s) of the product: {', '.join(product_back)}",
            action="case.reopened",
            removed_scan=None,
            residual_reason=None,
        )


def _reopen_expired_waivers(conn: Connection, tenant: str, actor: str, today: dt.date) -> list[str]:
    reopened = []
    for case in records.case_rows(conn, tenant, [CaseStatus.WAIVED]):
        expires = (case["waiver"] or {}).get("expires")
        if expires and dt.date.fromisoformat(expires) < today:
            records.transition(
                conn,
                tenant,
                actor,
                case,
                CaseStatus.OPEN,
                f"waiver expired on {expires}",
                action="case.reopened",
            )
            reopened.append(case["id"])
    return reopened
