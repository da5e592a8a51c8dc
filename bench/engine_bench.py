"""The bulk engine on a generated inventory: each engine next to DuckDB's raw-scan floor.

* **floor**: DuckDB reading the CSV once with one ``ILIKE`` filter per covered
  entity name (no normalisation, no verification, no explanation, nothing
  stored): what no engine reading the same file can beat.
* **duckdb**: ``rootout.engine.scan_bulk(engine=duckdb)``, the whole scan: stage,
  distinct values verified in Python, join back, findings resolved and stored.
* **python**: the same scan with the in-process engine (csv reader and matcher on
  every row).
* **spark**: the same scan on Spark local mode (``--spark``; slow to start).

Every engine runs in its own process, with the same number of threads, so its
peak memory (max RSS, DuckDB's included) is its own. Usage:
``python bench/engine_bench.py --rows 10000000 [--spark] [--threads N]``;
prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from inventory import generate

COLUMN_MAP = {"host": "host", "name": "name", "publisher": "publisher", "version": "version"}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_floor(path: Path, threads: int) -> dict[str, float]:
    import duckdb

    from rootout.catalog.cache import load_compiled

    catalog, _ = load_compiled()
    words = sorted({e.name.split()[0].lower() for e in catalog.entities.values()})
    where = " OR ".join(f"name ILIKE '%{w.replace(chr(39), '')}%'" for w in words if len(w) > 3)
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    rows, hits = con.execute(
        f"SELECT count(*), count(*) FILTER (WHERE {where}) FROM read_csv(?, all_varchar = true)",
        [str(path)],
    ).fetchone() or (0, 0)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_mib": _peak_mib(), "findings": hits}


def run_engine(
    path: Path, engine: str, threads: int, folder: Path, memory_limit: str
) -> dict[str, float]:
    from rootout.catalog.cache import load_compiled
    from rootout.engine import EngineName, scan_bulk
    from rootout.engine.duckdb import DuckDbBackend, DuckDbOptions

    load_compiled()  # the catalog cache is warm in every engine: not part of the time
    factory = None
    if engine == "duckdb":
        options = DuckDbOptions(memory_limit=memory_limit, threads=threads, temp_directory=folder)

        def factory() -> DuckDbBackend:
            return DuckDbBackend(options)

    elif engine == "spark":
        from rootout.engine.spark import SparkBackend, spark_session

        session = spark_session(master=f"local[{threads}]")

        def factory() -> SparkBackend:  # type: ignore[misc]
            return SparkBackend(session)

    stored = _time_store()
    started = time.perf_counter()
    outcome = scan_bulk(
        [path],
        engine=EngineName(engine),
        db=str(folder / f"{engine}-{os.getpid()}.db"),
        column_map=COLUMN_MAP,
        backend_factory=factory,
    )
    seconds = time.perf_counter() - started
    return {
        "rows": outcome.read.coverage.observations,
        "seconds": seconds - stored[0],
        "store": stored[0],
        "peak_mib": _peak_mib(),
        "findings": len(outcome.findings),
    }


def _time_store() -> list[float]:
    """Seconds spent storing the scan (the same for every engine), measured around
    ``rootout.engine.bulk._save``."""
    from rootout.engine import bulk

    spent = [0.0]
    save = bulk._save

    def timed(*args: Any) -> Any:
        started = time.perf_counter()
        try:
            return save(*args)
        finally:
            spent[0] += time.perf_counter() - started

    bulk._save = timed  # type: ignore[assignment]
    return spent


def _child(engine: str, path: Path, threads: int, memory_limit: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", engine, "--input", str(path)]
    command += ["--threads", str(threads), "--memory-limit", memory_limit]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--spark", action="store_true", help="also run the Spark engine")
    parser.add_argument("--no-python", action="store_true", help="skip the in-process engine")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB's memory_limit")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor (and x floor)")
    parser.add_argument("--child")
    parser.add_argument("--input", type=Path)
    args = parser.parse_args()
    if args.child:
        if args.child == "floor":
            result = run_floor(args.input, args.threads)
        else:
            with tempfile.TemporaryDirectory() as folder:
                result = run_engine(
                    args.input, args.child, args.threads, Path(folder), args.memory_limit
                )
        print(json.dumps(result))
        return
    engines = [] if args.no_floor else ["floor"]
    engines += ["duckdb"]
    engines += [] if args.no_python else ["python"]
    engines += ["spark"] if args.spark else []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inventory.csv"
        generate(path, args.rows)
        size = path.stat().st_size / 2**20
        print(
            f"inventory: {args.rows:,} rows, {size:,.0f} MiB; {args.threads} thread(s) per "
            f"engine; DuckDB memory_limit {args.memory_limit}\n"
        )
        print("| engine | rows | seconds | rows/s | x floor | + store s | peak MiB | findings |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        floor = 0.0
        for engine in engines:
            result = _child(engine, path, args.threads, args.memory_limit)
            floor = result["seconds"] if engine == "floor" else floor
            rate = result["rows"] / result["seconds"]
            times = f"{result['seconds'] / floor:.2f}" if floor else "-"
            print(
                f"| {engine} | {int(result['rows']):,} | {result['seconds']:.2f} | {rate:,.0f} | "
                f"{times} | {result.get('store', 0):.2f} | {result['peak_mib']:.0f} | "
                f"{int(result['findings']):,} |",
                flush=True,
            )
        print(
            "\nseconds: reading and matching (for the engines: staging, distinct values, "
            "verification, candidate rows, resolution, explanation); + store s: writing the "
            "scan, its assets and findings to a new SQLite store, the same for every engine. "
            "floor findings: rows any ILIKE filter selects (traps included, nothing verified)"
        )


if __name__ == "__main__":
    main()
