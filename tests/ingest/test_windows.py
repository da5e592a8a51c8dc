"""Windows readers: .reg exports, PowerShell CSV/JSON exports, offline hives."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from rootout.errors import InputError
from rootout.ingest.base import Reader, detect
from rootout.ingest.formats._winhive import mount_point, walk_hive
from rootout.ingest.formats.osquery import OsqueryJsonReader
from rootout.ingest.formats.windows import (
    PowerShellCsvReader,
    PowerShellJsonReader,
    RegExportReader,
    RegistryHiveReader,
)
from rootout.model.observation import Observation, ObservationKind
from tests.ingest._endpoint_fuzz import FUZZ_EXAMPLES, inputs, survives

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "windows"
KES = "{27534751-4A40-48BD-B393-BC3BF28C876E}"
WOW = r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL = r"HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"


def read(reader: type[Reader], data: bytes, name: str) -> list[Observation]:
    return list(reader().read(Path(name), io.BytesIO(data)))


def read_fixture(name: str) -> list[Observation]:
    path = FIXTURES / name
    reader = detect(path, path.read_bytes()[:65536])
    assert reader is not None
    return read(reader, path.read_bytes(), str(path))


def named(observations: list[Observation], name: str) -> Observation:
    return next(o for o in observations if o.fields.get("name") == name)


# --- .reg ---------------------------------------------------------------------------------------


def test_utf16_reg_export_is_detected_and_read() -> None:
    path = FIXTURES / "uninstall-utf16.reg"
    assert path.read_bytes()[:2] == b"\xff\xfe"
    assert detect(path, path.read_bytes()[:65536]) is RegExportReader
    observations = read_fixture("uninstall-utf16.reg")
    programs = [o.fields["name"] for o in observations if o.kind is ObservationKind.PROGRAM]
    keys = [
        o.fields["registry_key"] for o in observations if o.kind is ObservationKind.REGISTRY_KEY
    ]
    assert programs == [
        "Kaspersky Endpoint Security for Windows",
        "Kaspersky Security Center Network Agent",
        "7-Zip 23.01 (x64)",
        "Microsoft Edge",
        "Microsoft OneDrive",
    ]
    assert keys == [
        r"HKEY_LOCAL_MACHINE\SOFTWARE\KasperskyLab",
        r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment",
    ]


def test_uninstall_entry_fields() -> None:
    kes = named(read_fixture("uninstall-utf16.reg"), "Kaspersky Endpoint Security for Windows")
    assert kes.fields == {
        "name": "Kaspersky Endpoint Security for Windows",
        "publisher": "AO Kaspersky Lab",
        "version": "12.4.0.467",
        "install_location": "C:\\Program Files (x86)\\Kaspersky Lab\\KES.12.4.0\\",
        "uninstall_string": f"MsiExec.exe /X{KES}",
        "product_code": KES,
        "registry_key": f"{WOW}\\{KES}",
    }
    assert kes.extra["EstimatedSize"] == "120000"  # dword:0001d4c0
    assert kes.extra["Language"] == "1033"
    assert (kes.extra["scope"], kes.extra["registry_view"]) == ("machine", "32-bit")
    assert (kes.source.line, kes.source.format) == (5, "reg")
    assert kes.asset.name == "uninstall-utf16"


def test_wrapped_hex_values_and_hidden_entries_are_kept() -> None:
    agent = named(read_fixture("uninstall-utf16.reg"), "Kaspersky Security Center Network Agent")
    expected_icon = "C:\\Program Files (x86)\\Kaspersky Lab\\NetworkAgent\\klnagent.exe,0"
    assert agent.extra["DisplayIcon"] == expected_icon  # hex(2) over five lines
    assert agent.extra["SystemComponent"] == "1"  # hidden from Programs and Features, still there


def test_per_user_entry_and_multi_string() -> None:
    onedrive = named(read_fixture("uninstall-utf16.reg"), "Microsoft OneDrive")
    assert onedrive.extra["scope"] == "user"
    assert onedrive.extra["user_sid"] == "S-1-5-21-3623811015-3361044348-30300820-1013"
    assert onedrive.extra["Tags"] == "onedrive\nsync"
    assert "product_code" not in onedrive.fields


def test_non_guid_key_name_is_not_a_product_code() -> None:
    seven_zip = named(read_fixture("uninstall-utf16.reg"), "7-Zip 23.01 (x64)")
    assert "product_code" not in seven_zip.fields
    assert seven_zip.extra["key_name"] == "7-Zip"
    assert seven_zip.fields["uninstall_string"] == '"C:\\Program Files\\7-Zip\\Uninstall.exe"'


def test_vendor_key_is_a_registry_key_observation_with_values() -> None:
    observations = read_fixture("uninstall-utf16.reg")
    env = observations[-1]
    assert env.kind is ObservationKind.REGISTRY_KEY
    assert env.extra["ProductVersion"] == "12.4.0.467"
    assert env.extra["value_count"] == "2"
    assert env.source.line == 79


def test_utf8_and_utf16_exports_read_the_same() -> None:
    utf16 = (FIXTURES / "uninstall-utf16.reg").read_bytes()
    utf8 = utf16[2:].decode("utf-16-le").encode("utf-8")
    for bom in (b"", b"\xef\xbb\xbf"):
        same = read(RegExportReader, bom + utf8, "uninstall-utf16.reg")
        original = read(RegExportReader, utf16, "uninstall-utf16.reg")
        assert [(o.fields, o.extra, o.source.line) for o in same] == [
            (o.fields, o.extra, o.source.line) for o in original
        ]


def test_utf8_export_with_non_ascii_names() -> None:
    observations = read_fixture("uninstall-utf8.reg")
    assert named(observations, "Grüße Viewer").fields["publisher"] == "Müller GmbH"
    assert named(observations, "iVMS-4200").fields["publisher"] == "Hikvision"


def test_regedit4_ansi_export() -> None:
    observations = read_fixture("regedit4-ansi.reg")
    kes = named(observations, "Kaspersky Endpoint Security for Windows")
    assert kes.fields["product_code"] == "{C9EF800D-54AA-4F60-AB96-5A3966550F53}"
    assert kes.fields["uninstall_string"] == "MsiExec.exe /X"  # hex(2) in ANSI bytes
    assert named(observations, "Notepad++ (64-bit x64)").extra["Comments"] == "Éditeur de texte"


def test_deleted_keys_and_values_are_skipped() -> None:
    text = (
        "Windows Registry Editor Version 5.00\n\n"
        f'[-{UNINSTALL}\\Old]\n"DisplayName"="Removed"\n\n'
        f'[{UNINSTALL}\\App]\n"DisplayName"="App"\n"Publisher"=-\n'
    )
    (app,) = read(RegExportReader, text.encode(), "x.reg")
    assert app.fields["name"] == "App"
    assert "publisher" not in app.fields


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("REGEDIT5\n", 1, "not a .reg export"),
        ("", 1, "empty .reg file"),
        ('REGEDIT4\n"Name"="x"\n', 2, "before any [KEY]"),
        ("REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\nDisplayName=x\n", 3, 'expected [KEY] or "Name"=value'),
        ('REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\n"A"=dword:xyz\n', 3, "malformed dword"),
        ('REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\n"A"=hex:zz,00\n', 3, "malformed hex"),
        ('REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\n"A"=qword:1\n', 3, "unknown value type"),
        ('REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\n"A"="open\n', 3, "past the end"),
        ('REGEDIT4\n[HKEY_LOCAL_MACHINE\\A]\n"A"="x" junk\n', 3, "malformed string"),
        ("REGEDIT4\n[]\n", 2, "empty key name"),
    ],
)
def test_malformed_reg_raises_input_error_with_line(body: str, line: int, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as error:
        read(RegExportReader, body.encode(), "bad.reg")
    assert str(error.value.location) == f"bad.reg:{line}"


def test_invalid_utf16_raises_input_error_with_line() -> None:
    text = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\A]\r\n"
    data = b"\xff\xfe" + text.encode("utf-16-le") + b"\x00\xd8\x41\x00"  # lone high surrogate
    with pytest.raises(InputError, match="not valid UTF-16-LE") as error:
        read(RegExportReader, data, "bad.reg")
    assert error.value.location.line == 4


# --- PowerShell CSV -----------------------------------------------------------------------------


def test_get_itemproperty_csv() -> None:
    path = FIXTURES / "uninstall-ps51.csv"
    assert detect(path, path.read_bytes()) is PowerShellCsvReader
    observations = read_fixture("uninstall-ps51.csv")
    agent = observations[0]
    assert agent.fields["registry_key"] == f"{WOW}\\{{0F05E4E5-5A89-482C-9A62-47CC58643788}}"
    assert agent.fields["product_code"] == "{0F05E4E5-5A89-482C-9A62-47CC58643788}"
    assert agent.fields["publisher"] == "AO Kaspersky Lab"
    assert not {"PSPath", "PSDrive", "PSProvider", "PSParentPath"} & set(agent.extra)
    assert [o.source.line for o in observations] == [3, 4, 5]  # after #TYPE and the header


def test_win32_product_csv_semicolon_delimited_with_computer_names() -> None:
    observations = read_fixture("win32_product.csv")
    kes = named(observations, "Kaspersky Endpoint Security for Windows")
    assert kes.fields["publisher"] == "AO Kaspersky Lab"  # from Vendor
    assert (kes.fields["product_code"], kes.fields["ecosystem"]) == (KES, "msi")
    assert [o.asset.name for o in observations] == ["WS-0147", "WS-0147", "WS-0212"]


def test_get_package_csv_with_bom() -> None:
    observations = read_fixture("get-package.csv")
    msi, programs, module = observations
    assert (msi.kind, msi.fields["ecosystem"]) == (ObservationKind.PROGRAM, "msi")
    assert programs.fields["ecosystem"] == "programs"
    assert (module.kind, module.fields["package"], module.fields["ecosystem"]) == (
        ObservationKind.PACKAGE,
        "Pester",
        "powershellget",
    )


def test_csv_record_spanning_lines_reports_its_first_line() -> None:
    data = b'"DisplayName","Publisher"\n"A","x"\n"Multi\nline","y"\n"C","z"\n'
    observations = read(PowerShellCsvReader, data, "u.csv")
    assert [(o.fields["name"], o.source.line) for o in observations] == [
        ("A", 2),
        ("Multi\nline", 3),
        ("C", 5),
    ]


def test_csv_errors_name_file_and_line() -> None:
    with pytest.raises(InputError, match=r"^u\.csv:3: 3 fields but the header has 2"):
        read(PowerShellCsvReader, b'"DisplayName","Publisher"\n"A","x"\n"B","y","z"\n', "u.csv")
    with pytest.raises(InputError, match=r"^u\.csv:1: not a PowerShell export"):
        read(PowerShellCsvReader, b"a,b\n1,2\n", "u.csv")
    with pytest.raises(InputError, match=r"^u\.csv:2: invalid CSV"):
        read(PowerShellCsvReader, b'"DisplayName"\n"' + b"A" * 200_000 + b'"\n', "u.csv")
    assert not PowerShellCsvReader.sniff(Path("u.csv"), b"a,b\n1,2\n")


def test_plain_csv_with_display_name_is_left_to_the_generic_reader() -> None:
    plain = b"Computer,DisplayName,Publisher\nWS-1,App,Vendor\n"
    assert not PowerShellCsvReader.sniff(Path("cmdb.csv"), plain)
    assert PowerShellCsvReader.sniff(Path("u.csv"), b"#TYPE Selected.X\n" + plain)
    assert read(PowerShellCsvReader, plain, "cmdb.csv")[0].fields["name"] == "App"  # when forced


# --- PowerShell JSON ----------------------------------------------------------------------------


def test_convertto_json_array_in_utf16() -> None:
    path = FIXTURES / "uninstall-ps51.json"
    assert detect(path, path.read_bytes()[:65536]) is PowerShellJsonReader
    agent, seven_zip = read_fixture("uninstall-ps51.json")
    assert agent.fields["name"] == "Kaspersky Security Center Network Agent"
    assert agent.extra["EstimatedSize"] == "4580"
    assert "PSProvider" not in agent.extra  # a nested object, not a value
    assert [
        (agent.source.line, agent.source.pointer),
        (seven_zip.source.line, seven_zip.source.pointer),
    ] == [
        (2, "/0"),
        (25, "/1"),
    ]


def test_convertto_json_single_object() -> None:
    (kes,) = read_fixture("win32_product-single.json")
    assert (kes.fields["product_code"], kes.asset.name, kes.source.pointer) == (KES, "WS-0147", "")


def test_osquery_and_powershell_json_are_told_apart() -> None:
    ps = (FIXTURES / "uninstall-ps51.json").read_bytes()
    osq = (FIXTURES.parent / "osquery" / "programs.json").read_bytes()
    assert not OsqueryJsonReader.sniff(Path("x.json"), ps)
    assert not PowerShellJsonReader.sniff(Path("x.json"), osq)


def test_powershell_json_errors() -> None:
    with pytest.raises(InputError, match=r"^p\.json:3: item 1 is not a JSON object"):
        read(PowerShellJsonReader, b'[\n{"DisplayName":"a"},\n"b"\n]', "p.json")
    with pytest.raises(InputError, match="no DisplayName"):
        read(PowerShellJsonReader, b'{"Foo":"a"}', "p.json")


# --- offline hives ------------------------------------------------------------------------------


def test_hive_names_and_magic_are_sniffed() -> None:
    assert RegistryHiveReader.sniff(Path("C/Users/jdoe/NTUSER.DAT"), b"")
    assert RegistryHiveReader.sniff(Path("ws-0147/SOFTWARE"), b"")
    assert RegistryHiveReader.sniff(Path("export.bin"), b"regf\x01\x00\x00\x00")
    assert not RegistryHiveReader.sniff(Path("notes.dat"), b"hello")


@pytest.mark.parametrize("name", ["NTUSER.DAT", "software.hive"])
def test_non_hive_file_with_a_hive_name_raises_input_error(name: str) -> None:
    with pytest.raises(InputError, match="not a registry hive"):
        read(RegistryHiveReader, b"Windows Registry Editor Version 5.00\r\n", name)


def test_corrupt_hive_raises_input_error() -> None:
    with pytest.raises(InputError, match="corrupt registry hive"):
        read(RegistryHiveReader, b"regf" + b"\x00" * 600, "SOFTWARE")


@dataclass
class FakeValue:
    name: str
    value: Any


@dataclass
class FakeKey:
    """Stands in for regipy's NKRecord (no real hive can be written here: see docs)."""

    name: str
    children: list[FakeKey] = field(default_factory=list)
    values: list[FakeValue] = field(default_factory=list)

    def get_subkey(self, key_name: str, raise_on_missing: bool = True) -> FakeKey | None:
        return next((c for c in self.children if c.name.upper() == key_name.upper()), None)

    def iter_subkeys(self) -> list[FakeKey]:
        return self.children

    def iter_values(
        self, as_json: bool = False, max_len: int = 0, trim_values: bool = True
    ) -> list[FakeValue]:
        return self.values


