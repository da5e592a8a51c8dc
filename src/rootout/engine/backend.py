"""The backend interface of the bulk engine, and the SQL it runs.

One engine, many SQL backends: a backend stages one tabular input as the view
``rootout_rows`` (columns ``_row``, ``c0`` .. ``cN``, and ``_json`` for JSON
lines), runs SQL over it, and registers a small table of values. Everything
else, in particular every normalisation and every matching decision, happens in
Python in :mod:`rootout.engine.pipeline`. The SQL below is portable between
DuckDB and Spark SQL; a backend supplies only the dialect bits (string literals,
regular-expression test).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rootout.engine.source import WHITESPACE, TabularSource

ROWS = "rootout_rows"
HITS = "rootout_hits"


@dataclass(frozen=True, slots=True)
class Staged:
    """A staged input: the header names of ``c0``.. ``cN`` (stripped, as readers see them)."""

    header: tuple[str, ...]
    json: bool = False
    """The view also holds ``_json``, the raw JSON text of each line (last column)."""

    def column(self, name: str) -> str:
        return f"c{self.header.index(name)}"


class Backend(Protocol):
    """Where the candidate stage runs: DuckDB in this process, or Spark."""

    name: str

    def stage(self, source: TabularSource, extract: Sequence[str]) -> Staged:
        """Make ``source`` the view ``rootout_rows``; for JSON lines, extract the keys in
        ``extract`` as ``c0``.. and keep the raw line as ``_json``. Raises InputError."""
        ...

    def query(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """Rows of a query, streamed."""
        ...

    def put_hits(self, rows: Sequence[tuple[int, str]]) -> None:
        """Replace the table ``rootout_hits (c INTEGER, v VARCHAR)`` with ``rows``."""
        ...

    def regex_test(self, column: str, pattern: str) -> str:
        """SQL: whether ``column`` contains a match of the regular expression ``pattern``."""
        ...

    def unstage(self) -> None: ...

    def close(self) -> None: ...


def nonblank_class() -> str:
    """A regular expression (RE2 and Java) for one character that ``str.strip`` keeps."""
    return "[^" + "".join(f"\\x{{{ord(ch):x}}}" for ch in WHITESPACE) + "]"


def distinct_sql(columns: Sequence[str]) -> str:
    """Distinct raw values of each column, tagged with the column's position in ``columns``."""
    parts = [
        f"SELECT {i} AS c, {col} AS v FROM {ROWS} WHERE {col} IS NOT NULL GROUP BY {col}"
        for i, col in enumerate(columns)
    ]
    return " UNION ALL ".join(parts)


def observed_filter(backend: Backend, columns: Sequence[str]) -> str:
    """SQL: the row has a non-blank value in one of ``columns`` (else no reader makes it an
    observation)."""
    pattern = nonblank_class()
    # A printable ASCII first character settles it for almost every value, without the regex.
    return " OR ".join(
        f"({col} IS NOT NULL AND (substr({col}, 1, 1) BETWEEN '!' AND '~' "
        f"OR {backend.regex_test(col, pattern)}))"
        for col in columns
    )


def tally_sql(backend: Backend, host: str | None, observed: Sequence[str]) -> str:
    """Observations per raw host value, with the first row each host was seen on."""
    where = observed_filter(backend, observed)
    if host is None:
        return f"SELECT NULL AS h, count(*) AS n, min(_row) AS f FROM {ROWS} WHERE {where}"
    return f"SELECT {host} AS h, count(*) AS n, min(_row) AS f FROM {ROWS} WHERE {where} GROUP BY {host}"


def candidates_sql(columns: Sequence[str]) -> str:
    """Rows whose value in one of ``columns`` verified (is in ``rootout_hits``), in file order."""
    tests = " OR ".join(
        f"{col} IN (SELECT v FROM {HITS} WHERE c = {i})" for i, col in enumerate(columns)
    )
    return f"SELECT * FROM {ROWS} WHERE {tests} ORDER BY _row"
