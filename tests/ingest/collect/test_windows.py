"""The Windows collector on captured data: win11.reg (regedit export) and the win11 file tree."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from hypothesis import given, settings
from hypothesis import strategies as st

from rootout.ingest.collect import (
    CollectResult,
    CoverageStatus,
    MemoryRegistry,
    RegValue,
    collect_this_machine,
)
from rootout.ingest.collect.base import Problem
from rootout.ingest.collect.registry import canonical, parse_cert_blob
from rootout.model.observation import ObservationKind
from tests.ingest.collect._helpers import HOSTS, by_field, coverage, of_kind
from tests.ingest.collect._regfile import load_registry, parse_reg

WIN = HOSTS / "win11"
REG = HOSTS / "win11.reg"
SID = "S-1-5-21-1004336348-1177238915-682003330-1001"
KES = "{27534751-4A40-48BD-B393-BC3BF28C876E}"


@pytest.fixture(scope="module")
def result() -> CollectResult:
    return collect_this_machine(root=WIN, system="Windows", registry=load_registry(REG))


def test_fixture_is_a_regedit_export() -> None:
    data = REG.read_bytes()
    assert data[:2] == b"\xff\xfe"
    assert data[2:].decode("utf-16-le").startswith("Windows Registry Editor Version 5.00\r\n")


def test_asset_from_computer_name_and_machine_guid(result: CollectResult) -> None:
    assert result.asset.name == "WS-0147"
    assert result.asset.identifiers == (("host_uuid", "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f"),)


def test_uninstall_entries_from_both_views_and_user_hives(result: CollectResult) -> None:
    programs = of_kind(result, ObservationKind.PROGRAM)
    kes = by_field(result, "product_code", KES)
    assert kes.fields["name"] == "Kaspersky Endpoint Security for Windows"
    assert kes.fields["publisher"] == "AO Kaspersky Lab"
    assert kes.fields["version"] == "12.4.0.467"
    assert kes.fields["ecosystem"] == "msi"
    assert kes.extra["registry_view"] == "32-bit"
    assert kes.extra["InstallDate"] == "20240312"
    assert (
        kes.source.path
        == f"HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{KES}"
    )
    zoom = by_field(result, "name", "Zoom Workplace")
    assert zoom.extra["user_sid"] == SID  # the _Classes half of the hive is not a user
    nameless = [o for o in programs if "name" not in o.fields]
    assert [o.fields["product_code"] for o in nameless] == [
        "{90160000-008C-0000-1000-0000000FF1CE}"
    ]
    assert len(programs) == 6


def test_services_and_drivers_by_type(result: CollectResult) -> None:
    klif = by_field(result, "service", "klif")
    assert klif.kind is ObservationKind.DRIVER
    assert (klif.fields["driver"], klif.fields["path"]) == (
        "klif.sys",
        "system32\\DRIVERS\\klif.sys",
    )
    assert klif.extra["group"] == "FSFilter Anti-Virus"
    agent = by_field(result, "service", "klnagent")
    assert agent.kind is ObservationKind.SERVICE
    assert agent.fields["name"] == "Kaspersky Security Center Network Agent"
    spooler = by_field(result, "service", "Spooler")  # Type 0x110: own process, interactive
    assert spooler.kind is ObservationKind.SERVICE
    assert "name" not in spooler.fields  # '@file,-1' is a resource reference, kept in extra
    assert spooler.extra["display_name"].startswith("@")
    assert by_field(result, "service", "Tcpip").kind is ObservationKind.DRIVER
    services = {o.fields["service"] for o in result.observations if "service" in o.fields}
    assert ".NET CLR Data" not in services  # a key without a Type is not a service


def test_software_keys_name_vendors_in_both_views(result: CollectResult) -> None:
    keys = {o.fields["registry_key"] for o in of_kind(result, ObservationKind.REGISTRY_KEY)}
    assert "HKEY_LOCAL_MACHINE\\SOFTWARE\\KasperskyLab" in keys
    assert "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node\\KasperskyLab" in keys
    assert "HKEY_LOCAL_MACHINE\\SOFTWARE\\WOW6432Node" not in keys
    assert (
        "HKEY_LOCAL_MACHINE\\SOFTWARE\\Google\\Chrome" not in keys
    )  # names of direct sub-keys only


def test_certificate_store_blobs_are_decoded(result: CollectResult) -> None:
    certificates = of_kind(result, ObservationKind.CERTIFICATE)
    stores = {o.fields["store"]: o for o in certificates}
    assert set(stores) == {"LocalMachine\\Root", f"{SID}\\Root"}
    kaspersky = stores["LocalMachine\\Root"]
    assert (
        kaspersky.fields["cert_subject"]
        == "CN=Kaspersky Anti-Virus Personal Root Certificate,O=AO Kaspersky Lab,C=RU"
    )
    # the registry names each certificate by its SHA-1 thumbprint
    assert kaspersky.fields["cert_sha1"] == kaspersky.source.path.rsplit("\\", 1)[-1]
    assert kaspersky.extra["friendly_name"] == "Kaspersky Anti-Virus Personal Root Certificate"


def test_file_sources_read_the_tree(result: CollectResult) -> None:
    extension = by_field(result, "extension_id", "ahkjpbeeocnddjkakilopmfdlnjdpcdm")
    assert extension.source.path.startswith(
        "C:\\Users\\alice\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\"
    )
    assert (
        by_field(result, "extension_id", "odfafepnkmbhccpbejgmiehpchacaeak").extra["browser"]
        == "edge"
    )
    folders = {o.fields["path"] for o in of_kind(result, ObservationKind.FILE)}
    assert "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent" in folders
    assert "C:\\ProgramData\\Kaspersky Lab\\AVP21.3" in folders
    drivers = {
        o.fields["path"]
        for o in of_kind(result, ObservationKind.DRIVER)
        if o.source.path.startswith("C:")
    }
    assert drivers == {
        "C:\\Windows\\System32\\drivers\\klif.sys",
        "C:\\Windows\\System32\\drivers\\ntfs.sys",
        "C:\\Windows\\System32\\drivers\\tcpip.sys",
        "C:\\Windows\\System32\\drivers\\K4W-21-25\\klhk.sys",
    }
    assert result.complete


def test_without_a_registry_the_registry_sources_are_skipped() -> None:
    result = collect_this_machine(root=WIN, system="Windows")
    statuses = {item.source: item.status for item in result.coverage}
    assert statuses["uninstall-keys"] is CoverageStatus.SKIPPED
    assert statuses["certificate-stores"] is CoverageStatus.SKIPPED
    assert statuses["browser-extensions"] is CoverageStatus.READ
    assert result.asset.name == "win11"


def test_damaged_registry_data_fails_only_its_source() -> None:
    keys = parse_reg(REG)
    root_store = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\SystemCertificates\\ROOT\\Certificates"
    keys[f"{root_store}\\00112233445566778899AABBCCDDEEFF00112233"] = {
        "Blob": struct.pack("<III", 0x20, 1, 0x400) + b"\x30\x82\x03"
    }
    result = collect_this_machine(root=WIN, system="Windows", registry=MemoryRegistry(keys))
    item = coverage(result, "certificate-stores")
    assert item.status is CoverageStatus.FAILED
    assert (
        "00112233445566778899AABBCCDDEEFF00112233: certificate blob element 0x20 is truncated"
        in item.reason
    )
    assert item.count == 2


class DeniedServices(MemoryRegistry):
    def values(self, key: str) -> dict[str, RegValue]:
        if key.endswith("\\klnagent"):
            raise PermissionError(5, "Access is denied")
        return super().values(key)


def test_a_key_that_cannot_be_opened_is_recorded() -> None:
    result = collect_this_machine(
        root=WIN, system="Windows", registry=DeniedServices(parse_reg(REG))
    )
    item = coverage(result, "services")
    assert item.status is CoverageStatus.FAILED
    assert (
        item.reason
        == "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\klnagent: permission denied"
    )
    assert item.count == 3


# --------------------------------------------------------------------------- registry model


def test_memory_registry_is_case_insensitive_and_implies_parents() -> None:
    registry = MemoryRegistry({"HKLM\\SOFTWARE\\Vendor\\Product": {"Version": "1"}})
    assert registry.subkeys("HKEY_LOCAL_MACHINE\\software") == ["Vendor"]
    assert registry.values("hklm\\Software\\VENDOR\\product") == {"Version": "1"}
    assert registry.values("HKEY_LOCAL_MACHINE\\SOFTWARE\\Vendor") == {}
    with pytest.raises(FileNotFoundError):
        registry.subkeys("HKEY_LOCAL_MACHINE\\SYSTEM")
    assert canonical("HKU\\S-1-5-18\\") == "HKEY_USERS\\S-1-5-18"


def test_cert_blob_skips_properties_before_the_certificate() -> None:
    keys = parse_reg(REG)
    blob_key = next(k for k in keys if "\\ROOT\\Certificates\\" in k)
    blob = keys[blob_key]["Blob"]
    assert isinstance(blob, bytes)
    parsed = parse_cert_blob(blob)
    cert = x509.load_der_x509_certificate(parsed.der)
    assert cert.fingerprint(hashes.SHA1()).hex().upper() == blob_key.rsplit("\\", 1)[-1]
    with pytest.raises(Problem, match="no certificate element"):
        parse_cert_blob(struct.pack("<III", 11, 1, 2) + b"a\x00")
    with pytest.raises(Problem, match="truncated at byte 14"):
        parse_cert_blob(struct.pack("<III", 11, 1, 2) + b"a\x00" + b"\x20\x00")


@settings(max_examples=200)
@given(st.binary(max_size=128))
def test_cert_blob_parser_raises_only_problem(data: bytes) -> None:
    try:
        parsed = parse_cert_blob(data)
    except Problem:
        return
    assert len(parsed.der) <= len(data)


def test_fixture_keys_round_trip_through_the_reg_parser(tmp_path: Path) -> None:
    keys = parse_reg(REG)
    services = keys["HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Spooler"]
    assert services["DependOnService"] == ["RPCSS", "http"]  # hex(7)
    assert services["ImagePath"] == "%SystemRoot%\\System32\\spoolsv.exe"  # hex(2)
    assert services["Type"] == 0x110
