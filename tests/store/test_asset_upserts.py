"""Assets are stored in batches (INSERT .. ON CONFLICT) with the same result, SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from rootout.catalog.cache import load_compiled
from rootout.store import schema as t
from rootout.store.db import connect
from rootout.store.repository import ASSET_BATCH, AssetSeen, InputRecord, ScanRecord, save_scan

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


def _asset(key: str, name: str, serial: str, owner: str) -> AssetSeen:
    return AssetSeen(
        key=key,
        kind="host",
        name=name,
        identifiers=(("hostname", name.lower()), ("serial", serial)),
        tags=(("owner", owner),),
        observations=3,
        formats=frozenset({"generic-csv"}),
    )


def _scan(label: str, assets: tuple[AssetSeen, ...]) -> ScanRecord:
    inputs = (InputRecord(f"/in/{label}.csv", label * 10, 1, "generic-csv", 3, None),)
    return ScanRecord(NOW, NOW, "test", "python", inputs, assets, label=label)


def _assets(db: object, tenant: str) -> dict[str, dict[str, Any]]:
    engine = connect(str(db))
    with engine.connect() as conn:
        rows = conn.execute(select(t.assets).where(t.assets.c.tenant_id == tenant)).mappings()
        found = {row["key"]: dict(row) for row in rows}
    engine.dispose()
    return found


def test_new_assets_are_inserted_and_known_ones_keep_their_first_sighting(db_url: object) -> None:
    catalog, _ = load_compiled()
    engine = connect(str(db_url))
    first = save_scan(
        engine,
        _scan("first", (_asset("host:a", "A", "SN1", "ops"), _asset("host:b", "B", "SN2", "ops"))),
        [],
        catalog,
    )
    again = save_scan(
        engine,
        _scan(
            "again",
            (_asset("host:a", "A-renamed", "SN9", "dev"), _asset("host:c", "C", "SN3", "hr")),
        ),
        [],
        catalog,
    )
    save_scan(
        engine, _scan("other", (_asset("host:a", "A", "SN7", "x"),)), [], catalog, tenant="t2"
    )
    engine.dispose()
    assets = _assets(db_url, "default")
    assert set(assets) == {"host:a", "host:b", "host:c"}
    a, b, c = assets["host:a"], assets["host:b"], assets["host:c"]
    # seen again: new name and last scan; identifiers, tags and first scan of the first sighting
    assert (a["first_seen_scan"], a["last_seen_scan"]) == (first.scan_id, again.scan_id)
    assert a["name"] == "A-renamed"
    assert a["identifiers"] == [["hostname", "a"], ["serial", "SN1"]]
    assert a["tags"] == [["owner", "ops"]]
    assert (b["first_seen_scan"], b["last_seen_scan"]) == (first.scan_id, first.scan_id)
    assert (c["first_seen_scan"], c["last_seen_scan"]) == (again.scan_id, again.scan_id)
    assert c["identifiers"] == [["hostname", "c"], ["serial", "SN3"]]
    # another tenant's asset with the same key is its own row
    other = _assets(db_url, "t2")
    assert other["host:a"]["identifiers"] == [["hostname", "a"], ["serial", "SN7"]]
    assert a["identifiers"][1] == ["serial", "SN1"]  # read after t2 stored its host:a


def test_more_assets_than_one_batch(db_url: object) -> None:
    catalog, _ = load_compiled()
    count = ASSET_BATCH + 7
    hosts = tuple(_asset(f"host:{n}", f"H{n}", f"SN{n}", "ops") for n in range(count))
    engine = connect(str(db_url))
    first = save_scan(engine, _scan("one", hosts), [], catalog)
    again = save_scan(engine, _scan("two", hosts[-10:]), [], catalog)
    engine.dispose()
    assets = _assets(db_url, "default")
    assert len(assets) == count
    last_seen = {key for key, row in assets.items() if row["last_seen_scan"] == again.scan_id}
    assert last_seen == {f"host:{n}" for n in range(count - 10, count)}
    assert all(row["first_seen_scan"] == first.scan_id for row in assets.values())
