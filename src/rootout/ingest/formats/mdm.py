"""Fleet and MDM exports: SCCM/MECM SQL views, Intune discovered apps, Fleet software API.

Rows that name a device become observations of that device. Aggregate reports
(one row per application with a device count) have no device: their
observations belong to one HOST asset named after the file, tagged
``aggregate=true``, with the count in ``extra["device_count"]``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from rootout.errors import InputError
from rootout.ingest.base import Reader, register
from rootout.ingest.formats._endpoint_io import (
    MSI_GUID,
    asset_from_path,
    fail,
    head_text,
    iter_csv,
    iter_lines,
    parse_json,
    read_text,
    scalar_text,
)
from rootout.ingest.formats._osquery_tables import TABLES
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef

Row = Mapping[str, str]
Mapped = tuple[ObservationKind, dict[str, str], dict[str, str]]


def aggregate_asset(path: PurePath | str) -> Asset:
    base = asset_from_path(path)
    return Asset(AssetKind.HOST, base.name, (), (("aggregate", "true"), *base.tags))


def _pick(row: Row, *columns: str) -> str:
    return next((row[c].strip() for c in columns if row.get(c, "").strip()), "")


def _rest(row: Row, used: set[str], renamed: Mapping[str, str]) -> dict[str, str]:
    """Unmapped non-empty values, under their original column names."""
    return {renamed.get(k, k): v.strip() for k, v in row.items() if k not in used and v.strip()}


def _csv_rows(
    path: Path, stream: BinaryIO, key: Callable[[str], str]
) -> tuple[set[str], Iterator[tuple[int, Row, dict[str, str]]]]:
    header, rows = iter_csv(iter_lines(stream, path), path)
    original = {key(name): name for name in header}

    def normalised() -> Iterator[tuple[int, Row, dict[str, str]]]:
        for line, row in rows:
            yield line, {key(k): v for k, v in row.items()}, original

    return set(original), normalised()


def _sniff_header(path: Path, head: bytes, key: Callable[[str], str]) -> set[str]:
    try:
        header, _ = iter_csv(iter(enumerate(head_text(head).split("\n")[:3], 1)), path)
    except InputError:
        return set()
    return {key(name) for name in header}


# --- SCCM / MECM --------------------------------------------------------------------------------

_TRAILING_ZERO = re.compile(r"(?<=[A-Za-z_])0$")


def sccm_key(column: str) -> str:
    """``DisplayName0`` → ``displayname``: SQL view columns without the trailing 0, folded."""
    return _TRAILING_ZERO.sub("", column.strip()).lower()


_SCCM_HOST = ("netbios_name", "name", "computername", "computer_name")


def _sccm_row(row: Row, original: Mapping[str, str]) -> Mapped:
    fields = {
        "name": _pick(row, "displayname", "productname"),
        "publisher": _pick(row, "publisher"),
        "vendor": _pick(row, "normalizedpublisher"),
        "version": _pick(row, "version", "productversion", "displayversion"),
        "install_location": _pick(row, "installlocation", "installedlocation"),
    }
    code = _pick(row, "prodid", "softwarecode", "productcode")
    if MSI_GUID.fullmatch(code):
        fields["product_code"] = code
    used = {"displayname", "productname", "publisher", "normalizedpublisher", "version"}
    used |= {"productversion", "displayversion", "installlocation", "installedlocation"}
    used |= {*_SCCM_HOST, "resourceid", "user_name"}
    extra = _rest(row, used, original)
    return ObservationKind.PROGRAM, {k: v for k, v in fields.items() if v}, extra


def _sccm_asset(row: Row, fallback: Asset) -> Asset:
    name = _pick(row, *_SCCM_HOST)
    resource = _pick(row, "resourceid")
    if not name and not resource:
        return fallback
    ids = (("sccm_resource_id", resource),) if resource else ()
    user = _pick(row, "user_name")
    return Asset(
        AssetKind.HOST, name or f"ResourceID {resource}", ids, (("user", user),) if user else ()
    )


@register
class SccmCsvReader(Reader):
    """CSV export of ``v_Add_Remove_Programs``/``v_GS_ADD_REMOVE_PROGRAMS(_64)``/``v_GS_INSTALLED_SOFTWARE``."""

    name = "sccm-csv"
    description = (
        "SCCM/MECM software inventory views exported to CSV (DisplayName0, ProductName0...)"
    )
    priority = 40

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        raw = {c.lower() for c in _sniff_header(path, head, str.strip)}
        keys = {sccm_key(c) for c in raw}
        zeroed = {"displayname0", "productname0", "publisher0"} & raw
        return bool(zeroed) or (
            "resourceid" in keys and bool({"displayname", "productname"} & keys)
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        keys, rows = _csv_rows(path, stream, sccm_key)
        if not {"displayname", "productname"} & keys:
            fail(path, 1, "no DisplayName0 or ProductName0 column: not an SCCM software view")
        per_device = bool({*_SCCM_HOST, "resourceid"} & keys)
        fallback = asset_from_path(path) if per_device else aggregate_asset(path)
        count_column = next((c for c in ("count", "installcount", "devicecount") if c in keys), "")
        for line, row, original in rows:
            kind, fields, extra = _sccm_row(row, original)
            if count_column and row.get(count_column, "").strip():
                extra.pop(original[count_column], None)
                extra["device_count"] = row[count_column].strip()
            asset = _sccm_asset(row, fallback)
            yield Observation(
                kind, fields, asset, SourceRef(str(path), line, "", self.name), extra=extra
            )


# --- Intune -------------------------------------------------------------------------------------


def intune_key(column: str) -> str:
    """``Application name`` and ``ApplicationName`` both → ``applicationname``."""
    return re.sub(r"[^a-z0-9]", "", column.lower())


_INTUNE_USED = {
    "applicationname",
    "applicationpublisher",
    "publisher",
    "applicationversion",
    "version",
    "devicename",
    "deviceid",
    "username",
    "emailaddress",
    "userprincipalname",
    "devicecount",
}


def _intune_row(row: Row, original: Mapping[str, str]) -> Mapped:
    fields = {
        "name": _pick(row, "applicationname"),
        "publisher": _pick(row, "applicationpublisher", "publisher"),
        "version": _pick(row, "applicationversion", "version", "applicationshortversion"),
    }
    extra = _rest(row, _INTUNE_USED, original)
    if count := _pick(row, "devicecount"):
        extra["device_count"] = count
    return ObservationKind.PROGRAM, {k: v for k, v in fields.items() if v}, extra


def _intune_asset(row: Row, fallback: Asset) -> Asset:
    name = _pick(row, "devicename")
    device_id = _pick(row, "deviceid")
    if not name and not device_id:
        return fallback
    user = _pick(row, "userprincipalname", "emailaddress", "username")
    ids = (("intune_device_id", device_id),) if device_id else ()
    return Asset(AssetKind.HOST, name or device_id, ids, (("user", user),) if user else ())


@register
class IntuneCsvReader(Reader):
    """Intune "Discovered apps" export: AppInvRawData (per device) or AppInvAggregate."""

    name = "intune-csv"
    description = "Microsoft Intune discovered-apps export (AppInvRawData or AppInvAggregate CSV)"
    priority = 40

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        keys = _sniff_header(path, head, intune_key)
        return "applicationname" in keys and bool(
            {"applicationpublisher", "publisher", "devicecount", "devicename", "platform"} & keys
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        keys, rows = _csv_rows(path, stream, intune_key)
        if "applicationname" not in keys:
            fail(path, 1, "no ApplicationName column: not an Intune discovered-apps export")
        per_device = bool({"devicename", "deviceid"} & keys)
        fallback = asset_from_path(path) if per_device else aggregate_asset(path)
        for line, row, original in rows:
            kind, fields, extra = _intune_row(row, original)
            asset = _intune_asset(row, fallback)
            yield Observation(
                kind, fields, asset, SourceRef(str(path), line, "", self.name), extra=extra
            )


# --- Fleet --------------------------------------------------------------------------------------

_FLEET_HEAD = re.compile(r'"(software|software_titles|hosts)"\s*:\s*\[|"host"\s*:\s*\{')


def _fleet_time(value: Any) -> dt.datetime | None:
    text = scalar_text(value)
    if not text:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def fleet_fields(item: Mapping[str, Any], version: str) -> Mapped:
    """Kind, fields and extra of one Fleet software item (kind and ecosystem from ``source``)."""
    text = {
        k: t.strip() for k, v in item.items() if (t := scalar_text(v)) is not None and t.strip()
    }
    spec = TABLES.get(text.get("source", ""))
    fields = {"name": text.get("name", ""), "version": version}
    for column, field in (("vendor", "vendor"), ("bundle_identifier", "bundle_id")):
        fields[field] = text.get(column, "")
    fields["extension_id"] = text.get("extension_id", "")
    if spec is not None:
        fields.update(spec.constants)
        if spec.kind is ObservationKind.PACKAGE:
            fields["package"] = fields["name"]
    extra = {
        k: v for k, v in text.items() if k not in {"name", "version", "vendor", "bundle_identifier"}
    }
    extra.pop("extension_id", None)
    paths = item.get("installed_paths")
    if isinstance(paths, list) and paths:
        extra["installed_paths"] = "\n".join(str(p) for p in paths if isinstance(p, str))
    extra.pop("hosts_count", None)
    if "hosts_count" in text:
        extra["device_count"] = text["hosts_count"]
    kind = spec.kind if spec is not None else ObservationKind.PROGRAM
    return kind, {k: v for k, v in fields.items() if v}, extra


def _fleet_items(
    item: Mapping[str, Any], pointer: str
) -> Iterator[tuple[str, Mapping[str, Any], str]]:
    """(pointer, item, version) for a software item, a title with versions, or installed_versions."""
    for list_key in ("versions", "installed_versions"):
        versions = item.get(list_key)
        if isinstance(versions, list) and versions:
            for i, entry in enumerate(versions):
                if isinstance(entry, dict):
                    merged = {**item, "title_id": item.get("id"), **entry}
                    merged.pop(list_key, None)
                    yield (
                        f"{pointer}/{list_key}/{i}",
                        merged,
                        scalar_text(entry.get("version")) or "",
                    )
            return
    yield pointer, item, scalar_text(item.get("version")) or ""


def _fleet_host_asset(host: Mapping[str, Any], fallback: Asset) -> Asset:
    text = {k: t for k, v in host.items() if (t := scalar_text(v)) is not None and t.strip()}
    name = (
        text.get("hostname")
        or text.get("display_name")
        or text.get("computer_name")
        or fallback.name
    )
    ids = [
        (s, text[c])
        for s, c in (("host_uuid", "uuid"), ("serial", "hardware_serial"), ("fleet_host_id", "id"))
        if c in text
    ]
    tags = tuple((k, text[k]) for k in ("platform", "os_version", "team_name") if k in text)
    return Asset(AssetKind.HOST, name, tuple(ids), tags)


@register
class FleetJsonReader(Reader):
    """Fleet REST API responses: ``/software``, ``/software/titles``, ``/hosts/:id``, ``/hosts/:id/software``."""

    name = "fleet-json"
    description = "Fleet software API JSON (software, software_titles, host with software)"
    priority = 40

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head).lstrip()
        return text.startswith("{") and _FLEET_HEAD.search(text) is not None

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        doc = parse_json(read_text(stream, path), path)
        if not isinstance(doc, dict):
            fail(path, 1, "a Fleet API response is a JSON object")
        if isinstance(doc.get("host"), dict):
            yield from self._host(path, doc["host"], "/host")
        elif isinstance(doc.get("hosts"), list):
            for i, host in enumerate(doc["hosts"]):
                if isinstance(host, dict):
                    yield from self._host(path, host, f"/hosts/{i}")
        else:
            key = "software_titles" if "software_titles" in doc else "software"
            items = doc.get(key)
            if not isinstance(items, list):
                fail(path, 1, "no 'software', 'software_titles' or 'host' in the Fleet response")
            per_host = any(isinstance(i, dict) and "installed_versions" in i for i in items)
            asset = asset_from_path(path) if per_host else aggregate_asset(path)
            when = _fleet_time(doc.get("counts_updated_at"))
            yield from self._software(path, items, f"/{key}", asset, when)

    def _host(self, path: Path, host: Mapping[str, Any], pointer: str) -> Iterator[Observation]:
        items = host.get("software")
        if not isinstance(items, list):
            fail(path, 1, f"{pointer} has no 'software' array")
        asset = _fleet_host_asset(host, asset_from_path(path))
        when = _fleet_time(host.get("software_updated_at"))
        yield from self._software(path, items, f"{pointer}/software", asset, when)

    def _software(
        self, path: Path, items: list[Any], base: str, asset: Asset, when: dt.datetime | None
    ) -> Iterator[Observation]:
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                fail(path, 1, f"{base}/{index} is not a JSON object")
            for pointer, merged, version in _fleet_items(item, f"{base}/{index}"):
                kind, fields, extra = fleet_fields(merged, version)
                source = SourceRef(str(path), 0, pointer, self.name)
                yield Observation(kind, fields, asset, source, observed_at=when, extra=extra)
