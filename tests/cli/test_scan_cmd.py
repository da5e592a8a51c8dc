"""``rootout scan``."""

from __future__ import annotations

from typer.testing import CliRunner

from rootout.cli.main import app
from tests.conftest import FIXTURES

INPUTS = FIXTURES / "inputs"
runner = CliRunner()


def test_scan_without_a_path_refuses_rather_than_pretending() -> None:
    result = runner.invoke(app, ["scan"])
    assert result.exit_code == 2
    assert "collecting from this machine is not available yet; give a path" in result.output
    assert "Observations" not in result.output


def test_scan_of_readable_inputs_exits_0_and_shows_formats_and_assets() -> None:
    result = runner.invoke(app, ["scan", str(INPUTS / "network"), str(INPUTS / "certs")])
    assert result.exit_code == 0, result.output
    assert "Observations by format" in result.output
    assert "nmap-xml" in result.output
    assert "Observations by asset" in result.output
    assert "gw-core.corp.example" in result.output
    assert "Inputs not read" not in result.output


def test_scan_with_failures_exits_2_and_lists_them_with_positions() -> None:
    result = runner.invoke(app, ["scan", str(INPUTS / "estate-mini")], env={"COLUMNS": "250"})
    assert result.exit_code == 2
    assert "Inputs not read" in result.output
    output = " ".join(result.output.split())
    assert "line 11: 23 values for 24 #fields columns" in output
    assert "unrecognised" in output


def test_scan_generic_csv_with_a_map() -> None:
    csv = INPUTS / "generic" / "cmdb-software.csv"
    args = [
        "scan",
        str(csv),
        "--format",
        "csv",
        "--map",
        "name=DisplayName,publisher=Publisher",
        "--map",
        "host=Computer",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "SRV-DB01" in result.output


def test_map_needs_a_mapped_format() -> None:
    result = runner.invoke(app, ["scan", str(INPUTS / "generic"), "--map", "name=DisplayName"])
    assert result.exit_code == 2
    assert "--map needs --format csv or --format jsonl" in " ".join(result.output.split())


def test_bad_map_is_a_usage_error() -> None:
    result = runner.invoke(
        app, ["scan", str(INPUTS / "generic"), "--format", "csv", "--map", "colour=Paint"]
    )
    assert result.exit_code == 2
    assert "unknown field 'colour'" in result.output


def test_unknown_format() -> None:
    result = runner.invoke(app, ["scan", str(INPUTS / "network"), "--format", "nmap"])
    assert result.exit_code == 3
    assert "unknown format 'nmap'" in result.output
