"""``rootout suppliers report`` over a store the example register was imported into."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app
from tests.suppliers.eval import EXAMPLE, load_example, screen_example

runner = CliRunner()
REGISTER = ("suppliers", "representations", "access", "deliveries")


def _import_example(db: str) -> None:
    for name in REGISTER:
        path = EXAMPLE / f"{name}.csv"
        result = runner.invoke(app, ["suppliers", "import", str(path), "--db", db])
        assert result.exit_code == 0, result.output
    for path in sorted((EXAMPLE / "lists").glob("*.csv")):
        result = runner.invoke(app, ["suppliers", "lists", "import", str(path), "--db", db])
        assert result.exit_code == 0, result.output


def test_report_from_the_store_matches_screening_the_files(db_url: str, tmp_path: Path) -> None:
    _import_example(db_url)
    out = tmp_path / "risk.json"
    args = ["suppliers", "report", "-f", "json", "-o", str(out), "--today", "2026-11-28"]
    result = runner.invoke(app, [*args, "--db", db_url])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["screened_on"] == "2026-11-28"
    assert document["summary"]["suppliers_screened"] == 300

    example = load_example()
    direct = {(f.supplier_id, f.kind.value) for f in screen_example(example)}
    stored = {(s["id"], f["kind"]) for s in document["suppliers"] for f in s["findings"]}
    assert stored == direct


def test_report_html_to_stdout_and_an_unknown_format_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    _import_example(db)
    args = ["suppliers", "report", "--format", "html", "--today", "2026-11-28", "--db", db]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("<!DOCTYPE html>")
    assert "Quorvane Managed IT LLC" in result.output
    refused = runner.invoke(app, ["suppliers", "report", "--format", "pdf", "--db", db])
    assert refused.exit_code == 2
