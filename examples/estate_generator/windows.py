"""Windows-side exports: one host's registry (``.reg``) and the Intune discovered-apps report.

* ``registry/EA-WS-0112/software.reg``: an excerpt of ``reg export HKLM\\SOFTWARE``
  (regedit's format: UTF-16LE with a BOM, CRLF, ``Windows Registry Editor Version
  5.00``) keeping the Uninstall keys of both registry views and
  ``HKLM\\SOFTWARE\\KasperskyLab``.
* ``intune/AppInvRawData.csv``: the Intune ``AppInvRawData`` export (per device,
  every field quoted) for the field-office laptops Intune manages.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from pathlib import Path

from .common import REG_EXPORT_HOST, host_named, rng, words, write_text
from .programs import Program, windows_programs

HKLM = "HKEY_LOCAL_MACHINE\\SOFTWARE"
UNINSTALL = "Microsoft\\Windows\\CurrentVersion\\Uninstall"
_MSI_VALUES = words(
    "AuthorizedCDFPrefix Comments Contact DisplayVersion HelpLink HelpTelephone InstallDate "
    "InstallLocation InstallSource ModifyPath Publisher Readme Size EstimatedSize "
    "UninstallString URLInfoAbout URLUpdateInfo VersionMajor VersionMinor WindowsInstaller "
    "Version Language DisplayName"
)
_KEY_NAMES = {
    "7-Zip 24.09 (x64)": "7-Zip",
    "Git": "Git_is1",
    "Microsoft Visual Studio Code": "{EA457B21-F73E-494C-ACAB-524FDE069978}_is1",
}


def reg_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reg_hex(name: str, kind: str, data: bytes) -> str:
    """A ``hex(n):`` value wrapped the way regedit wraps it (``,\\`` then two spaces)."""
    tokens = [f"{b:02x}" for b in data]
    lines: list[str] = []
    current = f"{reg_string(name)}={kind}:"
    for i, token in enumerate(tokens):
        piece = token + ("," if i < len(tokens) - 1 else "")
        if len(current) + len(piece) > 79:
            lines.append(current + "\\")
            current = "  " + piece
        else:
            current += piece
    lines.append(current)
    return "\n".join(lines)


def _version_dwords(version: str) -> tuple[int, int, int]:
    parts = [int(p) if p.isdigit() else 0 for p in version.split(".")] + [0, 0, 0]
    major, minor, build = parts[0] & 0xFF, parts[1] & 0xFF, parts[2] & 0xFFFF
    return major, minor, (major << 24) | (minor << 16) | build


def _msi_values(program: Program, install_date: str, size: int) -> list[str]:
    major, minor, packed = _version_dwords(program.version)
    code = program.code()
    values = {
        "DisplayVersion": reg_string(program.version),
        "InstallDate": reg_string(install_date),
        "InstallLocation": reg_string(program.location),
        "InstallSource": reg_string("C:\\Windows\\ccmcache\\" + code[1:3].lower() + "\\"),
        "ModifyPath": reg_string(f"MsiExec.exe /I{code}"),
        "Publisher": reg_string(program.publisher),
        "EstimatedSize": f"dword:{size:08x}",
        "UninstallString": reg_string(program.uninstall_string()),
        "VersionMajor": f"dword:{major:08x}",
        "VersionMinor": f"dword:{minor:08x}",
        "WindowsInstaller": "dword:00000001",
        "Version": f"dword:{packed:08x}",
        "Language": "dword:00000409",
        "DisplayName": reg_string(program.name),
    }
    return [f'"{name}"={values.get(name, reg_string(""))}' for name in _MSI_VALUES]


def _exe_values(program: Program, install_date: str, size: int) -> list[str]:
    lines = [
        f'"DisplayName"={reg_string(program.name)}',
        f'"DisplayVersion"={reg_string(program.version)}',
        f'"Publisher"={reg_string(program.publisher)}',
        f'"InstallDate"={reg_string(install_date)}',
    ]
    if program.location:
        lines.append(f'"InstallLocation"={reg_string(program.location)}')
        icon = (program.location.rstrip("\\") + "\\uninst.exe,0").encode("utf-16-le") + b"\0\0"
        lines.append(reg_hex("DisplayIcon", "hex(2)", icon))
    if program.uninstall_string():
        lines.append(f'"UninstallString"={reg_string(program.uninstall_string())}')
    lines += ['"NoModify"=dword:00000001', '"NoRepair"=dword:00000001']
    lines.append(f'"EstimatedSize"=dword:{size:08x}')
    return lines


def _uninstall_key(program: Program) -> str:
    view = "WOW6432Node\\" if "(x86)" in program.location else ""
    name = program.code() or _KEY_NAMES.get(program.name, program.name)
    return f"{HKLM}\\{view}{UNINSTALL}\\{name}"


def reg_export() -> str:
    host = host_named(REG_EXPORT_HOST)
    r = rng(f"reg/{host.name}")
    keys: dict[str, list[str]] = {f"{HKLM}\\KasperskyLab": []}
    for view in ("", "WOW6432Node\\"):
        keys[f"{HKLM}\\{view}{UNINSTALL}"] = []
    for program in windows_programs(host):
        date = f"2025{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
        size = r.randrange(2_000, 900_000)
        make = _msi_values if program.msi else _exe_values
        keys[_uninstall_key(program)] = make(program, date, size)
    blocks = [
        f"[{key}]\n" + "".join(v + "\n" for v in keys[key]) for key in sorted(keys, key=str.lower)
    ]
    return "Windows Registry Editor Version 5.00\n\n" + "\n".join(blocks) + "\n"


# --------------------------------------------------------------------------- Intune

INTUNE_COLUMNS = words(
    "ApplicationKey ApplicationId ApplicationName ApplicationPublisher "
    "ApplicationShortVersion ApplicationVersion DeviceId DeviceName OSDescription OSVersion "
    "Platform UserId EmailAddress UserName"
)
_PEOPLE = (
    ("Avery", "Lindqvist"),
    ("Jordan", "Okafor"),
    ("Riley", "Marchetti"),
    ("Casey", "Nakamura"),
    ("Morgan", "Delacroix"),
    ("Quinn", "Abernathy"),
    ("Taylor", "Oyelaran"),
    ("Rowan", "Castellanos"),
    ("Drew", "Halvorsen"),
    ("Sasha", "Brennan"),
)
LAPTOP_APPS = (
    ("Microsoft Edge", "Microsoft Corporation", "133.0.3065.92"),
    ("Microsoft 365 Apps for enterprise - en-us", "Microsoft Corporation", "16.0.18429.20158"),
    ("Microsoft Teams", "Microsoft Corporation", "25031.805.3440.5290"),
    ("Company Portal", "Microsoft Corporation", "11.2.1002.0"),
    ("Google Chrome", "Google LLC", "133.0.6943.142"),
    ("Zoom Workplace (64-bit)", "Zoom Video Communications, Inc.", "6.3.11.60501"),
    ("Adobe Acrobat (64-bit)", "Adobe", "24.005.20399"),
    ("Cisco Secure Client - AnyConnect VPN", "Cisco Systems, Inc.", "5.1.7.80"),
    ("7-Zip 24.09 (x64)", "Igor Pavlov", "24.09"),
    (
        "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.42.34433",
        "Microsoft Corporation",
        "14.42.34433.0",
    ),
    ("HP Smart", "HP Inc.", "152.2.1224.0"),
    ("VLC media player", "VideoLAN", "3.0.21"),
    ("Notepad++ (64-bit x64)", "Notepad++ Team", "8.7.7"),
)
SMARTPSS = ("SmartPSSLite 1.003.0000006.0", "Dahua Technology Co.,Ltd", "1.003.0000006.0")
SMARTPSS_LAPTOPS = ("EA-LT-0304", "EA-LT-0308")


def _short(version: str) -> str:
    return ".".join(version.split(".")[:3])


def _intune_rows() -> list[list[str]]:
    rows: list[list[str]] = []
    for number, (first, last) in enumerate(_PEOPLE, 301):
        device = f"EA-LT-{number:04d}"
        r = rng(f"intune/{device}")
        device_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
        user_id = str(uuid.UUID(int=r.getrandbits(128), version=4))
        apps = list(LAPTOP_APPS[:9]) + r.sample(LAPTOP_APPS[9:], 2)
        if device in SMARTPSS_LAPTOPS:
            apps.append(SMARTPSS)
        for name, publisher, version in sorted(apps):
            key = hashlib.md5(f"{name}|{publisher}|{version}".encode()).hexdigest()
            rows.append(
                [
                    key,
                    "",
                    name,
                    publisher,
                    _short(version),
                    version,
                    device_id,
                    device,
                    "Windows 11 Enterprise",
                    "10.0.26100.3194",
                    "Windows",
                    user_id,
                    f"{first.lower()}.{last.lower()}@agency.example",
                    f"{first} {last}",
                ]
            )
    return rows


def intune_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(INTUNE_COLUMNS)
    writer.writerows(_intune_rows())
    return buffer.getvalue()


def generate(out: Path) -> list[Path]:
    reg = out / "registry" / REG_EXPORT_HOST / "software.reg"
    write_text(reg, "\ufeff" + reg_export(), newline="\r\n", encoding="utf-16-le")
    intune = out / "intune" / "AppInvRawData.csv"
    write_text(intune, intune_csv())
    return [reg, intune]
