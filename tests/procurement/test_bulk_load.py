"""The one-pass load of the DuckDB path: whole records only for candidates, and none lost."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rootout.catalog.cache import load_compiled
from rootout.catalog.model import SignatureKind
from rootout.match.engine import Matcher
from rootout.model.observation import Observation
from rootout.procurement.bulk import scan_file
from rootout.procurement.pipeline import Engine, scan_contracts
from tests.conftest import REPO

CORPUS = REPO / "examples" / "contracts" / "data" / "transactions"
PART = CORPUS / "Contracts_PrimeTransactions_2026-11-28_H10M00S00_1.csv"
NEAR_MISS = "KASPERSKYY LAB"
"""Verified by the fuzzy organisation-name stage only: no word of the name filter in it."""


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    catalog, index = load_compiled()
    return Matcher(catalog, index=index)


def _with_recipient(path: Path, row: int, name: str) -> dict[str, str]:
    """Copy the corpus part to ``path`` with data row ``row``'s recipient set to ``name``."""
    with PART.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    records[row - 1]["recipient_name"] = name
    records[row - 1]["transaction_description"] = "OFFICE CHAIRS"
    records[row - 1]["prime_award_base_transaction_description"] = "OFFICE CHAIRS"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return records[row - 1]


def test_a_name_only_the_fuzzy_stage_verifies_is_read_again_whole(
    matcher: Matcher, tmp_path: Path
) -> None:
    assert matcher.verified(SignatureKind.PUBLISHER, NEAR_MISS)
    folder = tmp_path / "in"
    folder.mkdir()
    changed = _with_recipient(folder / "part.csv", 700, NEAR_MISS)
    seen: list[Observation] = []
    result = scan_file(folder / "part.csv", seen.append, matcher)
    assert result.refetched == 1
    [observation] = [o for o in seen if o.fields.get("supplier") == NEAR_MISS]
    assert observation.source.pointer == "row 700"
    assert observation.fields["agency"] == changed["awarding_agency_name"]
    assert observation.fields["award_key"] == changed["contract_award_unique_key"]
    assert matcher.hits(observation)
    fast = scan_contracts([folder], engine=Engine.DUCKDB, db=str(tmp_path / "d.db"))
    plain = scan_contracts([folder], engine=Engine.PYTHON, db=str(tmp_path / "p.db"))
    assert sorted(f.id for f in fast.stored.findings) == sorted(f.id for f in plain.stored.findings)
    assert any(f.observation.fields.get("supplier") == NEAR_MISS for f in fast.stored.findings)


def test_ordinary_files_are_read_once(matcher: Matcher) -> None:
    seen: list[Observation] = []
    result = scan_file(PART, seen.append, matcher)
    assert result.refetched == 0
    assert 0 < result.candidates < result.rows / 10
    assert [name for name, _ in result.stages] == [
        "load",
        "problems",
        "names",
        "candidates",
    ]


def test_bad_dates_and_amounts_are_reported_with_their_rows(
    matcher: Matcher, tmp_path: Path
) -> None:
    with PART.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    records[2]["action_date"] = "2015-13-45"
    records[4]["federal_action_obligation"] = "12,5OO.00"
    records[4]["action_date"] = ""  # a missing date does not hide a bad amount
    path = tmp_path / "bad.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    result = scan_file(path, lambda _: None, matcher)
    assert result.record.bad_records == 2
    assert f"{path} row 3: action date '2015-13-45' is not a date" in result.record.error
    assert f"{path} row 5: amount '12,5OO.00' is not a number" in result.record.error
