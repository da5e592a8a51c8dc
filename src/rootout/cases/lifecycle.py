"""Changing cases: move status, waive, false positive, regroup, edit.

Every function here is one user action, logged as an append-only event with the
actor and the reason. Waivers and false positives are exceptions of scope
``finding`` (``rootout.store.suppress``), so the findings show as waived in every
listing and a false positive does not come back on the next scan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine

from rootout.cases import records
from rootout.cases.grouping import DEFAULT_ACTOR
from rootout.cases.model import (
    WITH_OWN_COMMAND,
    WORKING,
    CaseError,
    CaseStatus,
    check_transition,
    is_residual_like,
)
from rootout.errors import NotFoundError
from rootout.store import repository as repo
from rootout.store import suppress
from rootout.store.clock import as_utc, now


def change_status(
    engine: Engine,
    case_id: str,
    new: CaseStatus,
    *,
    why: str,
    owner: str | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = DEFAULT_ACTOR,
) -> CaseStatus:
    """Move a case along open → planned → removing → removed, or reopen it."""
    if not why.strip():
        raise CaseError("a status change needs a reason (--why)")
    if new is CaseStatus.VERIFIED:
        raise CaseError(
            "a case becomes verified only when a rescan shows its findings gone: run `rootout scan`"
        )
    if new in WITH_OWN_COMMAND:
        command = "waive" if new is CaseStatus.WAIVED else "false-positive"
        raise CaseError(f"use `rootout case {command}` to mark a case {new.value}")
    with engine.connect() as conn:
        case = records.load_case(conn, tenant, case_id)
    check_transition(case["id"], CaseStatus(case["status"]), new)
    _lift_exceptions(engine, case, why, tenant, actor)
    with engine.begin() as conn:
        case = records.load_case(conn, tenant, case_id)
        values: dict[str, Any] = {}
        if new is CaseStatus.OPEN:
            values = {
                "waiver": None,
                "suppressions": [],
                "false_positive_reason": None,
                "removed_scan": None,
                "verified_scan": None,
                "residual_reason": None,
            }
        if owner is not None:
            values["owner"] = owner
        detail = {"owner": owner} if owner is not None else {}
        records.transition(conn, tenant, actor, case, new, why, detail, **values)
    return new


def _lift_exceptions(
    engine: Engine, case: dict[str, Any], why: str, tenant: str, actor: str
) -> None:
    """Remove the exceptions a waiver or false positive created (before reopening)."""
    for rule_id in case["suppressions"] or []:
        try:
            suppress.remove_suppression(
                engine,
                rule_id,
                reason=f"case {case['id']} reopened: {why}",
                tenant=tenant,
                actor=actor,
            )
        except NotFoundError:
            continue  # removed by hand with `rootout exception remove`


def _finding_ids(engine: Engine, tenant: str, case_id: str) -> list[str]:
    with engine.connect() as conn:
        return [f["id"] for f in records.members(conn, tenant, [case_id])[case_id]]


def waive_case(
    engine: Engine,
    case_id: str,
    *,
    justification: str,
    approver: str,
    expires: dt.date | None,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = DEFAULT_ACTOR,
    today: dt.date | None = None,
) -> tuple[str, ...]:
    """Accept a case's findings until ``expires``; returns the exception ids created."""
    if not justification.strip() or not approver.strip():
        raise CaseError("a waiver needs a justification and an approver")
    if expires is not None and expires < (today or dt.date.today()):
        raise CaseError(f"the waiver would already have expired ({expires})")
    with engine.connect() as conn:
        case = records.load_case(conn, tenant, case_id)
    check_transition(case["id"], CaseStatus(case["status"]), CaseStatus.WAIVED)
    rules = _suppress_all(
        engine,
        _finding_ids(engine, tenant, case["id"]),
        f"case {case['id']} waiver: {justification}",
        approver,
        expires,
        tenant,
        actor,
    )
    waiver = {
        "justification": justification,
        "approver": approver,
        "expires": expires.isoformat() if expires else None,
    }
    with engine.begin() as conn:
        case = records.load_case(conn, tenant, case_id)
        records.transition(
            conn,
            tenant,
            actor,
            case,
            CaseStatus.WAIVED,
            justification,
            {**waiver, "exceptions": list(rules)},
            waiver=waiver,
            suppressions=list(rules),
        )
    return rules


