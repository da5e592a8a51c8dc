"""findings, explain, diff, where and scans over a real store built from fixture files."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app
from rootout.report.csv_report import COLUMNS
from tests.conftest import FIXTURES

runner = CliRunner()
WIDE = {"COLUMNS": "220"}


def scan(db: Path, *paths: Path) -> str:
    result = runner.invoke(
        app, ["scan", *map(str, paths), "--db", str(db), "--no-assets"], env=WIDE
    )
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("scan S"))
    return line.split()[1].rstrip(":")


def test_findings_json_explain_where_and_diff(tmp_path: Path) -> None:
    db = tmp_path / "f.db"
    inventory = tmp_path / "inv"
    inventory.mkdir()
    shutil.copy(FIXTURES / "inputs" / "osquery" / "programs.json", inventory)
    shutil.copy(FIXTURES / "inputs" / "osquery" / "drivers.json", inventory)
    first = scan(db, inventory)

    listed = runner.invoke(app, ["findings", "--db", str(db), "-f", "json"])
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    kes = next(
        r
        for r in rows
        if r["product"]
        and "Endpoint Security" in r["product"]["name"]
        and r["observation"]["source"]["path"].endswith("programs.json")
    )
    assert kes["entity"] == {"id": "kaspersky.ao-kaspersky-lab", "name": "AO Kaspersky Lab"}
    assert Path(kes["observation"]["source"]["path"]).parent == inventory

    explained = runner.invoke(app, ["explain", kes["id"][:9], "--db", str(db)], env=WIDE)
    assert explained.exit_code == 0, explained.output
    for step in (
        "[raw]",
        "[key]",
        "[signature]",
        "[product]",
        "[entity]",
        "[designation]",
        "[legal_basis]",
    ):
        assert step in explained.output
    assert "https://" in explained.output  # every step cites its source URL

    where = runner.invoke(app, ["where", "Kaspersky Lab", "--db", str(db)], env=WIDE)
    assert where.exit_code == 0, where.output
    assert "entity AO Kaspersky Lab (kaspersky.ao-kaspersky-lab)" in where.output

    # remove every Kaspersky program row and rescan: the KES finding is gone
    programs = inventory / "programs.json"
    kept = [row for row in json.loads(programs.read_text()) if "Kaspersky" not in json.dumps(row)]
    programs.write_text(json.dumps(kept))
    second = scan(db, inventory)
    diff = runner.invoke(app, ["diff", first, second, "--db", str(db)])
    assert diff.exit_code == 0, diff.output
    gone = diff.output.split("gone:")[1].split("changed:")[0]
    assert kes["id"] in gone
    gone_rows = json.loads(
        runner.invoke(app, ["findings", "--db", str(db), "-f", "json", "--all"]).output
    )
    assert next(r for r in gone_rows if r["id"] == kes["id"])["gone_in_scan"] == second


def test_csv_output_is_formula_safe(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    hostile = tmp_path / "hostile.csv"
    hostile.write_text('DisplayName,Publisher,Computer\nTool,=HYPERLINK("x") Kaspersky,PC1\n')
    result = runner.invoke(
        app,
        [
            "scan",
            str(hostile),
            "--db",
            str(db),
            "--format",
            "csv",
            "--map",
            "name=DisplayName,publisher=Publisher,host=Computer",
        ],
    )
    assert result.exit_code == 0, result.output
    csv_out = runner.invoke(app, ["findings", "--db", str(db), "-f", "csv"]).output
    assert "'=HYPERLINK" in csv_out
    assert "\n=HYPERLINK" not in csv_out
    assert ",=HYPERLINK" not in csv_out


def test_unknown_finding_id_is_a_clear_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["explain", "Fdeadbeef", "--db", str(tmp_path / "e.db")])
    assert result.exit_code == 3
    assert "no finding with id 'Fdeadbeef'" in result.output


def test_findings_csv_has_the_report_columns(tmp_path: Path) -> None:
    """`rootout findings -f csv` and `rootout report --format csv` share one column set."""
    db = tmp_path / "r.db"
    inventory = tmp_path / "programs.csv"
    inventory.write_text(
        "DisplayName,Publisher,Computer\nKaspersky Endpoint Security,AO Kaspersky Lab,PC1\n"
    )
    mapping = "name=DisplayName,publisher=Publisher,host=Computer"
    scanned = runner.invoke(
        app, ["scan", str(inventory), "--db", str(db), "--format", "csv", "--map", mapping]
    )
    assert scanned.exit_code == 0, scanned.output
    rows = list(
        csv.reader(
            io.StringIO(runner.invoke(app, ["findings", "--db", str(db), "-f", "csv"]).output)
        )
    )
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["entity_id"] == "kaspersky.ao-kaspersky-lab"
    assert record["asset"] == "PC1"
    assert record["status"] == "active"
