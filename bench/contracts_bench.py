"""The contracts bulk path on a large Prime Transactions CSV, next to DuckDB's own floor.

Generates a USAspending Prime Transactions CSV of ``--size`` bytes (the real
297-column header; rows taken from the synthetic corpus in examples/contracts,
with unique transaction keys, ``--distinct`` made-up recipient names among the
ordinary rows, and about one covered-vendor row in ``--covered-every``), then
measures, each in its own process so each peak memory (max RSS) is its own:

* **floor**: DuckDB alone scanning the file with the same CSV options and one
  ``ILIKE '%kaspersky%'`` filter on the description: what any reader of this
  file pays;
* **duckdb path**: ``rootout.procurement.bulk.scan_file``: the file loaded once,
  the candidate stage in SQL, candidates built and matched in Python, actions
  resolved (the SHA-256 of the file is computed alongside, as a scan records it);
* **python path** (on the first ``--python-mb`` MiB only): the plain reader and
  the matcher, row by row;
* **spark path** (``--engines ... spark``): ``rootout.procurement.bulk_spark.scan_file``
  in local mode (``local[2]``), on the whole file or its first ``--spark-mb`` MiB;
  the JVM's start is not counted; its peak memory is reported apart from the driver's.

Usage: ``python bench/contracts_bench.py --size 5GB [--out FILE] [--keep]
[--engines floor duckdb python spark]``; prints the load average before and
after, a Markdown table and one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "examples" / "contracts"))

SYLLABLES = [
    "vor",
    "tan",
    "ex",
    "bel",
    "mor",
    "ric",
    "qua",
    "sen",
    "tal",
    "dor",
    "lin",
    "par",
    "ven",
    "cor",
    "mis",
    "ral",
    "nov",
    "tek",
    "ster",
    "gan",
]
ENGINES = ("floor", "duckdb", "python", "spark")
SUFFIXES = ("LLC", "INC", "CORP", "GROUP LLC", "SERVICES INC", "SYSTEMS LLC", "PARTNERS LP")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_size(text: str) -> int:
    units = {"KB": 1024, "MB": 1024**2, "GB": 1024**3, "B": 1}
    for unit, factor in units.items():
        if text.upper().endswith(unit):
            return int(float(text[: -len(unit)]) * factor)
    return int(text)


def _names(count: int, rng: random.Random) -> list[str]:
    names = set()
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).upper()
        names.add(f"{word} {rng.choice(SUFFIXES)}")
    return sorted(names)


def _quote(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def generate(path: Path, size: int, distinct: int, covered_every: int, seed: int = 7) -> int:
    """Write the file; returns the number of data rows."""
    from generate import header, rows_for_bench

    columns = header("contracts_prime_transactions.header.csv")
    recipient = columns.index("recipient_name")
    covered, ordinary = [], []
    for line, is_covered in rows_for_bench():
        cells = next(csv.reader([line]))
        parts = (_quote(cells[1:recipient]), _quote(cells[recipient + 1 :]))
        (covered if is_covered else ordinary).append((parts, cells[recipient]))
    rng = random.Random(seed)
    names = _names(distinct, rng)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(columns) + "\n")
        written = handle.tell()
        while written < size:
            chunk = []
            for _ in range(5000):
                rows += 1
                if rows % covered_every == 0:
                    (head, tail), name = rng.choice(covered)
                else:
                    (head, tail), _ = rng.choice(ordinary)
                    name = names[rng.randrange(distinct)]
                chunk.append(f"BENCH_{rows},{head},{_quote([name])},{tail}\n")
            text = "".join(chunk)
            handle.write(text)
            written += len(text.encode("utf-8"))
    return rows


def measure_floor(path: Path, memory_limit: str) -> dict[str, float]:
    import duckdb

    from rootout.procurement.bulk import read_header
    from rootout.procurement.bulk_sql import read_csv_sql

    header, delimiter = read_header(path)
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{memory_limit}'")
    started = time.perf_counter()
    sql = (
        "SELECT count(*), count(*) FILTER (WHERE transaction_description ILIKE '%kaspersky%') "
        f"FROM {read_csv_sql(path, header, delimiter, rejects=True)}"
    )
    rows, hits = con.execute(sql).fetchone() or (0, 0)
    return {
        "rows": rows,
        "hits": hits,
        "seconds": time.perf_counter() - started,
        "peak_mib": _peak_mib(),
    }


def measure_duckdb(path: Path, memory_limit: str) -> dict[str, float]:
    from rootout.catalog.cache import load_compiled
    from rootout.match.engine import Matcher
    from rootout.procurement.actions import ActionCollector
    from rootout.procurement.bulk import scan_file

    catalog, index = load_compiled()
    matcher = Matcher(catalog, index=index)
    collector = ActionCollector(matcher)
    started = time.perf_counter()
    result = scan_file(path, collector.add, matcher, memory_limit=memory_limit)
    actions = collector.actions()
    hashed = time.perf_counter()
    if len(result.record.sha256) != 64:  # the scan's record waits for the file's digest
        raise RuntimeError("no SHA-256 for the file")
    return {
        "rows": result.rows,
        "candidates": result.candidates,
        "actions": len(actions),
        **{f"stage_{name}": seconds for name, seconds in result.stages},
        "stage_sha256": time.perf_counter() - hashed,
        "seconds": time.perf_counter() - started,
        "peak_mib": _peak_mib(),
    }


def _children_peak_mib() -> float:
    """The largest peak RSS among this process's descendants (Spark's JVM), in MiB."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    mine, peak = {os.getpid()}, 0.0
    for _ in range(4):
        mine |= {pid for pid, parent in parents.items() if parent in mine}
    for pid in mine - {os.getpid()}:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peak


