"""``rootout scan``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app
from tests.conftest import FIXTURES, SHARED_DATA

INPUTS = FIXTURES / "inputs"
runner = CliRunner()


def test_scan_without_a_path_collects_this_machine(tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "--db", str(tmp_path / "m.db")], env={"COLUMNS": "200"})
    assert result.exit_code in (0, 2), result.output  # 2 when a collector source failed
    assert "collect" in result.output  # the collector's inputs are listed by format
    assert "input(s) read" in result.output


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


def test_scan_stores_findings_and_fail_on_sets_the_exit_code(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    osquery = str(INPUTS / "osquery")
    result = runner.invoke(app, ["scan", osquery, "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Findings by covered entity" in result.output
    assert "AO Kaspersky Lab" in result.output
    failing = runner.invoke(app, ["scan", osquery, "--db", db, "--fail-on", "high"])
    assert failing.exit_code == 1
    assert "already stored" in failing.output  # same inputs, same catalog: idempotent
    listed = runner.invoke(app, ["findings", "--db", db, "--format", "json"])
    assert listed.exit_code == 0
    assert '"basis": "direct"' in listed.output


def test_a_clean_input_passes_fail_on(tmp_path: Path) -> None:
    clean = SHARED_DATA / "sbom" / "cyclonedx" / "dropwizard-1.3.15" / "bom.json"
    result = runner.invoke(
        app, ["scan", str(clean), "--db", str(tmp_path / "c.db"), "--fail-on", "low"]
    )
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
