"""Options and helpers shared by commands."""

from __future__ import annotations

from pathlib import Path

import typer

from rootout.catalog import Catalog, load_catalog
from rootout.config import load_settings

DbOpt = typer.Option(
    None,
    "--db",
    envvar="ROOTOUT_DB",
    help="Store: a SQLite path or a postgresql:// URL (default: user data folder).",
)
TenantOpt = typer.Option(
    "default", "--tenant", envvar="ROOTOUT_TENANT", help="Tenant whose data to use."
)


def load_configured_catalog(extra: list[Path] | None = None) -> Catalog:
    """Built-in packs plus the configured organisation packs plus ``extra``."""
    settings = load_settings()
    return load_catalog([*settings.catalog_dirs, *(extra or [])])
