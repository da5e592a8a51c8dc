"""Reader throughput and peak memory on a large osquery results log and CycloneDX SBOM.

Both files are generated (``gen_osquery_log.py``, ``gen_cyclonedx.py``) unless
given with ``--log`` / ``--sbom``. Engines, each in its own process so that its
peak RSS (from ``wait4``) is its own:

* **baseline-json**: the standard library alone. Log: ``json.loads`` per line
  and a count of the rows of each line. SBOM: ``json.load`` of the whole file
  and a walk counting every component (``metadata.component`` included).
* **cyclonedx-lib** (SBOM only): cyclonedx-python-lib's documented loader,
  ``Bom.from_json(data=json.load(f))``, then the same walk over the model.
* **rootout-read**: ``read_inputs([file], sink=counter)``, the bounded-memory
  path: detection, hashing, parsing, Observations, nothing kept.
* **rootout-scan**: ``rootout.scanning.scan([file], db=...)`` end to end:
  compiled catalog from the disk cache, reader modules imported, read, match,
  store in a new SQLite file.

"observations" is rows of the log (a snapshot or differential line holds many)
and components of the SBOM; every engine must find the same number. Seconds
(wall clock) and CPU seconds are measured inside each process around the work
(imports excluded); obs/s and MB/s (10^6 bytes) are per wall-clock second.

Usage: ``python bench/reader_bench.py [--log-size 1GiB] [--sbom-size 250MB]``;
``--profile ENGINE`` runs one engine under cProfile and prints its hot spots.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_osquery_log import parse_size

HERE = Path(__file__).resolve().parent

ENGINES = {
    "log": ("baseline-json", "rootout-read", "rootout-scan"),
    "sbom": ("baseline-json", "cyclonedx-lib", "rootout-read", "rootout-scan"),
}
Result = dict[str, Any]


class Stopwatch:
    """Wall-clock and CPU seconds since creation (CPU time is steadier on a busy machine)."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> float:
        return time.perf_counter() - self.wall

    def result(self, rows: int, note: str = "") -> Result:
        cpu = time.process_time() - self.cpu
        return {"rows": rows, "seconds": self.lap(), "cpu": cpu, "note": note}


# --------------------------------------------------------------------------- engines (children)


def _log_rows(record: Any) -> int:
    """Rows in one results-log line, whatever its form (as osqueryd writes them)."""
    if "snapshot" in record:
        return len(record["snapshot"])
    if "diffResults" in record:
        diff = record["diffResults"]
        return len(diff.get("added") or ()) + len(diff.get("removed") or ())
    return 1


def baseline_log(path: Path) -> Result:
    clock = Stopwatch()
    rows = 0
    with path.open("rb") as handle:
        for line in handle:
            if line.strip():
                rows += _log_rows(json.loads(line))
    return clock.result(rows)


def _json_walk(components: Any) -> int:
    return sum(1 + _json_walk(c.get("components") or ()) for c in components)


def baseline_sbom(path: Path) -> Result:
    clock = Stopwatch()
    with path.open("rb") as handle:
        document = json.load(handle)
    loaded = clock.lap()
    subject = document.get("metadata", {}).get("component")
    rows = _json_walk(document.get("components") or ()) + (_json_walk([subject]) if subject else 0)
    return clock.result(rows, f"json.load {loaded:.1f} s, walk {clock.lap() - loaded:.1f} s")


def _model_walk(components: Any) -> int:
    return sum(1 + _model_walk(c.components) for c in components)


def cyclonedx_lib(path: Path) -> Result:
    from cyclonedx.model.bom import Bom

    clock = Stopwatch()
    with path.open("rb") as handle:
        data = json.load(handle)
    parsed = clock.lap()
    bom = Bom.from_json(data=data)  # type: ignore[attr-defined]  # added by py-serializable
    del data
    loaded = clock.lap()
    subject = bom.metadata.component
    rows = _model_walk(bom.components) + (_model_walk([subject]) if subject else 0)
    return clock.result(rows, f"json.load {parsed:.1f} s, Bom.from_json {loaded - parsed:.1f} s")


def rootout_read(path: Path) -> Result:
    from rootout.ingest.base import all_readers
    from rootout.ingest.scan import read_inputs
    from rootout.model.observation import Observation

    all_readers()  # imports every reader module, as imports are excluded from every engine's time
    count = 0

    def counter(_: Observation) -> None:
        nonlocal count
        count += 1

    clock = Stopwatch()
    record = read_inputs([path], sink=counter).inputs[0]
    note = f"format {record.format}" + (f", error: {record.error}" if record.error else "")
    return clock.result(count, note)


def rootout_scan(path: Path, db: Path) -> Result:
    from rootout.scanning import scan

    clock = Stopwatch()
    outcome = scan([path], db=str(db))
    note = f"{len(outcome.findings)} findings, {len(outcome.assets)} assets"
    return clock.result(outcome.read.total, note)


def warm() -> Result:
    """Build the compiled-catalog disk cache once, so no timed scan pays for it."""
    from rootout.catalog.cache import load_compiled

    clock = Stopwatch()
    load_compiled()
    return clock.result(0)


def run_child(kind: str, engine: str, path: Path, db: Path, profile: int) -> None:
    runners: dict[str, Callable[[], Result]] = {
        "baseline-json": lambda: baseline_log(path) if kind == "log" else baseline_sbom(path),
        "cyclonedx-lib": lambda: cyclonedx_lib(path),
        "rootout-read": lambda: rootout_read(path),
        "rootout-scan": lambda: rootout_scan(path, db),
        "warm": warm,
    }
    if not profile:
        print(json.dumps({**runners[engine](), "hwm_mib": _high_water_mib()}))
        return
    profiler = cProfile.Profile()
    result = profiler.runcall(runners[engine])
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(profile)
    print(json.dumps({**result, "hwm_mib": _high_water_mib()}))