def mark_false_positive(
    engine: Engine,
    case_id: str,
    *,
    reason: str,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = DEFAULT_ACTOR,
) -> tuple[str, ...]:
    """Close a case as a false positive; its findings get permanent finding exceptions."""
    if not reason.strip():
        raise CaseError("a false positive needs a reason")
    with engine.connect() as conn:
        case = records.load_case(conn, tenant, case_id)
    check_transition(case["id"], CaseStatus(case["status"]), CaseStatus.FALSE_POSITIVE)
    rules = _suppress_all(
        engine,
        _finding_ids(engine, tenant, case["id"]),
        f"false positive (case {case['id']}): {reason}",
        actor,
        None,
        tenant,
        actor,
    )
    with engine.begin() as conn:
        case = records.load_case(conn, tenant, case_id)
        records.transition(
            conn,
            tenant,
            actor,
            case,
            CaseStatus.FALSE_POSITIVE,
            reason,
            {"exceptions": list(rules)},
            false_positive_reason=reason,
            suppressions=list(rules),
        )
    return rules


def _suppress_all(
    engine: Engine,
    finding_ids: Sequence[str],
    justification: str,
    approver: str,
    expires: dt.date | None,
    tenant: str,
    actor: str,
) -> tuple[str, ...]:
    return tuple(
        suppress.add_suppression(
            engine,
            suppress.Scope.FINDING,
            finding_id,
            justification=justification,
            approver=approver,
            expires=expires,
            tenant=tenant,
            actor=actor,
        ).id
        for finding_id in finding_ids
    )


def move_finding(
    engine: Engine,
    finding_id: str,
    to_case: str,
    *,
    why: str = "",
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = DEFAULT_ACTOR,
) -> tuple[str | None, str]:
    """Regroup a finding into another working case; returns (from case, to case)."""
    finding = repo.get_finding(engine, finding_id, tenant=tenant)
    with engine.begin() as conn:
        target = records.load_case(conn, tenant, to_case)
        _need_working(target, "move a finding into")
        source_id = records.case_of_finding(conn, tenant, finding["id"])
        if source_id == target["id"]:
            raise CaseError(f"finding {finding['id']} is already in case {target['id']}")
        detail = {"finding": finding["id"], "why": why}
        if source_id is None:
            records.attach(conn, tenant, target["id"], [finding["id"]])
        else:
            source = records.load_case(conn, tenant, source_id)
            _need_working(source, "move a finding out of")
            records.reassign(conn, tenant, finding["id"], target["id"])
            records.log(
                conn,
                tenant,
                actor,
                "case.finding_moved_out",
                source_id,
                {**detail, "to": target["id"]},
            )
        records.log(
            conn,
            tenant,
            actor,
            "case.finding_moved_in",
            target["id"],
            {**detail, "from": source_id},
        )
        still_there = finding["status"] == "active" and not is_residual_like(finding)
        if target["status"] == CaseStatus.REMOVED.value and still_there:
            records.transition(
                conn,
                tenant,
                actor,
                target,
                CaseStatus.OPEN,
                f"finding {finding['id']} moved in is still active",
                action="case.reopened",
                removed_scan=None,
                residual_reason=None,
            )
    return source_id, target["id"]


def _need_working(case: dict[str, Any], what: str) -> None:
    if CaseStatus(case["status"]) not in WORKING:
        raise CaseError(
            f"cannot {what} case {case['id']}: it is {case['status']}; reopen it first "
            f"(`rootout case status {case['id']} open --why ...`)"
        )


def edit_case(
    engine: Engine,
    case_id: str,
    *,
    owner: str | None = None,
    identified_at: dt.datetime | None = None,
    identified_how: str | None = None,
    note: str | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    actor: str = DEFAULT_ACTOR,
) -> None:
    """Set the owner, when and how the organisation learned of the case, or add a note."""
    if identified_at is not None:
        identified_at = as_utc(identified_at)
    if identified_at is not None and not identified_how:
        raise CaseError("say how the organisation learned of it (--how) when setting the date")
    with engine.begin() as conn:
        case = records.load_case(conn, tenant, case_id)
        values: dict[str, Any] = {}
        changes: dict[str, Any] = {}
        for name, value in (
            ("owner", owner),
            ("identified_at", identified_at),
            ("identified_how", identified_how),
        ):
            if value is not None:
                values[name] = value
                old = case[name]
                changes[name] = {
                    "from": as_utc(old).isoformat() if isinstance(old, dt.datetime) else old,
                    "to": value.isoformat() if isinstance(value, dt.datetime) else value,
                }
        if note:
            stamp = now().strftime("%Y-%m-%d %H:%M UTC")
            values["notes"] = (
                case["notes"] + "\n" if case["notes"] else ""
            ) + f"{stamp} {actor}: {note}"
            changes["note"] = note
        if not values:
            raise CaseError("nothing to change: give --owner, --identified-at/--how or --note")
        records.update_case(conn, tenant, case["id"], **values)
        records.log(conn, tenant, actor, "case.edited", case["id"], changes)
