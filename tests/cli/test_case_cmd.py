"""``rootout case ...``: thin commands over rootout.cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rootout.cli.main import app
from tests.conftest import FIXTURES

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    host = tmp_path / "inputs" / "ws-0042"
    host.mkdir(parents=True)
    shutil.copy(FIXTURES / "inputs" / "osquery" / "programs.json", host)
    config = tmp_path / "rootout.toml"
    config.write_text("")
    values = {
        "ROOTOUT_DB": str(tmp_path / "c.db"),
        "ROOTOUT_CONFIG": str(config),
        "ROOTOUT_ACTOR": "alice",
        "COLUMNS": "200",
    }
    scanned = runner.invoke(app, ["scan", str(host)], env=values)
    assert scanned.exit_code == 0, scanned.output
    return values


def case(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["case", *args], env=env)
    return result.exit_code, result.output


def test_open_show_status_and_log(env: dict[str, str]) -> None:
    assert case(env, "open", "--auto") == (
        0,
        "2 finding(s): 2 case(s) opened (C1, C2), 0 extended, 0 reopened\n",
    )
    assert case(env, "open", "--auto")[1].startswith("0 finding(s): 0 case(s) opened")

    code, shown = case(env, "show", "c1")
    assert code == 0, shown
    assert "case C1: Kaspersky Endpoint Security — unassigned" in shown
    assert "obl.far-52.204-23.initial-report-2023 [report far_52_204_23_initial]" in shown
    assert "day 1 is the first business day after identification" in shown
    assert (
        "protected-uninstall parameters: KLLOGIN=<administrator login>, KLPASSWD=<password>"
        in shown
    )
    assert "check afterwards: registry key HKLM\\SOFTWARE\\KasperskyLab" in shown
    assert "replacement needed: endpoint protection" in shown

    assert case(env, "status", "1", "removing", "--why", "push uninstall", "--owner", "bob")[0] == 0
    code, refused = case(env, "status", "C1", "open", "--why", "undo")
    assert code == 2
    assert (
        "cannot move from removing to open; allowed: false_positive, planned, removed, waived"
        in refused
    )
    code, refused = case(env, "status", "C1", "verified", "--why", "done")
    assert (code, "rescan" in refused) == (2, True)

    code, log = case(env, "log", "C1")
    lines = log.splitlines()
    assert "alice  case.opened" in lines[0]
    assert "alice  case.removing  — push uninstall  (from=open, to=removing, owner=bob)" in lines[1]


def test_list_as_json_waive_and_done(env: dict[str, str]) -> None:
    case(env, "open", "--auto")
    code, out = case(
        env,
        "waive",
        "C2",
        "--justification",
        "vendor contract",
        "--approver",
        "CISO",
        "--expires",
        "2999-12-31",
    )
    assert (code, out) == (0, "case C2 waived until 2999-12-31: 1 finding exception(s)\n")
    code, out = case(
        env,
        "done",
        "C1",
        "obl.far-52.204-23.initial-report-2023",
        "--on",
        "2030-01-02",
        "--why",
        "filed on DIBNet",
    )
    assert code == 0, out
    code, listed = case(env, "list", "--format", "json")
    assert code == 0, listed
    data = {c["id"]: c for c in json.loads(listed)}
    assert data["C2"]["status"] == "waived"
    assert data["C2"]["waiver"]["approver"] == "CISO"
    initial = next(
        d for d in data["C1"]["deadlines"] if d["obligation_id"].endswith("initial-report-2023")
    )
    assert initial["done_on"] == "2030-01-02"
    assert data["C1"]["removal"]["uninstall_parameters"] == [
        "KLLOGIN=<administrator login>",
        "KLPASSWD=<password>",
    ]


def test_mistakes_exit_with_a_message(env: dict[str, str]) -> None:
    assert case(env, "open")[0] == 2
    code, out = case(env, "show", "C9")
    assert (code, "no case C9" in out) == (3, True)
    case(env, "open", "--auto")
    code, out = case(env, "done", "C1", "obl.x")
    assert (code, "case C1 has no deadline 'obl.x'" in out) == (2, True)
