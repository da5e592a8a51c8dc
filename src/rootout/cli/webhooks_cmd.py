"""``rootout webhooks``: what the server's ``deadline.at_risk`` webhooks will say next."""

from __future__ import annotations

import datetime as dt
import json

import typer

from rootout.cli.common import DbOpt, TenantOpt, load_configured_catalog
from rootout.store.db import connect

app = typer.Typer(help="The server's webhooks (docs/server.md).", no_args_is_help=True)


@app.command("alerts")
def alerts(
    tenant: str = TenantOpt,
    db: str | None = DbOpt,
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
    on: str | None = typer.Option(
        None, "--on", help="Judge the deadlines as of this date, YYYY-MM-DD (default: today)."
    ),
) -> None:
    """Case deadlines at risk that no webhook has been told about yet."""
    from rootout.api.webhook_events import pending_alerts

    try:
        today = dt.date.fromisoformat(on) if on else None
    except ValueError:
        raise typer.BadParameter(f"{on!r} is not a date (YYYY-MM-DD)", param_hint="--on") from None
    found = pending_alerts(connect(db), load_configured_catalog(), tenant, today=today)
    for alert in found:
        if as_json:
            typer.echo(json.dumps(alert.data(None), sort_keys=True))
            continue
        left = f"{-alert.days_left}d overdue" if alert.days_left < 0 else f"{alert.days_left}d left"
        typer.echo(
            f"{alert.case_id}\t{alert.threshold}\t{alert.due} ({left})\t"
            f"{alert.legal_basis_short}: {alert.action}\t{alert.title}"
        )
    if not found and not as_json:
        typer.echo("no pending deadline alerts")
