"""Tabular inputs for the bulk engine: which format, which columns, rows to observations.

A tabular input is a CSV file with a header, a Parquet file, or a JSON lines
file. Its columns are mapped to canonical observation fields by a column map
(``--map name=DisplayName,...``), or, without one, by columns that already carry
canonical names (``name``, ``publisher``, ``mac``, ``domain``, ``host``...).

Rows become :class:`~rootout.model.observation.Observation` records through the
very readers that ``rootout scan --format csv|jsonl`` uses, so an observation
built here is the one the in-process path builds from the same row.
"""

from __future__ import annotations

import csv
import json
import mmap
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from rootout.errors import InputError, Location
from rootout.ingest.formats.generic import (
    MAP_KEYS,
    SPECIAL_KEYS,
    GenericCsvReader,
    GenericJsonLinesReader,
    MappedReader,
)
from rootout.model.observation import FIELD_KINDS, Observation


class TabularFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


SUFFIXES: Mapping[str, TabularFormat] = {
    ".csv": TabularFormat.CSV,
    ".tsv": TabularFormat.CSV,
    ".parquet": TabularFormat.PARQUET,
    ".pq": TabularFormat.PARQUET,
    ".jsonl": TabularFormat.JSONL,
    ".ndjson": TabularFormat.JSONL,
}
WHITESPACE = "".join(chr(code) for code in range(0x3100) if chr(code).isspace())
"""Every character ``str.strip()`` removes (all of them lie below U+3100)."""


_URI = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]+):/(?!/)")


def tabular_format(path: Path, forced: str | None = None) -> TabularFormat | None:
    """The tabular format of ``path``: ``forced`` (a ``--format`` value) or its suffix."""
    if forced is not None:
        try:
            return TabularFormat(forced)
        except ValueError:
            return None
    return SUFFIXES.get(path.suffix.lower())


@dataclass(frozen=True, slots=True)
class TabularSource:
    """One tabular input file."""

    path: Path
    format: TabularFormat

    @property
    def display(self) -> str:
        """The path as given; a URI (``s3a://...``) keeps the ``//`` that ``Path`` folds."""
        text = str(self.path)
        return _URI.sub(r"\1://", text, count=1) if _URI.match(text) else text


def resolve_map(
    header: Sequence[str], column_map: Mapping[str, str] | None, where: str
) -> dict[str, str]:
    """The column map for a file: the given one (checked against the header), else the
    header columns that carry canonical field names."""
    if column_map:
        missing = sorted(set(column_map.values()) - set(header))
        if missing:
            raise InputError(Location(where, 1), f"no column {', '.join(missing)} in header")
        return dict(column_map)
    found = {name: name for name in header if name in MAP_KEYS}
    if not found.keys() - SPECIAL_KEYS:
        raise InputError(
            Location(where, 1),
            "no --map given and no column has a canonical field name "
            f"(one of: {', '.join(sorted(MAP_KEYS - SPECIAL_KEYS))})",
        )
    return found


def matchable(column_map: Mapping[str, str]) -> dict[str, str]:
    """The mapped fields that are matched against signatures: field -> column."""
    return {field: column for field, column in column_map.items() if field in FIELD_KINDS}


def observed(column_map: Mapping[str, str]) -> list[str]:
    """Columns whose non-blank value makes a row an observation (all but host and time)."""
    return sorted({column for key, column in column_map.items() if key not in SPECIAL_KEYS})


class ParquetRows(MappedReader):
    """Parquet rows through a column map. Not registered with the format detector: the
    bulk engine reads Parquet; ``read`` serves its in-process (python) engine."""

    name = "parquet"
    description = "Parquet through a column map (bulk engine only)"

    def read(self, path: Path, stream: BinaryIO) -> Iterator[Observation]:
        import duckdb

        display = str(path)
        with duckdb.connect() as con:
            relation = con.sql("SELECT * FROM read_parquet(?)", params=[display])
            header = [str(c) for c in relation.columns]
            cast = ", ".join(f"CAST({_dq(c)} AS VARCHAR)" for c in header)
            result = con.execute(f"SELECT {cast} FROM read_parquet(?)", [display])
            number = 0
            while batch := result.fetchmany(10_000):
                for row in batch:
                    number += 1
                    found = self.from_cells(header, row, display, number)
                    if found is not None:
                        yield found

    def from_cells(
        self, header: Sequence[str], row: Iterable[str | None], path: str, number: int
    ) -> Observation | None:
        values = {name: cell or "" for name, cell in zip(header, row, strict=True)}
        return self._observation(values, path, 0, f"row {number}")


