"""Gathering report data: the scope options narrow findings, scans and cases alike."""

from __future__ import annotations

import datetime as dt

import pytest

from rootout.errors import NotFoundError
from rootout.report.data import ReportData, Scope
from tests.report import estate


def test_everything_in_the_store_by_default(store: estate.Store) -> None:
    data = store.data()
    assert [s.label for s in data.scans] == ["baseline", "rescan"]
    assert {r["status"] for r in data.findings} == {"active", "gone"}
    assert data.cases is not None
    assert data.generated_on == estate.REPORT_DAY


def test_since_keeps_later_scans_and_what_they_saw(store: estate.Store) -> None:
    data = store.data(Scope(since=dt.date(2024, 9, 17)))
    assert [s.label for s in data.scans] == ["rescan"]
    assert {r["id"] for r in data.findings} == set(data.scans[0].sightings)


def test_asset_narrows_findings_scanned_assets_and_cases(store: estate.Store) -> None:
    data = store.data(Scope(asset="WS-0417"))
    assert {r["asset_key"] for r in data.findings} == {"host:name:ws-0417_programs"}
    assert all("ws-0417" in a.key for s in data.scans for a in s.assets)
    assert data.cases
    in_scope = {r["id"] for r in data.findings}
    assert all(in_scope & set(case.finding_ids) for case in data.cases)


def test_case_keeps_its_findings(store: estate.Store) -> None:
    everything = store.data()
    assert everything.cases
    case = everything.cases[-1]
    data = store.data(Scope(case=case.id))
    assert {r["id"] for r in data.findings} == set(case.finding_ids) & {
        r["id"] for r in everything.findings
    }
    assert [c.id for c in data.cases or ()] == [case.id]


def test_unknown_scans_are_an_error(store: estate.Store) -> None:
    with pytest.raises(NotFoundError, match="Snot-a-scan"):
        store.data(Scope(scan_ids=("Snot-a-scan",)))


def test_catalog_date_is_the_newest_pack_date(data: ReportData) -> None:
    dates = [p.version.replace(".", "-") for p in data.catalog_info.packs]
    assert data.catalog_info.date == max(dates)
