"""``rootout attest verify``: check an absence attestation against the store."""

from __future__ import annotations

from pathlib import Path

import typer

from rootout.cli.common import DbOpt, load_configured_catalog
from rootout.store.db import connect

app = typer.Typer(help="Absence attestations.", no_args_is_help=True)


@app.command("verify")
def verify(
    file: Path = typer.Argument(..., help="An attestation (Markdown or JSON) made by rootout."),
    db: str | None = DbOpt,
) -> None:
    """Recompute an attestation from the store: valid (exit 0) or changed, with what (exit 1)."""
    from rootout.report.attest_verify import verify as verify_attestation  # only when run

    result = verify_attestation(file, connect(db), load_configured_catalog())
    if result.valid:
        typer.echo(f"valid: sha256 {result.sha256}; the store still holds exactly this record")
        return
    typer.echo(f"CHANGED: sha256 {result.sha256}")
    for change in result.changes:
        typer.echo(f"  - {change}")
    raise typer.Exit(1)
