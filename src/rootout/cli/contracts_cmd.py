"""``rootout contracts scan FILES...``: what was bought from covered vendors, by whom, and when.

Exit codes: 0, or 2 when some input failed, was not recognised, or had bad rows
(everything else is still read, matched, stored and totalled).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from rootout.cli.common import DbOpt, TenantOpt

if TYPE_CHECKING:  # the procurement package (and DuckDB) load only when a command runs
    from rootout.procurement.analysis import Summary, Total
    from rootout.procurement.pipeline import ContractsOutcome


class Engine(StrEnum):
    """Mirrors rootout.procurement.pipeline.Engine without importing it at start-up."""

    AUTO = "auto"
    PYTHON = "python"
    DUCKDB = "duckdb"
    SPARK = "spark"


app = typer.Typer(
    help="Public procurement records: purchases from covered vendors, by agency and date.",
    no_args_is_help=True,
)
out = Console(highlight=False, soft_wrap=True)
TOP = 20


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    if not out.is_terminal:
        yield None
        return
    columns = (TextColumn("reading"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("reading")

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


@app.command("scan")
def scan(
    paths: list[Path] = typer.Argument(
        ..., help="USAspending CSV/ZIP downloads, API JSON pages, FPDS ATOM feeds, or folders."
    ),
    engine: Engine = typer.Option(
        Engine.AUTO,
        "--engine",
        help="auto: DuckDB for USAspending CSV files of 64 MiB or more; python; duckdb; "
        "spark (local mode, or a cluster with --spark-remote).",
    ),
    spark_remote: str | None = typer.Option(
        None, "--spark-remote", help="Spark Connect URL (sc://host:15002) for --engine spark."
    ),
    html: Path | None = typer.Option(None, "--html", help="Write the HTML report here."),
    csv_path: Path | None = typer.Option(None, "--csv", help="Write one CSV row per action here."),
    json_path: Path | None = typer.Option(None, "--json", help="Write the whole summary as JSON."),
    memory_limit: str = typer.Option(
        "512MB", "--memory-limit", help="DuckDB memory limit (it spills to disk beyond it)."
    ),
    top: int = typer.Option(TOP, "--top", help="Rows per table on the terminal."),
    catalog_dirs: list[Path] = typer.Option(
        None, "--catalog", "-c", help="Extra catalog pack file or folder."
    ),
    label: str | None = typer.Option(None, "--label", help="A label for the stored scan."),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Read contract records, store the findings, and print totals (actions after a prohibition first)."""
    from rootout.procurement import pipeline

    if spark_remote and engine is not Engine.SPARK:
        raise typer.BadParameter("--spark-remote needs --engine spark", param_hint="--spark-remote")
    session = None
    if engine is Engine.SPARK and spark_remote:
        from rootout.engine.spark import spark_session

        session = spark_session(spark_remote)
    with _progress() as report:
        outcome = pipeline.scan_contracts(
            paths,
            engine=pipeline.Engine(engine.value),
            db=db,
            tenant=tenant,
            catalog_dirs=catalog_dirs or [],
            progress=report,
            label=label,
            memory_limit=memory_limit,
            spark=session,
        )
    print_outcome(outcome, top)
    from rootout.procurement.export import to_csv, to_json
    from rootout.procurement.html import to_html

    summary, inputs = outcome.summary, outcome.read.inputs
    scan_id, version = outcome.stored.scan_id, outcome.stored.catalog.version
    writers: list[tuple[Path | None, Callable[[], str]]] = [
        (html, lambda: to_html(summary, inputs, scan_id=scan_id, catalog_version=version)),
        (csv_path, lambda: to_csv(summary)),
        (json_path, lambda: to_json(summary, inputs, scan_id)),
    ]
    for path, text in writers:
        if path is not None:
            path.write_text(text(), encoding="utf-8")
            out.print(f"wrote {path}", markup=False)
    raise typer.Exit(0 if outcome.read.coverage.complete else 2)


def _table(title: str, columns: Sequence[str]) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        numeric = column in ("actions", "records", "bad rows") or column.startswith(
            ("amount", "purchases")
        )
        table.add_column(column, justify="right" if numeric else "left", overflow="fold")
    return table


def _totals(title: str, names: Sequence[str], totals: Sequence[Total], top: int) -> Table:
    from rootout.procurement.html import money

    table = _table(title, [*names, "actions", "amount"])
    for total in totals[:top]:
        table.add_row(*(Text(k) for k in total.key), str(total.actions), money(total.amount))
    if len(totals) > top:
        table.caption = f"{len(totals) - top} more row(s) in --csv/--json/--html"
    return table


def print_outcome(outcome: ContractsOutcome, top: int = TOP) -> None:
    from rootout.procurement.html import money

    summary = outcome.summary
    _print_inputs(outcome)
    _print_after(summary, top)
    out.print(_totals("By agency and fiscal year", ("agency", "FY"), summary.by_agency_year, 10**9))
    out.print(_totals("By recipient", ("recipient", "channel"), summary.by_recipient, top))
    out.print(
        _totals("Direct, affiliate, reseller, removal", ("channel",), summary.by_channel, top)
    )
    out.print(_totals("By covered vendor", ("vendor", "purpose"), summary.by_vendor, top))
    first = _table(
        "First purchase per agency", ("agency", "date", "vendor", "recipient", "channel")
    )
    for item in summary.first_purchases:
        first.add_row(
            Text(item.agency),
            str(item.on or ""),
            Text(item.vendor),
            Text(item.recipient),
            item.channel,
        )
    out.print(first)
    rules = _table(
        "Rules and their dates", ("rule", "in force from", "purchases after", "amount after")
    )
    for rule in summary.rules:
        rules.add_row(
            Text(rule.short), rule.effective_from, str(rule.actions_after), money(rule.amount_after)
        )
    out.print(rules)
    stored = outcome.stored
    out.print(
        f"{len(summary.actions)} action(s) with covered vendors ({len(summary.purchases)} purchase(s), "
        f"{len(summary.after_prohibition)} after a prohibition); {len(summary.duplicates)} duplicate "
        f"transaction(s) counted once; {len(stored.findings)} finding(s) stored in scan {stored.scan_id}",
        markup=False,
    )


def _print_inputs(outcome: ContractsOutcome) -> None:
    bulk = {result.record.path for result in outcome.bulk}
    table = _table("Inputs", ("input", "format", "engine", "records", "bad rows", "problem"))
    for record in outcome.read.inputs:
        engine = (
            outcome.bulk_engine if record.path in bulk else ("" if record.archive else "python")
        )
        table.add_row(
            Text(record.path),
            record.format or record.status.value,
            engine,
            str(record.count),
            str(record.bad_records),
            Text(record.error[:300]),
        )
    out.print(table)


def _print_after(summary: Summary, top: int) -> None:
    from rootout.procurement.export import source, vendors
    from rootout.procurement.html import money

    after = summary.after_prohibition
    columns = (
        "date",
        "agency",
        "recipient",
        "vendor",
        "channel",
        "amount",
        "rules in force",
        "source",
    )
    table = _table(f"Actions after a prohibition ({len(after)})", columns)
    for action in after[:top]:
        table.add_row(
            str(action.on or ""),
            Text(action.get("sub_agency") or action.get("agency")),
            Text(action.get("recipient")),
            Text(vendors(action)),
            action.channel,
            money(action.amount),
            Text(", ".join(action.in_force)),
            Text(source(action).rsplit("/", 1)[-1]),
        )
    out.print(table)
