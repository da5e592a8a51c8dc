"""The catalog as Fleet policies in Fleet's GitOps YAML form.

A Fleet policy passes on a host when its query returns a row. Each policy here
passes when no row of one table matches a covered-vendor signature, so a failing
host is one to scan with rootout. Fields are those of a GitOps ``policies:`` list
item: ``name``, ``description``, ``query``, ``platform``, ``resolution``, ``critical``.
"""

from __future__ import annotations

import yaml

from rootout.catalog.catalog import Catalog
from rootout.export.osquery import PLATFORMS, TABLES, where_clause


def policies(catalog: Catalog) -> list[dict[str, object]]:
    """One yes/no policy per table that has signatures."""
    out: list[dict[str, object]] = []
    for spec in TABLES:
        where, count = where_clause(catalog, spec)
        if not where:
            continue
        platforms = [p for p in PLATFORMS if p in spec.platforms]
        out.append(
            {
                "name": f"rootout: no covered-vendor software in {spec.table}",
                "description": (
                    f"Fails when a row of osquery's {spec.table} table matches one of {count} "
                    f"covered-vendor signatures (rootout catalog {catalog.version})."
                ),
                "query": f"SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM {spec.table} WHERE\n"
                f"  {where}\n);",
                "platform": ",".join(platforms),
                "resolution": (
                    f"Collect {spec.table} from the host (osqueryi --json) and run "
                    "`rootout scan` on it: rootout names the product, the designation "
                    "behind it and the removal steps."
                ),
                "critical": False,
            }
        )
    return out


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (the queries) as literal blocks."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def policies_yaml(catalog: Catalog) -> str:
    """A GitOps file: ``policies:`` followed by the list."""
    document = {"policies": policies(catalog)}
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
