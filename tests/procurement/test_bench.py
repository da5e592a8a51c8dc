"""bench/contracts_bench.py on a small file: the same rows for the floor and the DuckDB path."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_the_bench_runs_on_a_small_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "contracts_bench", REPO / "bench" / "contracts_bench.py"
    )
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "bench.csv"
    assert (
        bench.main(
            [
                "--size",
                "4MB",
                "--out",
                str(out),
                "--distinct",
                "500",
                "--covered-every",
                "50",
                "--python-mb",
                "1",
                "--repeat",
                "1",
            ]
        )
        == 0
    )
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["floor_rows"] == result["duckdb_rows"] > 3000
    assert result["duckdb_candidates"] >= result["duckdb_rows"] // 50
    assert result["duckdb_actions"] > 0
    assert any(line.startswith("| duckdb |") for line in lines)
    assert not out.exists()  # removed without --keep