def _high_water_mib() -> float | None:
    """This process's peak RSS since exec (VmHWM), or None where /proc is missing.

    ``ru_maxrss`` is not used here: Linux carries the pre-exec (forked parent's)
    high-water mark into it.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


# --------------------------------------------------------------------------- parent


def _spawn(command: list[str], folder: Path, timeout: float) -> tuple[int, float, float, str, str]:
    """Run ``command``; (exit status, wall seconds, peak RSS MiB, stdout, stderr).

    The peak RSS from ``wait4`` is at least this process's own at the fork
    (Linux keeps the pre-exec high-water mark); it stands in only when the
    child died before reporting its VmHWM.
    """
    out, err = folder / "child.out", folder / "child.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
    return process.returncode, wall, usage.ru_maxrss / 1024, out.read_text(), err.read_text()


def run_engine(
    kind: str, engine: str, path: Path, folder: Path, args: argparse.Namespace
) -> Result:
    db = folder / f"{kind}-{engine}.db"
    command = [sys.executable, __file__, "--child", engine, "--kind", kind, "--input", str(path)]
    command += ["--db", str(db), "--child-profile", str(args.profile_lines if args.profile else 0)]
    status, wall, peak, out, err = _spawn(command, folder, args.timeout)
    if args.profile:
        sys.stderr.write(err)
    if status == 0:
        result: Result = json.loads(out.strip().splitlines()[-1])
        return {**result, "peak_mib": result.pop("hwm_mib") or peak}
    if wall >= args.timeout:
        why = f"stopped after the {args.timeout:.0f} s time limit"
    elif status < 0:
        why = f"killed by signal {-status}" + (" (out of memory?)" if status == -9 else "")
    else:
        last = (err.strip().splitlines() or ["no message"])[-1]
        why = f"failed (exit {status}): {last}"
    return {"rows": None, "seconds": wall, "peak_mib": peak, "note": why}


def _row(engine: str, result: Result, size: int) -> str:
    seconds, rows = result["seconds"], result["rows"]
    note = result.get("note", "")
    if rows is None:
        return (
            f"| {engine} | — | ({seconds:.1f}) | — | — | — | {result['peak_mib']:,.0f} | {note} |"
        )
    shown = f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"
    rate = f"{rows / seconds:,.0f}" if seconds else "—"
    mbps = f"{size / 1e6 / seconds:.1f}" if seconds else "—"
    cells = [engine, f"{rows:,}", shown, f"{result['cpu']:.1f}", rate, mbps]
    return "| " + " | ".join([*cells, f"{result['peak_mib']:,.0f}", note]) + " |"


def bench_file(kind: str, title: str, path: Path, folder: Path, args: argparse.Namespace) -> None:
    size = path.stat().st_size
    print(f"\n### {title}: `{path.name}`, {size:,} bytes ({size / 2**20:,.1f} MiB)\n", flush=True)
    print("| engine | observations | seconds | CPU s | obs/s | MB/s | peak RSS MiB | notes |")
    print("|---|---:|---:|---:|---:|---:|---:|---|", flush=True)
    engines = [e for e in ENGINES[kind] if args.profile in (None, e)]
    for engine in engines:
        print(_row(engine, run_engine(kind, engine, path, folder, args), size), flush=True)


def _generated(script: str, path: Path, size: int, seed: int) -> Path:
    """Generate in a child process, so this (parent) process stays small; see ``_spawn``."""
    command = [sys.executable, str(HERE / script), str(path), "--size", str(size)]
    subprocess.run([*command, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
    return path


def _inputs(args: argparse.Namespace, folder: Path) -> list[tuple[str, str, Path]]:
    inputs = []
    if args.only in (None, "log"):
        log = args.log or _generated(
            "gen_osquery_log.py", folder / "osqueryd.results.log", args.log_size, args.seed
        )
        inputs.append(("log", "osquery results log", log))
    if args.only in (None, "sbom"):
        sbom = args.sbom or _generated(
            "gen_cyclonedx.py", folder / "suite.cdx.json", args.sbom_size, args.seed
        )
        inputs.append(("sbom", "CycloneDX 1.5 SBOM", sbom))
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--log-size", type=parse_size, default=2**30, help="default 1GiB")
    parser.add_argument("--sbom-size", type=parse_size, default=250 * 10**6, help="default 250MB")
    parser.add_argument(
        "--log", type=Path, help="an existing results log instead of a generated one"
    )
    parser.add_argument(
        "--sbom", type=Path, help="an existing CycloneDX JSON instead of a generated one"
    )
    parser.add_argument("--only", choices=("log", "sbom"))
    parser.add_argument("--seed", type=int, default=1634)
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per engine")
    parser.add_argument("--profile", choices=sorted({e for es in ENGINES.values() for e in es}))
    parser.add_argument("--profile-lines", type=int, default=25)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--kind", help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.kind, args.child, args.input, args.db, args.child_profile)
        return
    with tempfile.TemporaryDirectory(prefix="rootout-bench-") as name:
        folder = Path(name)
        inputs = _inputs(args, folder)
        warm_command = [sys.executable, __file__, "--child", "warm", "--kind", "log"]
        _spawn([*warm_command, "--input", "-", "--db", "-"], folder, args.timeout)
        print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, one process per engine")
        for kind, title, path in inputs:
            bench_file(kind, title, path, folder, args)


if __name__ == "__main__":
    main()
