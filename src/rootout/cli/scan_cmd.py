"""``rootout scan [PATH...]``: read inputs, match them against the catalog, store the
findings, and summarise.

Exit codes: 1 when findings at or above ``--fail-on`` exist (active, not waived,
not historical); otherwise 2 when some input failed or was not recognised
(everything else is still read, matched and stored); otherwise 0. Skipped
entries (links not followed, special files) are listed but do not change the
exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from rootout import scanning
from rootout.catalog.model import Confidence
from rootout.cli.common import DbOpt, TenantOpt
from rootout.cli.summary import FailOn, print_findings
from rootout.engine import EngineName, choose_engine, scan_bulk
from rootout.ingest.base import all_readers
from rootout.ingest.formats.generic import MappedReader, parse_column_map
from rootout.ingest.scan import InputRecord, ScanResult
from rootout.model.finding import CONFIDENCE_RANK
from rootout.store.repository import AssetSeen

out = Console(highlight=False, soft_wrap=True)

PROGRESS_FROM_BYTES = 16 * 1024 * 1024
"""Show a progress bar only when the inputs are at least this large (and stdout is a terminal)."""
MAX_ASSET_ROWS = 50

PathsArg = typer.Argument(
    None, help="Files or folders to read (folders recursively; .zip/.gz/.tar opened)."
)
FormatOpt = typer.Option(
    None, "--format", "-f", help="Read every file as this format instead of detecting it."
)
MapOpt = typer.Option(
    None,
    "--map",
    help="For --format csv|jsonl: FIELD=COLUMN,... (fields: name, publisher, mac, domain, "
    "host, time, ...). Repeatable.",
)


FailOnOpt = typer.Option(
    FailOn.NONE,
    "--fail-on",
    help="Exit 1 when active findings at or above this confidence exist: low, medium, high, none.",
)
CatalogOpt = typer.Option(None, "--catalog", "-c", help="Extra catalog pack file or folder.")
EngineOpt = typer.Option(
    EngineName.AUTO,
    "--engine",
    help="Where the candidate stage runs for tabular inputs (CSV, Parquet, JSON lines): "
    "auto (python for small inputs, duckdb for large ones), python, duckdb or spark. "
    "See docs/scale.md.",
)
SparkRemoteOpt = typer.Option(
    None, "--spark-remote", help="Spark Connect URL (sc://host:15002) for --engine spark."
)


def scan(
    paths: list[Path] = PathsArg,
    format: str | None = FormatOpt,
    column_map: list[str] = MapOpt,
    fail_on: FailOn = FailOnOpt,
    details: bool = typer.Option(
        True, "--assets/--no-assets", help="List observations per asset (the 50 largest)."
    ),
    catalog_dirs: list[Path] = CatalogOpt,
    this_machine: bool = typer.Option(
        False, "--this-machine", help="Also collect from this machine (the default with no PATH)."
    ),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
    engine: EngineName = EngineOpt,
    spark_remote: str | None = SparkRemoteOpt,
) -> None:
    """Scan inputs (inventories, SBOMs, network scans, logs, certificates) and store findings.

    With no PATH, scan this machine: installed packages, services, drivers, processes,
    certificates, browser extensions and neighbours (see docs/inputs/collect.md)."""
    mapping = _column_map(format, column_map or [])
    tabular = [] if this_machine else paths or []  # collecting this machine: the readers' path
    choice = choose_engine(
        tabular, requested=engine, input_format=format, spark_remote=spark_remote
    )
    if choice.tabular:
        out.print(choice.describe(), markup=False)
    with _progress() as report:
        if choice.bulk:
            outcome = scan_bulk(
                paths or [],
                engine=choice.engine,
                db=db,
                tenant=tenant,
                input_format=format,
                column_map=mapping,
                catalog_dirs=catalog_dirs or [],
                progress=report,
                spark_remote=spark_remote,
            )
        else:
            outcome = scanning.scan(
                paths or [],
                db=db,
                tenant=tenant,
                input_format=format,
                column_map=mapping,
                catalog_dirs=catalog_dirs or [],
                progress=report,
                this_machine=this_machine or not paths,
            )
    print_result(outcome.read, outcome.assets if details else None)
    print_findings(outcome)
    raise typer.Exit(exit_code(outcome, fail_on))


def exit_code(outcome: scanning.ScanOutcome, fail_on: FailOn) -> int:
    if fail_on is not FailOn.NONE:
        floor = CONFIDENCE_RANK[Confidence(fail_on.value)]
        if any(
            CONFIDENCE_RANK[f.confidence] >= floor and not f.historical for f in outcome.findings
        ):
            return 1
    return 0 if outcome.read.coverage.complete else 2


def _column_map(format: str | None, specs: list[str]) -> dict[str, str] | None:
    if not specs:
        return None
    reader = all_readers().get(format or "")
    if format != "parquet" and (reader is None or not issubclass(reader, MappedReader)):
        raise typer.BadParameter("--map needs --format csv or --format jsonl", param_hint="--map")
    try:
        return parse_column_map(specs)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--map") from None


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    if not out.is_terminal:
        yield None
        return
    columns = (TextColumn("reading"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task("reading", visible=False)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= PROGRESS_FROM_BYTES)

        yield report


def print_result(result: ScanResult, assets: Sequence[AssetSeen] | None = None) -> None:
    """The scan's tables: per format, per asset, and inputs not read."""
    coverage = result.coverage
    table = Table("format", "inputs", "observations", title="Observations by format")
    for name, count in coverage.observations_by_format.items():
        table.add_row(Text(name), str(coverage.inputs_by_format[name]), str(count))
    out.print(table)
    if assets:
        _print_assets(assets)
    if result.problems:
        table = Table(title="Inputs not read")
        table.add_column("input", overflow="fold")
        table.add_column("status")
        table.add_column("reason", overflow="fold")
        for record in result.problems:
            table.add_row(Text(record.path), record.status.value, Text(reason(record)))
        out.print(table)
    out.print(
        f"{coverage.read} input(s) read, {coverage.archives} archive(s) opened, "
        f"{coverage.failed} failed, {coverage.unrecognised} unrecognised, "
        f"{coverage.skipped} skipped; {coverage.observations} observation(s)",
        markup=False,
    )


def reason(record: InputRecord) -> str:
    """The record's error without the path the table already shows (``line 12: ...``)."""
    error = record.error
    if not error.startswith(f"{record.path}:"):
        return error or "no reader recognises this format"
    rest = error[len(record.path) + 1 :]
    line, sep, message = rest.partition(":")
    return f"line {line}:{message}" if sep and line.isdigit() else rest.strip()


def _print_assets(assets: Sequence[AssetSeen]) -> None:
    table = Table(title="Observations by asset")
    for column in ("kind", "asset", "observations", "formats"):
        table.add_column(column, overflow="fold")
    ranked = sorted(assets, key=lambda a: (-a.observations, a.kind, a.name))
    for asset in ranked[:MAX_ASSET_ROWS]:
        formats = ", ".join(sorted(asset.formats))
        table.add_row(asset.kind, Text(asset.name), str(asset.observations), Text(formats))
    out.print(table)
    if len(ranked) > MAX_ASSET_ROWS:
        out.print(f"... and {len(ranked) - MAX_ASSET_ROWS} more asset(s)", markup=False)
