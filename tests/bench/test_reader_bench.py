"""bench/reader_bench.py end to end on tiny generated files: every engine runs and agrees.

Times are not checked; what is checked is that the table a user reads has a
row for every engine, that no engine failed, and that rootout's readers (and
the CycloneDX library) count exactly the observations plain JSON parsing counts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "reader_bench.py"
LOG_ENGINES = ("baseline-json", "rootout-read", "rootout-scan")
SBOM_ENGINES = ("baseline-json", "cyclonedx-lib", "rootout-read", "rootout-scan")


def _tables(output: str) -> dict[str, dict[str, list[str]]]:
    """Section title → engine → cells of its row."""
    tables: dict[str, dict[str, list[str]]] = {}
    section = ""
    header: list[str] = []
    for line in output.splitlines():
        if line.startswith("### "):
            section = line.removeprefix("### ").split(":")[0]
            tables[section] = {}
        elif line.startswith("| ") and section:
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if cells[0] == "engine":
                header = cells
            else:
                assert len(cells) == len(header), f"{line!r} does not fit {header}"
                tables[section][cells[0]] = cells[1:]
    return tables


def _count(cells: list[str]) -> int:
    return int(cells[0].replace(",", ""))


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    cache = tmp_path_factory.mktemp("cache")
    command = [sys.executable, str(BENCH), "--log-size", "1MB", "--sbom-size", "1MB"]
    env = {**os.environ, "ROOTOUT_CACHE_DIR": str(cache)}
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return _tables(done.stdout)


@pytest.mark.slow
def test_log_table_has_every_engine_and_counts_agree(
    tables: dict[str, dict[str, list[str]]],
) -> None:
    rows = tables["osquery results log"]
    assert set(rows) == set(LOG_ENGINES)
    baseline = _count(rows["baseline-json"])
    assert baseline > 1000  # snapshot, differential and event lines, many rows each
    assert _count(rows["rootout-read"]) == baseline
    assert _count(rows["rootout-scan"]) == baseline
    assert "format osquery-results" in rows["rootout-read"][-1]


@pytest.mark.slow
def test_sbom_table_has_every_engine_and_counts_agree(
    tables: dict[str, dict[str, list[str]]],
) -> None:
    rows = tables["CycloneDX 1.5 SBOM"]
    assert set(rows) == set(SBOM_ENGINES)
    baseline = _count(rows["baseline-json"])
    assert baseline > 500  # nested components, all levels counted
    assert _count(rows["cyclonedx-lib"]) == baseline
    assert _count(rows["rootout-read"]) == baseline
    assert _count(rows["rootout-scan"]) == baseline
    assert "format cyclonedx-json" in rows["rootout-read"][-1]
