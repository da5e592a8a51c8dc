"""What storing observations with each scan costs: bytes in the store and seconds.

For each input set, every observation is read with the readers (as ``rootout scan``
reads them) and then compressed with :class:`rootout.store.observations.ObservationWriter`
(what ``rootout scan`` now does beside matching), and stored in a fresh SQLite store.

    .venv/bin/python bench/observations_bench.py --rows 1000000

Prints one JSON line per input set: inputs' bytes, observations, read seconds,
compress seconds, compressed bytes, bytes per observation, SQLite file growth, and
the seconds to load and decode them back.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from inventory import generate

from rootout.ingest.scan import read_inputs
from rootout.model.observation import Observation
from rootout.store import observations as stored
from rootout.store import repository as repo
from rootout.store.db import connect

ESTATE = Path(__file__).parents[1] / "examples" / "estate" / "inputs"


def _size(path: Path) -> int:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )


def measure(
    name: str, path: Path, folder: Path, column_map: dict[str, str] | None = None
) -> dict[str, object]:
    kept: list[Observation] = []
    start = time.perf_counter()
    fmt = "csv" if column_map else None
    read = read_inputs([path], format=fmt, column_map=column_map, sink=kept.append)
    read_s = time.perf_counter() - start
    writer = stored.ObservationWriter()
    start = time.perf_counter()
    for observation in kept:
        writer.add(observation)
    chunks = writer.chunks()
    compress_s = time.perf_counter() - start
    compressed = sum(len(c.data) for c in chunks)
    db = folder / f"{name}.db"
    connect(str(db)).dispose()
    empty = db.stat().st_size
    engine = connect(str(db))
    record = repo.ScanRecord(
        started_at=dt.datetime.now(dt.UTC),
        finished_at=dt.datetime.now(dt.UTC),
        catalog_version="bench",
        engine="python",
        inputs=tuple(
            repo.InputRecord(r.path, r.sha256, r.size, r.format, r.count, None) for r in read.inputs
        ),
        assets=(),
    )
    from rootout.catalog.cache import load_compiled

    catalog, _ = load_compiled()
    saved = repo.save_scan(engine, record, (), catalog, observations=chunks)
    start = time.perf_counter()
    loaded = sum(1 for _ in stored.load_observations(engine, saved.scan_id, tenant="default"))
    load_s = time.perf_counter() - start
    engine.dispose()  # the last connection checkpoints the WAL into the file
    grown = db.stat().st_size - empty
    assert loaded == len(kept)
    return {
        "inputs": name,
        "input_bytes": _size(path),
        "observations": len(kept),
        "read_s": round(read_s, 2),
        "compress_s": round(compress_s, 2),
        "chunks": len(chunks),
        "compressed_bytes": compressed,
        "bytes_per_observation": round(compressed / max(len(kept), 1), 1),
        "sqlite_growth_bytes": grown,
        "load_decode_s": round(load_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(json.dumps(measure("example-estate", ESTATE, folder)), flush=True)
        inventory = folder / "inventory.csv"
        generate(inventory, args.rows)
        columns = {name: name for name in ("host", "name", "publisher", "version")}
        result = measure(f"inventory-{args.rows}", inventory, folder, columns)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
