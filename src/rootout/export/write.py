"""Write exported detection content to disk."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rootout.catalog.catalog import Catalog
from rootout.export import fleet, osquery, sigma


def write_folder(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write each file name → text into ``folder`` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(files.items()):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def osquery_pack(catalog: Catalog, folder: Path) -> list[Path]:
    return write_folder(folder, osquery.pack_files(catalog))


def sigma_rules(catalog: Catalog, folder: Path) -> list[Path]:
    return write_folder(folder, sigma.rules(catalog))


def fleet_policies(catalog: Catalog, path: Path) -> list[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fleet.policies_yaml(catalog), encoding="utf-8")
    return [path]
