"""The DuckDB backend: stream multi-GB CSV, Parquet and JSON lines with bounded memory.

The input is read once into an in-memory DuckDB table (all cells as
VARCHAR, with the row's line or row number); DuckDB spills to a temporary folder
beyond ``memory_limit``. The candidate stage's queries then run over that table.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from rootout.engine.backend import HITS, ROWS, Staged
from rootout.engine.source import TabularFormat, TabularSource, csv_header, parquet_header
from rootout.errors import InputError, Location

BATCH = 10_000


@dataclass(frozen=True, slots=True)
class DuckDbOptions:
    memory_limit: str = "2GB"
    threads: int | None = None
    """None: DuckDB's default (all cores)."""
    temp_directory: Path | None = None
    """Where the staged table and spills go; None: a fresh temporary folder."""


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _json_path(key: str) -> str:
    return '$."' + key.replace('"', '\\"') + '"'


class DuckDbBackend:
    """Runs the candidate stage's SQL on DuckDB."""

    name = "duckdb"

    def __init__(self, options: DuckDbOptions | None = None) -> None:
        options = options or DuckDbOptions()
        self._folder = tempfile.TemporaryDirectory(
            prefix="rootout-duckdb-", dir=options.temp_directory
        )
        folder = Path(self._folder.name)
        self.con = duckdb.connect(":memory:")  # spills to temp_directory beyond memory_limit
        self.con.execute(f"SET memory_limit = {_literal(options.memory_limit)}")
        self.con.execute(f"SET temp_directory = {_literal(str(folder / 'spill'))}")
        self.con.execute("SET preserve_insertion_order = true")
        self._source = ""
        if options.threads:
            self.con.execute(f"SET threads = {int(options.threads)}")

    def stage(self, source: TabularSource, extract: Sequence[str]) -> Staged:
        self._source = source.display
        try:
            if source.format is TabularFormat.CSV:
                return self._stage_csv(source)
            if source.format is TabularFormat.PARQUET:
                return self._stage_parquet(source)
            return self._stage_jsonl(source, extract)
        except duckdb.Error as exc:
            raise InputError(
                Location(source.display), f"DuckDB could not read it: {_first_line(exc)}"
            ) from None

    def _stage_csv(self, source: TabularSource) -> Staged:
        header = csv_header(source)
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header))) + "}"
        cells = ", ".join(f"c{i}" for i in range(len(header)))
        self.con.execute(
            f"CREATE OR REPLACE TABLE {ROWS} AS SELECT ordinality + 1 AS _row, {cells} "
            f"FROM read_csv(?, columns = {columns}, header = true, auto_detect = false, "
            "delim = ',', quote = '\"', escape = '\"', null_padding = true) WITH ORDINALITY",
            [source.display],
        )
        return Staged(header)

    def _stage_parquet(self, source: TabularSource) -> Staged:
        header = parquet_header(source)
        cells = ", ".join(
            f'CAST("{name.replace(chr(34), chr(34) * 2)}" AS VARCHAR) AS c{i}'
            for i, name in enumerate(header)
        )
        self.con.execute(
            f"CREATE OR REPLACE TABLE {ROWS} AS SELECT ordinality AS _row, {cells} "
            "FROM read_parquet(?) WITH ORDINALITY",
            [source.display],
        )
        return Staged(header)

    def _stage_jsonl(self, source: TabularSource, extract: Sequence[str]) -> Staged:
        cells = "".join(
            f"coalesce(json_extract_string(json, {_literal(_json_path(key))}), "
            f"json_extract_string(json, {_literal('$.' + key)})) AS c{i}, "
            if "." in key
            else f"json_extract_string(json, {_literal(_json_path(key))}) AS c{i}, "
            for i, key in enumerate(extract)
        )
        # Lines as text, blank ones kept (as NULL), so that ordinality is the line number:
        # a raw control character such as U+0001 never occurs in valid JSON.
        self.con.execute(
            f"CREATE OR REPLACE TABLE {ROWS} AS SELECT ordinality AS _row, {cells}"
            "line AS _json FROM (SELECT ordinality, line, NULLIF(trim(line), '') AS json "
            "FROM read_csv(?, columns = {'line': 'VARCHAR'}, header = false, "
            "auto_detect = false, delim = chr(1), quote = '', escape = '', "
            "strict_mode = false) WITH ORDINALITY)",
            [source.display],
        )
        return Staged(tuple(extract), json=True)

    def query(self, sql: str) -> Iterator[tuple[Any, ...]]:
        try:
            result = self.con.execute(sql)
            while batch := result.fetchmany(BATCH):
                yield from batch
        except duckdb.Error as exc:
            raise InputError(Location(self._source), f"DuckDB failed: {_first_line(exc)}") from None

    def put_hits(self, rows: Sequence[tuple[int, str]]) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {HITS} (c INTEGER, v VARCHAR)")
        if rows:
            self.con.execute(
                f"INSERT INTO {HITS} SELECT unnest(?::INTEGER[]), unnest(?::VARCHAR[])",
                [[c for c, _ in rows], [v for _, v in rows]],
            )

    def regex_test(self, column: str, pattern: str) -> str:
        return f"regexp_matches({column}, {_literal(pattern)})"

    def unstage(self) -> None:
        self.con.execute(f"DROP TABLE IF EXISTS {ROWS}")

    def close(self) -> None:
        self.con.close()
        self._folder.cleanup()
