"""``rootout contracts scan``: prints the totals, writes the reports, exits 2 on bad rows."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app
from tests.conftest import FIXTURES, REPO

TRANSACTIONS = REPO / "examples" / "contracts" / "data" / "transactions"


def test_scan_prints_totals_and_writes_reports(tmp_path: Path) -> None:
    html, csv_path, json_path = tmp_path / "c.html", tmp_path / "c.csv", tmp_path / "c.json"
    result = CliRunner().invoke(
        app,
        [
            "contracts",
            "scan",
            str(TRANSACTIONS),
            "--db",
            str(tmp_path / "r.db"),
            "--html",
            str(html),
            "--csv",
            str(csv_path),
            "--json",
            str(json_path),
            "--engine",
            "duckdb",
        ],
    )
    assert result.exit_code == 2, result.output  # the corpus has messy rows on purpose
    for title in (
        "Actions after a prohibition",
        "By agency and fiscal year",
        "By recipient",
        "Direct, affiliate, reseller, removal",
        "First purchase per agency",
        "Rules and their dates",
    ):
        assert title in result.output
    assert result.output.index("Actions after a prohibition") < result.output.index(
        "By agency and fiscal year"
    )
    assert "<svg" in html.read_text()
    document = json.loads(json_path.read_text())
    assert len(document["duplicates"]) == 3
    assert csv_path.read_text().count("\n") == len(document["actions"]) + 1


def test_a_clean_input_exits_0(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["contracts", "scan", str(FIXTURES / "inputs" / "fpds"), "--db", str(tmp_path / "r.db")],
    )
    assert result.exit_code == 0, result.output
    assert "HIKVISION USA INC" in result.output
