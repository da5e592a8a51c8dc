"""Which stored scan is each asset's latest: the one a rescan re-matches for that asset."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from rootout.catalog import Catalog, load_catalog
from rootout.rescan import latest_scans
from rootout.store import repository as repo
from tests.conftest import FIXTURES

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([FIXTURES / "catalog" / "engine"], builtin=False)


def save(
    engine: sa.Engine,
    catalog: Catalog,
    hosts: tuple[str, ...],
    hours: int,
    sha: str,
    tenant: str = repo.DEFAULT_TENANT,
) -> str:
    """A scan of ``hosts`` finished ``hours`` after T0, with no findings; its id."""
    at = T0 + dt.timedelta(hours=hours)
    record = repo.ScanRecord(
        started_at=at,
        finished_at=at,
        catalog_version=catalog.version,
        engine="python",
        inputs=(repo.InputRecord("inventory.json", sha * 64, 10, "osquery-json", 1, None),),
        assets=tuple(
            repo.AssetSeen(f"host:{h}", "host", h, (), (), 1, frozenset({"osquery-json"}))
            for h in hosts
        ),
    )
    return repo.save_scan(engine, record, [], catalog, tenant=tenant).scan_id


def test_each_asset_gets_its_latest_scan_and_a_tie_goes_to_the_greater_id(
    engine: sa.Engine, catalog: Catalog
) -> None:
    first = save(engine, catalog, ("h1", "h2", "h3"), 0, "a")
    second = save(engine, catalog, ("h2", "h3"), 1, "b")
    third = save(engine, catalog, ("h3", "h4"), 2, "c")
    # two scans finished at the same time both saw h5; each also saw a host of its own
    own = {
        save(engine, catalog, ("h5", "h6"), 3, "d"): "host:h6",
        save(engine, catalog, ("h5", "h7"), 3, "e"): "host:h7",
    }
    loser, winner = sorted(own)
    save(engine, catalog, ("h1", "h2", "h3", "h4", "h5"), 9, "f", tenant="other")

    scans = latest_scans(engine, repo.DEFAULT_TENANT)

    assert {s.id: s.assets for s in scans} == {
        first: {"host:h1"},
        second: {"host:h2"},
        third: {"host:h3", "host:h4"},
        loser: {own[loser]},
        winner: {own[winner], "host:h5"},
    }
    assert [s.id for s in scans] == [first, second, third, loser, winner]


def test_a_store_without_scans_has_no_latest_scan(engine: sa.Engine, catalog: Catalog) -> None:
    save(engine, catalog, ("h1",), 0, "a", tenant="other")
    assert latest_scans(engine, repo.DEFAULT_TENANT) == []
