"""`rootout rescan`: after a catalog update, stored observations are matched again.

The example estate is scanned with a bundle of the built-in packs without the
SmartPSS Lite product-name signature; then a bundle without the HiSuite one is
installed. Re-matching must report the SmartPSS findings as new and the HiSuite
finding as vanished, with reasons, without the inputs (they are deleted first).
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from rootout import scanning
from rootout.cases.grouping import open_cases
from rootout.cases.records import case_rows
from rootout.catalog import bundle
from rootout.catalog.cache import load_compiled
from rootout.cli.main import app
from rootout.config import load_settings
from rootout.engine import EngineName, scan_bulk
from rootout.rescan import RescanResult, rescan
from rootout.store import queries
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store.db import connect
from tests.catalog.test_installed_bundle import HISUITE, SMARTPSS, install, packs_without
from tests.conftest import REPO

ESTATE = REPO / "examples" / "estate" / "inputs"


@dataclass(frozen=True)
class Stored:
    db: str
    scan_id: str
    keys: tuple[Path, Path]
    folder: Path


def scan_and_update(db: str, folder: Path, inputs: list[Path]) -> Stored:
    """``inputs`` scanned with catalog 2026.1 (no SmartPSS name signature), then deleted,
    and catalog 2026.2 (no HiSuite name signature) installed."""
    keys = bundle.generate_keys(folder / "keys")
    install(packs_without(folder / "v1", SMARTPSS), keys, "2026.1")
    copies = folder / "inputs"
    for path in inputs:
        target = copies / path.relative_to(ESTATE)
        if path.is_dir():
            shutil.copytree(path, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    outcome = scanning.scan([copies], db=db)
    shutil.rmtree(copies)
    install(packs_without(folder / "v2", HISUITE), keys, "2026.2")
    return Stored(db, outcome.scan_id, keys, folder)


@pytest.fixture
def estate(db_url: str, tmp_path: Path) -> Stored:
    """The whole example estate, stored."""
    return scan_and_update(db_url, tmp_path, [ESTATE])


@pytest.fixture
def stored(db_url: str, tmp_path: Path) -> Stored:
    """The two inventories of the estate that hold HiSuite and SmartPSS Lite (faster)."""
    inputs = [ESTATE / "osquery" / "EA-WS-0116", ESTATE / "intune" / "AppInvRawData.csv"]
    return scan_and_update(db_url, tmp_path, inputs)


def run(db: str, *, tenant: str = "default", **options: bool) -> RescanResult:
    catalog, index = load_compiled()
    engine = connect(db)
    try:
        return rescan(engine, catalog, index, load_settings(), tenant=tenant, **options)
    finally:
        engine.dispose()


def counts(db: str) -> tuple[int, int, int, int]:
    """Scans, findings, sightings and events stored: equal counts mean nothing was written."""
    engine = connect(db)
    with engine.connect() as conn:
        result = tuple(
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (t.scans, t.findings, t.sightings, t.events)
        )
    engine.dispose()
    return result  # type: ignore[return-value]


def findings_by_id(db: str, tenant: str = "default") -> dict[str, dict[str, object]]:
    engine = connect(db)
    rows = repo.finding_rows(engine, tenant=tenant, statuses=("active", "gone"))
    engine.dispose()
    return {str(r["id"]): r for r in rows}


def test_new_and_vanished_findings_with_reasons_and_a_dry_run_stores_nothing(
    estate: Stored,
) -> None:
    stored = estate
    before = counts(stored.db)
    result = run(stored.db, dry_run=True)
    assert counts(stored.db) == before
    (item,) = result.rematched
    assert item.scan_id == stored.scan_id
    assert item.stored_scan is None
    assert item.observations > 1000
    smartpss = [c for c in result.new if c.signature == SMARTPSS]
    assert len(smartpss) == 2
    assert all(c.entity == "dahua.zhejiang-dahua" for c in smartpss)
    assert all(f"now matches signature {SMARTPSS}" in c.why for c in smartpss)
    (hisuite,) = [c for c in result.vanished if c.signature == HISUITE]
    assert hisuite.entity == "huawei.huawei-technologies"
    assert hisuite.matched == "name=HiSuite"
    assert hisuite.why == f"signature {HISUITE} is no longer in the catalog"
    assert result.catalog_base.startswith("bundle 2026.2")


def test_the_rescan_is_stored_as_a_scan_that_bookkeeping_and_diff_see(stored: Stored) -> None:
    result = run(stored.db)
    (item,) = result.rematched
    assert item.stored_scan is not None
    assert item.stored_scan != stored.scan_id
    engine = connect(stored.db)
    scan = next(r for r in repo.scan_rows(engine) if r["id"] == item.stored_scan)
    assert scan["engine"] == "rescan"
    assert item.catalog_before in scan["label"]
    assert result.catalog_version in scan["label"]
    diff = queries.diff_scans(engine, stored.scan_id, item.stored_scan)
    engine.dispose()
    assert set(diff.new) == {c.finding_id for c in result.new}
    assert set(diff.gone) == {c.finding_id for c in result.vanished}
    findings = findings_by_id(stored.db)
    for change in result.vanished:
        assert findings[change.finding_id]["status"] == "gone"
        assert findings[change.finding_id]["gone_in_scan"] == item.stored_scan
    for change in result.new:
        assert findings[change.finding_id]["status"] == "active"


def test_a_vanished_finding_does_not_verify_its_case(stored: Stored) -> None:
    engine = connect(stored.db)
    opened = open_cases(engine, load_compiled()[0])
    assert opened.created
    result = run(stored.db)
    (hisuite,) = [c for c in result.vanished if c.signature == HISUITE]
    with engine.connect() as conn:
        statuses = {case["id"]: case["status"] for case in case_rows(conn, "default", None)}
    engine.dispose()
    assert findings_by_id(stored.db)[hisuite.finding_id]["status"] == "gone"
    assert set(statuses.values()) == {"open"}  # a catalog change proves no removal


def test_running_it_again_changes_nothing(stored: Stored) -> None:
    run(stored.db)
    after_first = counts(stored.db)
    again = run(stored.db)
    assert (again.rematched, again.up_to_date) == ((), 1)
    everything = run(stored.db, everything=True)
    (item,) = everything.rematched
    assert (item.new, item.vanished, item.stored_scan) == ((), (), None)
    assert counts(stored.db) == after_first


def test_rolling_the_catalog_back_brings_the_vanished_finding_back(stored: Stored) -> None:
    first = run(stored.db)
    (hisuite,) = [c for c in first.vanished if c.signature == HISUITE]
    bundle.rollback()
    back = run(stored.db)
    assert hisuite.finding_id in {c.finding_id for c in back.new}
    assert {c.signature for c in back.vanished} >= {SMARTPSS}
    assert findings_by_id(stored.db)[hisuite.finding_id]["status"] == "active"


def inventory(path: Path) -> Path:
    """A two-host software inventory CSV with HiSuite on one host."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["host", "name", "publisher", "version"])
        writer.writerow(["WS-1", "HiSuite", "Huawei Technologies Co., Ltd.", "11.0.0.610"])
        writer.writerow(["WS-2", "7-Zip", "Igor Pavlov", "24.09"])
    return path


