"""Generic CSV and JSON lines through a column map (rootout.ingest.formats.generic)."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from rootout.errors import InputError
from rootout.ingest.formats.generic import (
    GenericCsvReader,
    GenericJsonLinesReader,
    observation_kind,
    parse_column_map,
)
from rootout.model.observation import AssetKind, Observation, ObservationKind
from tests.conftest import FIXTURES
from tests.ingest._endpoint_fuzz import inputs

GENERIC = FIXTURES / "inputs" / "generic"
CMDB = GENERIC / "cmdb-software.csv"
DEVICES = GENERIC / "network-devices.jsonl"
CMDB_MAP = {
    "name": "DisplayName",
    "publisher": "Publisher",
    "version": "DisplayVersion",
    "host": "Computer",
    "time": "LastSeen",
}
DEVICE_MAP = {"mac": "device.mac", "model": "device.model", "ip": "device.ip", "time": "seen"}


def read_csv(data: bytes, mapping: dict[str, str]) -> list[Observation]:
    return list(GenericCsvReader(mapping).read(Path("x.csv"), io.BytesIO(data)))


def test_parse_column_map() -> None:
    assert parse_column_map(["name=DisplayName,publisher=Publisher", " host = Computer "]) == {
        "name": "DisplayName",
        "publisher": "Publisher",
        "host": "Computer",
    }
    with pytest.raises(ValueError, match="not FIELD=COLUMN"):
        parse_column_map(["name"])
    with pytest.raises(ValueError, match="unknown field 'vendr'"):
        parse_column_map(["vendr=Maker"])
    with pytest.raises(ValueError, match="names no observation field"):
        parse_column_map(["host=Computer,time=Seen"])


def test_kind_follows_the_mapped_fields() -> None:
    assert observation_kind({"name": "a", "publisher": "b"}) is ObservationKind.PROGRAM
    assert observation_kind({"mac": "a", "model": "b"}) is ObservationKind.NETWORK_DEVICE
    assert observation_kind({"domain": "q"}) is ObservationKind.DNS_QUERY
    assert observation_kind({"cert_sha1": "t", "name": "n"}) is ObservationKind.CERTIFICATE
    assert observation_kind({"package": "p"}) is ObservationKind.PACKAGE


def test_csv_with_map() -> None:
    with CMDB.open("rb") as stream:
        observations = list(GenericCsvReader(CMDB_MAP).read(CMDB, stream))
    assert len(observations) == 6  # the row with every mapped cell empty is skipped
    kes = observations[0]
    assert kes.kind is ObservationKind.PROGRAM
    assert kes.fields == {
        "name": "Kaspersky Endpoint Security for Windows",
        "publisher": "AO Kaspersky Lab",
        "version": "12.4.0.467",
    }
    assert (kes.asset.kind, kes.asset.name) == (AssetKind.HOST, "WS-0417")
    assert kes.observed_at == dt.datetime(2024, 9, 16, 8, 0, tzinfo=dt.UTC)
    assert kes.extra == {"InstallDate": "20240311"}  # unmapped columns kept as evidence
    assert (kes.source.line, kes.source.format) == (2, "csv")
    assert observations[-1].source.line == 8


def test_csv_cells_are_text_never_formulas() -> None:
    (observation,) = read_csv(
        b'name,publisher\n=HYPERLINK("x"),+1\n', {"name": "name", "publisher": "publisher"}
    )
    assert observation.fields == {"name": '=HYPERLINK("x")', "publisher": "+1"}


def test_csv_without_host_column_names_the_asset_after_the_file() -> None:
    (observation,) = read_csv(b"n\nPuTTY\n", {"name": "n"})
    assert observation.asset.name == "x"


@pytest.mark.parametrize(
    ("data", "mapping", "line", "message"),
    [
        (b"DisplayName\nx\n", {"name": "Name"}, 1, "no column Name"),
        (b"n,t\nx,never\n", {"name": "n", "time": "t"}, 2, "ISO 8601"),
        (b"n\nx,y\n", {"name": "n"}, 2, "2 cells for 1"),
        (b"", {"name": "n"}, 1, "no header"),
        (b"n\nx\n", {}, 0, "needs --map"),
    ],
)
def test_csv_errors(data: bytes, mapping: dict[str, str], line: int, message: str) -> None:
    with pytest.raises(InputError, match=message) as info:
        read_csv(data, mapping)
    assert info.value.location.line == line


def test_jsonl_with_nested_keys() -> None:
    with DEVICES.open("rb") as stream:
        observations = list(GenericJsonLinesReader(DEVICE_MAP).read(DEVICES, stream))
    assert [(o.source.line, o.fields["mac"], o.fields["model"]) for o in observations] == [
        (1, "44:47:CC:A1:B2:C3", "DS-2CD2143G2-I"),
        (2, "BC:32:5F:12:34:56", "NVR4108HS-8P-4KS2"),
        (3, "00:80:77:C4:2E:19", "HL-L8360CDW"),
        (5, "00:E0:FC:3A:51:02", "AR6120"),
    ]
    assert observations[0].kind is ObservationKind.NETWORK_DEVICE
    assert observations[0].extra["label"] == "lobby camera"
    assert observations[0].observed_at == dt.datetime(2024, 9, 16, 9, 0, tzinfo=dt.UTC)


def test_jsonl_scalars_become_text() -> None:
    data = b'{"n": 7, "p": true, "v": [1, 2], "d": null}\n'
    mapping = {"name": "n", "publisher": "p", "version": "v", "description": "d"}
    (observation,) = list(GenericJsonLinesReader(mapping).read(Path("x.jsonl"), io.BytesIO(data)))
    assert observation.fields == {"name": "7", "publisher": "true", "version": "[1, 2]"}


def test_jsonl_errors() -> None:
    with pytest.raises(InputError, match="not JSON") as info:
        list(
            GenericJsonLinesReader({"name": "n"}).read(Path("x.jsonl"), io.BytesIO(b'{"n":1}\n{\n'))
        )
    assert info.value.location.line == 2
    with pytest.raises(InputError, match="JSON object"):
        list(GenericJsonLinesReader({"name": "n"}).read(Path("x.jsonl"), io.BytesIO(b"[1]\n")))


def test_generic_readers_never_claim_an_input() -> None:
    assert not GenericCsvReader.sniff(CMDB, CMDB.read_bytes())
    assert not GenericJsonLinesReader.sniff(DEVICES, DEVICES.read_bytes())


def _survives(reader: GenericCsvReader | GenericJsonLinesReader, data: bytes) -> None:
    """Reading yields only Observations or raises InputError naming the input."""
    error: InputError | None = None
    try:
        observations = list(reader.read(Path("x"), io.BytesIO(data)))
    except InputError as exc:
        error = exc
    if error is not None:
        assert error.location.path == "x"
    else:
        assert all(isinstance(o, Observation) for o in observations)


SEEDS = [CMDB.read_bytes(), DEVICES.read_bytes()]
SCALED = int(os.environ.get("ROOTOUT_FUZZ_EXAMPLES", "500"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs(SEEDS))
def test_fuzz_generic(data: bytes) -> None:
    _survives(GenericCsvReader(CMDB_MAP), data)
    _survives(GenericJsonLinesReader(DEVICE_MAP), data)


@pytest.mark.slow
@settings(max_examples=SCALED, deadline=None, suppress_health_check=list(HealthCheck))
@given(inputs(SEEDS))
def test_fuzz_generic_scaled(data: bytes) -> None:
    _survives(GenericCsvReader(CMDB_MAP), data)
    _survives(GenericJsonLinesReader(DEVICE_MAP), data)
