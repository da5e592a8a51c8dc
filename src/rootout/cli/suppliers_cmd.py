"""``rootout suppliers ...``: the supplier register, its screening and reminders.

Exit codes: ``import`` and ``lists import`` exit 2 when some rows were skipped (the
rest is imported); ``screen`` exits 1 when it finds a critical or high finding.
The suppliers package loads only when a command runs.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from rootout.cli import suppliers_report_cmd
from rootout.cli.common import DbOpt, TenantOpt
from rootout.cli.suppliers_today import open_store

if TYPE_CHECKING:
    from rootout.suppliers.store import ImportOutcome

app = typer.Typer(
    help="Suppliers and contractors: register, representations, screening.",
    no_args_is_help=True,
)
lists_app = typer.Typer(help="Screening lists: Consolidated Screening List, SAM exclusions.")
app.add_typer(lists_app, name="lists")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


class Kind(StrEnum):
    """Mirrors rootout.suppliers.register.RegisterKind without importing it at start-up."""

    SUPPLIERS = "suppliers"
    REPRESENTATIONS = "representations"
    ACCESS = "access"
    DELIVERIES = "deliveries"


FormatOpt = typer.Option(Format.TABLE, "--format", "-f", help="table or json.")
TodayOpt = typer.Option(
    None, "--today", help="Judge on this date (YYYY-MM-DD) instead of today.", show_default=False
)


def _json(data: Any) -> None:
    out.print(json.dumps(data, indent=2, ensure_ascii=False), markup=False)


def _report_import(outcome: ImportOutcome) -> None:
    """Skipped rows on stderr, the summary on stdout; exit 2 when any row was skipped."""
    for problem in outcome.problems:
        err.print(f"{problem}", markup=False)
    out.print(outcome.summary(), markup=False)
    if outcome.problems:
        raise typer.Exit(2)


@app.command("import")
def import_(
    path: Path = typer.Argument(..., help="suppliers, representations, access or deliveries CSV."),
    kind: Kind | None = typer.Option(None, "--kind", help="Register kind (default: from header)."),
    mapping: list[str] = typer.Option(
        None, "--map", help="Column map SRC=FIELD, e.g. 'Unique Entity ID=uei' (repeatable)."
    ),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Import one register file; bad rows are reported with line and reason, the rest kept."""
    from rootout.store.db import connect
    from rootout.suppliers.register import RegisterKind, parse_map
    from rootout.suppliers.service import import_file

    outcome = import_file(
        connect(db),
        path,
        kind=RegisterKind(kind.value) if kind else None,
        column_map=parse_map(mapping or []),
        tenant=tenant,
    )
    _report_import(outcome)


