"""The agent payload: what the collector saw survives JSON + gzip and reaches the store intact."""

from __future__ import annotations

import gzip
import json
import uuid

import pytest
from pydantic import ValidationError

from rootout.agent.payload import AgentScan, as_read, collected, encode, input_prefix
from rootout.scanning import input_records
from rootout.store.repository import ScanRecord
from tests.agent._payloads import COLLECTED_AT, debian_collection, debian_payload


def _decode(body: bytes) -> AgentScan:
    return AgentScan.model_validate_json(gzip.decompress(body))


def test_round_trip_keeps_every_observation_with_its_source_and_the_coverage() -> None:
    original = debian_collection()
    scan = debian_payload()
    back = collected(_decode(encode(scan)))
    assert back.asset == original.asset
    assert back.observations == original.observations
    assert [(c.source, c.status, c.count, c.reason) for c in back.coverage] == [
        (c.source, c.status, c.count, c.reason) for c in original.coverage
    ]
    kesl = [o for o in back.observations if o.fields.get("package") == "kesl"]
    assert kesl
    assert kesl[0].source.path.endswith("var/lib/dpkg/status")
    assert kesl[0].source.line > 0


def test_payload_is_versioned_and_carries_scan_id_and_collection_time() -> None:
    scan_id = uuid.uuid4()
    document = json.loads(gzip.decompress(encode(debian_payload(scan_id))))
    assert document["version"] == 1
    assert document["scan_id"] == str(scan_id)
    assert document["collected_at"].startswith(COLLECTED_AT.strftime("%Y-%m-%dT%H:%M"))
    assert document["agent_version"]


def _content_id(scan: AgentScan) -> str:
    read = as_read(scan)
    record = ScanRecord(
        started_at=COLLECTED_AT,
        finished_at=COLLECTED_AT,
        catalog_version="v",
        engine="python",
        inputs=input_records(read.inputs),
        assets=(),
    )
    return record.content_id("acme")


def test_stored_scan_id_is_stable_per_agent_scan_and_distinct_between_runs() -> None:
    scan_id = uuid.uuid4()
    first = debian_payload(scan_id)
    assert _content_id(first) == _content_id(_decode(encode(first)))
    assert _content_id(first) != _content_id(debian_payload(uuid.uuid4()))
    assert all(r.path.startswith(input_prefix(scan_id)) for r in as_read(first).inputs)


def test_identical_machines_get_different_input_hashes() -> None:
    scan = debian_payload()
    twin = scan.model_copy(update={"host": scan.host.model_copy(update={"name": "other"})})
    twin = twin.model_copy(
        update={"host": twin.host.model_copy(update={"identifiers": [("host_uuid", "abc")]})}
    )
    assert as_read(scan).inputs[0].sha256 != as_read(twin).inputs[0].sha256


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"version": 2}, "version"),
        ({"scan_id": "not-a-uuid"}, "scan_id"),
        ({"surprise": 1}, "surprise"),
        ({"host": {"kind": "host", "name": "a\u0000b"}}, "NUL"),
        (
            {"observations": [{"kind": "no-such-kind", "fields": {}, "source": {"path": "x"}}]},
            "kind",
        ),
    ],
)
def test_invalid_payloads_are_refused_naming_the_problem(
    change: dict[str, object], problem: str
) -> None:
    document = json.loads(debian_payload().model_dump_json())
    document.update(change)
    with pytest.raises(ValidationError) as error:
        AgentScan.model_validate(document)
    assert problem in str(error.value)