def _dq(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def reader_for(fmt: TabularFormat, column_map: Mapping[str, str]) -> MappedReader:
    readers: dict[TabularFormat, type[MappedReader]] = {
        TabularFormat.CSV: GenericCsvReader,
        TabularFormat.JSONL: GenericJsonLinesReader,
        TabularFormat.PARQUET: ParquetRows,
    }
    return readers[fmt](column_map)


def row_observation(
    reader: MappedReader,
    source: TabularSource,
    header: Sequence[str],
    line: int,
    cells: Sequence[str | None],
) -> Observation | None:
    """The observation one staged row stands for, built by the format's own reader."""
    display = source.display
    if isinstance(reader, ParquetRows):
        return reader.from_cells(header, cells, display, line)
    if source.format is TabularFormat.JSONL:
        return _json_observation(reader, cells[-1] or "", display, line)
    values = {name: cell or "" for name, cell in zip(header, cells, strict=False)}
    return reader._observation(values, display, line, "")


def _json_observation(reader: MappedReader, text: str, path: str, line: int) -> Observation | None:
    where = Location(path, line)
    try:
        record = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise InputError(where, f"not JSON: {exc}") from None
    if not isinstance(record, dict):
        raise InputError(where, "each line must be a JSON object")
    return reader.record_observation(record, path, line)


def csv_header(source: TabularSource) -> tuple[str, ...]:
    """The header cells of a CSV file, stripped as the CSV reader strips them."""
    try:
        with source.path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(Location(source.display, 1), f"cannot read the header: {exc}") from None
    if header is None:
        raise InputError(Location(source.display, 1), "empty file: no header")
    return tuple(cell.strip() for cell in header)


def jsonl_keys(source: TabularSource) -> tuple[str, ...]:
    """Keys of the first JSON object of a local JSON lines file (when no map names them)."""
    try:
        with source.path.open(encoding="utf-8-sig") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip():
                    record = json.loads(line)
                    if not isinstance(record, dict):
                        raise InputError(
                            Location(source.display, number), "each line must be a JSON object"
                        )
                    return tuple(str(k) for k in record)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(
            Location(source.display, 1), f"cannot read the first line: {exc}"
        ) from None
    return ()


def parquet_header(source: TabularSource) -> tuple[str, ...]:
    import duckdb

    with duckdb.connect() as con:
        relation = con.sql("SELECT * FROM read_parquet(?) LIMIT 0", params=[source.display])
        return tuple(str(c) for c in relation.columns)


def local_header(source: TabularSource) -> tuple[str, ...]:
    """The column names of a local file (for JSON lines: the keys of its first object)."""
    if source.format is TabularFormat.CSV:
        return csv_header(source)
    if source.format is TabularFormat.JSONL:
        return jsonl_keys(source)
    return parquet_header(source)


_BLANK = re.compile(rb"(?:\A|\n)(?=\r?\n)")


def blank_lines(path: Path) -> tuple[int, ...]:
    """Numbers of the empty lines of a local file. DuckDB and Spark skip empty lines of a
    CSV file where the reader counts them; the engines' row numbers are shifted by these."""
    try:
        with (
            path.open("rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
        ):
            if data.find(b"\n\n") < 0 and data.find(b"\n\r\n") < 0 and data[:1] not in b"\r\n":
                return ()
            found, line, position = [], 1, 0
            for match in _BLANK.finditer(data):
                start = match.end()
                line += data[position:start].count(b"\n")
                position = start
                found.append(line)
            return tuple(found)
    except (OSError, ValueError):  # not a local file, or empty (mmap refuses)
        return ()


def shift_past(blanks: Sequence[int], line: int) -> int:
    """The real line of a record the engine numbered ``line`` when counting no empty lines."""
    for blank in blanks:
        if blank <= line:
            line += 1
        else:
            break
    return line
