"""DNS query logs: Zeek ``dns.log`` (TSV and JSON lines) and a generic DNS query CSV.

Each query becomes a ``dns_query`` observation: ``domain`` is the name asked
for; the asset is the host that asked (kind HOST, named by its IP address).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rootout.errors import InputError, Location
from rootout.ingest.base import Reader, register
from rootout.ingest.textio import file_asset, head_text, iter_lines, json_objects, parse_time
from rootout.model.observation import Asset, AssetKind, Observation, ObservationKind, SourceRef


@dataclass(frozen=True, slots=True)
class _Query:
    """One DNS query as read, before it becomes an Observation."""

    domain: str
    client: str
    when: dt.datetime | None
    query_type: str = ""
    extra: Mapping[str, str] | None = None


def _observation(query: _Query, reader: str, path: str, line: int) -> Observation:
    client = query.client
    asset = Asset(AssetKind.HOST, client, (("ip", client),)) if client else file_asset(path)
    fields = {"domain": query.domain, "ip": client, "query_type": query.query_type}
    return Observation(
        kind=ObservationKind.DNS_QUERY,
        fields={k: v for k, v in fields.items() if v},
        asset=asset,
        source=SourceRef(path, line, "", reader),
        observed_at=query.when,
        extra={k: v for k, v in (query.extra or {}).items() if v},
    )


def _time(text: str, where: Location) -> dt.datetime | None:
    if not text:
        return None
    try:
        return parse_time(text)
    except (ValueError, OverflowError, OSError):
        raise InputError(where, f"time {text!r} is neither epoch seconds nor ISO 8601") from None


# --------------------------------------------------------------------------- Zeek TSV

_ESCAPE = re.compile(r"\\x([0-9A-Fa-f]{2})")


def zeek_unescape(text: str) -> str:
    """Undo the ASCII writer's ``\\xHH`` escapes."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)


_ZEEK_USED = frozenset(
    {"ts", "uid", "id.orig_h", "id.resp_h", "query", "qtype_name", "rcode_name", "answers"}
)


@dataclass
class _ZeekHeader:
    separator: str = "\t"
    set_separator: str = ","
    empty: str = "(empty)"
    unset: str = "-"
    fields: tuple[str, ...] = ()

    def directive(self, line: str) -> None:
        """Apply one ``#name<sep>value`` header line."""
        if line.startswith("#separator "):
            self.separator = zeek_unescape(line.removeprefix("#separator ").strip())
            if not self.separator:
                raise ValueError("#separator is empty")
            return
        name, _, value = line[1:].partition(self.separator)
        if name == "set_separator":
            self.set_separator = zeek_unescape(value)
        elif name == "empty_field":
            self.empty = value
        elif name == "unset_field":
            self.unset = value
        elif name == "fields":
            self.fields = tuple(value.split(self.separator))

    def value(self, raw: str) -> str:
        if raw in (self.unset, self.empty):
            return ""
        return zeek_unescape(raw) if "\\x" in raw else raw

    def record(self, values: list[str]) -> dict[str, str]:
        """The values of the columns this reader uses, by field name."""
        return {
            name: self.value(values[index])
            for index, name in enumerate(self.fields)
            if name in _ZEEK_USED
        }


def _zeek_query(record: Mapping[str, str], where: Location) -> _Query | None:
    domain = record.get("query", "")
    if not domain:
        return None
    extra = {
        "uid": record.get("uid", ""),
        "resolver": record.get("id.resp_h", ""),
        "rcode": record.get("rcode_name", ""),
        "answers": record.get("answers", ""),
    }
    when = _time(record.get("ts", ""), where)
    return _Query(domain, record.get("id.orig_h", ""), when, record.get("qtype_name", ""), extra)


