"""The catalog as osquery query packs, one per platform.

Each query is ``SELECT * FROM <table> WHERE ...`` with the signatures that apply to
the table's columns as predicates (:mod:`rootout.export.sql`). Whole rows come back,
so ``rootout scan`` reads the results log, tells the table from the query name and
verifies every value with the catalog's own matching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from rootout.catalog.catalog import Catalog
from rootout.catalog.model import Ecosystem, Signature, SignatureKind
from rootout.export.sql import signature_predicate

K = SignatureKind
PLATFORMS = ("windows", "darwin", "linux")
ALL = frozenset(PLATFORMS)


def basename(column: str) -> str:
    """The file name after the last backslash of a Windows path, in SQLite."""
    return f"replace({column}, rtrim({column}, replace({column}, '\\', '')), '')"


@dataclass(frozen=True, slots=True)
class TableQuery:
    """One osquery table: where it runs and which columns carry which signature kind."""

    table: str
    platforms: frozenset[str]
    columns: tuple[tuple[str, SignatureKind], ...]
    ecosystem: Ecosystem | None = None
    interval: int = 86400


TABLES: tuple[TableQuery, ...] = (
    TableQuery(
        "programs",
        frozenset({"windows"}),
        (("name", K.PRODUCT_NAME), ("publisher", K.PUBLISHER), ("install_location", K.FILE_PATH)),
    ),
    TableQuery(
        "apps",
        frozenset({"darwin"}),
        (("name", K.PRODUCT_NAME), ("bundle_identifier", K.BUNDLE_ID), ("path", K.FILE_PATH)),
    ),
    TableQuery(
        "deb_packages",
        frozenset({"linux"}),
        (("name", K.PACKAGE), ("name", K.PRODUCT_NAME), ("maintainer", K.PUBLISHER)),
        Ecosystem.DEB,
    ),
    TableQuery(
        "rpm_packages",
        frozenset({"linux"}),
        (("name", K.PACKAGE), ("name", K.PRODUCT_NAME), ("vendor", K.PUBLISHER)),
        Ecosystem.RPM,
    ),
    TableQuery(
        "services",
        frozenset({"windows"}),
        (
            ("name", K.SERVICE),
            ("display_name", K.PRODUCT_NAME),
            ("path", K.FILE_PATH),
            ("module_path", K.FILE_PATH),
        ),
    ),
    TableQuery(
        "drivers",
        frozenset({"windows"}),
        (
            (basename("image"), K.DRIVER),
            ("image", K.FILE_PATH),
            ("provider", K.PUBLISHER),
            ("manufacturer", K.PUBLISHER),
        ),
    ),
    TableQuery(
        "kernel_modules",
        frozenset({"linux"}),
        (("name", K.DRIVER), ("name", K.PRODUCT_NAME)),
    ),
    TableQuery(
        "certificates",
        ALL,
        (
            ("common_name", K.PRODUCT_NAME),
            ("subject", K.CERT_SUBJECT),
            ("issuer", K.CERT_SUBJECT),
            ("path", K.FILE_PATH),
        ),
    ),
    TableQuery(
        "chrome_extensions",
        ALL,
        (
            ("identifier", K.BROWSER_EXTENSION),
            ("name", K.PRODUCT_NAME),
            ("author", K.PUBLISHER),
            ("path", K.FILE_PATH),
        ),
        Ecosystem.CHROME,
    ),
    TableQuery(
        "processes",
        ALL,
        (("name", K.PROCESS), ("path", K.FILE_PATH)),
        interval=3600,
    ),
)
COVERED_KINDS = frozenset(kind for spec in TABLES for _, kind in spec.columns)
"""Signature kinds some pack query tests (MAC, model, CPE, PURL, DNS and registry are not)."""


@dataclass(frozen=True, slots=True)
class PackQuery:
    name: str
    table: str
    sql: str
    platform: str
    interval: int
    description: str


def applies(spec: TableQuery, signature: Signature) -> bool:
    """Whether rootout would match ``signature`` on this table's rows (ecosystem check)."""
    return signature.ecosystem is None or signature.ecosystem is spec.ecosystem


def signature_where(spec: TableQuery, signature: Signature) -> str | None:
    """``signature`` on every column of ``spec`` that carries its kind, OR'd."""
    if not applies(spec, signature):
        return None
    built = (
        signature_predicate(c, signature) for c, kind in spec.columns if kind is signature.kind
    )
    parts = [p for p in built if p is not None]
    return " OR ".join(parts) if parts else None


def where_clause(catalog: Catalog, spec: TableQuery) -> tuple[str, int]:
    """The OR of every applicable signature on every column, and how many signatures."""
    parts: list[str] = []
    for signature in sorted(catalog.signatures.values(), key=lambda s: s.id):
        expr = signature_where(spec, signature)
        if expr is not None:
            parts.append(f"/* {signature.id} */ {expr}")
    return "\n  OR ".join(parts), len(parts)


def table_query(catalog: Catalog, spec: TableQuery, platform: str) -> PackQuery | None:
    where, count = where_clause(catalog, spec)
    if not where:
        return None
    sql = f"SELECT * FROM {spec.table} WHERE\n  {where}\n;"
    return PackQuery(
        name=f"rootout_{spec.table}",
        table=spec.table,
        sql=sql,
        platform=platform,
        interval=spec.interval,
        description=(
            f"rootout catalog {catalog.version}: {spec.table} rows matching {count} "
            "covered-vendor signatures; feed the results log to `rootout scan`."
        ),
    )


def pack_queries(catalog: Catalog, platform: str) -> tuple[PackQuery, ...]:
    built = (table_query(catalog, s, platform) for s in TABLES if platform in s.platforms)
    return tuple(q for q in built if q is not None)


def pack(catalog: Catalog, platform: str) -> dict[str, object]:
    """osquery's pack format: ``{"queries": {name: {query, interval, platform, ...}}}``."""
    return {
        "platform": platform,
        "queries": {
            q.name: {
                "query": q.sql,
                "interval": q.interval,
                "platform": q.platform,
                "description": q.description,
                "removed": False,
            }
            for q in pack_queries(catalog, platform)
        },
    }


def pack_files(catalog: Catalog) -> dict[str, str]:
    """File name → content: one pack per platform and a README."""
    files = {
        f"rootout-{platform}.json": json.dumps(pack(catalog, platform), indent=2) + "\n"
        for platform in PLATFORMS
    }
    files["README.md"] = readme(catalog)
    return files


def readme(catalog: Catalog) -> str:
    return f"""# rootout osquery packs (catalog {catalog.version})

One pack per platform: `rootout-windows.json`, `rootout-darwin.json`, `rootout-linux.json`.
Each query selects whole rows of one table whose values match a covered-vendor signature.
The SQL approximates rootout's matching and errs towards returning more rows; rootout
verifies every returned value again, so run the results through `rootout scan`.

## Deploy with osqueryd

Copy the pack for the host's platform next to the configuration and reference it:

    {{"packs": {{"rootout": "/etc/osquery/packs/rootout-linux.json"}}}}

then restart osqueryd (or use `--config_path` with a configuration that names the pack).
Results are written to `/var/log/osquery/osqueryd.results.log`.

## Deploy with Fleet

Import the queries (`fleetctl apply`, or paste each query into a scheduled query) with the
interval and platform given in the pack; Fleet logs results as `pack/<pack>/<query>`.

## Read the results

    rootout scan /var/log/osquery/osqueryd.results.log

The query names contain the table name (`rootout_programs`), so the results reader knows
which table each row came from. See docs/content.md for what the SQL does not cover.
"""
