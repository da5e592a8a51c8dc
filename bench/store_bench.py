"""Storing a fleet scan's assets: seconds to save N assets, first as new, then seen again.

Builds a ``ScanRecord`` of ``--assets`` hosts (the shape a large inventory scan
stores: key, name, identifiers, tags, observation count, formats) with no
findings, and saves it with ``rootout.store.repository.save_scan`` into a new
store twice: the first scan inserts every asset, the second (different inputs,
so a different scan id) finds every asset already there and refreshes it.

Usage: ``python bench/store_bench.py --assets 100000 [--db URL]`` (default: a
new SQLite file under /tmp; a PostgreSQL URL must name an empty database).
Prints one Markdown table row per scan and one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path


def _scan(assets: int, label: str) -> object:
    from rootout.store.repository import AssetSeen, InputRecord, ScanRecord

    now = dt.datetime.now(dt.UTC)
    seen = tuple(
        AssetSeen(
            key=f"host:ws-{n:06d}",
            kind="host",
            name=f"WS-{n:06d}",
            identifiers=(("hostname", f"ws-{n:06d}"), ("serial", f"SN{n:08d}")),
            tags=(("owner", f"team-{n % 40}"), ("org_unit", f"ou-{n % 7}")),
            observations=300,
            formats=frozenset({"generic-csv"}),
        )
        for n in range(assets)
    )
    inputs = (InputRecord(f"/data/{label}.csv", label * 8, 1, "generic-csv", 300 * assets, None),)
    return ScanRecord(now, now, "bench", "duckdb", inputs, seen, label=label)


def measure(db: str, assets: int) -> dict[str, float]:
    from rootout.catalog.cache import load_compiled
    from rootout.store.db import connect
    from rootout.store.repository import ScanRecord, save_scan

    catalog, _index = load_compiled()
    engine = connect(db)
    result: dict[str, float] = {"assets": assets}
    for label in ("first", "again"):
        scan = _scan(assets, label)
        assert isinstance(scan, ScanRecord)
        started = time.perf_counter()
        save_scan(engine, scan, [], catalog)
        result[label] = time.perf_counter() - started
    engine.dispose()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--assets", type=int, default=33_334)
    parser.add_argument("--db", help="store URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rootout-store-bench-") as folder:
        db = args.db or str(Path(folder) / "rootout.db")
        result = measure(db, args.assets)
    kind = "postgresql" if db.startswith("postgresql") else "sqlite"
    for label in ("first", "again"):
        rate = result["assets"] / result[label]
        print(f"| {kind} | {label} | {args.assets:,} | {result[label]:.2f} | {rate:,.0f} |")
    print(json.dumps({"store": kind, **result}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
