"""osquery readers: ``osqueryi --json`` tables and ``osqueryd`` results logs."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from rootout.errors import InputError
from rootout.ingest.base import detect
from rootout.ingest.formats import _endpoint_io
from rootout.ingest.formats._osquery_tables import TABLES, infer_table, tables_named_in
from rootout.ingest.formats.osquery import OsqueryJsonReader, OsqueryResultsReader
from rootout.model.observation import Observation, ObservationKind
from tests.ingest._endpoint_fuzz import FUZZ_EXAMPLES, inputs, survives

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "osquery"
TABLE_FILES = sorted(p for p in FIXTURES.glob("*.json"))
RESULTS_LOG = FIXTURES / "osqueryd.results.log"


def read(
    reader: type[OsqueryJsonReader | OsqueryResultsReader], data: bytes, name: str
) -> list[Observation]:
    return list(reader().read(Path(name), io.BytesIO(data)))


def read_table(table: str, name: str | None = None) -> list[Observation]:
    path = FIXTURES / f"{table}.json"
    return read(OsqueryJsonReader, path.read_bytes(), name or str(path))


def by_name(observations: list[Observation], field: str, value: str) -> Observation:
    return next(o for o in observations if o.fields.get(field) == value)


# --- osqueryi --json ----------------------------------------------------------------------------


def test_every_brief_table_has_a_fixture() -> None:
    tables = {p.stem for p in TABLE_FILES}
    assert len(tables) == 20
    assert tables <= set(TABLES)


@pytest.mark.parametrize("path", TABLE_FILES, ids=lambda p: p.stem)
def test_fixture_is_detected_and_its_table_inferred_from_columns_alone(path: Path) -> None:
    assert detect(path, path.read_bytes()[:65536]) is OsqueryJsonReader
    rows = json.loads(path.read_text(encoding="utf-8"))
    observations = read(OsqueryJsonReader, path.read_bytes(), "query-output.json")
    assert len(observations) == len(rows)
    assert {o.extra["osquery_table"] for o in observations} == {path.stem}
    assert {o.kind for o in observations} == {TABLES[path.stem].kind}


def test_programs_map_to_canonical_fields() -> None:
    observations = read_table("programs")
    kes = by_name(observations, "name", "Kaspersky Endpoint Security for Windows")
    assert kes.kind is ObservationKind.PROGRAM
    assert kes.fields["publisher"] == "AO Kaspersky Lab"
    assert kes.fields["version"] == "12.4.0.467"
    assert kes.fields["product_code"] == "{27534751-4A40-48BD-B393-BC3BF28C876E}"
    assert kes.extra["install_date"] == "20240312"
    assert (kes.source.line, kes.source.pointer, kes.source.format) == (2, "/0", "osquery-json")
    assert kes.observed_at is None


def test_programs_non_msi_identifying_number_is_not_a_product_code() -> None:
    observations = read_table("programs")
    seven_zip = by_name(observations, "name", "7-Zip 23.01 (x64)")
    terminal = by_name(observations, "name", "Microsoft.WindowsTerminal")
    assert "product_code" not in seven_zip.fields
    assert seven_zip.extra["identifying_number"] == "7-Zip"
    assert "product_code" not in terminal.fields
    assert terminal.extra["package_family_name"] == "Microsoft.WindowsTerminal_8wekyb3d8bbwe"


def test_linux_packages_fill_package_vendor_and_ecosystem() -> None:
    kesl = by_name(read_table("deb_packages"), "package", "kesl")
    assert (kesl.kind, kesl.fields["ecosystem"], kesl.fields["vendor"]) == (
        ObservationKind.PACKAGE,
        "deb",
        "AO Kaspersky Lab",
    )
    bash = by_name(read_table("deb_packages"), "package", "bash")
    assert bash.fields["vendor"] == "Matthias Klose <doko@debian.org>"  # raw maintainer
    rpm = by_name(read_table("rpm_packages"), "package", "kesl")
    assert (rpm.fields["ecosystem"], rpm.fields["vendor"]) == ("rpm", "AO Kaspersky Lab")
    assert rpm.extra["release"] == "6672"


@pytest.mark.parametrize(
    ("table", "key_field", "key", "expected"),
    [
        ("apps", "bundle_id", "com.kaspersky.kav", {"version": "12.0.0.325"}),
        (
            "chrome_extensions",
            "extension_id",
            "ahkjpbeeocnddjkakilopmfdlnjdpcdm",
            {"name": "Kaspersky Protection", "ecosystem": "chrome"},
        ),
        (
            "firefox_addons",
            "extension_id",
            "uBlock0@raymondhill.net",
            {"author": "Raymond Hill", "ecosystem": "firefox"},
        ),
        (
            "drivers",
            "driver",
            "klif.sys",
            {
                "path": "C:\\Windows\\system32\\DRIVERS\\klif.sys",
                "vendor": "Kaspersky Lab",
                "service": "klif",
                "description": "Kaspersky Lab KLIF Driver",
            },
        ),
        ("services", "service", "klnagent", {"name": "Kaspersky Security Center Network Agent"}),
        ("kernel_modules", "driver", "nf_tables", {"name": "nf_tables"}),
        ("kernel_extensions", "bundle_id", "com.apple.driver.AppleSMC", {"version": "3.1.9"}),
        (
            "processes",
            "process",
            "klnagent.exe",
            {"path": "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\klnagent.exe"},
        ),
        (
            "certificates",
            "cert_sha1",
            "df3c24f9bfd666761b268073fe06d1cc8d4f82a4",
            {"name": "DigiCert Global Root G2", "store": "Root"},
        ),
        (
            "interface_details",
            "mac",
            "e0:06:30:4a:9b:01",
            {"name": "HUAWEI Mobile Connect - Network Adapter", "manufacturer": "HUAWEI"},
        ),
        ("arp_cache", "mac", "0c:75:d2:ab:cd:ef", {"ip": "10.20.0.57"}),
        (
            "windows_security_products",
            "name",
            "Kaspersky Endpoint Security for Windows",
            {"path": "%ProgramFiles(x86)%\\Kaspersky Lab\\KES.12.4.0\\avp.com"},
        ),
        (
            "authenticode",
            "signer",
            "AO Kaspersky Lab",
            {"cert_issuer": "DigiCert Trusted G4 Code Signing RSA4096 SHA384 2021 CA1"},
        ),
        ("homebrew_packages", "package", "wget", {"ecosystem": "homebrew"}),
        (
            "chocolatey_packages",
            "package",
            "7zip",
            {"author": "Igor Pavlov", "ecosystem": "chocolatey"},
        ),
        (
            "python_packages",
            "package",
            "requests",
            {"author": "Kenneth Reitz", "ecosystem": "pypi"},
        ),
        ("npm_packages", "package", "express", {"author": "TJ Holowaychuk", "ecosystem": "npm"}),
    ],
)
def test_table_columns_map_to_canonical_fields(
    table: str, key_field: str, key: str, expected: dict[str, str]
) -> None:
    observation = by_name(read_table(table), key_field, key)
    assert {k: observation.fields.get(k) for k in expected} == expected


def test_service_dll_is_the_path_and_the_image_path_is_kept() -> None:
    dnscache = by_name(read_table("services"), "service", "Dnscache")
    assert dnscache.fields["path"] == "%SystemRoot%\\System32\\dnsrslvr.dll"
    assert dnscache.extra["path"] == "C:\\Windows\\system32\\svchost.exe -k NetworkService -p"


def test_certificate_subject_issuer_and_validity() -> None:
    cert = by_name(
        read_table("certificates"), "name", "Kaspersky Anti-Virus Personal Root Certificate"
    )
    assert cert.fields["cert_subject"].endswith(
        "/CN=Kaspersky Anti-Virus Personal Root Certificate"
    )
    assert cert.fields["cert_issuer"] == cert.fields["cert_subject"]
    assert cert.fields["not_valid_after"] == "2104272000"
    assert cert.extra["self_signed"] == "1"


def test_asset_is_named_after_the_folder_when_the_file_is_named_after_the_table() -> None:
    data = (FIXTURES / "programs.json").read_bytes()
    assert {o.asset.name for o in read(OsqueryJsonReader, data, "ws-0147/programs.json")} == {
        "ws-0147"
    }
    assert {o.asset.name for o in read(OsqueryJsonReader, data, "ws-0147_programs.json")} == {
        "ws-0147_programs"
    }


def test_joined_host_columns_become_the_asset() -> None:
    data = json.dumps(
        [
            {
                "hostname": "ws-9",
                "host_uuid": "U-1",
                "hardware_serial": "S-1",
                "name": "klnagent",
                "display_name": "Network Agent",
                "start_type": "AUTO_START",
            }
        ]
    ).encode()
    (observation,) = read(OsqueryJsonReader, data, "out.json")
    assert observation.asset.name == "ws-9"
    assert observation.asset.identifiers == (("host_uuid", "U-1"), ("serial", "S-1"))
    assert observation.fields["service"] == "klnagent"
    assert "hostname" not in observation.extra


def test_ambiguous_columns_without_a_hint_use_generic_fields() -> None:
    data = b'[{"name":"Kaspersky","version":"21.3","path":"/opt/kaspersky/kesl"}]'
    (generic,) = read(OsqueryJsonReader, data, "custom-query.json")
    assert generic.extra["osquery_table"] == ""
    assert generic.kind is ObservationKind.PROGRAM
    assert generic.fields == {"name": "Kaspersky", "version": "21.3", "path": "/opt/kaspersky/kesl"}
    (hinted,) = read(
        OsqueryJsonReader, b'[{"name":"Kaspersky","version":"21.3"}]', "deb_packages.json"
    )
    assert (hinted.extra["osquery_table"], hinted.fields["package"]) == (
        "deb_packages",
        "Kaspersky",
    )


def test_utf16_bom_output_is_decoded() -> None:
    data = (FIXTURES / "programs.json").read_text(encoding="utf-8").encode("utf-16")
    assert len(read(OsqueryJsonReader, data, "programs.json")) == 5


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b'[\n{"name":"a"},\n{"name":"b",}\n]', 3, "invalid JSON"),
        (b'{"name":"a"}', 1, "array of rows"),
        (b'[\n{"name":"a"},\n["x"]\n]', 3, "not a JSON object"),
        (b'[\n{"name":"a"}\n] trailing', 3, "unexpected data"),
        (b"[" * 100_000, 1, ""),
    ],
)
def test_malformed_json_raises_input_error_with_line(data: bytes, line: int, message: str) -> None:
    with pytest.raises(InputError) as error:
        read(OsqueryJsonReader, data, "programs.json")
    assert error.value.location.line == line
    assert message in str(error.value)
    assert "programs.json" in str(error.value)


def test_sniff_leaves_other_json_arrays_alone() -> None:
    assert not OsqueryJsonReader.sniff(Path("x.json"), b'[{"DisplayName":"a","PSChildName":"b"}]')
    assert not OsqueryJsonReader.sniff(Path("x.json"), b'{"bomFormat":"CycloneDX"}')
    assert OsqueryJsonReader.sniff(Path("programs.json"), b"[\n\n]\n")


def test_table_names_and_inference() -> None:
    assert tables_named_in("pack_rootout_deb_packages") == ("deb_packages",)
    assert tables_named_in("pack_inventory_deb") == ("deb_packages",)
    assert tables_named_in("pack/Global/windows-apps") == ("apps",)
    assert tables_named_in("my_programs_v2") == ("programs",)
    assert infer_table({"address", "mac", "interface", "permanent"}) == "arp_cache"
    assert infer_table({"name", "path", "pid"}) is None  # processes or services
    assert infer_table({"name", "path", "pid"}, ("processes",)) == "processes"
    assert infer_table({"name", "publisher", "my_extra_column"}, ("programs",)) == "programs"
    assert infer_table({"name", "version", "vendor"}) == "rpm_packages"  # only rpm has vendor
    assert infer_table(TABLES["chocolatey_packages"].columns) == "chocolatey_packages"


# --- osqueryd results log -----------------------------------------------------------------------


def results() -> list[Observation]:
    return read(OsqueryResultsReader, RESULTS_LOG.read_bytes(), str(RESULTS_LOG))


def test_results_log_is_detected() -> None:
    assert detect(RESULTS_LOG, RESULTS_LOG.read_bytes()[:65536]) is OsqueryResultsReader


def test_results_log_reads_event_batch_and_snapshot_forms() -> None:
    observations = results()
    forms = [(o.source.line, o.source.pointer, o.extra["action"]) for o in observations]
    assert forms == [
        (1, "/columns", "added"),
        (2, "/columns", "removed"),
        (3, "/columns", "added"),
        (4, "/diffResults/added/0", "added"),
        (4, "/diffResults/added/1", "added"),
        (4, "/diffResults/removed/0", "removed"),
        (5, "/snapshot/0", "snapshot"),
        (5, "/snapshot/1", "snapshot"),
        (5, "/snapshot/2", "snapshot"),
        (6, "/columns", "added"),
        (7, "/columns", "added"),
    ]


def test_removed_rows_are_observations_marked_removed() -> None:
    removed = results()[1]
    assert removed.fields["name"] == "Kaspersky Endpoint Security for Windows"
    assert removed.fields["product_code"] == "{27534751-4A40-48BD-B393-BC3BF28C876E}"
    assert removed.extra["action"] == "removed"
    assert removed.extra["query_name"] == "pack_rootout_programs"
    assert removed.observed_at == dt.datetime(2024, 10, 15, 8, 30, tzinfo=dt.UTC)


def test_decorations_make_the_asset() -> None:
    first = results()[0]
    assert first.asset.name == "ws-0147.corp.example"
    assert first.asset.identifiers == (
        ("host_uuid", "4C4C4544-0031-3510-8052-B4C04F4B4E32"),
        ("serial", "5R2KQN3"),
        ("host_identifier", "ws-0147"),
    )
    assert ("hardware_serial", "5R2KQN3") in first.asset.tags
    assert first.asset.key == "host:host_uuid:4c4c4544-0031-3510-8052-b4c04f4b4e32"
    top_level = results()[9]  # --decorations_top_level: decorations beside the envelope
    assert top_level.asset.identifiers[0] == ("host_uuid", "A1B2C3D4-0000-1111-2222-333344445555")


def test_table_comes_from_query_name_fleet_source_or_columns() -> None:
    observations = results()
    kesl = observations[3]
    assert (kesl.extra["osquery_table"], kesl.fields["package"]) == ("deb_packages", "kesl")
    fleet_program, _, fleet_extension = observations[6:9]
    assert fleet_program.fields["vendor"] == "AO Kaspersky Lab"
    assert fleet_program.extra["osquery_table"] == "programs"
    assert fleet_extension.kind is ObservationKind.BROWSER_EXTENSION
    assert fleet_extension.fields["extension_id"] == "ahkjpbeeocnddjkakilopmfdlnjdpcdm"
    assert observations[9].fields == {"mac": "0c:75:d2:ab:cd:ef", "ip": "10.20.0.57"}


def test_observed_at_from_unix_time_string_or_calendar_time() -> None:
    observations = results()
    assert observations[0].observed_at == dt.datetime(2024, 9, 16, 10, 2, 11, tzinfo=dt.UTC)
    assert observations[9].observed_at == dt.datetime(
        2024, 9, 18, 14, 0, tzinfo=dt.UTC
    )  # "1726668000"
    assert observations[10].observed_at == dt.datetime(
        2024, 9, 18, 14, 0, tzinfo=dt.UTC
    )  # calendarTime
    assert observations[10].extra["pid"] == "712"  # numerics: true


def test_bad_line_raises_input_error_naming_file_and_line_after_earlier_rows() -> None:
    lines = RESULTS_LOG.read_bytes().splitlines(keepends=True)
    broken = b"".join([*lines[:2], b'{"action":"added","columns":{"name":\n', *lines[2:]])
    reader = OsqueryResultsReader().read(Path("host.log"), io.BytesIO(broken))
    assert next(reader).extra["action"] == "added"
    assert next(reader).extra["action"] == "removed"
    with pytest.raises(InputError, match=r"^host\.log:3: invalid JSON"):
        next(reader)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'["not", "an", "object"]', "not a JSON object"),
        (b'{"name":"q","hostIdentifier":"h"}', "no 'columns'"),
        (b'{"name":"q","diffResults":{"added":{}}}', "is not an array"),
        (b'{"name":"q","snapshot":[1]}', "/snapshot/0 is not a JSON object"),
    ],
)
def test_malformed_result_lines(line: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        read(OsqueryResultsReader, b"\n" + line + b"\n", "r.log")
    assert error.value.location.line == 2


def test_overlong_line_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_endpoint_io, "MAX_LINE_BYTES", 1000)
    data = b'{"name":"q","columns":{"name":"' + b"x" * 5000 + b'"}}\n'
    with pytest.raises(InputError, match="longer than 1000 bytes"):
        read(OsqueryResultsReader, data, "r.log")


def test_results_log_streams_lazily() -> None:
    """The reader yields the first line's rows before reading the rest of the stream."""
    first = RESULTS_LOG.read_bytes().splitlines(keepends=True)[0]

    class Endless(io.RawIOBase):
        def __init__(self) -> None:
            self.served = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
            left = first[self.served :] if self.served < len(first) else b" " * len(buffer)
            size = min(len(buffer), len(left))
            buffer[:size] = left[:size]
            self.served += size
            return size

    stream = Endless()
    observation = next(OsqueryResultsReader().read(Path("big.log"), stream))  # type: ignore[arg-type]
    assert observation.fields["process"] == "klnagent.exe"
    assert stream.served < 4 * 1024 * 1024


# --- fuzz ---------------------------------------------------------------------------------------

SEEDS = [RESULTS_LOG.read_bytes(), *(p.read_bytes() for p in TABLE_FILES[:6])]


@settings(max_examples=200, deadline=None)
@given(inputs(SEEDS))
def test_fuzz_osquery_readers(data: bytes) -> None:
    survives(OsqueryJsonReader, Path("programs.json"), data)
    survives(OsqueryResultsReader, Path("osqueryd.results.log"), data)


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(inputs(SEEDS))
def test_fuzz_osquery_readers_scaled(data: bytes) -> None:
    survives(OsqueryJsonReader, Path("programs.json"), data)
    survives(OsqueryResultsReader, Path("osqueryd.results.log"), data)
