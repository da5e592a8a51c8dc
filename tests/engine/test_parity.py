"""Parity: python, DuckDB and Spark give the same findings on the same inputs.

Same finding ids, bases, confidence, entities, matched values, explanation step
texts (they quote the input file and line), and the same observations per asset.
The python engine is the reference; for CSV and JSON lines it is itself checked
against ``rootout scan --format csv|jsonl`` (:func:`rootout.scanning.scan`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rootout import scanning
from rootout.engine import EngineName, bulk, scan_bulk
from rootout.engine.duckdb import DuckDbBackend, DuckDbOptions
from rootout.model.finding import Finding
from tests.engine.conftest import Case

CASES = (
    "inventory-csv",
    "inventory-parquet",
    "inventory-jsonl",
    "devices-csv",
    "devices-parquet",
    "dns-csv",
    "dns-jsonl",
    "canonical-csv",
)
ENGINES = ("duckdb", pytest.param("spark", marks=pytest.mark.spark))


def summary(finding: Finding) -> tuple[object, ...]:
    return (
        finding.id,
        finding.basis,
        finding.confidence,
        finding.entity,
        finding.signature,
        finding.matched_field,
        finding.matched_value,
        finding.observed_on,
        str(finding.observation.source),
        tuple((step.kind, step.text) for step in finding.explanation),
    )


def run(case: Case, engine: str, tmp_path: Path, **kwargs: Any) -> scanning.ScanOutcome:
    return scan_bulk(
        [case.path],
        engine=EngineName(engine),
        db=str(tmp_path / f"{engine}.db"),
        column_map=case.column_map,
        **kwargs,
    )


@pytest.fixture(scope="module")
def reference(
    cases: dict[str, Case], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, scanning.ScanOutcome]:
    folder = tmp_path_factory.mktemp("reference")
    return {name: run(cases[name], "python", folder / name) for name in CASES}


def engine_kwargs(engine: str, spark: Any) -> dict[str, Any]:
    if engine == "spark":
        from rootout.engine.spark import SparkBackend

        return {"backend_factory": lambda: SparkBackend(spark)}
    return {
        "backend_factory": lambda: DuckDbBackend(DuckDbOptions(memory_limit="256MB", threads=2))
    }


@pytest.fixture
def spark(request: pytest.FixtureRequest) -> Any:
    if "spark" in request.node.name:
        return request.getfixturevalue("spark_session")
    return None


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("name", CASES)
def test_same_findings_assets_and_counts(
    name: str,
    engine: str,
    spark: Any,
    cases: dict[str, Case],
    reference: dict[str, scanning.ScanOutcome],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = reference[name]

    def no_fallback(*args: object) -> tuple[int, str]:
        raise AssertionError(f"{engine} could not read {name}: it fell back to the reader")

    monkeypatch.setattr(bulk, "read_python", no_fallback)
    got = run(cases[name], engine, tmp_path, **engine_kwargs(engine, spark))
    assert expected.findings, "the reference finds something: parity is not vacuous"
    assert [summary(f) for f in got.findings] == [summary(f) for f in expected.findings]
    assert got.assets == expected.assets
    assert got.read.inputs == expected.read.inputs
    assert got.read.coverage.observations == expected.read.coverage.observations


@pytest.mark.parametrize("name", ["inventory-csv", "inventory-jsonl", "devices-csv", "dns-jsonl"])
def test_python_engine_is_the_ordinary_scan(
    name: str,
    cases: dict[str, Case],
    reference: dict[str, scanning.ScanOutcome],
    tmp_path: Path,
) -> None:
    case = cases[name]
    ordinary = scanning.scan(
        [case.path],
        db=str(tmp_path / "scan.db"),
        input_format=case.format,
        column_map=case.column_map,
    )
    bulk = reference[name]
    assert [summary(f) for f in bulk.findings] == [summary(f) for f in ordinary.findings]
    assert bulk.assets == ordinary.assets
    assert bulk.read.inputs == ordinary.read.inputs


def test_findings_are_the_expected_ones(reference: dict[str, scanning.ScanOutcome]) -> None:
    """What the parity rests on: covered rows found, traps not, MAC and DNS rules applied."""
    inventory = reference["inventory-csv"].findings
    values = {f.matched_value for f in inventory}
    assert "Kaspersky Endpoint Security for Windows" in values
    assert "Kaspersky Free" in values  # found after stripping the stray blanks
    assert not values & {"Kaspa Wallet", "UltraAV", "Aztech Modem Utility", "Kaspa Developers"}
    assert any(f.observation.asset.name == "inventory" for f in inventory)  # row without host
    devices = reference["devices-csv"].findings
    hosts = {f.observation.asset.name for f in devices}
    assert {"10.0.0.0", "10.0.0.1", "10.0.0.2"} <= hosts  # MA-L, MA-M and MA-S prefixes
    assert not hosts & {"10.0.0.50", "10.0.0.51"}  # locally administered; not covered
    dns = reference["dns-csv"].findings
    assert dns
    assert all(
        not f.matched_value.startswith("not") and not f.matched_value.endswith(".example.org")
        for f in dns
    )


def test_the_same_rows_give_the_same_ids_in_every_format(
    reference: dict[str, scanning.ScanOutcome],
) -> None:
    ids = {
        fmt: [f.id for f in reference[f"inventory-{fmt}"].findings]
        for fmt in ("csv", "parquet", "jsonl")
    }
    assert ids["csv"] == ids["parquet"] == ids["jsonl"]
