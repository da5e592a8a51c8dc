"""osquery: ``osqueryi --json`` output and ``osqueryd`` results logs.

Each result row becomes one Observation. The table a row came from decides its
kind and which columns fill which canonical fields (``_osquery_tables``); the
table is taken, in order, from a Fleet-style ``source`` column, from a table
name inside the query or file name, and from the column set.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from rootout.ingest.base import Reader, register
from rootout.ingest.formats._endpoint_io import (
    MSI_GUID,
    asset_from_path,
    fail,
    head_text,
    iter_json_items,
    iter_lines,
    parse_json,
    read_text,
    scalar_text,
)
from rootout.ingest.formats._osquery_tables import (
    HOST_COLUMNS,
    TABLES,
    infer_table,
    tables_named_in,
)
from rootout.model.observation import (
    FIELD_KINDS,
    Asset,
    AssetKind,
    Observation,
    ObservationKind,
    SourceRef,
)

_ALIASES = (
    ("vendor", "vendor"),
    ("bundle_identifier", "bundle_id"),
    ("extension_id", "extension_id"),
)
"""Columns Fleet's software query (and custom queries) add, mapped whatever the table."""
_GENERIC_DESCRIPTIVE = frozenset({"version", "description", "install_location", "ecosystem"})
_GENERIC_STEMS = (*TABLES, "osquery", "osqueryi", "results", "output")


def _row_table(row: Mapping[str, Any], hints: tuple[str, ...]) -> str | None:
    source = row.get("source")
    if isinstance(source, str) and source in TABLES and "type" in row:
        return source  # Fleet's software query unions several tables, naming each in `source`
    return infer_table(row.keys(), hints)


def _text_values(row: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    for column, raw in row.items():
        text = scalar_text(raw)
        if text is not None and text.strip():
            values[str(column)] = text.strip()
    return values


def _basename(value: str) -> str:
    return value.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def map_row(
    row: Mapping[str, Any], table: str | None
) -> tuple[ObservationKind, dict[str, str], dict[str, str]]:
    """Kind, canonical fields and extra values of one result row."""
    values = _text_values(row)
    spec = TABLES.get(table or "")
    fields: dict[str, str] = {}
    used: set[str] = set(HOST_COLUMNS)
    if spec is None:
        for column, value in values.items():
            if column in FIELD_KINDS or column in _GENERIC_DESCRIPTIVE:
                fields[column] = value
                used.add(column)
        kind = ObservationKind.PROGRAM
    else:
        kind = spec.kind
        for column, field in (*spec.fields, *_ALIASES):
            if field == "product_code" and not MSI_GUID.fullmatch(values.get(column, "")):
                continue  # MSIX and non-MSI entries hold a package or key name there, kept in extra
            if column in values and field not in fields:
                fields[field] = values[column]
                used.add(column)
        for column, field in spec.basename_fields:
            if column in values:
                fields[field] = _basename(values[column])
        fields.update(spec.constants)
    extra = {column: value for column, value in values.items() if column not in used}
    extra["osquery_table"] = table or ""
    return kind, fields, extra


def _row_asset(row: Mapping[str, Any], fallback: Asset) -> Asset:
    values = {k: v for k, v in _text_values(row).items() if k in HOST_COLUMNS}
    if not values:
        return fallback
    name = values.get("hostname") or values.get("computer_name") or fallback.name
    ids = [
        (s, values[c])
        for s, c in (("host_uuid", "host_uuid"), ("serial", "hardware_serial"))
        if c in values
    ]
    return Asset(kind=AssetKind.HOST, name=name, identifiers=tuple(ids))


@register
class OsqueryJsonReader(Reader):
    """``osqueryi --json "SELECT ... FROM <table>"`` output: a JSON array of flat row objects."""

    name = "osquery-json"
    description = (
        "osqueryi --json output (programs, deb_packages, drivers, services, certificates...)"
    )
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head).lstrip()
        if not text.startswith("["):
            return False
        hints = tables_named_in(PurePath(str(path)).stem)
        rest = text[1:].lstrip()
        try:
            first, _ = json.JSONDecoder().raw_decode(text, len(text) - len(rest))
        except (ValueError, RecursionError):
            return bool(hints) and rest[:1] in ("]", "{")
        return isinstance(first, dict) and (bool(hints) or _row_table(first, ()) is not None)

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        hints = tables_named_in(PurePath(str(path)).stem)
        fallback = asset_from_path(path, _GENERIC_STEMS)
        text = read_text(stream, path)
        tables: dict[frozenset[str], str | None] = {}
        for index, line, row in iter_json_items(text, path):
            if index < 0:
                fail(path, line, "osqueryi --json output is a JSON array of rows, found an object")
            if not isinstance(row, dict):
                fail(path, line, f"row {index} is not a JSON object")
            keys = frozenset(row)
            if keys not in tables:
                tables[keys] = _row_table(row, hints)
            kind, fields, extra = map_row(row, tables[keys])
            yield Observation(
                kind=kind,
                fields=fields,
                asset=_row_asset(row, fallback),
                source=SourceRef(str(path), line, f"/{index}", self.name),
                extra=extra,
            )


# --- osqueryd results log -----------------------------------------------------------------------

_ENVELOPE = frozenset(
    {
        "name",
        "hostIdentifier",
        "calendarTime",
        "unixTime",
        "epoch",
        "counter",
        "numerics",
        "decorations",
        "action",
        "columns",
        "diffResults",
        "snapshot",
        "log_type",
    }
)
_UUID_KEYS = ("host_uuid", "uuid", "hardware_uuid")
_SERIAL_KEYS = ("hardware_serial", "serial", "serial_number")


