"""``rootout suppliers report``: the supplier risk report (HTML, CSV or JSON).

Registered on the ``suppliers`` command group (:mod:`rootout.cli.suppliers_cmd`).
The report layer and the suppliers package load only when the command runs.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path

import typer

from rootout.cli.common import DbOpt, TenantOpt
from rootout.cli.suppliers_today import open_store


class ReportFormat(StrEnum):
    HTML = "html"
    CSV = "csv"
    JSON = "json"


def report(
    fmt: ReportFormat = typer.Option(..., "--format", "-f", help="html, csv or json."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write here (default: standard output)."
    ),
    today: str | None = typer.Option(
        None,
        "--today",
        help="Screen on this date (YYYY-MM-DD) instead of today.",
        show_default=False,
    ),
    catalog_dirs: list[Path] = typer.Option(
        None, "--catalog", "-c", help="Extra catalog pack file or folder."
    ),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Suppliers by risk, why, and what to ask them for (screens the register; stores nothing)."""
    from rootout.report.suppliers_report import RENDERERS, report_from_store

    engine, day = open_store(db, today)
    built = report_from_store(engine, tenant=tenant, today=day, catalog_dirs=catalog_dirs or [])
    content = RENDERERS[fmt.value](built)
    if output is None:
        sys.stdout.write(content)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(content, encoding="utf-8")
    typer.echo(f"wrote {output} ({len(built.rows)} suppliers with findings)", err=True)
