"""``rootout export ...``: the catalog as detection content for osquery, Fleet and Sigma."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from rootout.catalog import Catalog
from rootout.cli.common import load_configured_catalog
from rootout.export import write

app = typer.Typer(
    help="Export the catalog as osquery packs, Fleet policies or Sigma rules.",
    no_args_is_help=True,
)

CatalogOpt = Annotated[
    list[Path] | None,
    typer.Option("--catalog", "-c", help="Extra pack file or folder (repeatable)."),
]


def _run(
    writer: Callable[[Catalog, Path], list[Path]], target: Path, extra: list[Path] | None
) -> None:
    written = writer(load_configured_catalog(extra), target)
    typer.echo(f"wrote {len(written)} file(s) to {target}")


@app.command("osquery-pack")
def osquery_pack_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the packs.")],
    catalog: CatalogOpt = None,
) -> None:
    """One osquery pack per platform, plus a README on deploying it."""
    _run(write.osquery_pack, output, catalog)


@app.command("fleet-policies")
def fleet_policies_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="GitOps YAML file to write.")],
    catalog: CatalogOpt = None,
) -> None:
    """Fleet policies (GitOps YAML): one yes/no policy per osquery table."""
    _run(write.fleet_policies, output, catalog)


@app.command("sigma")
def sigma_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for the rules.")],
    catalog: CatalogOpt = None,
) -> None:
    """Sigma rules for process creation and DNS queries, one per signature."""
    _run(write.sigma_rules, output, catalog)