def _slice(path: Path, mib: int) -> Path:
    """The first ``mib`` MiB of ``path`` in whole lines (the header included), beside it."""
    out = path.with_name(f"{path.stem}-first{mib}m{path.suffix}")
    if not out.exists():
        with path.open("rb") as source, out.open("wb") as target:
            target.write(source.read(mib * 1024 * 1024))
            target.write(source.readline())
    return out


def measure_spark(path: Path, limit_mib: int) -> dict[str, float]:
    from rootout.catalog.cache import load_compiled
    from rootout.engine.spark import spark_session
    from rootout.match.engine import Matcher
    from rootout.procurement.actions import ActionCollector
    from rootout.procurement.bulk_spark import scan_file

    catalog, index = load_compiled()
    matcher = Matcher(catalog, index=index)
    collector = ActionCollector(matcher)
    target = _slice(path, limit_mib) if limit_mib else path
    begun = time.perf_counter()
    session = spark_session()
    start_up = time.perf_counter() - begun
    started = time.perf_counter()
    result = scan_file(target, collector.add, matcher, session)
    actions = collector.actions()
    if len(result.record.sha256) != 64:
        raise RuntimeError("no SHA-256 for the file")
    seconds = time.perf_counter() - started
    jvm = _children_peak_mib()
    session.stop()
    return {
        "rows": result.rows,
        "candidates": result.candidates,
        "actions": len(actions),
        **{f"stage_{name}": s for name, s in result.stages},
        "seconds": seconds,
        "start_up": start_up,
        "peak_mib": _peak_mib(),
        "jvm_peak_mib": jvm,
    }


def measure_python(path: Path, limit_mib: int) -> dict[str, float]:
    from rootout.catalog.cache import load_compiled
    from rootout.match.engine import Matcher
    from rootout.model.observation import SourceRef
    from rootout.procurement.actions import ActionCollector
    from rootout.procurement.columns import column_plan, record_kind
    from rootout.procurement.csvrows import Row, rows
    from rootout.procurement.records import RecordError, build

    catalog, index = load_compiled()
    collector = ActionCollector(Matcher(catalog, index=index))
    started, count, limit = time.perf_counter(), 0, limit_mib * 1024 * 1024
    with path.open("rb") as handle:
        header, data = rows(handle, str(path), lambda cells: column_plan(cells).values())
        plan, kind = column_plan(header), record_kind(header)
        for row in data:
            if not isinstance(row, Row):
                continue
            count += 1
            record = {key: row.cells[i] for key, i in plan.items()}
            try:
                built = build(record, SourceRef(str(path), row.line), row=count, kind=kind)
            except RecordError:
                continue
            for observation in built.observations:
                collector.add(observation)
            if count % 1000 == 0 and handle.tell() > limit:
                break
    collector.actions()
    return {"rows": count, "seconds": time.perf_counter() - started, "peak_mib": _peak_mib()}


