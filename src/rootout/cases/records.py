"""SQL for cases: every statement filtered by tenant; every change logged as an event."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Integer, String, cast, func, insert, literal, select, update

from rootout.cases.model import CaseStatus, check_transition
from rootout.errors import NotFoundError
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store.clock import as_utc, now

OBJECT_TYPE = "case"
_ID = re.compile(r"^[cC]?(\d+)$")


def normalise_id(text: str) -> str:
    """``C12``, ``c12`` and ``12`` all name case ``C12``."""
    match = _ID.match(text.strip())
    if not match:
        raise NotFoundError(f"{text!r} is not a case id (cases are named C1, C2, ...)")
    return f"C{int(match.group(1))}"


def load_case(conn: Connection, tenant: str, case_id: str) -> dict[str, Any]:
    wanted = normalise_id(case_id)
    row = conn.execute(
        select(t.cases).where(t.cases.c.tenant_id == tenant, t.cases.c.id == wanted)
    ).first()
    if row is None:
        raise NotFoundError(f"no case {wanted}")
    return dict(row._mapping)


def case_rows(
    conn: Connection, tenant: str, statuses: Iterable[CaseStatus] | None = None
) -> list[dict[str, Any]]:
    query = select(t.cases).where(t.cases.c.tenant_id == tenant)
    if statuses is not None:
        query = query.where(t.cases.c.status.in_([s.value for s in statuses]))
    rows = [dict(r._mapping) for r in conn.execute(query)]
    return sorted(rows, key=lambda r: int(r["id"][1:]))


def next_case_id(conn: Connection, tenant: str) -> str:
    """The tenant's next case id ``C<n>``: one bump of its counter row (O(1), race-free).

    The bump locks the row until the transaction ends, so a concurrent transaction of the same
    tenant waits and then gets the following number; a rollback gives the number back.
    """
    return f"C{_bump_counter(conn, tenant, 1)}"


def lock_case_ids(conn: Connection, tenant: str) -> None:
    """Hold the tenant's case-id lock until the transaction ends (serialises case opening)."""
    _bump_counter(conn, tenant, 0)


def _bump_counter(conn: Connection, tenant: str, step: int) -> int:
    counter = t.case_counters
    bump = (
        update(counter)
        .where(counter.c.tenant_id == tenant)
        .values(last_number=counter.c.last_number + step)
        .returning(counter.c.last_number)
    )
    number = conn.execute(bump).scalar_one_or_none()
    if number is None:
        conn.execute(_create_counter(conn.dialect.name, tenant))
        number = conn.execute(bump).scalar_one()
    return int(number)


def _create_counter(dialect: str, tenant: str) -> Any:
    """INSERT the tenant's counter, seeded with its highest case number, unless it exists."""
    highest = func.coalesce(func.max(cast(func.substr(t.cases.c.id, 2), Integer)), 0)
    seed = select(literal(tenant, String), highest).where(t.cases.c.tenant_id == tenant)
    columns = ["tenant_id", "last_number"]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(t.case_counters).from_select(columns, seed).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(t.case_counters).from_select(columns, seed).on_conflict_do_nothing()


def insert_case(conn: Connection, tenant: str, values: dict[str, Any]) -> None:
    moment = now()
    conn.execute(
        insert(t.cases).values(
            tenant_id=tenant,
            status=CaseStatus.OPEN.value,
            obligations_done={},
            suppressions=[],
            created_at=moment,
            updated_at=moment,
            **values,
        )
    )


def update_case(conn: Connection, tenant: str, case_id: str, **values: Any) -> None:
    conn.execute(
        update(t.cases)
        .where(t.cases.c.tenant_id == tenant, t.cases.c.id == case_id)
        .values(updated_at=now(), **values)
    )


def log(
    conn: Connection, tenant: str, actor: str, action: str, case_id: str, detail: dict[str, Any]
) -> None:
    repo.log_event(conn, tenant, actor, action, OBJECT_TYPE, case_id, detail)


def transition(
    conn: Connection,
    tenant: str,
    actor: str,
    case: dict[str, Any],
    new: CaseStatus,
    why: str,
    detail: dict[str, Any] | None = None,
    *,
    action: str | None = None,
    **values: Any,
) -> None:
    """Move ``case`` to ``new`` (checked against the allowed moves) and log it."""
    old = CaseStatus(case["status"])
    check_transition(case["id"], old, new)
    update_case(conn, tenant, case["id"], status=new.value, **values)
    log(
        conn,
        tenant,
        actor,
        action or f"case.{new.value}",
        case["id"],
        {"from": old.value, "to": new.value, "why": why, **(detail or {})},
    )
    case["status"] = new.value


def members(
    conn: Connection, tenant: str, case_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """Case id -> its findings (full finding rows), for the given cases."""
    result: dict[str, list[dict[str, Any]]] = {c: [] for c in case_ids}
    if not case_ids:
        return result
    rows = conn.execute(
        select(t.case_findings.c.case_id, t.findings)
        .join(
            t.findings,
            (t.findings.c.tenant_id == t.case_findings.c.tenant_id)
            & (t.findings.c.id == t.case_findings.c.finding_id),
        )
        .where(t.case_findings.c.tenant_id == tenant, t.case_findings.c.case_id.in_(case_ids))
        .order_by(t.findings.c.id)
    )
    for row in rows:
        result[row.case_id].append(dict(row._mapping))
    return result


def case_of_finding(conn: Connection, tenant: str, finding_id: str) -> str | None:
    return conn.execute(
        select(t.case_findings.c.case_id).where(
            t.case_findings.c.tenant_id == tenant, t.case_findings.c.finding_id == finding_id
        )
    ).scalar_one_or_none()


def cased_finding_ids(conn: Connection, tenant: str) -> set[str]:
    return set(
        conn.execute(
            select(t.case_findings.c.finding_id).where(t.case_findings.c.tenant_id == tenant)
        ).scalars()
    )


def attach(conn: Connection, tenant: str, case_id: str, finding_ids: Sequence[str]) -> None:
    if finding_ids:
        moment = now()
        conn.execute(
            insert(t.case_findings),
            [
                {"tenant_id": tenant, "finding_id": f, "case_id": case_id, "added_at": moment}
                for f in finding_ids
            ],
        )


def reassign(conn: Connection, tenant: str, finding_id: str, case_id: str) -> None:
    conn.execute(
        update(t.case_findings)
        .where(t.case_findings.c.tenant_id == tenant, t.case_findings.c.finding_id == finding_id)
        .values(case_id=case_id, added_at=now())
    )


def first_seen(conn: Connection, tenant: str, scan_ids: Iterable[str]) -> tuple[dt.datetime, str]:
    """When the earliest of these scans finished, and its id."""
    row = conn.execute(
        select(t.scans.c.finished_at, t.scans.c.id)
        .where(t.scans.c.tenant_id == tenant, t.scans.c.id.in_(sorted(set(scan_ids))))
        .order_by(t.scans.c.finished_at, t.scans.c.id)
        .limit(1)
    ).first()
    if row is None:
        return now(), ""
    return as_utc(row.finished_at), row.id


def event_counts(conn: Connection, tenant: str) -> dict[str, int]:
    rows = conn.execute(
        select(t.events.c.object_id, func.count())
        .where(t.events.c.tenant_id == tenant, t.events.c.object_type == OBJECT_TYPE)
        .group_by(t.events.c.object_id)
    )
    return {row[0]: int(row[1]) for row in rows}
