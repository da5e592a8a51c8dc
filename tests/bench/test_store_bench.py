"""bench/store_bench.py on a few assets: both scans are stored and timed (times not checked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, func, select

from rootout.store import schema as t

BENCH = Path(__file__).resolve().parents[2] / "bench" / "store_bench.py"


def test_the_store_bench_stores_every_asset_twice(tmp_path: Path) -> None:
    db = tmp_path / "bench.db"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--assets", "1200", "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["store"] == "sqlite"
    assert result["assets"] == 1200
    assert {"first", "again"} <= set(result)
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.assets)).scalar() == 1200
        scans = conn.execute(select(func.count()).select_from(t.scan_assets)).scalar()
    engine.dispose()
    assert scans == 2400  # every asset in both scans
