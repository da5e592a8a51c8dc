"""``--engine auto`` and its contradictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from rootout.engine import EngineName, choose_engine
from rootout.errors import ConfigError


@pytest.fixture
def inventory(tmp_path: Path) -> Path:
    path = tmp_path / "inventory.csv"
    path.write_text("host,name\nWS-1,Kaspersky Free\n" * 50, encoding="utf-8")
    return path


def test_auto_is_python_below_the_threshold_and_duckdb_above(inventory: Path) -> None:
    size = inventory.stat().st_size
    small = choose_engine([inventory], input_format="csv", threshold=size + 1)
    large = choose_engine([inventory], input_format="csv", threshold=size)
    assert (small.engine, small.bulk) == (EngineName.PYTHON, False)
    assert (large.engine, large.bulk) == (EngineName.DUCKDB, True)
    assert large.describe().startswith("engine: duckdb (auto: ")


def test_auto_leaves_a_csv_without_format_to_detection(inventory: Path) -> None:
    choice = choose_engine([inventory], threshold=0)
    assert (choice.engine, choice.tabular, choice.bulk) == (EngineName.PYTHON, False, False)


def test_parquet_always_takes_the_bulk_path(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "inventory.parquet"
    with duckdb.connect() as con:
        con.execute(
            "COPY (SELECT 'WS-1' AS host, 'HiSuite' AS name) TO ? (FORMAT parquet)", [str(path)]
        )
    choice = choose_engine([path])
    assert (choice.engine, choice.bulk) == (EngineName.PYTHON, True)


def test_spark_only_when_asked_or_remote(inventory: Path) -> None:
    remote = choose_engine([inventory], input_format="csv", spark_remote="sc://spark:15002")
    assert remote.engine is EngineName.SPARK
    assert "sc://spark:15002" in remote.describe()
    assert choose_engine([inventory], input_format="csv", threshold=0).engine is EngineName.DUCKDB


def test_contradictions_are_refused(inventory: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="--spark-remote needs --engine spark"):
        choose_engine([inventory], requested=EngineName.DUCKDB, spark_remote="sc://x:15002")
    with pytest.raises(ConfigError, match="tabular files only"):
        choose_engine([tmp_path], requested=EngineName.DUCKDB)
    with pytest.raises(ConfigError, match="tabular files only"):
        choose_engine([], requested=EngineName.SPARK)


def test_spark_takes_paths_only_the_cluster_can_read() -> None:
    from rootout.engine.source import TabularFormat, TabularSource

    path = Path("s3a://estate/inventory/2025-06/part-0001.parquet")
    choice = choose_engine([path], spark_remote="sc://spark:15002")
    assert (choice.engine, choice.bulk) == (EngineName.SPARK, True)
    source = TabularSource(path, TabularFormat.PARQUET)
    assert source.display == "s3a://estate/inventory/2025-06/part-0001.parquet"
    with pytest.raises(ConfigError, match="tabular files only"):
        choose_engine([path], requested=EngineName.DUCKDB)
