"""``--today`` is read the same way by every ``rootout suppliers`` command that takes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rootout.cli.main import app

runner = CliRunner()
COMMANDS = [
    ["list"],
    ["show", "SUP-005"],
    ["screen"],
    ["reminders", "--within", "30"],
    ["report", "--format", "json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_bad_date_is_refused_with_one_message_and_exit_2(command: list[str]) -> None:
    result = runner.invoke(app, ["suppliers", *command, "--today", "2026-02-30"])
    assert result.exit_code == 2
    assert result.stderr == "error: --today: not an ISO date (YYYY-MM-DD): '2026-02-30'\n"
    assert result.stdout == ""


def test_the_report_writes_nothing_for_a_bad_date(tmp_path: Path) -> None:
    target = tmp_path / "risk.json"
    args = ["suppliers", "report", "-f", "json", "-o", str(target), "--today", "28/11/2026"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "not an ISO date (YYYY-MM-DD): '28/11/2026'" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("command", COMMANDS[:4], ids=lambda c: c[0])
def test_a_bad_date_is_refused_before_the_store_is_opened(
    command: list[str], tmp_path: Path
) -> None:
    store = tmp_path / "store.db"
    args = ["suppliers", *command, "--db", f"sqlite:///{store}", "--today", "2026-13-01"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert not store.exists()  # no empty store left behind by a typo