def _path(*names: str, leaf: FakeKey) -> FakeKey:
    key = leaf
    for name in reversed(names):
        key = FakeKey(name, [key])
    return key


def test_walk_hive_yields_uninstall_entries_of_both_views_and_vendor_keys() -> None:
    kes = FakeKey(
        KES,
        values=[
            FakeValue("DisplayName", "Kaspersky Endpoint Security for Windows"),
            FakeValue("EstimatedSize", 120000),
            FakeValue("(default)", ""),
        ],
    )
    native = _path(
        "Microsoft", "Windows", "CurrentVersion", leaf=FakeKey("Uninstall", [FakeKey("7-Zip")])
    )
    wow = _path("Microsoft", "Windows", "CurrentVersion", leaf=FakeKey("Uninstall", [kes]))
    root = FakeKey(
        "ROOT", [native, FakeKey("WOW6432Node", [wow, FakeKey("KasperskyLab")]), FakeKey("Google")]
    )
    mount = mount_point(r"\SystemRoot\System32\Config\SOFTWARE", Path("SOFTWARE"), root)
    entries = list(walk_hive(root, mount))
    assert [(e.path, e.uninstall) for e in entries] == [
        (f"{UNINSTALL}\\7-Zip", True),
        (f"{WOW}\\{KES}", True),
        (r"HKEY_LOCAL_MACHINE\SOFTWARE\Google", False),
        (r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\KasperskyLab", False),
    ]
    assert entries[1].values == {
        "DisplayName": "Kaspersky Endpoint Security for Windows",
        "EstimatedSize": "120000",
        "": "",
    }


def test_user_hive_is_mounted_at_current_user() -> None:
    uninstall = FakeKey(
        "Uninstall", [FakeKey("OneDriveSetup.exe", values=[FakeValue("DisplayName", "OneDrive")])]
    )
    software = _path("Software", "Microsoft", "Windows", "CurrentVersion", leaf=uninstall)
    software.children.append(FakeKey("KasperskyLab"))
    root = FakeKey("ROOT", [software])
    mount = mount_point("", Path("jdoe/NTUSER.DAT"), root)
    assert mount == "HKEY_CURRENT_USER"
    assert mount_point("", Path("hive.bin"), root) == "HKEY_CURRENT_USER"  # from its layout
    entry, vendor = walk_hive(root, mount)
    assert entry.path.endswith(
        r"\Software\Microsoft\Windows\CurrentVersion\Uninstall\OneDriveSetup.exe"
    )
    assert entry.path.startswith("HKEY_CURRENT_USER\\")
    assert (vendor.path, vendor.uninstall) == (r"HKEY_CURRENT_USER\Software\KasperskyLab", False)


# --- fuzz ---------------------------------------------------------------------------------------

SEEDS = [p.read_bytes() for p in sorted(FIXTURES.iterdir())]
READERS: list[tuple[type[Reader], str]] = [
    (RegExportReader, "x.reg"),
    (PowerShellCsvReader, "x.csv"),
    (PowerShellJsonReader, "x.json"),
]


@settings(max_examples=200, deadline=None)
@given(inputs(SEEDS))
def test_fuzz_windows_readers(data: bytes) -> None:
    for reader, name in READERS:
        survives(reader, Path(name), data)


@settings(max_examples=50, deadline=None)
@given(inputs([b"regf" + bytes(4092), b"regf\x01\x00\x00\x00" + bytes(8184)]))
def test_fuzz_hive_reader(data: bytes) -> None:
    survives(RegistryHiveReader, Path("SOFTWARE"), data)


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(inputs(SEEDS))
def test_fuzz_windows_readers_scaled(data: bytes) -> None:
    for reader, name in READERS:
        survives(reader, Path(name), data)
