"""The Spark contracts path finds what the plain readers and the DuckDB path find, on the corpus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from rootout.procurement.pipeline import ContractsOutcome, Engine, scan_contracts
from tests.conftest import REPO
from tests.procurement.test_pipeline import actions, findings

CORPUS = REPO / "examples" / "contracts" / "data"

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Any:
    try:
        import pyspark  # noqa: F401
    except ImportError:  # pragma: no cover - the dev extra installs it
        if os.environ.get("CI") == "true":
            pytest.fail("PySpark is missing: CI installs the dev extra, which has it")
        pytest.skip("PySpark is not installed (pip install 'rootout[spark]')")
    from rootout.engine.spark import spark_session

    return spark_session()


def _scan(folder: Path, engine: Engine, db: Path, spark: Any = None) -> ContractsOutcome:
    return scan_contracts([folder], engine=engine, db=str(db), spark=spark)


@pytest.mark.parametrize("kind", ["transactions", "awards"])
def test_spark_finds_what_the_plain_readers_and_duckdb_find(
    spark: Any, kind: str, tmp_path: Path
) -> None:
    plain = _scan(CORPUS / kind, Engine.PYTHON, tmp_path / "p.db")
    fast = _scan(CORPUS / kind, Engine.DUCKDB, tmp_path / "d.db")
    sparked = _scan(CORPUS / kind, Engine.SPARK, tmp_path / "s.db", spark)
    assert {r.record.format for r in sparked.bulk} == {f"usaspending-{kind}"}
    assert findings(sparked) == findings(plain) == findings(fast)
    assert actions(sparked.summary) == actions(plain.summary) == actions(fast.summary)
    assert sparked.read.coverage.bad_records == plain.read.coverage.bad_records
    assert [r.rows for r in sparked.bulk] == [r.rows for r in fast.bulk]
    assert [r.record.sha256 for r in sparked.bulk] == [r.record.sha256 for r in fast.bulk]


def test_malformed_records_are_counted_and_bad_values_located(spark: Any, tmp_path: Path) -> None:
    part = sorted((CORPUS / "transactions").glob("*_2.csv"))[0]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / part.name).write_bytes(part.read_bytes())
    outcome = _scan(folder, Engine.SPARK, tmp_path / "s.db", spark)
    [result] = outcome.bulk
    assert result.record.bad_records == 5  # 2 wrong cell counts, 1 not UTF-8, a date, an amount
    assert "3 malformed record(s)" in result.record.error
    assert "row 1457: action date '2015-13-45' is not a date" in result.record.error
    assert "row 864: amount '12,5OO.00' is not a number" in result.record.error


def test_the_command_runs_the_spark_engine(spark: Any, tmp_path: Path) -> None:
    """`rootout contracts scan --engine spark` reads every CSV part on Spark and says so."""
    from typer.testing import CliRunner

    from rootout.cli.main import app

    result = CliRunner().invoke(
        app,
        [
            "contracts",
            "scan",
            str(CORPUS / "awards"),
            "--engine",
            "spark",
            "--db",
            str(tmp_path / "r.db"),
            "--json",
            str(tmp_path / "c.json"),
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code in (0, 2), result.output
    plain = _scan(CORPUS / "awards", Engine.PYTHON, tmp_path / "p.db")
    assert f"{len(plain.summary.actions)} action(s) with covered vendors" in result.output
    assert "│ spark" in result.output


def test_spark_remote_needs_the_spark_engine(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rootout.cli.main import app

    result = CliRunner().invoke(
        app,
        ["contracts", "scan", str(CORPUS / "awards"), "--spark-remote", "sc://h:15002"],
    )
    assert result.exit_code == 2
    assert "--spark-remote needs --engine spark" in " ".join(result.output.split())
