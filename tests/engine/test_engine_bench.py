"""bench/engine_bench.py end to end on a tiny inventory: every engine runs and agrees.

Times are not checked; what is checked is that the table has a row per engine,
that every engine saw every row, and that the engines report the same findings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "engine_bench.py"


@pytest.mark.slow
def test_engine_bench_runs_every_engine_and_they_agree() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "15000", "--threads", "1"],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    rows = {
        cells[0]: cells
        for line in done.stdout.splitlines()
        if line.startswith("| ") and not line.startswith("| engine")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    assert set(rows) == {"floor", "duckdb", "python"}
    assert {rows[e][1] for e in rows} == {"15,000"}
    assert rows["duckdb"][7] == rows["python"][7]
    assert int(rows["duckdb"][7]) > 0
