"""The report formats, their variants, and the one call that writes a report to a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from rootout.catalog.catalog import Catalog, load_catalog
from rootout.config import load_settings
from rootout.errors import RootoutError
from rootout.report import (
    attestation,
    bod,
    csv_report,
    executive,
    far_render,
    json_report,
    sarif,
)
from rootout.report.data import ReportData, Scope, gather
from rootout.store import repository as repo
from rootout.store.db import connect

Renderer = Callable[[ReportData], "str | bytes"]


class ReportError(RootoutError):
    """A report cannot be made as asked (unknown format, binary output to a terminal)."""

    exit_code = 2


@dataclass(frozen=True)
class Format:
    name: str
    summary: str
    variants: Mapping[str, Renderer]
    """Variant name (also the file suffix that picks it) -> renderer."""
    default: str

    def variant_for(self, path: Path | None) -> str:
        """The variant an output file's suffix asks for, else the default."""
        suffix = path.suffix.lower().lstrip(".") if path else ""
        suffix = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
        return suffix if suffix in self.variants else self.default


def _far(name: str) -> Format:
    return Format(
        name,
        f"FAR {name.removeprefix('far-')} initial and follow-up report, pre-filled",
        {
            "md": partial(far_render.render_md, name=name),
            "json": partial(far_render.render_json, name=name),
            "html": partial(far_render.render_html, name=name),
            "pdf": partial(far_render.render_pdf, name=name),
        },
        "md",
    )


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        _far("far-52.204-23"),
        _far("far-52.204-25"),
        Format(
            "bod-17-01",
            "BOD 17-01 identification report, removal plan and status (historical)",
            {"md": bod.render},
            "md",
        ),
        Format(
            "attestation",
            "absence attestation: what was inspected, with a verifiable SHA-256",
            {"md": attestation.render, "json": attestation.render_json},
            "md",
        ),
        Format("html", "executive report with charts", {"html": executive.render}, "html"),
        Format("pdf", "executive report as PDF", {"pdf": executive.render_pdf}, "pdf"),
        Format("csv", "one row per finding, formula-safe", {"csv": csv_report.render}, "csv"),
        Format(
            "json",
            "findings report (schemas/findings-report.schema.json)",
            {"json": json_report.render},
            "json",
        ),
        Format("sarif", "SARIF 2.1.0 for code-scanning tools", {"sarif": sarif.render}, "sarif"),
    )
}


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise ReportError(
            f"unknown report format {name!r}; choose one of: {', '.join(FORMATS)}"
        ) from None


def render(name: str, data: ReportData, path: Path | None = None) -> str | bytes:
    """Render format ``name`` in the variant ``path``'s suffix asks for (pure)."""
    fmt = get_format(name)
    return fmt.variants[fmt.variant_for(path)](data)


def write(content: str | bytes, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def render_to_file(
    name: str,
    path: Path,
    *,
    db: str | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    scope: Scope | None = None,
    catalog: Catalog | None = None,
    today: dt.date | None = None,
) -> Path:
    """Gather from the store, render ``name`` (variant by ``path``'s suffix), write ``path``."""
    get_format(name)
    catalog = catalog or load_catalog(list(load_settings().catalog_dirs))
    data = gather(connect(db), catalog, tenant=tenant, scope=scope, today=today)
    return write(render(name, data, path), path)
