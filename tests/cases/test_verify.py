"""Verification by rescan, end to end through rootout.scanning.scan on osquery files."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import sqlalchemy as sa

from rootout import cases
from rootout.cases.model import CaseStatus, CaseView
from rootout.cases.policy import Policy
from rootout.cases.verify import assess
from rootout.catalog import Catalog
from rootout.scanning import ScanOutcome, scan
from tests.conftest import FIXTURES

OSQUERY = FIXTURES / "inputs" / "osquery"
TODAY = dt.date(2025, 3, 3)
HOST = "ws-0042"


def host_files(root: Path, *, kaspersky_programs: bool, drivers: str = "none") -> Path:
    """A folder named after the host with copies of the fixture files, trimmed as asked.

    ``drivers``: "none" (no drivers.json), "all" (klif.sys stays) or "clean" (klif.sys gone).
    """
    folder = root / HOST
    folder.mkdir(parents=True)
    programs = json.loads((OSQUERY / "programs.json").read_text())
    if not kaspersky_programs:
        programs = [p for p in programs if p["publisher"] != "AO Kaspersky Lab"]
        assert len(programs) == 3
    (folder / "programs.json").write_text(json.dumps(programs))
    if drivers == "all":
        shutil.copy(OSQUERY / "drivers.json", folder / "drivers.json")
    elif drivers == "clean":
        rows = json.loads((OSQUERY / "drivers.json").read_text())
        kept = [r for r in rows if not r["image"].lower().endswith("klif.sys")]
        assert len(kept) == len(rows) - 1
        (folder / "drivers.json").write_text(json.dumps(kept))
    return folder


def run(db_url: str, folder: Path) -> ScanOutcome:
    return scan([folder], db=db_url, today=TODAY)


def kes_case(engine: sa.Engine, catalog: Catalog) -> CaseView:
    (view,) = [
        v
        for v in cases.list_cases(engine, catalog, policy=Policy())
        if v.product == "kaspersky.kes"
    ]
    return view


def test_a_clean_rescan_verifies_the_case_naming_the_scan(
    db_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    first = run(db_url, host_files(tmp_path / "before", kaspersky_programs=True))
    assert cases.open_cases(engine, first.catalog).created == ("C1", "C2")  # KES, Network Agent
    before = kes_case(engine, first.catalog)
    assert (before.status, before.asset_names) == (CaseStatus.OPEN, (HOST,))

    second = run(db_url, host_files(tmp_path / "after", kaspersky_programs=False))
    assert len(second.saved.gone) == 2
    after = kes_case(engine, first.catalog)
    assert after.status is CaseStatus.VERIFIED
    assert (after.removed_scan, after.verified_scan) == (second.scan_id, second.scan_id)
    assert after.residual_reason is None
    log = cases.case_log(engine, after.id)
    assert [e["action"] for e in log] == ["case.opened", "case.removed", "case.verified"]
    assert log[-1]["detail"]["scan"] == second.scan_id
    assert log[-1]["actor"] == "rootout"
    assert {v.status for v in cases.list_cases(engine, first.catalog, policy=Policy())} == {
        CaseStatus.VERIFIED
    }


def test_a_driver_left_behind_keeps_the_case_removed_not_verified(
    db_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    first = run(db_url, host_files(tmp_path / "before", kaspersky_programs=True, drivers="all"))
    cases.open_cases(engine, first.catalog)
    second = run(db_url, host_files(tmp_path / "after", kaspersky_programs=False, drivers="all"))
    removed = kes_case(engine, first.catalog)
    assert removed.status is CaseStatus.REMOVED
    assert removed.removed_scan == second.scan_id
    assert removed.verified_scan is None
    assert removed.residual_reason is not None
    assert removed.residual_reason.startswith("residual artifacts remain: driver klif.sys (F")

    third = run(db_url, host_files(tmp_path / "clean", kaspersky_programs=False, drivers="clean"))
    verified = kes_case(engine, first.catalog)
    assert verified.status is CaseStatus.VERIFIED
    assert (verified.removed_scan, verified.verified_scan) == (second.scan_id, third.scan_id)
    assert verified.residual_reason is None


def test_a_finding_that_comes_back_reopens_the_case(
    db_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    first = run(db_url, host_files(tmp_path / "before", kaspersky_programs=True))
    cases.open_cases(engine, first.catalog)
    run(db_url, host_files(tmp_path / "after", kaspersky_programs=False))
    assert kes_case(engine, first.catalog).status is CaseStatus.VERIFIED
    back = run(db_url, host_files(tmp_path / "again", kaspersky_programs=True))
    reopened = kes_case(engine, first.catalog)
    assert reopened.status is CaseStatus.OPEN
    assert reopened.verified_scan is None
    event = cases.case_log(engine, reopened.id)[-1]
    assert event["action"] == "case.reopened"
    assert event["detail"]["scan"] == back.scan_id
    assert event["detail"]["findings"] == list(reopened.finding_ids)


def test_a_scan_of_other_assets_changes_nothing(
    db_url: str, engine: sa.Engine, tmp_path: Path
) -> None:
    first = run(db_url, host_files(tmp_path / "before", kaspersky_programs=True))
    cases.open_cases(engine, first.catalog)
    other = tmp_path / "other" / "ws-0099"
    other.mkdir(parents=True)
    shutil.copy(OSQUERY / "drivers.json", other / "drivers.json")
    run(db_url, other)
    assert kes_case(engine, first.catalog).status is CaseStatus.OPEN


def test_assess_ignores_leftovers_of_another_product() -> None:
    case = {"status": "open", "entity": "e", "product": "p1", "residual_reason": None}
    gone = {
        "id": "F1",
        "status": "gone",
        "basis": "direct",
        "evidence": "product",
        "asset_key": "host:name:a",
        "observation": {"kind": "program", "fields": {"name": "P1"}},
    }
    other_service = {
        "id": "F2",
        "status": "active",
        "basis": "direct",
        "evidence": "artifact",
        "entity": "e",
        "product": "p2",
        "asset_key": "host:name:a",
        "matched_value": "svc",
        "observation": {"kind": "service", "fields": {"name": "svc"}},
    }
    decision = assess(case, [gone], [other_service], "S1")
    assert decision is not None
    assert decision.status is CaseStatus.VERIFIED
    own_leftover = {**other_service, "product": None}
    decision = assess(case, [gone], [own_leftover], "S1")
    assert decision is not None
    assert decision.status is CaseStatus.REMOVED
    assert decision.reason == "residual artifacts remain: service svc (F2)"
