"""``rootout catalog diff``: what a catalog update adds, removes and changes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rootout.catalog import bundle
from rootout.catalog.diff import diff_json, diff_lines, diff_paths
from rootout.cli.main import app
from tests.conftest import FIXTURES, REPO

OLD = FIXTURES / "catalog" / "diff" / "old"
NEW = FIXTURES / "catalog" / "diff" / "new"
OUI = FIXTURES / "oui" / "ieee-oui.txt"


def test_diff_lists_added_removed_and_changed_objects() -> None:
    diff = diff_paths(OLD, NEW)
    assert diff.added == (
        ("sources", "src.topix-norsat-vote"),
        ("entities", "hytera.norsat"),
        ("relations", "rel.hytera.norsat.subsidiary-of"),
    )
    assert diff.removed == (("sources", "src.acdtelecom-hytera-sepura"),)
    changed = {(c.kind, c.id): c.fields for c in diff.changed}
    assert set(changed) == {
        ("entities", "hytera.hytera-communications"),
        ("designations", "des.ndaa-fy2019-889.hytera"),
    }
    (aliases,) = changed[("entities", "hytera.hytera-communications")]
    assert aliases.field == "aliases"
    assert aliases.old == ["Hytera Communications Co .,ltd"]
    assert aliases.new == ["Hytera Communications Co .,ltd", "Hytera Communications Corporation"]
    (scope,) = changed[("designations", "des.ndaa-fy2019-889.hytera")]
    assert scope.field == "scope"
    assert "video_surveillance_equipment" in scope.new


def test_identical_catalogs_have_no_changes() -> None:
    diff = diff_paths(NEW, NEW)
    assert diff.empty
    assert list(diff_lines(diff)) == ["no changes"]


def test_report_and_json_carry_the_same_changes() -> None:
    diff = diff_paths(OLD, NEW)
    lines = list(diff_lines(diff))
    assert "+ entities hytera.norsat" in lines
    assert "- sources src.acdtelecom-hytera-sepura" in lines
    assert "~ designations des.ndaa-fy2019-889.hytera" in lines
    assert lines[-1] == "3 added, 1 removed, 2 changed"
    body = json.loads(diff_json(diff))
    assert {"kind": "entities", "id": "hytera.norsat"} in body["added"]
    assert body["changed"][0]["fields"][0]["field"] == "aliases"


def test_bundles_diff_like_their_pack_folders(tmp_path: Path) -> None:
    private, _ = bundle.generate_keys(tmp_path / "keys")
    old_zip, new_zip = tmp_path / "old.zip", tmp_path / "new.zip"
    bundle.make_bundle(old_zip, private, packs=OLD, oui=OUI)
    bundle.make_bundle(new_zip, private, packs=NEW, oui=OUI)
    assert diff_paths(old_zip, new_zip) == diff_paths(OLD, NEW)
    assert diff_paths(old_zip, NEW) == diff_paths(OLD, NEW)


def test_cli_diff_json() -> None:
    result = CliRunner().invoke(app, ["catalog", "diff", str(OLD), str(NEW), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["removed"] == [{"kind": "sources", "id": "src.acdtelecom-hytera-sepura"}]


def test_the_documented_diff_example_is_real_output() -> None:
    text = (REPO / "docs" / "catalog-updates.md").read_text(encoding="utf-8")
    command = (
        "$ rootout catalog diff tests/fixtures/catalog/diff/old tests/fixtures/catalog/diff/new"
    )
    shown = text.split(command + "\n", 1)[1].split("\n```", 1)[0]
    assert shown.splitlines() == list(diff_lines(diff_paths(OLD, NEW)))
