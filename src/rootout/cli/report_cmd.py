"""``rootout report``: render a report over the store (docs/reports.md)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import typer

from rootout.cli.common import DbOpt, TenantOpt, load_configured_catalog
from rootout.report import formats
from rootout.store.db import connect

FORMAT_HELP = "; ".join(f"{f.name}: {f.summary}" for f in formats.FORMATS.values())


def report(
    fmt: str = typer.Option(..., "--format", "-f", help=FORMAT_HELP),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="Write here; the suffix picks a variant where a format has several "
        "(.md, .json, .html, .pdf). Default: standard output (not for PDF).",
    ),
    case: str | None = typer.Option(None, "--case", help="Only this removal case's findings."),
    since: dt.datetime | None = typer.Option(
        None, "--since", formats=["%Y-%m-%d"], help="Only scans finished on or after this date."
    ),
    asset: str | None = typer.Option(None, "--asset", help="Only assets whose key contains this."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Render a report: FAR 52.204-23/-25, BOD 17-01, attestation, executive HTML/PDF, CSV, JSON, SARIF."""
    chosen = formats.get_format(fmt)
    if output is None and chosen.default == "pdf":
        raise formats.ReportError(f"--format {fmt} writes PDF: give a file with -o")
    from rootout.report.data import Scope, gather  # only when run: it loads the store layer

    scope = Scope(since=since.date() if since else None, asset=asset, case=case)
    data = gather(connect(db), load_configured_catalog(), tenant=tenant, scope=scope)
    content = formats.render(fmt, data, output)
    if output is None:
        if isinstance(content, bytes):
            raise formats.ReportError(f"--format {fmt} writes binary output: give a file with -o")
        sys.stdout.write(content)
        return
    formats.write(content, output)
    typer.echo(f"wrote {output} ({chosen.variant_for(output)})", err=True)
