"""``rootout findings | explain | diff | where | scans``: read the store."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Confidence
from rootout.cli.common import DbOpt, TenantOpt, load_configured_catalog
from rootout.report.findings_json import finding_json
from rootout.store import queries
from rootout.store import repository as repo
from rootout.store.db import connect

out = Console(highlight=False, soft_wrap=True)


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def print_rows(rows: list[dict[str, Any]], catalog: Catalog, output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        out.print(
            json.dumps([finding_json(r, catalog) for r in rows], indent=2, ensure_ascii=False),
            markup=False,
        )
        return
    if output is OutputFormat.CSV:
        from rootout.report.csv_report import findings_csv

        out.print(findings_csv(rows, catalog), markup=False, end="")
        return
    if not rows:
        out.print("no findings match", markup=False)
        return
    table = Table("id", "entity", "basis", "conf.", "asset", "matched", "legal")
    for r in rows:
        entity = catalog.entities.get(r["entity"])
        legal = ", ".join(
            ref["short"] + ("" if ref["status"] == "in_force" else " (historical)")
            for ref in r["legal"]
        )
        table.add_row(
            r["id"],
            entity.name if entity else r["entity"],
            r["basis"],
            r["confidence"],
            r["observation"]["asset"]["name"],
            f"{r['matched_field']}={r['matched_value']}",
            legal,
        )
    out.print(table)
    out.print(f"{len(rows)} finding(s)", markup=False)


def findings(
    output: OutputFormat = typer.Option(
        OutputFormat.TABLE, "--format", "-f", help="table, json or csv."
    ),
    entity: str | None = typer.Option(None, help="Only this covered or matched entity id."),
    basis: str | None = typer.Option(
        None, help="Only this basis (direct, affiliate, embedded, ...)."
    ),
    min_confidence: Confidence = typer.Option(Confidence.LOW, help="Lowest confidence to show."),
    asset: str | None = typer.Option(None, help="Only assets whose key contains this text."),
    all_statuses: bool = typer.Option(False, "--all", help="Include findings gone in later scans."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """List stored findings with filters."""
    catalog = load_configured_catalog()
    selection = queries.FindingFilter(
        entity=entity,
        basis=basis,
        min_confidence=min_confidence,
        asset=asset,
        statuses=("active", "waived", "gone") if all_statuses else ("active", "waived"),
    )
    print_rows(queries.list_findings(connect(db), selection, tenant=tenant), catalog, output)


def explain(
    finding_id: str = typer.Argument(..., help="Finding id (or an unambiguous prefix)."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Explain one finding: raw value, key, signature, product, entity, relations, rules, sources."""
    row = repo.get_finding(connect(db), finding_id, tenant=tenant)
    obs = row["observation"]
    out.print(
        f"finding {row['id']} — {row['basis']}, confidence {row['confidence']}, {row['status']}",
        markup=False,
    )
    out.print(f"asset: {obs['asset']['name']} ({obs['asset']['key']})", markup=False)
    for number, step in enumerate(row["explanation"], 1):
        out.print(f"{number:>2}. [{step['kind']}] {step['text']}", markup=False)
        for source in step["sources"]:
            grade = f", {source['reliability']}" if source["reliability"] else ""
            out.print(f"      source {source['id']}{grade}: {source['url']}", markup=False)
    if row["historical"]:
        out.print(
            "note: seen before the designation took effect; historical, not a violation",
            markup=False,
        )


def diff(
    before: str = typer.Argument(..., help="Earlier scan id."),
    after: str = typer.Argument(..., help="Later scan id."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Findings new, gone and changed between two scans."""
    result = queries.diff_scans(connect(db), before, after, tenant=tenant)
    for label, ids in (("new", result.new), ("gone", result.gone)):
        out.print(f"{label}: {len(ids)}", markup=False)
        for finding_id in ids:
            out.print(f"  {finding_id}", markup=False)
    out.print(f"changed: {len(result.changed)}", markup=False)
    for finding_id, what in result.changed:
        out.print(f"  {finding_id}: {what}", markup=False)


def where(
    term: str = typer.Argument(..., help="Entity or product: an id or a name, any version."),
    output: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", "-f"),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Where is an entity or product used, across all assets and sources."""
    catalog = load_configured_catalog()
    targets, rows = queries.where_used(connect(db), catalog, term, tenant=tenant)
    if output is OutputFormat.TABLE:
        out.print(
            "looking for: " + "; ".join(f"{t.kind} {t.name} ({t.id})" for t in targets),
            markup=False,
        )
        assets = sorted({r["observation"]["asset"]["name"] for r in rows})
        out.print(f"{len(rows)} finding(s) on {len(assets)} asset(s)", markup=False)
    print_rows(rows, catalog, output)


def scans(db: str | None = DbOpt, tenant: str = TenantOpt) -> None:
    """List stored scans."""
    table = Table("scan", "finished", "engine", "catalog", "inputs", "findings")
    for row in repo.scan_rows(connect(db), tenant=tenant):
        summary = row["summary"]
        table.add_row(
            row["id"],
            row["finished_at"].isoformat(timespec="seconds"),
            row["engine"],
            row["catalog_version"],
            str(summary.get("inputs", "")),
            str(summary.get("findings", "")),
        )
    out.print(table)
