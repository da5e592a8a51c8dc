"""``rootout report`` and ``rootout attest verify``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app
from tests.report import estate

runner = CliRunner()


def test_text_formats_go_to_stdout(store: estate.Store) -> None:
    result = runner.invoke(app, ["report", "--format", "sarif", "--db", store.db])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["version"] == "2.1.0"


def test_the_output_suffix_picks_the_variant(store: estate.Store, tmp_path: Path) -> None:
    for name, start in (("far.json", b"{"), ("far.md", b"# FAR 52.204-25"), ("far.pdf", b"%PDF")):
        out = tmp_path / name
        result = runner.invoke(
            app, ["report", "-f", "far-52.204-25", "-o", str(out), "--db", store.db]
        )
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(start)


def test_pdf_needs_a_file(store: estate.Store) -> None:
    result = runner.invoke(app, ["report", "-f", "pdf", "--db", store.db])
    assert result.exit_code == 2
    assert "give a file with -o" in result.output


def test_unknown_format_lists_the_known_ones(store: estate.Store) -> None:
    result = runner.invoke(app, ["report", "-f", "docx", "--db", store.db])
    assert result.exit_code == 2
    assert "far-52.204-23" in result.output
    assert "sarif" in result.output


def test_scope_options_narrow_the_report(store: estate.Store) -> None:
    by_asset = runner.invoke(app, ["report", "-f", "csv", "--asset", "ws-0417", "--db", store.db])
    assert {line.split(",")[0] for line in by_asset.stdout.splitlines()[1:]} == {
        "F4cd14d90dcbaa68",
        "Fe68410667611f27",
    }
    later = runner.invoke(app, ["report", "-f", "json", "--since", "2024-09-17", "--db", store.db])
    scans = json.loads(later.stdout)["scans"]
    assert [s["label"] for s in scans] == ["rescan"]
    case = runner.invoke(app, ["report", "-f", "json", "--case", "C6", "--db", store.db])
    assert [f["id"] for f in json.loads(case.stdout)["findings"]] == ["Fe68410667611f27"]


def test_attest_verify_exit_codes(fresh: estate.Store, tmp_path: Path) -> None:
    out = tmp_path / "attestation.md"
    made = runner.invoke(app, ["report", "-f", "attestation", "-o", str(out), "--db", fresh.db])
    assert made.exit_code == 0, made.output
    ok = runner.invoke(app, ["attest", "verify", str(out), "--db", fresh.db])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.startswith("valid: sha256 ")
    out.write_text(out.read_text().replace("NOT READ", "read"))
    bad = runner.invoke(app, ["attest", "verify", str(out), "--db", fresh.db])
    assert bad.exit_code == 1
    assert "the document text was edited" in bad.stdout


def test_attest_verify_refuses_a_file_that_is_not_one(tmp_path: Path) -> None:
    other = tmp_path / "notes.md"
    other.write_text("# notes\n")
    result = runner.invoke(app, ["attest", "verify", str(other), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "not a rootout attestation" in result.output
