"""``rootout suppliers ...``: import, lists import, list, show, screen, reminders."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app

FIXTURES = Path(__file__).parent / "fixtures"
REGISTER = FIXTURES / "register"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["suppliers", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def _import_all() -> None:
    for name in ("suppliers", "representations", "access", "deliveries"):
        assert run("import", str(REGISTER / f"{name}.csv"))[0] == 0
    for name in ("csl", "sam-exclusions"):
        assert run("lists", "import", str(FIXTURES / "lists" / f"{name}.csv"))[0] == 0


def test_import_reports_bad_rows_with_line_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "vendors.csv"
    path.write_text(
        "supplier_id,name,uei,cage,duns,country,parent_name,parent_uei,provides\n"
        "S1,Good One Inc,,,,US,,,\n"
        "S2,Bad Cage,,ABC,,US,,,\n"
    )
    code, out, err = run("import", str(path))
    assert code == 2
    assert out == "suppliers: 2 rows, 1 added, 0 changed, 0 unchanged, 1 skipped\n"
    assert f"{path}:3: malformed CAGE code 'ABC'" in err
    code, out, _ = run("import", str(path))
    assert out == "suppliers: 2 rows, 0 added, 0 changed, 1 unchanged, 1 skipped\n"


def test_import_with_a_column_map_and_a_forced_kind(tmp_path: Path) -> None:
    path = tmp_path / "sam-entities.csv"
    path.write_text(
        "Unique Entity ID,CAGE Code,Legal Business Name,Physical Address Country Code\n"
        "G4RT7KQ2MN5A,1AB23,Example Federal Services LLC,USA\n"
    )
    args = ["--map", "Unique Entity ID=uei", "--map", "Legal Business Name=name"]
    code, out, _ = run("import", str(path), "--kind", "suppliers", *args)
    assert (code, out) == (0, "suppliers: 1 rows, 1 added, 0 changed, 0 unchanged, 0 skipped\n")
    code, out, _ = run("show", "uei-G4RT7KQ2MN5A", "--format", "json")
    shown = json.loads(out)
    assert (shown["name"], shown["uei"], shown["cage"]) == (
        "Example Federal Services LLC",
        "G4RT7KQ2MN5A",
        None,  # "CAGE Code" was not mapped: the column is ignored
    )


def test_screen_lists_findings_and_exits_1_on_high_ones() -> None:
    _import_all()
    code, out, _ = run("screen", "--today", "2026-11-28", "--format", "json")
    assert code == 1
    findings = json.loads(out)
    assert [f["kind"] for f in findings[:2]] == ["representation_contradicted"] * 2
    assert {(f["supplier_id"], f["kind"]) for f in findings} >= {
        ("SUP-004", "representation_missing"),
        ("SUP-009", "screening_list"),
    }
    code, out, _ = run("screen", "--today", "2026-11-28")
    assert "10 findings; stored as S" in out
    assert "(unchanged)" in out
    shown = runner.invoke(app, ["findings", "--basis", "supplier", "--format", "json"])
    assert len(json.loads(shown.stdout)) == 10


def test_list_and_show() -> None:
    _import_all()
    run("screen", "--today", "2026-11-28")
    code, out, _ = run("list", "--format", "json", "--today", "2026-11-28")
    rows = {r["id"]: r for r in json.loads(out)}
    assert code == 0
    assert (rows["SUP-001"]["active_access"], rows["SUP-001"]["findings"]) == (1, 2)
    assert (rows["SUP-003"]["representations"], rows["SUP-003"]["findings"]) == (2, 0)
    code, out, _ = run("show", "SUP-005", "--today", "2026-11-28")
    assert "SUP-005: Wingtip Couriers (UEI W5PL2HX8TB4E)" in out
    assert "by Kim Lee: does not provide, does not use (expires 2026-01-10) LAPSED" in out
    assert "[medium] representation_lapsed" in out
    code, _, err = run("show", "SUP-404")
    assert code == 3
    assert "no supplier 'SUP-404'" in err


def test_reminders_within_days() -> None:
    _import_all()
    code, out, _ = run("reminders", "--within", "30", "--today", "2026-11-28", "--format", "json")
    assert code == 0
    assert [(r["supplier_id"], r["days_left"], r["lapsed"]) for r in json.loads(out)] == [
        ("SUP-005", -322, True),
        ("SUP-008", 17, False),
    ]
    _, out, _ = run("reminders", "--within", "10", "--today", "2026-11-28", "--format", "json")
    assert [r["supplier_id"] for r in json.loads(out)] == ["SUP-005"]


def test_lists_import_refuses_an_unknown_file(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    code, _, err = run("lists", "import", str(path))
    assert code == 2
    assert "not a Consolidated Screening List CSV" in err


def test_docs_name_every_command_and_finding_kind() -> None:
    from rootout.cli.suppliers_cmd import app as suppliers_app
    from rootout.suppliers.model import SupplierFindingKind

    docs = (Path(__file__).parents[2] / "docs" / "suppliers.md").read_text()
    commands = ["import", "list", "reminders", "screen", "show"]  # "report": S2's section
    assert set(commands) <= {c.name for c in suppliers_app.registered_commands}
    for name in commands:
        assert f"rootout suppliers {name}" in docs, name
    assert "rootout suppliers lists import" in docs
    for kind in SupplierFindingKind:
        assert f"`{kind.value}`" in docs, kind
