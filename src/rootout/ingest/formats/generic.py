"""Generic CSV and JSON lines with a column map (``--format csv --map name=DisplayName,...``).

The map's keys are canonical observation fields (``name``, ``publisher``,
``mac``, ``domain``...) plus ``host`` (the asset's name) and ``time``
(``observed_at``); its values are column names (CSV header cells, or JSON keys,
``a.b`` for a nested key). Every cell is read as text. These readers never
claim an input on their own: they run only when asked for with ``--format``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.textio import file_asset, iter_lines, json_objects, parse_time
from rootout.model.observation import (
    FIELD_KINDS,
    Asset,
    AssetKind,
    Observation,
    ObservationKind,
    SourceRef,
)

DESCRIPTIVE_FIELDS = frozenset(
    {
        "version",
        "ecosystem",
        "install_location",
        "ip",
        "hostname",
        "description",
        "device_type",
        "os",
        "group",
        "not_valid_before",
        "not_valid_after",
        "store",
        "uninstall_string",
        "product_code",
        "query_type",
    }
)
SPECIAL_KEYS = frozenset({"host", "time"})
MAP_KEYS = frozenset(FIELD_KINDS) | DESCRIPTIVE_FIELDS | SPECIAL_KEYS
"""Keys a column map may use."""

# The observation kind follows from the mapped fields: the first rule whose field is mapped wins.
_KIND_RULES: tuple[tuple[str, ObservationKind], ...] = (
    ("cert_subject", ObservationKind.CERTIFICATE),
    ("cert_sha1", ObservationKind.CERTIFICATE),
    ("cert_sha256", ObservationKind.CERTIFICATE),
    ("mac", ObservationKind.NETWORK_DEVICE),
    ("domain", ObservationKind.DNS_QUERY),
    ("extension_id", ObservationKind.BROWSER_EXTENSION),
    ("driver", ObservationKind.DRIVER),
    ("service", ObservationKind.SERVICE),
    ("process", ObservationKind.PROCESS),
    ("package", ObservationKind.PACKAGE),
    ("purl", ObservationKind.PACKAGE),
    ("registry_key", ObservationKind.REGISTRY_KEY),
)


def parse_column_map(specs: Iterable[str]) -> dict[str, str]:
    """``["name=DisplayName,publisher=Publisher", "host=Computer"]`` -> a map.

    Raises ValueError naming the bad item, or an unknown key.
    """
    mapping: dict[str, str] = {}
    for spec in specs:
        for item in spec.split(","):
            if not item.strip():
                continue
            key, sep, column = item.partition("=")
            key, column = key.strip(), column.strip()
            if not sep or not key or not column:
                raise ValueError(f"{item!r} is not FIELD=COLUMN")
            if key not in MAP_KEYS:
                raise ValueError(
                    f"unknown field {key!r}; use one of: {', '.join(sorted(MAP_KEYS))}"
                )
            mapping[key] = column
    if not mapping.keys() - SPECIAL_KEYS:
        raise ValueError("the map names no observation field (only host/time)")
    return mapping


def observation_kind(column_map: Mapping[str, str]) -> ObservationKind:
    """The kind of observation a mapped row is: see the rules in ``_KIND_RULES``; else PROGRAM."""
    return next((kind for key, kind in _KIND_RULES if key in column_map), ObservationKind.PROGRAM)


class MappedReader(Reader):
    """A reader driven by a column map; the scanner passes the map to the constructor."""

    priority = 90

    def __init__(self, column_map: Mapping[str, str] | None = None) -> None:
        self.column_map = MappingProxyType(dict(column_map or {}))

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return False  # too generic to recognise: only used with --format

    def _require_map(self, path: str) -> None:
        if not self.column_map.keys() - SPECIAL_KEYS:
            raise InputError(Location(path), f"--format {self.name} needs --map FIELD=COLUMN,...")

    def record_observation(
        self, record: Mapping[str, Any], display: str, line: int
    ) -> Observation | None:
        """The observation of one JSON object, through the column map (dotted keys reach nested ones)."""
        values = {str(k): _text(v) for k, v in record.items()}
        values.update({col: _text(_lookup(record, col)) for col in self.column_map.values()})
        return self._observation(values, display, line, "")

    def _observation(
        self, values: Mapping[str, str], path: str, line: int, pointer: str
    ) -> Observation | None:
        """One observation from a record's mapped values; None when every mapped field is empty."""
        fields = {
            key: values[col].strip()
            for key, col in self.column_map.items()
            if key not in SPECIAL_KEYS and values.get(col, "").strip()
        }
        if not fields:
            return None
        host = values.get(self.column_map.get("host", ""), "").strip()
        asset = Asset(kind=AssetKind.HOST, name=host) if host else file_asset(path)
        mapped = set(self.column_map.values())
        extra = {k: v for k, v in values.items() if k not in mapped and v.strip()}
        return Observation(
            kind=observation_kind(self.column_map),
            fields=fields,
            asset=asset,
            source=SourceRef(path, line, pointer, self.name),
            observed_at=self._time(values, Location(path, line)),
            extra=extra,
        )

    def _time(self, values: Mapping[str, str], where: Location) -> dt.datetime | None:
        text = values.get(self.column_map.get("time", ""), "").strip()
        if not text:
            return None
        try:
            return parse_time(text)
        except (ValueError, OverflowError, OSError):
            raise InputError(
                where, f"time {text!r} is neither epoch seconds nor ISO 8601"
            ) from None


@register
class GenericCsvReader(MappedReader):
    name = "csv"
    description = "Any CSV with a header, read through a column map (--map)"

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        self._require_map(display)
        rows = csv.reader(iter_lines(stream, display, keepends=True))
        try:
            header = next(rows, None)
            if header is None:
                raise InputError(Location(display, 1), "empty file: no header")
            header = [cell.strip() for cell in header]
            missing = sorted(set(self.column_map.values()) - set(header))
            if missing:
                raise InputError(Location(display, 1), f"no column {', '.join(missing)} in header")
            for row in rows:
                if len(row) > len(header):
                    raise InputError(
                        Location(display, rows.line_num),
                        f"{len(row)} cells for {len(header)} header columns",
                    )
                values = dict(zip(header, row, strict=False))
                found = self._observation(values, display, rows.line_num, "")
                if found is not None:
                    yield found
        except csv.Error as exc:
            raise InputError(Location(display, rows.line_num), f"bad CSV: {exc}") from None


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    """``record[key]``; for ``a.b`` without such a key, the nested ``record["a"]["b"]``."""
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@register
class GenericJsonLinesReader(MappedReader):
    name = "jsonl"
    description = "Any JSON lines (one object per line), read through a column map (--map)"

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        self._require_map(display)
        for number, record in json_objects(stream, display):
            found = self.record_observation(record, display, number)
            if found is not None:
                yield found
