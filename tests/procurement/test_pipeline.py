"""``contracts scan`` end to end: both engines give the same findings; ZIP parts, API and FPDS read."""

from __future__ import annotations

import gzip
import shutil
import zipfile
from pathlib import Path

import pytest

from rootout import scanning
from rootout.procurement.analysis import Summary
from rootout.procurement.pipeline import ContractsOutcome, Engine, scan_contracts, wants_bulk
from tests.conftest import FIXTURES, REPO

TRANSACTIONS = REPO / "examples" / "contracts" / "data" / "transactions"
PARTS = sorted(TRANSACTIONS.glob("*.csv"))


def findings(outcome: ContractsOutcome | scanning.ScanOutcome) -> list[tuple[str, str]]:
    stored = outcome.stored if isinstance(outcome, ContractsOutcome) else outcome
    return sorted((f.id, f.basis.value) for f in stored.findings)


def actions(summary: Summary) -> list[tuple[object, ...]]:
    return sorted(
        (
            a.key,
            a.row,
            a.channel,
            a.amount,
            a.in_force,
            tuple((i.entity, i.via, i.removal, i.finding_id, i.legal) for i in a.involvements),
        )
        for a in summary.actions
    )


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> ContractsOutcome:
    db = tmp_path_factory.mktemp("plain") / "rootout.db"
    return scan_contracts([TRANSACTIONS], engine=Engine.PYTHON, db=str(db))


def test_the_duckdb_path_finds_what_the_plain_readers_find(
    plain: ContractsOutcome, tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    fast = scan_contracts(
        [TRANSACTIONS],
        engine=Engine.DUCKDB,
        db=str(tmp_path / "r.db"),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert {r.record.format for r in fast.bulk} == {"usaspending-transactions"}
    assert len(fast.bulk) == 2
    assert findings(fast) == findings(plain)
    assert actions(fast.summary) == actions(plain.summary)
    assert len(fast.summary.duplicates) == len(plain.summary.duplicates) == 3
    assert fast.read.coverage.bad_records == plain.read.coverage.bad_records == 5
    assert seen
    assert seen[-1][0] == seen[-1][1]
    rows = sum(r.rows for r in fast.bulk)
    candidates = sum(r.candidates for r in fast.bulk)
    assert candidates < rows / 10  # only candidate rows became observations


def test_findings_are_the_ones_rootout_scan_stores(plain: ContractsOutcome, tmp_path: Path) -> None:
    outcome = scanning.scan([TRANSACTIONS], db=str(tmp_path / "scan.db"))
    assert findings(outcome) == findings(plain)
    assert {f.basis.value for f in outcome.findings} == {"procurement", "procurement_removal"}
    assert not outcome.read.coverage.complete  # the messy rows are reported, not hidden


def test_the_parts_of_a_download_zip_read_like_the_files(
    plain: ContractsOutcome, tmp_path: Path
) -> None:
    archive = tmp_path / "PrimeTransactionsAndSubawards_2026-11-28_H10M00S00000000.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for part in PARTS:
            zipped.write(part, part.name)
    outcome = scan_contracts([archive], engine=Engine.AUTO, db=str(tmp_path / "z.db"))
    assert outcome.bulk == ()
    assert findings(outcome) == findings(plain)
    assert [d.key for d in outcome.summary.duplicates] == [d.key for d in plain.summary.duplicates]
    members = [r.path for r in outcome.read.inputs if not r.archive]
    assert members == [f"{archive}!{part.name}" for part in PARTS]


def test_a_gzipped_csv_takes_the_duckdb_path(plain: ContractsOutcome, tmp_path: Path) -> None:
    folder = tmp_path / "gz"
    folder.mkdir()
    for part in PARTS:
        with part.open("rb") as source, gzip.open(folder / f"{part.name}.gz", "wb") as target:
            shutil.copyfileobj(source, target)
    outcome = scan_contracts([folder], engine=Engine.DUCKDB, db=str(tmp_path / "g.db"))
    assert len(outcome.bulk) == 2
    assert findings(outcome) == findings(plain)


def test_auto_picks_duckdb_for_large_usaspending_csv_only() -> None:
    part = PARTS[0]
    assert not wants_bulk(part, Engine.AUTO, bulk_from=64 * 1024 * 1024)
    assert wants_bulk(part, Engine.AUTO, bulk_from=1024)
    assert not wants_bulk(part, Engine.PYTHON, bulk_from=0)
    api = FIXTURES / "inputs" / "usaspending" / "spending_by_award.json"
    assert not wants_bulk(api, Engine.DUCKDB, bulk_from=0)


def test_api_pages_and_fpds_feeds_are_totalled_too(tmp_path: Path) -> None:
    inputs = [
        FIXTURES / "inputs" / "usaspending" / "spending_by_award.json",
        FIXTURES / "inputs" / "fpds",
    ]
    outcome = scan_contracts(inputs, db=str(tmp_path / "a.db"))
    got = sorted(
        (a.record, a.get("recipient"), a.channel, bool(a.in_force)) for a in outcome.summary.actions
    )
    assert got == [
        ("api", "CONTOSO FEDERAL SOLUTIONS LLC", "reseller", False),
        ("api", "HIKVISION USA INC", "direct", True),
        ("fpds", "CONTOSO FEDERAL SOLUTIONS LLC", "reseller", False),
        ("fpds", "HIKVISION USA INC", "direct", True),
    ]