def test_tenants_are_rescanned_apart(stored: Stored, tmp_path: Path) -> None:
    columns = {name: name for name in ("host", "name", "publisher", "version")}
    other = inventory(tmp_path / "other.csv")
    scanning.scan([other], db=stored.db, tenant="globex", input_format="csv", column_map=columns)
    globex_before = findings_by_id(stored.db, "globex")
    assert globex_before
    result = run(stored.db, tenant="default")
    assert [r.scan_id for r in result.rematched] == [stored.scan_id]
    assert findings_by_id(stored.db, "globex") == globex_before
    globex = run(stored.db, tenant="globex", everything=True)
    (item,) = globex.rematched  # globex's own scan, matched with 2026.2 already
    assert item.scan_id != stored.scan_id
    assert (item.new, item.vanished, item.stored_scan) == ((), (), None)


def test_scans_without_stored_observations_are_listed_not_guessed(
    db_url: str, tmp_path: Path
) -> None:
    bulk = scan_bulk([inventory(tmp_path / "hosts.csv")], engine=EngineName.DUCKDB, db=db_url)
    assert bulk.findings
    keys = bundle.generate_keys(tmp_path / "keys")
    install(packs_without(tmp_path / "v2", HISUITE), keys, "2026.2")
    result = run(db_url)
    assert result.rematched == ()
    (skipped,) = result.cannot_rematch
    assert skipped.scan_id == bulk.scan_id
    assert "re-scan the inputs" in skipped.reason
    cli = CliRunner().invoke(app, ["rescan", "--catalog-changed", "--db", db_url])
    assert cli.exit_code == 2
    assert f"scan {bulk.scan_id} (duckdb" in cli.output
    assert "cannot re-match" in cli.output


def test_the_cli_reports_json_and_exit_codes_like_scan(stored: Stored) -> None:
    runner = CliRunner()
    dry = runner.invoke(app, ["rescan", "--dry-run", "--format", "json", "--db", stored.db])
    assert dry.exit_code == 0, dry.output
    body = json.loads(dry.output)
    assert body["dry_run"] is True
    assert body["catalog"]["base"].startswith("bundle 2026.2")
    (item,) = body["rematched"]
    assert HISUITE in {c["signature"] for c in item["vanished"]}
    assert all(c["why"] for c in item["new"] + item["vanished"])
    failing = runner.invoke(
        app, ["rescan", "--catalog-changed", "--fail-on", "high", "--db", stored.db]
    )
    assert failing.exit_code == 1, failing.output  # the new SmartPSS findings are high
    assert "+ new " in failing.output
    assert "why: " in failing.output
    quiet = runner.invoke(
        app, ["rescan", "--catalog-changed", "--fail-on", "high", "--db", stored.db]
    )
    assert quiet.exit_code == 0  # already re-matched: nothing new
    assert "1 already on this catalog" in quiet.output
    both = runner.invoke(app, ["rescan", "--catalog-changed", "--all", "--db", stored.db])
    assert both.exit_code == 2
    assert "not both" in both.output
