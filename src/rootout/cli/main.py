"""The ``rootout`` command. Each command is a few lines over one library call;
errors become exit codes and hints here and nowhere else."""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from rootout import __version__
from rootout.cli import (
    agent_cmd,
    attest_cmd,
    case_cmd,
    catalog_cmd,
    contracts_cmd,
    exceptions_cmd,
    export_cmd,
    findings_cmd,
    report_cmd,
    rescan_cmd,
    scan_cmd,
    serve_cmd,
    suppliers_cmd,
    webhooks_cmd,
)
from rootout.errors import CatalogError, RootoutError

err = Console(stderr=True, highlight=False)


class _Root(TyperGroup):
    """The root group: turns every :class:`RootoutError` into a message and exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RootoutError as exc:
            fatal(exc)


app = typer.Typer(
    name="rootout",
    cls=_Root,
    help="Find covered-vendor technology, explain every finding, drive its removal.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(catalog_cmd.app, name="catalog")
app.add_typer(export_cmd.app, name="export")
app.command("findings")(findings_cmd.findings)
app.command("explain")(findings_cmd.explain)
app.command("diff")(findings_cmd.diff)
app.command("where")(findings_cmd.where)
app.command("scans")(findings_cmd.scans)
app.add_typer(exceptions_cmd.app, name="exception")
app.add_typer(case_cmd.app, name="case")
app.command("scan")(scan_cmd.scan)
app.command("rescan")(rescan_cmd.rescan)
app.command("report")(report_cmd.report)
app.add_typer(attest_cmd.app, name="attest")
app.add_typer(contracts_cmd.app, name="contracts")
app.add_typer(suppliers_cmd.app, name="suppliers")
app.command("serve")(serve_cmd.serve)
app.add_typer(serve_cmd.admin, name="admin")
app.command("agent")(agent_cmd.agent)
app.add_typer(webhooks_cmd.app, name="webhooks")


def fatal(exc: RootoutError) -> NoReturn:
    """Print an error and its hint, then exit with the error's code."""
    if isinstance(exc, CatalogError):
        for problem in exc.problems:
            err.print(str(problem), markup=False)
    else:
        err.print(f"error: {exc}", markup=False)
    if exc.hint:
        err.print(f"hint: {exc.hint}", markup=False)
    raise SystemExit(exc.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rootout {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """rootout: covered-vendor discovery with evidence."""
