"""``rootout case ...``: removal cases. Each command calls one function of rootout.cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from rootout import cases
from rootout.cases.model import CaseStatus, CaseView, DeadlineView
from rootout.cases.policy import POLICY_ENV, Policy, load_policy
from rootout.cases.records import normalise_id
from rootout.cli.common import DbOpt, TenantOpt, load_configured_catalog
from rootout.errors import RootoutError
from rootout.store.db import connect

app = typer.Typer(
    help="Removal cases: owners, legal deadlines, waivers and verification by rescan.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=True)

ActorOpt = typer.Option(
    None, "--actor", envvar="ROOTOUT_ACTOR", help="Who is acting (default: the login name)."
)
PolicyOpt = typer.Option(
    None, "--policy", envvar=POLICY_ENV, help="Case policy TOML file (default: [cases] in config)."
)
WhyOpt = typer.Option(..., "--why", help="Why (kept in the case log).")


class ListFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _actor(actor: str | None) -> str:
    if actor:
        return actor
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # pragma: no cover - no login name (some containers)
        return "rootout"


def _policy(path: Path | None) -> Policy:
    return load_policy(path)


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RootoutError(f"{option}: expected a date as YYYY-MM-DD, got {text!r}") from None


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise RootoutError(
            f"--identified-at: expected YYYY-MM-DD[THH:MM[+HH:MM]], got {text!r}"
        ) from None


@app.command("open")
def open_(
    auto: bool = typer.Option(False, "--auto", help="Group every active finding not in a case."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    actor: str | None = ActorOpt,
) -> None:
    """Open cases from findings (idempotent: re-running only adds new findings)."""
    if not auto:
        raise RootoutError("give --auto; regroup single findings with `rootout case move`")
    result = cases.open_cases(
        connect(db), load_configured_catalog(), tenant=tenant, actor=_actor(actor)
    )
    out.print(
        f"{result.findings} finding(s): {len(result.created)} case(s) opened"
        f"{' (' + ', '.join(result.created) + ')' if result.created else ''}, "
        f"{len(result.extended)} extended, {len(result.reopened)} reopened",
        markup=False,
    )


def _deadline_state(d: DeadlineView) -> str:
    if d.done_on is not None and d.met:
        return f"done {d.done_on}"
    if d.met:
        return "met by removal"
    if d.passed_before_identification:
        return "passed before identification"
    if d.days_left < 0:
        return "OVERDUE"
    return "AT RISK" if d.at_risk else "ok"


def _next_due(view: CaseView) -> str:
    pending = [d for d in view.deadlines if d.at_risk or (d.days_left >= 0 and not d.met)]
    if not pending:
        return ""
    first = min(pending, key=lambda d: d.due)
    return f"{first.due} ({first.days_left:+d}d{', AT RISK' if first.at_risk else ''})"


@app.command("list")
def list_(
    status: list[CaseStatus] = typer.Option([], "--status", help="Only these statuses."),
    output: ListFormat = typer.Option(ListFormat.TABLE, "--format", "-f", help="table or json."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    policy: Path | None = PolicyOpt,
) -> None:
    """List cases with their status, owner and next deadline."""
    views = cases.list_cases(
        connect(db),
        load_configured_catalog(),
        tenant=tenant,
        statuses=status or None,
        policy=_policy(policy),
    )
    if output is ListFormat.JSON:
        out.print(json.dumps([view_json(v) for v in views], indent=2), markup=False)
        return
    table = Table("case", "status", "title", "owner", "findings", "assets", "next due")
    for v in views:
        table.add_row(
            v.id,
            v.status.value,
            v.title,
            v.owner or "",
            str(len(v.finding_ids)),
            str(len(v.asset_names)),
            _next_due(v),
        )
    out.print(table)
    out.print(f"{len(views)} case(s)", markup=False)


def view_json(view: CaseView) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    data = dataclasses.asdict(dataclasses.replace(view, removal=None))
    data["removal"] = view.removal.model_dump(mode="json") if view.removal else None
    return {k: plain(v) for k, v in data.items()}


@app.command("show")
def show(
    case_id: str = typer.Argument(..., help="Case id (C3, c3 or 3)."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    policy: Path | None = PolicyOpt,
) -> None:
    """A case: status, findings, deadlines (due, days left, at risk) and removal guidance."""
    chosen = _policy(policy)
    v = cases.get_case(
        connect(db), load_configured_catalog(), case_id, tenant=tenant, policy=chosen
    )
    p = out.print
    p(f"case {v.id}: {v.title}", markup=False)
    p(f"status: {v.status.value}    owner: {v.owner or '(none)'}", markup=False)
    p(f"identified: {v.identified_at:%Y-%m-%d %H:%M} UTC — {v.identified_how}", markup=False)
    p(f"covered entity: {v.entity}    product: {v.product or v.matched_entity}", markup=False)
    p(f"findings ({len(v.finding_ids)}): {', '.join(v.finding_ids)}", markup=False)
    p(f"assets ({len(v.asset_names)}): {', '.join(v.asset_names)}", markup=False)
    for label, value in (
        ("removed in scan", v.removed_scan),
        ("verified by scan", v.verified_scan),
        ("residual", v.residual_reason),
        ("false positive", v.false_positive_reason),
    ):
        if value:
            p(f"{label}: {value}", markup=False)
    if v.waiver:
        w = v.waiver
        state = " (EXPIRED)" if w.expired else ""
        p(
            f"waiver: {w.justification} — approved by {w.approver}, "
            f"expires {w.expires or 'never'}{state}",
            markup=False,
        )
    _print_deadlines(v, chosen)
    _print_removal(v)
    if v.notes:
        p("notes:", markup=False)
        for line in v.notes.splitlines():
            p(f"  {line}", markup=False)
    p(f"{v.events} event(s): `rootout case log {v.id}`", markup=False)


def _print_deadlines(v: CaseView, policy: Policy) -> None:
    if not v.deadlines:
        out.print("deadlines: none apply", markup=False)
        return
    out.print("deadlines:", markup=False)
    for d in v.deadlines:
        report = f" [report {d.report_id}]" if d.report_id else ""
        out.print(
            f"  {d.due}  {d.days_left:+6d}d  {_deadline_state(d)}  "
            f"{d.legal_basis_short}  {d.obligation_id}{report}",
            markup=False,
        )
        out.print(f"      {d.action}", markup=False)
    out.print(
        f"  business days: {policy.calendar.describe()}; day 1 is the first business day "
        f"after identification; policy: {policy.source}",
        markup=False,
    )


def _print_removal(v: CaseView) -> None:
    guidance = v.removal
    if guidance is None:
        out.print("removal guidance: none in the catalog for this product", markup=False)
        return
    out.print("removal guidance (catalog):", markup=False)
    if guidance.uninstall_tool:
        out.print(f"  uninstall tool: {guidance.uninstall_tool}", markup=False)
    if guidance.uninstall_parameters:
        params = ", ".join(guidance.uninstall_parameters)
        out.print(f"  protected-uninstall parameters: {params}", markup=False)
    for leftover in guidance.leftovers:
        out.print(f"  check afterwards: {leftover}", markup=False)
    if guidance.replacement:
        out.print(f"  replacement needed: {guidance.replacement}", markup=False)
    out.print(f"  sources: {', '.join(guidance.sources)}", markup=False)


@app.command("status")
def status(
    case_id: str = typer.Argument(..., help="Case id."),
    new: CaseStatus = typer.Argument(..., help="open, planned, removing or removed."),
    why: str = WhyOpt,
    owner: str | None = typer.Option(None, "--owner", help="Also set the owner."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    actor: str | None = ActorOpt,
) -> None:
    """Move a case to another status (allowed moves only)."""
    result = cases.change_status(
        connect(db), case_id, new, why=why, owner=owner, tenant=tenant, actor=_actor(actor)
    )
    out.print(f"case {normalise_id(case_id)} is now {result.value}", markup=False)


@app.command("waive")
def waive(
    case_id: str = typer.Argument(..., help="Case id."),
    justification: str = typer.Option(..., help="Why the findings are acceptable."),
    approver: str = typer.Option(..., help="Who approved the waiver."),
    expires: str | None = typer.Option(None, help="Last day the waiver holds (YYYY-MM-DD)."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    actor: str | None = ActorOpt,
) -> None:
    """Waive a case: its findings show as waived until the expiry."""
    until = _date(expires, "--expires") if expires else None
    rules = cases.waive_case(
        connect(db),
        case_id,
        justification=justification,
        approver=approver,
        expires=until,
        tenant=tenant,
        actor=_actor(actor),
    )
    out.print(
        f"case {normalise_id(case_id)} waived until {until or 'further notice'}: "
        f"{len(rules)} finding exception(s)",
        markup=False,
    )


@app.command("false-positive")
def false_positive(
    case_id: str = typer.Argument(..., help="Case id."),
    reason: str = typer.Option(..., "--reason", help="Why it is not a covered item."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    actor: str | None = ActorOpt,
) -> None:
    """Close a case as a false positive; its findings will not come back."""
    rules = cases.mark_false_positive(
        connect(db), case_id, reason=reason, tenant=tenant, actor=_actor(actor)
    )
    out.print(
        f"case {normalise_id(case_id)} closed as a false positive: {len(rules)} finding exception(s)",
        markup=False,
    )


@app.command("move")
def move(
    finding_id: str = typer.Argument(..., help="Finding id (or an unambiguous prefix)."),
    to: str = typer.Option(..., "--to", help="Case to move it into."),
    why: str = typer.Option("", "--why", help="Why (kept in the case log)."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    actor: str | None = ActorOpt,
) -> None:
    """Move a finding into another case."""
    source, target = cases.move_finding(
        connect(db), finding_id, to, why=why, tenant=tenant, actor=_actor(actor)
    )
    out.print(f"finding moved from {source or '(no case)'} to {target}", markup=False)


@app.command("edit")
def edit(
    case_id: str = typer.Argument(..., help="Case id."),
    owner: str | None = typer.Option(None, "--owner", help="Who owns the removal."),
    identified_at: str | None = typer.Option(
        None, "--identified-at", help="When the organisation learned of it (starts the clock)."
    ),
    how: str | None = typer.Option(None, "--how", help="How it learned (notice, report, scan)."),
    note: str | None = typer.Option(None, "--note", help="Add a note."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    actor: str | None = ActorOpt,
) -> None:
    """Set owner, identification time and source, or add a note."""
    cases.edit_case(
        connect(db),
        case_id,
        owner=owner,
        identified_at=_moment(identified_at) if identified_at else None,
        identified_how=how,
        note=note,
        tenant=tenant,
        actor=_actor(actor),
    )
    out.print(f"case {normalise_id(case_id)} updated", markup=False)


@app.command("done")
def done(
    case_id: str = typer.Argument(..., help="Case id."),
    obligation: str = typer.Argument(..., help="Obligation id as `case show` lists it."),
    on: str | None = typer.Option(None, "--on", help="Date it was met (default: today)."),
    why: str = typer.Option("", "--why", help="e.g. where the report was filed."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    actor: str | None = ActorOpt,
    policy: Path | None = PolicyOpt,
) -> None:
    """Record that a deadline was met (a report submitted); later deadlines count from it."""
    when = _date(on, "--on") if on else dt.date.today()
    view = cases.record_done(
        connect(db),
        load_configured_catalog(),
        case_id,
        obligation,
        when,
        why=why,
        tenant=tenant,
        actor=_actor(actor),
        policy=_policy(policy),
    )
    out.print(f"case {view.id}: {obligation} done on {when}", markup=False)


@app.command("log")
def log(
    case_id: str = typer.Argument(..., help="Case id."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Print the case's append-only event log: who, when, what, why."""
    for event in cases.case_log(connect(db), case_id, tenant=tenant):
        detail = dict(event["detail"])
        why = detail.pop("why", "")
        rest = ", ".join(f"{k}={v}" for k, v in detail.items() if v not in (None, "", []))
        out.print(
            f"{event['at']:%Y-%m-%d %H:%M:%S}Z  {event['actor']}  {event['action']}"
            f"{'  — ' + str(why) if why else ''}{'  (' + rest + ')' if rest else ''}",
            markup=False,
        )
