"""Windows installed-software data: .reg exports, PowerShell CSV/JSON, offline hives.

Uninstall entries (``...\\CurrentVersion\\Uninstall\\<key>`` in either registry
view, machine or per-user) become PROGRAM observations; any other exported key
becomes a REGISTRY_KEY observation so registry-key signatures can match it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePath
from typing import BinaryIO

from rootout.errors import InputError
from rootout.ingest.base import Reader, register
from rootout.ingest.formats._endpoint_io import (
    MSI_GUID,
    asset_from_path,
    fail,
    head_text,
    iter_csv,
    iter_json_items,
    iter_lines,
    read_text,
    scalar_text,
)
from rootout.ingest.formats._regfile import HEADERS, parse_reg
from rootout.ingest.formats._winhive import (
    HIVE_MAGIC,
    looks_like_hive_name,
    opened_hive,
    walk_hive,
)
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef

_UNINSTALL_KEY = re.compile(r"\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\([^\\]+)$", re.I)
_PS_PROVIDER = re.compile(r"^Microsoft\.PowerShell\.Core\\Registry::", re.I)
_UNINSTALL_FIELDS = (
    ("displayname", "name"),
    ("publisher", "publisher"),
    ("displayversion", "version"),
    ("installlocation", "install_location"),
    ("uninstallstring", "uninstall_string"),
)
_PS_MARKERS = frozenset(
    {"pschildname", "pspath", "pscomputername", "identifyingnumber", "providername"}
)
"""Columns only PowerShell exports have; a plain CSV with DisplayName is left to the generic reader."""
_PS_NOISE = frozenset({"pspath", "psparentpath", "pschildname", "psdrive", "psprovider"})
_MAX_KEY_VALUES = 64
_GENERIC_STEMS = ("software", "ntuser", "usrclass", "uninstall", "programs", "export")


def uninstall_key_name(key_path: str) -> str | None:
    """The entry name when ``key_path`` is a direct child of an Uninstall key."""
    match = _UNINSTALL_KEY.search(key_path)
    return match.group(1) if match else None


def _is_container(key_path: str) -> bool:
    return key_path.lower().endswith("\\microsoft\\windows\\currentversion\\uninstall")


def key_context(key_path: str) -> dict[str, str]:
    """Where a key lives: machine or per-user hive, the user's SID, the 32-bit view."""
    parts = key_path.split("\\")
    root = parts[0].upper()
    context: dict[str, str] = {}
    if root in ("HKEY_LOCAL_MACHINE", "HKLM"):
        context["scope"] = "machine"
    elif root in ("HKEY_USERS", "HKU"):
        context["scope"] = "user"
        if len(parts) > 1:
            context["user_sid"] = parts[1]
    elif root in ("HKEY_CURRENT_USER", "HKCU"):
        context["scope"] = "user"
    if any(part.lower() == "wow6432node" for part in parts):
        context["registry_view"] = "32-bit"
    return context


