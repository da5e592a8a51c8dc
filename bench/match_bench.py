"""Matcher throughput on a generated inventory, against two baselines, in one run.

* **floor**: DuckDB scanning the same CSV with one ``ILIKE`` filter per covered
  entity (no normalisation, no explanation): what no matcher can beat.
* **naive**: a Python loop applying every catalog signature, compiled as one
  regular expression each, to every row (on a sample: it is slow).
* **rootout**: CSV rows read with the csv module into Observations and run
  through :class:`rootout.match.engine.Matcher` (candidates, verification).
* **rootout-match**: the matcher alone over Observations already in memory,
  i.e. what it costs on top of any reader.

Each engine runs in its own process so that its peak memory (max RSS) is its
own. Usage: ``python bench/match_bench.py [--rows N]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inventory import generate

FIELDS = {"name": "product_name", "publisher": "publisher"}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_floor(path: Path) -> dict[str, float]:
    import duckdb

    from rootout.catalog.cache import load_compiled

    catalog, _ = load_compiled()
    words = sorted({e.name.split()[-1].lower() for e in catalog.entities.values()} | {"kaspersky"})
    started = time.perf_counter()
    where = " OR ".join(f"name ILIKE '%{w.replace(chr(39), '')}%'" for w in words)
    con = duckdb.connect()
    con.execute("SET threads = 1")  # one core, like every other engine here
    rows = con.execute(f"SELECT count(*) FROM read_csv_auto('{path}')").fetchone()[0]
    con.execute(f"SELECT count(*) FROM read_csv_auto('{path}') WHERE {where}").fetchone()
    return {"rows": rows, "seconds": time.perf_counter() - started, "peak_mib": _peak_mib()}


def run_naive(path: Path, sample: int) -> dict[str, float]:
    from rootout.catalog.cache import load_compiled
    from rootout.catalog.model import MatchMode

    catalog, _ = load_compiled()
    compiled: list[tuple[str, re.Pattern[str]]] = []
    for signature in catalog.signatures.values():
        for pattern in signature.patterns:
            if signature.match is MatchMode.REGEX:
                regex = pattern
            elif signature.match is MatchMode.GLOB:
                regex = fnmatch.translate(pattern)
            else:
                regex = re.escape(pattern)
            compiled.append((signature.kind.value, re.compile(regex, re.IGNORECASE)))
    started = time.perf_counter()
    rows = hits = 0
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for column, kind in FIELDS.items():
                value = row[column]
                hits += sum(1 for k, rx in compiled if k == kind and rx.search(value))
            rows += 1
            if rows >= sample:
                break
    return {
        "rows": rows,
        "seconds": time.perf_counter() - started,
        "peak_mib": _peak_mib(),
        "hits": hits,
    }


def _observations(path: Path) -> list[object]:
    """The inventory as Observations, built the way a reader does (one Asset per host)."""
    from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef

    assets: dict[str, Asset] = {}
    result: list[object] = []
    name = str(path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for line, (host, product, publisher, version) in enumerate(reader, 2):
            asset = assets.get(host)
            if asset is None:
                asset = assets[host] = Asset(AssetKind.HOST, host)
            result.append(
                Observation(
                    ObservationKind.PROGRAM,
                    {"name": product, "publisher": publisher, "version": version},
                    asset,
                    SourceRef(name, line, "", "csv"),
                )
            )
    return result


def run_rootout(path: Path) -> dict[str, float]:
    """Read the CSV into Observations and match them: the whole in-process path."""
    from rootout.catalog.cache import load_compiled
    from rootout.match.engine import Matcher

    catalog, index = load_compiled()
    matcher = Matcher(catalog, index=index)
    started = time.perf_counter()
    observations = _observations(path)
    hits = sum(len(matcher.hits(o)) for o in observations)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return {"rows": len(observations), "seconds": seconds, "peak_mib": _peak_mib(), "hits": hits}


def run_match_only(path: Path) -> dict[str, float]:
    """Matching alone, over Observations already in memory (what a reader hands over)."""
    from rootout.catalog.cache import load_compiled
    from rootout.match.engine import Matcher

    catalog, index = load_compiled()
    matcher = Matcher(catalog, index=index)
    observations = _observations(path)
    started = time.perf_counter()
    hits = sum(len(matcher.hits(o)) for o in observations)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    return {"rows": len(observations), "seconds": seconds, "peak_mib": _peak_mib(), "hits": hits}


def startup_seconds(folder: Path, runs: int = 5) -> float:
    """Median wall time of `rootout scan` on a one-line inventory, cache warm (the first run fills it)."""
    small = folder / "small.csv"
    small.write_text(
        "DisplayName,Publisher\nKaspersky Endpoint Security for Windows,AO Kaspersky Lab\n"
    )
    rootout = Path(sys.executable).parent / "rootout"
    command = [
        str(rootout),
        "scan",
        str(small),
        "--format",
        "csv",
        "--map",
        "name=DisplayName,publisher=Publisher",
        "--db",
        str(folder / "startup.db"),
        "--no-assets",
    ]
    subprocess.run(command, check=True, capture_output=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return sorted(times)[runs // 2]


def _child(engine: str, path: Path, sample: int) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--input",
        str(path),
        "--sample",
        str(sample),
    ]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows for the naive baseline")
    parser.add_argument("--child")
    parser.add_argument("--input", type=Path)
    args = parser.parse_args()
    if args.child:
        runners = {
            "floor": lambda: run_floor(args.input),
            "naive": lambda: run_naive(args.input, args.sample),
            "rootout": lambda: run_rootout(args.input),
            "rootout-match": lambda: run_match_only(args.input),
        }
        print(json.dumps(runners[args.child]()))
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.csv"
        generate(path, args.rows)
        size = path.stat().st_size / 2**20
        print(f"inventory: {args.rows:,} rows, {size:.0f} MiB, 1 process (1 core) per engine\n")
        print("| engine | rows | seconds | rows/s | peak MiB |")
        print("|---|---:|---:|---:|---:|")
        for engine in ("floor", "naive", "rootout", "rootout-match"):
            result = _child(engine, path, args.sample)
            rate = result["rows"] / result["seconds"]
            print(
                f"| {engine} | {int(result['rows']):,} | {result['seconds']:.2f} | "
                f"{rate:,.0f} | {result['peak_mib']:.0f} |"
            )
        print(
            f"\n`rootout scan` of a one-line file, cache warm: {startup_seconds(Path(folder)):.2f} s (median of 5)"
        )


if __name__ == "__main__":
    main()