@lists_app.command("import")
def lists_import(
    path: Path = typer.Argument(..., help="CSL CSV (trade.gov) or SAM exclusions extract CSV."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Import a screening list; suppliers are matched against it by ``suppliers screen``."""
    from rootout.store.db import connect
    from rootout.suppliers.service import import_list

    outcome = import_list(connect(db), path, tenant=tenant)
    _report_import(outcome)


@app.command("list")
def list_(
    output: Format = FormatOpt,
    today: str | None = TodayOpt,
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Suppliers with their representations, active access and open findings."""
    from rootout.suppliers.views import supplier_list

    engine, day = open_store(db, today)
    rows = supplier_list(engine, tenant=tenant, today=day)
    if output is Format.JSON:
        _json(rows)
        return
    table = Table("id", "name", "UEI", "country", "reps", "access", "deliveries", "findings")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["uei"] or "",
            r["country"] or "",
            str(r["representations"]),
            str(r["active_access"]),
            str(r["deliveries"]),
            str(r["findings"]),
        )
    out.print(table)


@app.command("show")
def show(
    supplier_id: str = typer.Argument(..., help="Supplier id."),
    output: Format = FormatOpt,
    today: str | None = TodayOpt,
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """One supplier: identifiers, representations, access, deliveries, open findings."""
    from rootout.suppliers.views import supplier_detail

    engine, day = open_store(db, today)
    data = supplier_detail(engine, supplier_id, tenant=tenant, today=day)
    if output is Format.JSON:
        _json(data)
        return
    ids = ", ".join(f"{k.upper()} {data[k]}" for k in ("uei", "cage", "duns") if data[k])
    out.print(f"{data['id']}: {data['name']} ({ids or 'no identifiers'})", markup=False)
    if data["parent_name"] or data["parent_uei"]:
        out.print(f"parent: {data['parent_name'] or ''} {data['parent_uei'] or ''}", markup=False)
    for rep in data["representations"]:
        lapsed = " LAPSED" if rep["lapsed"] else ""
        out.print(
            f"representation FAR {rep['clause']} {rep['signed_on']} by {rep['signer']}: "
            f"{rep['answer']} (expires {rep['expires_on'] or 'never'}){lapsed}",
            markup=False,
        )
    for item in data["access"]:
        state = "active" if item["active"] else "inactive"
        out.print(f"access {item['system']} {item['start']}..{item['end'] or ''} ({state})")
    for item in data["deliveries"]:
        out.print(f"delivered {item['kind']} {item['path']} {item['delivered_on'] or ''}")
    for f in data["findings"]:
        out.print(f"finding {f['id']} [{f['severity']}] {f['kind']}: {f['title']}", markup=False)


@app.command("screen")
def screen(
    output: Format = FormatOpt,
    today: str | None = TodayOpt,
    catalog_dirs: list[Path] = typer.Option(
        None, "--catalog", "-c", help="Extra catalog pack file or folder."
    ),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Screen every supplier; findings are stored (basis ``supplier``) and listed here."""
    from rootout.suppliers.service import screen_and_store
    from rootout.suppliers.views import supplier_finding_json

    engine, day = open_store(db, today)
    outcome = screen_and_store(engine, tenant=tenant, today=day, catalog_dirs=catalog_dirs or [])
    for item in outcome.evidence:
        if item.error:
            err.print(f"warning: {item.path}: {item.error}", markup=False)
    if output is Format.JSON:
        _json([supplier_finding_json(f) for f in outcome.findings])
    else:
        _print_findings(outcome.findings)
        saved = outcome.saved
        out.print(
            f"{len(outcome.findings)} findings; stored as {saved.scan_id}"
            + (
                " (unchanged)"
                if saved.reused
                else f": {len(saved.new)} new, {len(saved.gone)} gone"
            ),
            markup=False,
        )
    if any(f.severity.value in ("critical", "high") for f in outcome.findings):
        raise typer.Exit(1)


def _print_findings(findings: Any) -> None:
    table = Table("id", "supplier", "severity", "kind", "entity")
    for f in findings:
        table.add_row(f.id, f.supplier_id, f.severity.value, f.kind.value, f.entity or "")
    out.print(table)


@app.command("reminders")
def reminders(
    within: int = typer.Option(30, "--within", help="Days ahead to look for expiring ones."),
    output: Format = FormatOpt,
    today: str | None = TodayOpt,
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Representations that expire within DAYS or have lapsed (latest per supplier and clause)."""
    from rootout.suppliers.service import due_reminders
    from rootout.suppliers.views import reminder_json

    engine, day = open_store(db, today)
    rows = [
        reminder_json(r) for r in due_reminders(engine, tenant=tenant, today=day, within=within)
    ]
    if output is Format.JSON:
        _json(rows)
        return
    table = Table("supplier", "clause", "signed", "signer", "expires", "days left")
    for r in rows:
        left = "lapsed" if r["lapsed"] else str(r["days_left"])
        table.add_row(
            r["supplier_id"], r["clause"], r["signed_on"], r["signer"], r["expires_on"], left
        )
    out.print(table)


app.command("report")(suppliers_report_cmd.report)
