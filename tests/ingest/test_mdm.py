"""Fleet and MDM export readers: SCCM/MECM views, Intune discovered apps, Fleet API JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from rootout.errors import InputError
from rootout.ingest.base import Reader, detect
from rootout.ingest.formats.mdm import FleetJsonReader, IntuneCsvReader, SccmCsvReader, sccm_key
from rootout.model.observation import Observation, ObservationKind
from tests.ingest._endpoint_fuzz import FUZZ_EXAMPLES, inputs, survives

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "mdm"
KES = "{27534751-4A40-48BD-B393-BC3BF28C876E}"


def read(reader: type[Reader], data: bytes, name: str) -> list[Observation]:
    return list(reader().read(Path(name), io.BytesIO(data)))


def read_fixture(name: str, expected: type[Reader]) -> list[Observation]:
    path = FIXTURES / name
    assert detect(path, path.read_bytes()[:65536]) is expected
    return read(expected, path.read_bytes(), str(path))


def is_aggregate(observation: Observation) -> bool:
    return ("aggregate", "true") in observation.asset.tags


# --- SCCM ---------------------------------------------------------------------------------------


def test_sccm_add_remove_programs_per_device() -> None:
    observations = read_fixture("sccm-add-remove-programs.csv", SccmCsvReader)
    kes = observations[0]
    assert kes.fields == {
        "name": "Kaspersky Endpoint Security for Windows",
        "publisher": "AO Kaspersky Lab",
        "version": "12.4.0.467",
        "product_code": KES,
    }
    assert kes.extra["InstallDate0"] == "20240312"  # original column name kept
    assert (kes.asset.name, kes.asset.identifiers) == (
        "WS-0147",
        (("sccm_resource_id", "16777311"),),
    )
    assert [o.source.line for o in observations] == [2, 3, 4, 5, 6]
    assert [o.asset.name for o in observations] == [
        "WS-0147",
        "WS-0147",
        "WS-0212",
        "WS-0212",
        "SRV-FS02",
    ]
    zoom = observations[3]
    assert zoom.fields["publisher"] == "Zoom Video Communications, Inc."  # quoted comma
    assert "product_code" not in observations[1].fields  # ProdID0 "7-Zip" is not a GUID


def test_sccm_installed_software_view() -> None:
    kes, notepad, _ = read_fixture("sccm-installed-software.csv", SccmCsvReader)
    assert kes.fields["name"] == "Kaspersky Endpoint Security for Windows"  # ProductName0
    assert kes.fields["vendor"] == "Kaspersky Lab"  # NormalizedPublisher
    assert kes.fields["product_code"] == KES.lower()  # SoftwareCode0, raw
    assert kes.fields["install_location"] == "C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.4.0\\"
    assert kes.asset.name == "ResourceID 16777311"
    assert notepad.extra["NormalizedName"] == "Notepad++"


def test_sccm_aggregate_counts_belong_to_one_aggregate_asset() -> None:
    observations = read_fixture("sccm-arp-counts.csv", SccmCsvReader)
    assert all(is_aggregate(o) for o in observations)
    assert {o.asset.name for o in observations} == {"sccm-arp-counts"}
    assert [o.extra["device_count"] for o in observations] == ["214", "221", "1873"]


def test_sccm_column_names_lose_their_trailing_zero() -> None:
    assert [sccm_key(c) for c in ("DisplayName0", "Netbios_Name0", "ResourceID", "Version0")] == [
        "displayname",
        "netbios_name",
        "resourceid",
        "version",
    ]


def test_sccm_errors() -> None:
    with pytest.raises(InputError, match=r"^v\.csv:1: no DisplayName0 or ProductName0"):
        read(SccmCsvReader, b"ResourceID,Name0\n1,WS\n", "v.csv")
    with pytest.raises(InputError, match=r"^v\.csv:3: 3 fields"):
        read(SccmCsvReader, b"DisplayName0,Publisher0\nA,B\nA,B,C\n", "v.csv")


# --- Intune -------------------------------------------------------------------------------------


def test_intune_raw_data_is_per_device() -> None:
    observations = read_fixture("AppInvRawData.csv", IntuneCsvReader)
    kes, chrome, mac = observations
    assert kes.fields == {
        "name": "Kaspersky Endpoint Security for Windows",
        "publisher": "AO Kaspersky Lab",
        "version": "12.4.0.467",
    }
    assert kes.asset.name == "WS-0147"
    assert kes.asset.identifiers == (("intune_device_id", "3f0b7c2e-9a41-4d5e-8b6c-1e2f3a4b5c6d"),)
    assert ("user", "jdoe@corp.example") in kes.asset.tags
    assert kes.asset == chrome.asset
    assert mac.extra["ApplicationId"] == "com.kaspersky.kav"
    assert mac.extra["Platform"] == "macOS"
    assert not any(is_aggregate(o) for o in observations)


def test_intune_aggregate_has_device_counts() -> None:
    observations = read_fixture("AppInvAggregate.csv", IntuneCsvReader)
    assert all(is_aggregate(o) for o in observations)
    assert observations[0].extra["device_count"] == "214"
    assert observations[2].fields["version"] == "439095"  # ApplicationVersion, not the short one
    assert observations[2].extra["ApplicationShortVersion"] == "4.39.95"


def test_intune_headers_with_spaces_are_accepted() -> None:
    data = b"Application name,Publisher,Version,Device count,Platform\nKaspersky Free,AO Kaspersky Lab,21.3,4,Windows\n"
    assert IntuneCsvReader.sniff(Path("apps.csv"), data)
    (observation,) = read(IntuneCsvReader, data, "apps.csv")
    assert observation.fields["publisher"] == "AO Kaspersky Lab"
    assert observation.extra["device_count"] == "4"


# --- Fleet --------------------------------------------------------------------------------------


def test_fleet_software_list_is_aggregate_and_typed_by_source() -> None:
    observations = read_fixture("fleet-software.json", FleetJsonReader)
    kes, glibc, mac_app, extension, kesl = observations
    assert kes.fields == {
        "name": "Kaspersky Endpoint Security for Windows",
        "version": "12.4.0.467",
        "vendor": "AO Kaspersky Lab",
    }
    assert (kes.extra["device_count"], kes.source.pointer) == ("214", "/software/0")
    assert (glibc.kind, glibc.fields["ecosystem"], glibc.fields["package"]) == (
        ObservationKind.PACKAGE,
        "rpm",
        "glibc",
    )
    assert "cpe" not in glibc.fields  # Fleet's generated CPE is a guess: kept, never matched
    assert glibc.extra["generated_cpe"] == "cpe:2.3:a:gnu:glibc:2.12:*:*:*:*:*:*:*"
    assert mac_app.fields["bundle_id"] == "com.kaspersky.kav"
    assert extension.kind is ObservationKind.BROWSER_EXTENSION
    assert extension.fields["extension_id"] == "ahkjpbeeocnddjkakilopmfdlnjdpcdm"
    assert kesl.fields["ecosystem"] == "deb"
    assert all(is_aggregate(o) for o in observations)
    assert kes.observed_at == dt.datetime(2024, 9, 16, 10, 0, tzinfo=dt.UTC)


def test_fleet_host_response_names_the_host() -> None:
    observations = read_fixture("fleet-host.json", FleetJsonReader)
    kes = observations[0]
    assert kes.asset.name == "ws-0147.corp.example"
    assert kes.asset.identifiers == (
        ("host_uuid", "4C4C4544-0031-3510-8052-B4C04F4B4E32"),
        ("serial", "5R2KQN3"),
        ("fleet_host_id", "147"),
    )
    assert ("team_name", "Workstations") in kes.asset.tags
    assert kes.extra["installed_paths"] == "C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.4.0\\"
    assert [o.source.pointer for o in observations] == [f"/host/software/{i}" for i in range(3)]
    assert kes.observed_at == dt.datetime(2024, 9, 16, 9, 58, 10, tzinfo=dt.UTC)


def test_fleet_titles_yield_one_observation_per_version() -> None:
    observations = read_fixture("fleet-software-titles.json", FleetJsonReader)
    assert [(o.fields["name"], o.fields["version"]) for o in observations] == [
        ("Kaspersky Endpoint Security for Windows", "12.4.0.467"),
        ("Kaspersky Endpoint Security for Windows", "11.6.0.394"),
        ("Firefox.app", "130.0.1"),
    ]
    assert observations[1].source.pointer == "/software_titles/0/versions/1"
    assert observations[2].fields["bundle_id"] == "org.mozilla.firefox"


def test_fleet_per_host_software_endpoint_uses_installed_versions() -> None:
    doc = {
        "software": [
            {
                "id": 1,
                "name": "Kaspersky Endpoint Security for Windows",
                "source": "programs",
                "installed_versions": [{"version": "12.4.0.467", "installed_paths": ["C:\\KES"]}],
            }
        ]
    }
    (observation,) = read(FleetJsonReader, json.dumps(doc).encode(), "ws-0147-software.json")
    assert observation.fields["version"] == "12.4.0.467"
    assert observation.extra["installed_paths"] == "C:\\KES"
    assert not is_aggregate(observation)
    assert observation.asset.name == "ws-0147-software"


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (b"[1, 2]", "is a JSON object"),
        (b'{"software": {"a": 1}}', "no 'software'"),
        (b'{"software": [1]}', "/software/0 is not a JSON object"),
        (b'{"host": {"hostname": "x"}}', "/host has no 'software' array"),
        (b'{"software": [\n{"name": "a"},\n]}', "invalid JSON"),
    ],
)
def test_fleet_errors(doc: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read(FleetJsonReader, doc, "fleet.json")


def test_fleet_sniff_leaves_other_json_alone() -> None:
    assert not FleetJsonReader.sniff(
        Path("x.json"), b'{"bomFormat": "CycloneDX", "components": []}'
    )
    assert not FleetJsonReader.sniff(Path("x.json"), b'[{"name": "a", "source": "programs"}]')


# --- fuzz ---------------------------------------------------------------------------------------

SEEDS = [p.read_bytes() for p in sorted(FIXTURES.iterdir())]
READERS: list[tuple[type[Reader], str]] = [
    (SccmCsvReader, "v.csv"),
    (IntuneCsvReader, "i.csv"),
    (FleetJsonReader, "f.json"),
]


@settings(max_examples=200, deadline=None)
@given(inputs(SEEDS))
def test_fuzz_mdm_readers(data: bytes) -> None:
    for reader, name in READERS:
        survives(reader, Path(name), data)


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(inputs(SEEDS))
def test_fuzz_mdm_readers_scaled(data: bytes) -> None:
    for reader, name in READERS:
        survives(reader, Path(name), data)