def _observed_at(record: Mapping[str, Any]) -> dt.datetime | None:
    unix = record.get("unixTime")
    try:
        if unix is not None and not isinstance(unix, bool):
            return dt.datetime.fromtimestamp(int(unix), tz=dt.UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        pass
    calendar = record.get("calendarTime")
    if isinstance(calendar, str):
        try:
            parsed = dt.datetime.strptime(calendar.strip(), "%a %b %d %H:%M:%S %Y UTC")
        except ValueError:
            return None
        return parsed.replace(tzinfo=dt.UTC)
    return None


def _decorations(record: Mapping[str, Any]) -> dict[str, str]:
    nested = record.get("decorations")
    source = (
        nested
        if isinstance(nested, dict)
        else {k: v for k, v in record.items() if k not in _ENVELOPE}
    )  # --decorations_top_level puts them beside the envelope
    return {str(k): v.strip() for k, v in _text_values(source).items()}


def _log_asset(record: Mapping[str, Any], fallback: Asset) -> Asset:
    decorations = _decorations(record)
    host = scalar_text(record.get("hostIdentifier")) or scalar_text(record.get("hostname")) or ""
    name = decorations.get("hostname") or host.strip() or fallback.name
    ids: list[tuple[str, str]] = []
    for scheme, keys in (("host_uuid", _UUID_KEYS), ("serial", _SERIAL_KEYS)):
        value = next((decorations[k] for k in keys if k in decorations), None)
        if value:
            ids.append((scheme, value))
    if host.strip():
        ids.append(("host_identifier", host.strip()))
    return Asset(AssetKind.HOST, name, tuple(ids), tuple(sorted(decorations.items())))


def _rows(record: Mapping[str, Any], path: PurePath, line: int) -> Iterator[tuple[str, str, Any]]:
    """(action, JSON pointer, row) for each row of a results-log line, whatever its form."""
    if "diffResults" in record:
        diff = record["diffResults"]
        if not isinstance(diff, dict):
            fail(path, line, "'diffResults' is not an object")
        for action in ("added", "removed"):
            rows = diff.get(action, [])
            rows = [] if rows is None else rows
            if not isinstance(rows, list):
                fail(path, line, f"'diffResults.{action}' is not an array")
            yield from ((action, f"/diffResults/{action}/{i}", r) for i, r in enumerate(rows))
    elif "snapshot" in record:
        rows = record["snapshot"]
        if not isinstance(rows, list):
            fail(path, line, "'snapshot' is not an array")
        yield from (("snapshot", f"/snapshot/{i}", r) for i, r in enumerate(rows))
    elif "columns" in record:
        action = scalar_text(record.get("action")) or ""
        yield action, "/columns", record["columns"]
    else:
        fail(path, line, "osquery result has no 'columns', 'diffResults' or 'snapshot'")


@register
class OsqueryResultsReader(Reader):
    """``osqueryd.results.log`` / ``osqueryd.snapshots.log``: one JSON result per line."""

    name = "osquery-results"
    description = "osqueryd results/snapshots log (JSON lines: event, batch and snapshot forms)"
    priority = 30

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = head_text(head).lstrip().split("\n", 1)[0]
        if not first.startswith("{"):
            return False
        has_host = '"hostIdentifier"' in first or '"calendarTime"' in first
        has_rows = any(f'"{key}"' in first for key in ("columns", "diffResults", "snapshot"))
        return has_host and has_rows

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        fallback = asset_from_path(path, ("osqueryd.results", "osqueryd.snapshots"))
        tables: dict[tuple[str, frozenset[str]], str | None] = {}
        assets: dict[str, Asset] = {}
        for line, text in iter_lines(stream, path):
            if not text.strip():
                continue
            record = parse_json(text, path, line)
            if not isinstance(record, dict):
                fail(path, line, "osquery result line is not a JSON object")
            yield from self._line(record, path, line, self._asset(record, fallback, assets), tables)

    @staticmethod
    def _asset(record: Mapping[str, Any], fallback: Asset, cache: dict[str, Asset]) -> Asset:
        """The line's asset; hosts repeat on every line, so it is built once per host."""
        if not isinstance(record.get("decorations"), dict):
            return _log_asset(record, fallback)  # top-level decorations: no cheap key
        key = repr((record.get("hostIdentifier"), record.get("hostname"), record["decorations"]))
        if key not in cache:
            if len(cache) > 4096:
                cache.clear()
            cache[key] = _log_asset(record, fallback)
        return cache[key]

    def _line(
        self,
        record: Mapping[str, Any],
        path: Path,
        line: int,
        asset: Asset,
        tables: dict[tuple[str, frozenset[str]], str | None],
    ) -> Iterator[Observation]:
        query = scalar_text(record.get("name")) or ""
        when = _observed_at(record)
        envelope = {"query_name": query}
        for key in ("counter", "epoch"):
            if (value := scalar_text(record.get(key))) is not None:
                envelope[key] = value
        for action, pointer, row in _rows(record, path, line):
            if not isinstance(row, dict):
                fail(path, line, f"{pointer} is not a JSON object")
            cache_key = (query, frozenset(row))
            if cache_key not in tables:
                if len(tables) > 4096:
                    tables.clear()
                tables[cache_key] = _row_table(row, tables_named_in(query))
            kind, fields, extra = map_row(row, tables[cache_key])
            yield Observation(
                kind=kind,
                fields=fields,
                asset=asset,
                source=SourceRef(str(path), line, pointer, self.name),
                observed_at=when,
                extra={**extra, **envelope, "action": action},
            )