def program_from_values(
    values: Mapping[str, str], key_path: str, key_name: str
) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical fields and extra values of one Uninstall entry (registry value names)."""
    lowered = {name.lower(): (name, value.strip()) for name, value in values.items()}
    fields: dict[str, str] = {}
    for value_name, field in _UNINSTALL_FIELDS:
        if value_name in lowered and lowered[value_name][1]:
            fields[field] = lowered.pop(value_name)[1]
    if MSI_GUID.fullmatch(key_name):
        fields["product_code"] = key_name
    if key_path:
        fields["registry_key"] = key_path
    extra = {
        name: value for key, (name, value) in lowered.items() if value and key not in _PS_NOISE
    }
    extra["key_name"] = key_name
    return fields, {**extra, **key_context(key_path)}


def _key_observation(
    key_path: str, key_name: str | None, values: Mapping[str, str]
) -> tuple[ObservationKind, dict[str, str], dict[str, str]]:
    if key_name is not None:
        fields, extra = program_from_values(values, key_path, key_name)
        return ObservationKind.PROGRAM, fields, extra
    kept = dict(list(values.items())[:_MAX_KEY_VALUES])
    extra = {(name or "(default)"): value for name, value in kept.items() if value}
    extra["value_count"] = str(len(values))
    return (
        ObservationKind.REGISTRY_KEY,
        {"registry_key": key_path},
        {**extra, **key_context(key_path)},
    )


@register
class RegExportReader(Reader):
    """A regedit ``.reg`` export (UTF-16LE with BOM, UTF-8, or REGEDIT4 ANSI)."""

    name = "reg"
    description = "regedit .reg export of Uninstall keys (and any other keys, as registry keys)"
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = head_text(head).lstrip("\ufeff \t\r\n").split("\n", 1)[0].strip()
        return first in HEADERS

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        asset = asset_from_path(path, _GENERIC_STEMS)
        for key in parse_reg(iter_lines(stream, path), path):
            if key.deleted or (not key.values and _is_container(key.path)):
                continue  # a deleted key, or the bare Uninstall container: no evidence
            kind, fields, extra = _key_observation(
                key.path, uninstall_key_name(key.path), key.values
            )
            yield Observation(
                kind, fields, asset, SourceRef(str(path), key.line, "", self.name), extra=extra
            )


# --- PowerShell exports -------------------------------------------------------------------------


def powershell_shape(columns: set[str]) -> str | None:
    """Which PowerShell export a column set is: uninstall, win32_product or get_package."""
    lowered = {column.lower() for column in columns}
    if "pschildname" in lowered or "displayname" in lowered:
        return "uninstall"
    if "identifyingnumber" in lowered or {"name", "vendor"} <= lowered:
        return "win32_product"
    if {"name", "providername"} <= lowered:
        return "get_package"
    return None


def _ps_asset(row: Mapping[str, str], fallback: Asset) -> Asset:
    for column in ("PSComputerName", "__SERVER", "CSName"):
        value = row.get(column, "").strip()
        if value:
            return Asset(AssetKind.HOST, value)
    return fallback


def _ps_program(row: Mapping[str, str]) -> tuple[ObservationKind, dict[str, str], dict[str, str]]:
    pspath = row.get("PSPath", "").strip()
    key_path = _PS_PROVIDER.sub("", pspath)
    key_name = row.get("PSChildName", "").strip() or key_path.rsplit("\\", 1)[-1]
    fields, extra = program_from_values(row, key_path, key_name)
    return ObservationKind.PROGRAM, fields, extra


def _ps_product(row: Mapping[str, str]) -> tuple[ObservationKind, dict[str, str], dict[str, str]]:
    values = {k: v.strip() for k, v in row.items() if v and v.strip()}
    fields = {"ecosystem": "msi"}
    for column, field in (("Name", "name"), ("Vendor", "publisher"), ("Version", "version")):
        if column in values:
            fields[field] = values.pop(column)
    if "InstallLocation" in values:
        fields["install_location"] = values.pop("InstallLocation")
    if MSI_GUID.fullmatch(values.get("IdentifyingNumber", "")):
        fields["product_code"] = values.pop("IdentifyingNumber")
    return ObservationKind.PROGRAM, fields, values


def _ps_package(row: Mapping[str, str]) -> tuple[ObservationKind, dict[str, str], dict[str, str]]:
    values = {k: v.strip() for k, v in row.items() if v and v.strip()}
    provider = values.get("ProviderName", "")
    fields = {"name": values.pop("Name", ""), "version": values.pop("Version", "")}
    if provider:
        fields["ecosystem"] = provider.lower()
    if "Summary" in values:
        fields["description"] = values.pop("Summary")
    kind = ObservationKind.PROGRAM
    if provider.lower() not in ("programs", "msi", "msu", ""):
        kind = ObservationKind.PACKAGE
        fields["package"] = fields["name"]
    return kind, {k: v for k, v in fields.items() if v}, values


_SHAPES = {"uninstall": _ps_program, "win32_product": _ps_product, "get_package": _ps_package}


def _ps_observation(
    row: Mapping[str, str], shape: str, fallback: Asset, source: SourceRef
) -> Observation:
    kind, fields, extra = _SHAPES[shape](row)
    extra.pop("PSComputerName", None)
    extra["powershell_shape"] = shape
    return Observation(kind, fields, _ps_asset(row, fallback), source, extra=extra)


@register
class PowerShellCsvReader(Reader):
    """``Export-Csv`` of Get-ItemProperty Uninstall keys, Win32_Product or Get-Package."""

    name = "powershell-csv"
    description = "PowerShell Export-Csv of Uninstall keys, Win32_Product or Get-Package"
    priority = 40

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head).lstrip("\ufeff")
        try:
            header, _ = iter_csv(iter(enumerate(text.split("\n")[:3], 1)), path)
        except InputError:  # sniff must never raise
            return False
        marked = text.startswith("#TYPE ") or bool(_PS_MARKERS & {c.lower() for c in header})
        return marked and powershell_shape(set(header)) is not None

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        header, rows = iter_csv(iter_lines(stream, path), path)
        shape = powershell_shape(set(header))
        if shape is None:
            fail(
                path,
                1,
                "not a PowerShell export: no DisplayName, IdentifyingNumber or ProviderName column",
            )
        fallback = asset_from_path(path, _GENERIC_STEMS)
        for line, row in rows:
            yield _ps_observation(row, shape, fallback, SourceRef(str(path), line, "", self.name))


_PS_JSON_KEY = re.compile(r'"(PSChildName|DisplayName|IdentifyingNumber|ProviderName)"\s*:')


@register
class PowerShellJsonReader(Reader):
    """``ConvertTo-Json`` of the same objects: one object or an array (UTF-16 BOM possible)."""

    name = "powershell-json"
    description = "PowerShell ConvertTo-Json of Uninstall keys, Win32_Product or Get-Package"
    priority = 40

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head).lstrip()
        return text[:1] in ("{", "[") and _PS_JSON_KEY.search(text) is not None

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        fallback = asset_from_path(path, _GENERIC_STEMS)
        for index, line, item in iter_json_items(read_text(stream, path), path):
            if not isinstance(item, dict):
                fail(path, line, f"item {index} is not a JSON object")
            row = {str(k): text for k, v in item.items() if (text := scalar_text(v)) is not None}
            shape = powershell_shape(set(row))
            if shape is None:
                fail(path, line, "object has no DisplayName, IdentifyingNumber or ProviderName")
            pointer = f"/{index}" if index >= 0 else ""
            yield _ps_observation(
                row, shape, fallback, SourceRef(str(path), line, pointer, self.name)
            )


# --- offline hives ------------------------------------------------------------------------------


@register
class RegistryHiveReader(Reader):
    """An offline registry hive file (``SOFTWARE``, ``NTUSER.DAT``), read with regipy."""

    name = "registry-hive"
    description = "offline registry hive (SOFTWARE, NTUSER.DAT): Uninstall entries and vendor keys"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return head.startswith(HIVE_MAGIC) or looks_like_hive_name(PurePath(str(path)))

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        asset = asset_from_path(path, _GENERIC_STEMS)
        with opened_hive(stream, path) as (root, mount):
            try:
                entries = list(walk_hive(root, mount))
            except Exception as exc:  # regipy raises construct, struct and its own errors alike
                fail(path, 0, f"corrupt registry hive: {type(exc).__name__}: {exc}"[:300])
        for entry in entries:
            key_name = entry.path.rsplit("\\", 1)[-1] if entry.uninstall else None
            kind, fields, extra = _key_observation(entry.path, key_name, entry.values)
            yield Observation(
                kind, fields, asset, SourceRef(str(path), 0, entry.path, self.name), extra=extra
            )
