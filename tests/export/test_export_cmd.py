"""``rootout export``: each subcommand writes its files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app


def test_osquery_pack_sigma_and_fleet_commands_write_files(tmp_path: Path) -> None:
    runner = CliRunner()
    packs = runner.invoke(app, ["export", "osquery-pack", "-o", str(tmp_path / "packs")])
    assert packs.exit_code == 0, packs.output
    assert "osqueryd.results.log" in (tmp_path / "packs" / "README.md").read_text()
    assert json.loads((tmp_path / "packs" / "rootout-linux.json").read_text())["queries"]
    rules = runner.invoke(app, ["export", "sigma", "-o", str(tmp_path / "sigma")])
    assert rules.exit_code == 0, rules.output
    assert list((tmp_path / "sigma").glob("*.yml"))
    policies = runner.invoke(app, ["export", "fleet-policies", "-o", str(tmp_path / "p.yml")])
    assert policies.exit_code == 0, policies.output
    assert (tmp_path / "p.yml").read_text().startswith("policies:")
