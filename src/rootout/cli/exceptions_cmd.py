"""``rootout exception add | list | remove``: suppression rules with approval and expiry."""

from __future__ import annotations

import datetime as dt

import typer
from rich.console import Console
from rich.table import Table

from rootout.cli.common import DbOpt, TenantOpt
from rootout.store.db import connect
from rootout.store.suppress import Scope, add_suppression, remove_suppression, suppressions

app = typer.Typer(
    help="Suppress findings with a justification, an approver and an expiry.", no_args_is_help=True
)
out = Console(highlight=False, soft_wrap=True)


@app.command("add")
def add(
    scope: Scope = typer.Option(
        ..., help="What the rule covers: finding, signature, product, entity, asset, tag."
    ),
    value: str = typer.Option(..., help="Id (or asset key, or tag as key=value) the rule covers."),
    justification: str = typer.Option(..., help="Why the findings are acceptable."),
    approver: str = typer.Option(..., help="Who approved the exception."),
    expires: str | None = typer.Option(None, help="Last day the exception holds (YYYY-MM-DD)."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Add (or replace) an exception."""
    until = dt.date.fromisoformat(expires) if expires else None
    rule = add_suppression(
        connect(db),
        scope,
        value,
        justification=justification,
        approver=approver,
        expires=until,
        tenant=tenant,
    )
    out.print(
        f"exception {rule.id} added: {scope.value} {value} (expires {until or 'never'})",
        markup=False,
    )


@app.command("list")
def list_rules(db: str | None = DbOpt, tenant: str = TenantOpt) -> None:
    """List exceptions."""
    table = Table("id", "scope", "value", "approver", "expires", "justification")
    for rule in suppressions(connect(db), tenant=tenant):
        table.add_row(
            rule.id,
            rule.scope.value,
            rule.value,
            rule.approver,
            str(rule.expires or ""),
            rule.justification,
        )
    out.print(table)


@app.command("remove")
def remove(
    rule_id: str = typer.Argument(..., help="Exception id."),
    reason: str = typer.Option(..., help="Why it is removed (kept in the event log)."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Remove an exception; the findings it waived become active again."""
    remove_suppression(connect(db), rule_id, reason=reason, tenant=tenant)
    out.print(f"exception {rule_id} removed", markup=False)
