"""Helpers for case tests: a store on SQLite or PostgreSQL, and scans of Kaspersky programs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
import sqlalchemy as sa

from rootout.catalog import Catalog, load_catalog
from rootout.match.engine import Matcher
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef
from rootout.store import repository as repo

SEEN = dt.datetime(2025, 3, 3, 15, 0, tzinfo=dt.UTC)  # a Monday
KES = "Kaspersky Endpoint Security for Windows"
AGENT = "Kaspersky Security Center Network Agent"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


def program(host: str, name: str, org_unit: str | None = None) -> Observation:
    tags = (("org_unit", org_unit),) if org_unit else ()
    return Observation(
        ObservationKind.PROGRAM,
        {"name": name, "publisher": "AO Kaspersky Lab"},
        Asset(AssetKind.HOST, host, tags=tags),
        SourceRef(f"{host}.json", 2, "", "osquery-json"),
        SEEN,
    )


def store_scan(
    engine: sa.Engine,
    catalog: Catalog,
    observations: Sequence[Observation],
    label: str,
    finished: dt.datetime = SEEN,
    tenant: str = repo.DEFAULT_TENANT,
) -> repo.SaveResult:
    """Match ``observations`` and store them as one scan of the hosts they name."""
    findings = list(Matcher(catalog, today=finished.date()).match(observations))
    assets = {
        o.asset.key: repo.AssetSeen(
            o.asset.key,
            o.asset.kind.value,
            o.asset.name,
            (),
            o.asset.tags,
            1,
            frozenset({"osquery-json"}),
        )
        for o in observations
    }
    record = repo.ScanRecord(
        started_at=finished,
        finished_at=finished,
        catalog_version=catalog.version,
        engine="python",
        inputs=(
            repo.InputRecord(f"{label}.json", label.ljust(64, "0"), 10, "osquery-json", 1, None),
        ),
        assets=tuple(assets.values()),
    )
    return repo.save_scan(engine, record, findings, catalog, tenant=tenant)