@register
class ZeekDnsTsvReader(Reader):
    name = "zeek-dns"
    description = "Zeek dns.log, ASCII (TSV) writer with #fields header"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        text = head_text(head)
        fields = re.search(r"^#fields\t(.*)$", text, re.M)
        return (
            text.startswith("#separator")
            and fields is not None
            and {"query", "id.orig_h"} <= set(fields[1].split("\t"))
        )

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        header = _ZeekHeader()
        for number, line in enumerate(iter_lines(stream, display), 1):
            if line.startswith("#"):
                try:
                    header.directive(line)
                except ValueError as exc:
                    raise InputError(Location(display, number), str(exc)) from None
                if header.fields and "query" not in header.fields:
                    raise InputError(Location(display, number), "#fields has no 'query' column")
                continue
            if not line:
                continue
            where = Location(display, number)
            values = line.split(header.separator)
            if len(values) != len(header.fields):
                raise InputError(
                    where, f"{len(values)} values for {len(header.fields)} #fields columns"
                )
            record = header.record(values)
            if query := _zeek_query(record, where):
                yield _observation(query, self.name, display, number)


# --------------------------------------------------------------------------- Zeek JSON


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


@register
class ZeekDnsJsonReader(Reader):
    name = "zeek-dns-json"
    description = "Zeek dns.log as JSON lines (LogAscii::use_json=T)"
    priority = 20

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = next((line for line in head_text(head).splitlines() if line.strip()), "")
        return first.lstrip().startswith("{") and '"id.orig_h"' in first and '"query"' in first

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        for number, record in json_objects(stream, display):
            where = Location(display, number)
            if query := _zeek_query({k: _text(v) for k, v in record.items()}, where):
                yield _observation(query, self.name, display, number)


# --------------------------------------------------------------------------- DNS CSV


def _key(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().strip('"').lower())


CSV_QUERY = ("query", "qname", "query_name", "question", "question_name", "dns_query")
CSV_QUERY_LOOSE = ("domain", "fqdn", "name")
CSV_CLIENT = (
    "client",
    "client_ip",
    "clientip",
    "client_address",
    "src_ip",
    "source_ip",
    "src_addr",
    "source_address",
    "src",
    "source",
    "id.orig_h",
)
CSV_TIME = ("timestamp", "time", "ts", "date", "datetime", "date_time", "event_time", "query_time")
CSV_TYPE = ("qtype", "qtype_name", "query_type", "record_type", "rrtype", "type")
"""Accepted header names (compared case-insensitively; spaces and dashes count as ``_``)."""


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    keys = [_key(h) for h in header]
    return next((keys.index(name) for name in names if name in keys), None)


@register
class DnsCsvReader(Reader):
    name = "dns-csv"
    description = "DNS query log as CSV with a header (timestamp, client IP, query name, type)"
    priority = 60

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        first = head_text(head).split("\n", 1)[0]
        try:
            header = next(csv.reader([first]))
        except (csv.Error, StopIteration):
            return False
        return _column(header, CSV_QUERY) is not None and _column(header, CSV_CLIENT) is not None

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        display = str(path)
        rows = csv.reader(iter_lines(stream, display, keepends=True))
        try:
            yield from self._rows(rows, display)
        except csv.Error as exc:
            raise InputError(Location(display, rows.line_num), f"bad CSV: {exc}") from None

    def _rows(self, rows: Any, display: str) -> Iterator[Observation]:
        header = next(rows, None)
        if header is None:
            raise InputError(Location(display, 1), "empty file: no header")
        query = _column(header, CSV_QUERY + CSV_QUERY_LOOSE)
        if query is None:
            names = ", ".join(CSV_QUERY + CSV_QUERY_LOOSE)
            raise InputError(Location(display, 1), f"no query column (one of: {names})")
        client, when, qtype = (_column(header, names) for names in (CSV_CLIENT, CSV_TIME, CSV_TYPE))
        for row in rows:
            number = rows.line_num
            if not any(cell.strip() for cell in row):
                continue
            cell = _cells(row, len(header), Location(display, number))
            domain = cell(query)
            if not domain:
                continue
            stamp = _time(cell(when), Location(display, number))
            used = {query, client, when, qtype}
            extra = {h: cell(i) for i, h in enumerate(header) if i not in used and h.strip()}
            found = _Query(domain, cell(client), stamp, cell(qtype), extra)
            yield _observation(found, self.name, display, number)


def _cells(row: list[str], width: int, where: Location) -> Callable[[int | None], str]:
    if len(row) > width:
        raise InputError(where, f"{len(row)} cells for {width} header columns")

    def cell(index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    return cell
