"""``rootout rescan --catalog-changed``: re-match stored observations after a catalog update.

Exit codes, as ``rootout scan``: 1 when new findings at or above ``--fail-on`` exist
(not historical); otherwise 2 when some latest scan cannot be re-matched (its
observations were not stored); otherwise 0.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from rootout.cli.common import DbOpt, TenantOpt
from rootout.cli.summary import FailOn

if TYPE_CHECKING:
    from rootout.rescan import RescanResult

out = Console(highlight=False, soft_wrap=True)


class RescanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def rescan(
    catalog_changed: bool = typer.Option(
        False,
        "--catalog-changed",
        help="Re-match the latest scans matched with another catalog (what runs without --all).",
    ),
    everything: bool = typer.Option(
        False, "--all", help="Re-match every asset's latest scan, whatever its catalog."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Report new and vanished findings; store nothing."
    ),
    output: RescanFormat = typer.Option(RescanFormat.TABLE, "--format", "-f"),
    fail_on: FailOn = typer.Option(
        FailOn.NONE,
        "--fail-on",
        help="Exit 1 when new findings at or above this confidence exist: low, medium, high, none.",
    ),
    catalog_dirs: list[Path] = typer.Option(
        None, "--catalog", "-c", help="Extra catalog pack file or folder."
    ),
    db: str | None = DbOpt,
    tenant: str = TenantOpt,
) -> None:
    """Re-match stored observations with the current catalog; report new and vanished findings.

    Each asset's latest scan is re-matched when it was matched with another catalog (or
    always, with --all). Unless --dry-run, each result is stored as a new scan (engine
    "rescan"), so `rootout diff` and the new/gone bookkeeping see it; a rescan never
    verifies a case."""
    if catalog_changed and everything:
        raise typer.BadParameter("give --catalog-changed or --all, not both", param_hint="--all")
    from rootout.catalog.cache import load_compiled
    from rootout.config import load_settings
    from rootout.rescan import rescan as run
    from rootout.store.db import connect

    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *(catalog_dirs or [])])
    engine = connect(db)
    try:
        result = run(
            engine,
            catalog,
            index,
            settings,
            tenant=tenant,
            everything=everything,
            dry_run=dry_run,
        )
    finally:
        engine.dispose()
    if output is RescanFormat.JSON:
        out.print(json.dumps(_as_json(result), indent=2), markup=False)
    else:
        _print_table(result)
    raise typer.Exit(_exit_code(result, fail_on))


def _exit_code(result: RescanResult, fail_on: FailOn) -> int:
    from rootout.catalog.model import Confidence
    from rootout.model.finding import CONFIDENCE_RANK

    if fail_on is not FailOn.NONE:
        floor = CONFIDENCE_RANK[Confidence(fail_on.value)]
        if any(
            CONFIDENCE_RANK[Confidence(c.confidence)] >= floor and not c.historical
            for c in result.new
        ):
            return 1
    return 2 if result.cannot_rematch else 0


def _as_json(result: RescanResult) -> dict[str, object]:
    return {
        "catalog": {"version": result.catalog_version, "base": result.catalog_base},
        "dry_run": result.dry_run,
        "rematched": [asdict(r) for r in result.rematched],
        "cannot_rematch": [asdict(c) for c in result.cannot_rematch],
        "up_to_date": result.up_to_date,
        "new": len(result.new),
        "vanished": len(result.vanished),
    }


def _print_table(result: RescanResult) -> None:
    out.print(f"catalog {result.catalog_version} ({result.catalog_base})", markup=False)
    for change in (*result.new, *result.vanished):
        mark = "+" if change.change == "new" else "-"
        out.print(
            f"{mark} {change.change} {change.finding_id} {change.asset} {change.entity} "
            f"[{change.signature}] {change.matched}",
            markup=False,
        )
        out.print(f"    why: {change.why}", markup=False)
    for item in result.rematched:
        stored = f"stored as scan {item.stored_scan}" if item.stored_scan else _not_stored(result)
        out.print(
            f"scan {item.scan_id} (catalog {item.catalog_before}): {item.assets} asset(s), "
            f"{item.observations} observation(s) re-matched, {len(item.new)} new, "
            f"{len(item.vanished)} vanished; {stored}",
            markup=False,
        )
    for skipped in result.cannot_rematch:
        out.print(
            f"scan {skipped.scan_id} ({skipped.engine}, {skipped.assets} asset(s)): "
            f"cannot re-match: {skipped.reason}",
            markup=False,
        )
    out.print(
        f"{len(result.rematched)} scan(s) re-matched, {len(result.cannot_rematch)} cannot be, "
        f"{result.up_to_date} already on this catalog; "
        f"{len(result.new)} new, {len(result.vanished)} vanished finding(s)",
        markup=False,
    )


def _not_stored(result: RescanResult) -> str:
    return "not stored (dry run)" if result.dry_run else "unchanged, nothing stored"
