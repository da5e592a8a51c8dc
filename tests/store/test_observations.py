"""Every stored scan keeps its observations, compressed, and gives them back unchanged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from rootout import scanning
from rootout.catalog.cache import load_compiled
from rootout.config import load_settings
from rootout.ingest.scan import InputRecord, InputStatus, ScanResult
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef
from rootout.store import observations as stored
from rootout.store import schema as t
from rootout.store.db import connect
from tests.conftest import FIXTURES

MINI = FIXTURES / "inputs" / "estate-mini"


def observation(path: str, line: int, name: str = "Kaspersky Endpoint Security") -> Observation:
    return Observation(
        kind=ObservationKind.PROGRAM,
        fields={"name": name, "publisher": "AO Kaspersky Lab", "version": "12.3"},
        asset=Asset(
            AssetKind.HOST,
            "ws-0417",
            identifiers=(("host_uuid", "0E1F-22"), ("mac", "00:11:22:33:44:55")),
            tags=(("owner", "finance"),),
        ),
        source=SourceRef(path, line, "/programs/3", "osquery"),
        observed_at=dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC),
        parents=("Mail Gateway 4.2",),
        extra={"install_location": "C:\\Program Files (x86)\\Kaspersky Lab"},
    )


def test_a_chunk_decodes_to_the_same_observations() -> None:
    originals = [observation("a.log", n) for n in range(1, 4)]
    originals.append(originals[0]._replace(observed_at=None, parents=(), extra={}))
    writer = stored.ObservationWriter()
    for item in originals:
        writer.add(item)
    (chunk,) = writer.chunks()
    assert chunk.observations == 4
    assert chunk.path == "a.log"
    assert stored.decode_chunk(chunk.data) == originals


def test_chunks_split_at_the_size_limit_and_on_a_new_input() -> None:
    writer = stored.ObservationWriter(chunk_rows=stored.SPLIT_ROWS + 10)
    for line in range(stored.SPLIT_ROWS + 15):
        writer.add(observation("big.csv", line))
    writer.add(observation("small-1.json", 1))
    writer.add(observation("small-2.json", 1))
    chunks = writer.chunks()
    assert [(c.path, c.observations) for c in chunks] == [
        ("big.csv", stored.SPLIT_ROWS + 10),
        (None, 7),  # the big input's last 5 rows and two small inputs share a chunk
    ]


def test_a_scan_stores_its_observations_and_they_match_again_alike(db_url: str) -> None:
    outcome = scanning.scan([MINI], db=db_url)
    engine = connect(db_url)
    kept = list(stored.load_observations(engine, outcome.scan_id, tenant="default"))
    assert len(kept) == outcome.read.coverage.observations > 100
    stats = stored.stored_stats(engine, outcome.scan_id, tenant="default")
    assert stats.observations == len(kept)
    assert 0 < stats.compressed_bytes < 200 * len(kept)
    catalog, index = load_compiled()
    matcher = scanning.matcher_for(catalog, index, None, load_settings())
    assert {f.id for f in matcher.match(kept)} == {f.id for f in outcome.findings}
    engine.dispose()


def test_stored_observations_are_per_tenant_and_stored_once(db_url: str) -> None:
    inputs = [MINI / "sccm-installed-software.csv"]
    first = scanning.scan(inputs, db=db_url, tenant="acme")
    again = scanning.scan(inputs, db=db_url, tenant="acme")
    assert again.reused
    engine = connect(db_url)
    assert stored.stored_stats(engine, first.scan_id, tenant="acme").chunks == 1
    with engine.connect() as conn:
        seqs = conn.execute(select(t.observation_chunks.c.input_seq)).scalars().all()
    assert seqs == [0]  # all from one input: the chunk names it
    assert list(stored.load_observations(engine, first.scan_id, tenant="globex")) == []
    assert stored.stored_stats(engine, first.scan_id, tenant="globex").observations == 0
    engine.dispose()


def test_an_unknown_encoding_is_an_error_not_silence(db_url: str) -> None:
    outcome = scanning.scan([MINI / "sccm-installed-software.csv"], db=db_url)
    engine = connect(db_url)
    with engine.begin() as conn:
        conn.execute(t.observation_chunks.update().values(encoding="zstd-json/9"))
    with pytest.raises(stored.StoredObservationsError, match="zstd-json/9"):
        list(stored.load_observations(engine, outcome.scan_id, tenant="default"))
    engine.dispose()


def test_observations_read_elsewhere_are_stored_too(db_url: str) -> None:
    """What an agent upload and the server's ingest worker store (``store_observations``)."""
    sent = tuple(observation("agent:ws-0417", line) for line in range(1, 4))
    read = ScanResult(
        (InputRecord("agent:ws-0417", InputStatus.READ, "agent", 3, "ab" * 32),), sent
    )
    outcome = scanning.store_observations(read, db=db_url)
    engine = connect(db_url)
    assert list(stored.load_observations(engine, outcome.scan_id, tenant="default")) == list(sent)
    engine.dispose()
