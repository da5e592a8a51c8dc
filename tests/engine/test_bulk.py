"""The bulk engine beyond well-formed inputs: bad files, blanks, a missing PySpark, the CLI."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from rootout.cli.main import app
from rootout.engine import EngineName, scan_bulk
from rootout.engine.backend import observed_filter
from rootout.engine.duckdb import DuckDbBackend, DuckDbOptions
from rootout.engine.source import WHITESPACE
from rootout.errors import RootoutError

MAP = {"host": "Computer", "name": "DisplayName", "publisher": "Publisher"}
GOOD = "WS-1,Kaspersky Endpoint Security for Windows,AO Kaspersky Lab\n"


def both(path: Path, tmp_path: Path) -> tuple[object, object]:
    return tuple(  # type: ignore[return-value]
        scan_bulk([path], engine=engine, db=str(tmp_path / f"{engine}.db"), column_map=MAP)
        for engine in (EngineName.PYTHON, EngineName.DUCKDB)
    )


def test_a_malformed_row_is_reported_with_its_line_and_earlier_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Computer,DisplayName,Publisher\n" + GOOD + "WS-2,HiSuite,Huawei Technologies Co., Ltd.\n",
        encoding="utf-8",
    )
    python, duck = both(path, tmp_path)
    assert duck.read.inputs == python.read.inputs  # type: ignore[attr-defined]
    (record,) = duck.read.inputs  # type: ignore[attr-defined]
    assert record.status.value == "failed"
    assert record.error.startswith(f"{path}:3:")
    assert [f.id for f in duck.findings] == [f.id for f in python.findings]  # type: ignore[attr-defined]
    assert [f.matched_value for f in duck.findings][:1] == [  # type: ignore[attr-defined]
        "Kaspersky Endpoint Security for Windows"
    ]


def test_a_missing_column_fails_the_input_as_the_reader_does(tmp_path: Path) -> None:
    path = tmp_path / "nocol.csv"
    path.write_text("Computer,DisplayName\nWS-1,Kaspersky Free\n", encoding="utf-8")
    python, duck = both(path, tmp_path)
    assert duck.read.inputs == python.read.inputs  # type: ignore[attr-defined]
    assert "no column Publisher in header" in duck.read.inputs[0].error  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def duck() -> Iterator[DuckDbBackend]:
    backend = DuckDbBackend(DuckDbOptions(memory_limit="64MB", threads=1))
    yield backend
    backend.close()


@given(text=st.text(alphabet=st.sampled_from(WHITESPACE + "ab!~\u00e9\u3000"), max_size=6))
def test_the_engine_blank_test_is_str_strip(duck: DuckDbBackend, text: str) -> None:
    """A row is an observation in the engine exactly when the reader's ``strip()`` keeps a
    character of one of its mapped cells."""
    duck.con.execute("CREATE OR REPLACE TABLE rootout_rows AS SELECT ?::VARCHAR AS c0", [text])
    (row,) = duck.query(f"SELECT count(*) FROM rootout_rows WHERE {observed_filter(duck, ['c0'])}")
    assert row[0] == (1 if text.strip() else 0)


def test_spark_without_pyspark_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from rootout.engine.spark import spark_session

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(RootoutError, match=r"pip install 'rootout\[spark\]'"):
        spark_session()


def test_cli_says_which_engine_and_finds_the_same(tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_text("Computer,DisplayName,Publisher\n" + GOOD, encoding="utf-8")
    common = ["scan", str(path), "--format", "csv", "--map", "host=Computer,name=DisplayName"]
    runner = CliRunner()
    duck = runner.invoke(app, [*common, "--engine", "duckdb", "--db", str(tmp_path / "d.db")])
    auto = runner.invoke(app, [*common, "--db", str(tmp_path / "a.db")])
    assert "engine: duckdb (asked for)" in duck.output
    assert "engine: python (auto: " in auto.output
    assert "1 finding" in duck.output
    assert duck.output.splitlines()[1:] == auto.output.splitlines()[1:]
    assert duck.exit_code == auto.exit_code == 0


def test_cli_refuses_a_bulk_engine_for_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["scan", str(tmp_path), "--engine", "duckdb"])
    assert result.exit_code == 2
    assert "tabular files only" in result.output