def _child(what: str, path: Path, args: argparse.Namespace) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--measure",
        what,
        "--out",
        str(path),
        "--memory-limit",
        args.memory_limit,
        "--python-mb",
        str(args.python_mb),
        "--spark-mb",
        str(args.spark_mb),
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        tail = [line for line in done.stderr.splitlines() if line.strip()][-3:]
        raise RuntimeError(f"{what} failed (exit {done.returncode}): {' | '.join(tail)}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _best(what: str, args: argparse.Namespace) -> dict[str, float]:
    """The fastest of ``--repeat`` runs (a shared machine is noisy), with every run's seconds."""
    runs = [_child(what, args.out, args) for _ in range(args.repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "runs": [round(r["seconds"], 2) for r in runs]}  # type: ignore[dict-item]


def _count(result: dict[str, float], key: str) -> str:
    return f"{int(result[key]):,}" if key in result else "-"


def _table(results: dict[str, dict[str, float]]) -> None:
    floor = results.get("floor")
    print(
        "| engine | rows | seconds (best of runs) | rows/s | × floor | peak MiB | candidates | actions |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, result in results.items():
        rate = result["rows"] / result["seconds"] if result["seconds"] else 0.0
        same_rows = floor is not None and result["rows"] == floor["rows"]
        ratio = f"{result['seconds'] / floor['seconds']:.2f}" if floor and same_rows else "-"
        runs = ", ".join(f"{r:.1f}" for r in result["runs"])  # type: ignore[attr-defined]
        peak = f"{result['peak_mib']:.0f}"
        if result.get("jvm_peak_mib"):
            peak += f" + JVM {result['jvm_peak_mib']:.0f}"
        print(
            f"| {name} | {int(result['rows']):,} | {result['seconds']:.1f} ({runs}) | {rate:,.0f} "
            f"| {ratio} | {peak} | {_count(result, 'candidates')} | {_count(result, 'actions')} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="200MB")
    parser.add_argument("--out", type=Path, default=Path("/tmp/rootout-contracts-bench.csv"))
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the generated file")
    parser.add_argument(
        "--distinct", type=int, default=200_000, help="distinct ordinary recipient names"
    )
    parser.add_argument("--covered-every", type=int, default=2000)
    parser.add_argument("--memory-limit", default="512MB")
    parser.add_argument("--python-mb", type=int, default=100)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per engine; the fastest is shown"
    )
    parser.add_argument("--spark-mb", type=int, default=0, help="spark on the first N MiB (0: all)")
    parser.add_argument(
        "--engines", nargs="+", default=["floor", "duckdb", "python"], choices=ENGINES
    )
    parser.add_argument("--measure", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        measures = {
            "floor": lambda: measure_floor(args.out, args.memory_limit),
            "duckdb": lambda: measure_duckdb(args.out, args.memory_limit),
            "python": lambda: measure_python(args.out, args.python_mb),
            "spark": lambda: measure_spark(args.out, args.spark_mb),
        }
        print(json.dumps(measures[args.measure]()))
        return 0
    size = parse_size(args.size)
    if not (args.keep and args.out.exists()):
        started = time.perf_counter()
        generate(args.out, size, args.distinct, args.covered_every)
        print(
            f"generated {args.out} ({args.out.stat().st_size:,} bytes) in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
    size = args.out.stat().st_size
    load_before = os.getloadavg()
    try:
        results = {what: _best(what, args) for what in args.engines}
    finally:
        if not args.keep:
            args.out.unlink(missing_ok=True)
            for part in args.out.parent.glob(f"{args.out.stem}-first*m{args.out.suffix}"):
                part.unlink()
    load_after = os.getloadavg()
    print(
        f"file: {args.out.name}, {size / 1024**3:.2f} GiB; load average before "
        f"{load_before[0]:.1f} / after {load_after[0]:.1f} (1 min), {load_after[2]:.1f} (15 min)\n"
    )
    _table(results)
    print(
        json.dumps(
            {"size": size, **{f"{k}_{m}": v for k, r in results.items() for m, v in r.items()}}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
