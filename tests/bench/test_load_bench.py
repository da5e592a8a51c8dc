"""bench/load_bench.py end to end with a few agents for a few seconds, server killed half-way.

Times are not checked; what is checked is what the benchmark exists to show: every
scan the server acknowledged is stored exactly once, also across a SIGKILL and a
restart, and the report says which store it ran on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load_bench.py"


@pytest.mark.slow
def test_a_short_crash_run_stores_every_acknowledged_scan_once(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    env = {**os.environ, "ROOTOUT_CONFIG": str(tmp_path / "none.toml")}
    (tmp_path / "none.toml").write_text("")
    command = [sys.executable, str(BENCH), "--agents", "4", "--items", "40", "--seconds", "6"]
    command += ["--store", "sqlite", "--run", "crash", "--lease-seconds", "2", "--json", str(out)]
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    (result,) = json.loads(out.read_text())
    assert result["store"] == "sqlite"
    assert result["crash"] is True
    assert result["acked"] > 0
    assert result["acked"] == result["jobs_done"] == result["stored_scans"]
    assert result["lost"] == result["duplicated"] == result["gave_up"] == 0
    assert result["connection_errors"] > 0  # the agents did see the server go down
    # every job the dead server left half-done was taken again after its lease (whether a
    # job was still in flight at the SIGKILL is up to timing; tests/api/test_ingest.py
    # abandons one deterministically)
    assert result["processing_at_kill"] >= 1
    assert result["jobs_claimed_again"] >= result["orphaned_at_kill"]
