"""The case read model (:class:`CaseView`) and the calls that need the catalog.

Reports, the CLI and the API read cases only through :func:`list_cases` and
:func:`get_case`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Engine, select

from rootout.cases import records
from rootout.cases.deadlines import deadline_views, rules_for_case
from rootout.cases.model import CaseError, CaseStatus, CaseView, WaiverView
from rootout.cases.policy import Policy, load_policy
from rootout.catalog.catalog import Catalog
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store.clock import as_utc


def list_cases(
    engine: Engine,
    catalog: Catalog,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    statuses: Iterable[CaseStatus] | None = None,
    policy: Policy | None = None,
    today: dt.date | None = None,
) -> list[CaseView]:
    """Every case of the tenant (or those in ``statuses``), oldest first."""
    policy = policy or load_policy()
    with engine.connect() as conn:
        cases = records.case_rows(conn, tenant, statuses)
        membership = records.members(conn, tenant, [c["id"] for c in cases])
        counts = records.event_counts(conn, tenant)
    return [
        build_view(case, membership[case["id"]], counts.get(case["id"], 0), catalog, policy, today)
        for case in cases
    ]


def get_case(
    engine: Engine,
    catalog: Catalog,
    case_id: str,
    *,
    tenant: str = repo.DEFAULT_TENANT,
    policy: Policy | None = None,
    today: dt.date | None = None,
) -> CaseView:
    """One case by id (``C3``, ``c3`` or ``3``)."""
    policy = policy or load_policy()
    with engine.connect() as conn:
        case = records.load_case(conn, tenant, case_id)
        found = records.members(conn, tenant, [case["id"]])[case["id"]]
        count = len(_events(conn, tenant, case["id"]))
    return build_view(case, found, count, catalog, policy, today)


def case_log(
    engine: Engine, case_id: str, *, tenant: str = repo.DEFAULT_TENANT
) -> list[dict[str, Any]]:
    """The case's append-only events, oldest first: at, actor, action, detail."""
    with engine.connect() as conn:
        case = records.load_case(conn, tenant, case_id)
        return _events(conn, tenant, case["id"])


def _events(conn: Any, tenant: str, case_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(t.events)
        .where(
            t.events.c.tenant_id == tenant,
            t.events.c.object_type == records.OBJECT_TYPE,
            t.events.c.object_id == case_id,
        )
        .order_by(t.events.c.id)
    )
    return [{**dict(r._mapping), "at": as_utc(r.at)} for r in rows]


def build_view(
    case: dict[str, Any],
    found: Sequence[dict[str, Any]],
    events: int,
    catalog: Catalog,
    policy: Policy,
    today: dt.date | None = None,
) -> CaseView:
    today = today or dt.date.today()
    status = CaseStatus(case["status"])
    identified_at = as_utc(case["identified_at"])
    identified_on = policy.local_date(identified_at)
    rules = rules_for_case(
        catalog, (ref for f in found for ref in f["legal"]), case["entity"], identified_on, policy
    )
    product = catalog.products.get(case["product"]) if case["product"] else None
    return CaseView(
        id=case["id"],
        title=case["title"],
        entity=case["entity"],
        product=case["product"],
        org_unit=case["org_unit"],
        status=status,
        owner=case["owner"],
        identified_at=identified_at,
        finding_ids=tuple(f["id"] for f in found),
        asset_names=tuple(sorted({f["observation"]["asset"]["name"] for f in found})),
        deadlines=deadline_views(
            rules,
            done=done_dates(case),
            status=status,
            today=today,
            identified_on=identified_on,
            policy=policy,
        ),
        waiver=_waiver(case, today),
        false_positive_reason=case["false_positive_reason"],
        verified_scan=case["verified_scan"],
        removed_scan=case["removed_scan"],
        residual_reason=case["residual_reason"],
        events=events,
        identified_how=case["identified_how"],
        matched_entity=case["matched_entity"],
        notes=case["notes"],
        removal=product.removal if product else None,
    )


def done_dates(case: dict[str, Any]) -> dict[str, list[dt.date]]:
    stored: dict[str, list[str]] = case["obligations_done"] or {}
    return {k: [dt.date.fromisoformat(d) for d in v] for k, v in stored.items()}


def _waiver(case: dict[str, Any], today: dt.date) -> WaiverView | None:
    waiver = case["waiver"]
    if not waiver:
        return None
    expires = dt.date.fromisoformat(waiver["expires"]) if waiver.get("expires") else None
    return WaiverView(
        justification=waiver["justification"],
        approver=waiver["approver"],
        expires=expires,
        suppressions=tuple(case["suppressions"] or ()),
        expired=expires is not None and expires < today,
    )


def record_done(
    engine: Engine,
    catalog: Catalog,
    case_id: str,
    obligation_id: str,
    on: dt.date,
    *,
    why: str = "",
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = "rootout",
    policy: Policy | None = None,
) -> CaseView:
    """Record that an obligation of the case was met on ``on`` (a report submitted)."""
    view = get_case(engine, catalog, case_id, tenant=tenant, policy=policy)
    known = {d.obligation_id for d in view.deadlines}
    if obligation_id not in known:
        listed = ", ".join(sorted(known)) or "none"
        raise CaseError(f"case {view.id} has no deadline {obligation_id!r}; it has: {listed}")
    with engine.begin() as conn:
        case = records.load_case(conn, tenant, view.id)
        done = dict(case["obligations_done"] or {})
        done[obligation_id] = sorted({*done.get(obligation_id, []), on.isoformat()})
        records.update_case(conn, tenant, view.id, obligations_done=done)
        records.log(
            conn,
            tenant,
            actor,
            "case.obligation_done",
            view.id,
            {"obligation": obligation_id, "on": on.isoformat(), "why": why},
        )
    return get_case(engine, catalog, view.id, tenant=tenant, policy=policy)
