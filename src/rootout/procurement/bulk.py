"""The bulk path: a multi-GB USAspending CSV through DuckDB, only candidate rows to the matcher.

One streaming pass over the file (:mod:`rootout.procurement.bulk_sql`): DuckDB
parses it in parallel (every column as text, bad rows rejected and recorded
with their line) and keeps, per row, only the organisation names and three
flags (description filter, identifier filter, bad date or amount); whole
records are kept only for the few rows that might be candidates. Then the rest
of the candidate stage (:mod:`rootout.procurement.prefilter`) runs as SQL over
that narrow table: the distinct recipient, parent and DBA names are cut down
with a word filter in SQL and the survivors checked once each by the matcher
itself. The candidate rows are built into observations by the same function
the plain reader uses (:func:`rootout.procurement.records.build`) and handed to
the matcher, so the findings are the plain path's findings. The file's SHA-256
is computed while the Python stages run.

Rows are numbered as the plain reader numbers them (well-formed rows, in file
order); observations carry ``row N`` and no line (DuckDB does not say which
line a row started on). Bad rows are reported as the plain reader reports
them: DuckDB's rejects with their lines, bad dates and amounts with their rows.
"""

from __future__ import annotations

import csv
import gzip
import json
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from rootout.catalog.model import SignatureKind
from rootout.errors import InputError, Location
from rootout.ingest.digest import BackgroundDigest
from rootout.ingest.scan import InputRecord, InputStatus
from rootout.match.engine import Matcher
from rootout.model.observation import Observation, SourceRef
from rootout.procurement import bulk_sql as sql
from rootout.procurement import prefilter
from rootout.procurement.columns import column_plan, is_contracts_header, record_kind
from rootout.procurement.csvrows import delimiter_of
from rootout.procurement.records import RecordError, build

KEEP = 5
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BulkResult:
    unhashed: InputRecord
    """The input's record without its SHA-256 (:attr:`record` waits for it)."""
    digest: BackgroundDigest
    rows: int
    candidates: int
    seconds: float
    stages: tuple[tuple[str, float], ...] = ()
    """Seconds per stage: load (DuckDB parses the file), problems, names, candidates."""
    refetched: int = 0
    """Candidate rows the load did not keep whole (names only the fuzzy stage verifies), read
    again by a second scan."""

    @property
    def record(self) -> InputRecord:
        """The input's record with the file's SHA-256: waits for the digest, which is computed
        beside the scan and whatever the caller does next (resolving actions, storing)."""
        return replace(self.unhashed, sha256=self.digest.result()[0])


def read_header(path: Path) -> tuple[list[str], str]:
    """The header cells and the delimiter of a (possibly gzipped) delimited file."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        first = handle.readline(4 * 1024 * 1024)
    text = first.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    delimiter = delimiter_of(text)
    cells = next(csv.reader([text], delimiter=delimiter), [])
    return [cell.strip() for cell in cells], delimiter


@dataclass(frozen=True, slots=True)
class ContractsHeader:
    """A USAspending contracts file's header, as both bulk paths read it."""

    display: str
    header: list[str]
    delimiter: str
    plan: dict[str, int]
    kind: str
    """'transaction' or 'award' (:func:`rootout.procurement.columns.record_kind`)."""

    @property
    def reader(self) -> str:
        """The plain reader's format name, given to the observations."""
        return f"usaspending-{'transactions' if self.kind == 'transaction' else 'awards'}"


def contracts_header(path: Path) -> ContractsHeader:
    """The header of ``path``; InputError when it is not a USAspending contracts header."""
    header, delimiter = read_header(path)
    if not is_contracts_header(header):
        raise InputError(Location(str(path), 1), "not a USAspending contracts header")
    return ContractsHeader(str(path), header, delimiter, column_plan(header), record_kind(header))


class Clock:
    def __init__(self) -> None:
        self.last = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def lap(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append((name, now - self.last))
        self.last = now


class _Poll:
    """Reports DuckDB's query progress while a statement runs (progress is an observer)."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, size: int, progress: Progress | None
    ) -> None:
        self.con, self.size, self.progress = con, size, progress
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> _Poll:
        if self.progress is not None:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()

    def _run(self) -> None:
        assert self.progress is not None
        while not self.done.wait(0.25):
            percent = self.con.query_progress()
            if percent >= 0:
                self.progress(int(self.size * min(percent, 100.0) / 100), self.size)


def scan_file(
    path: Path,
    sink: Callable[[Observation], None],
    matcher: Matcher,
    *,
    progress: Progress | None = None,
    memory_limit: str = "512MB",
    threads: int | None = None,
) -> BulkResult:
    """Read one USAspending CSV (plain or .gz) through DuckDB; observations of candidates go to ``sink``."""
    started = time.monotonic()
    head = contracts_header(path)
    display, header, delimiter, plan = head.display, head.header, head.delimiter, head.plan
    size = path.stat().st_size
    digest = BackgroundDigest(path)  # on idle CPU, while DuckDB parses and the stages run
    with tempfile.TemporaryDirectory(prefix="rootout-duckdb-") as spill:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET memory_limit = {sql.quote_str(memory_limit)}")
            con.execute(f"SET temp_directory = {sql.quote_str(spill)}")
            con.execute("SET preserve_insertion_order = true")
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            clock = Clock()
            source = sql.read_csv_sql(path, header, delimiter, rejects=True)
            with _Poll(con, size, progress):
                con.execute(sql.load_sql(source, header, plan, matcher))
            rows = _scalar(con, "SELECT count(*) FROM rows")
            clock.lap("load")
            problems = _problems(con, display, plan)
            clock.lap("problems")
            stage = _Stage(con, matcher, head)
            hits = stage.hit_names()
            clock.lap("names")
            again = sql.read_csv_sql(path, header, delimiter, rejects=False)
            candidates = stage.candidates(hits, sink, sql.refetch_sql(again, header, plan))
            clock.lap("candidates")
        finally:
            con.close()
    count, first = problems
    summary = (
        f"{display}: {count} bad record(s) (DuckDB path); first: {'; '.join(first)}"
        if count
        else ""
    )
    record = InputRecord(
        display,
        InputStatus.READ,
        head.reader,
        rows,
        "",
        size,
        summary,
        bad_records=count,
    )
    if progress is not None:
        progress(size, size)
    return BulkResult(
        record,
        digest,
        rows,
        candidates,
        time.monotonic() - started,
        tuple(clock.laps),
        stage.refetched,
    )


def _scalar(con: duckdb.DuckDBPyConnection, query: str, params: Sequence[object] = ()) -> int:
    row = con.execute(query, list(params)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _problems(
    con: duckdb.DuckDBPyConnection, display: str, plan: dict[str, int]
) -> tuple[int, list[str]]:
    """Bad rows as the plain reader counts them: rejected, bad date (skipped), bad amount (kept)."""
    rejected = con.execute("SELECT line, error_message FROM reject_errors ORDER BY line").fetchall()
    lines = sorted({int(line) for line, _ in rejected})
    messages = {int(line): str(message).splitlines()[0] for line, message in rejected}
    first = [f"{display}:{line}: {messages[line]}" for line in lines[:KEEP]]
    bad = con.execute(
        f"SELECT rowid + 1, _bad, _all FROM rows WHERE _bad > 0 ORDER BY _bad, rowid LIMIT {KEEP}"
    ).fetchall()
    for row, flag, text in bad[: KEEP - len(first)]:
        values = dict(zip(plan, json.loads(text), strict=True))
        if flag == sql.BAD_DATE:
            date = (values.get("action_date") or "").strip()
            first.append(f"{display} row {row}: action date {date!r} is not a date")
        else:
            amount = (values.get("amount") or "").strip()
            first.append(f"{display} row {row}: amount {amount!r} is not a number")
    return len(lines) + _scalar(con, "SELECT count(*) FROM rows WHERE _bad > 0"), first


class _Stage:
    """The candidate stage over the narrow table ``rows``."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        matcher: Matcher,
        head: ContractsHeader,
    ) -> None:
        self.con, self.matcher, self.head = con, matcher, head
        self.names = sql.name_keys(head.plan)
        self.refetched = 0

    def hit_names(self) -> list[str]:
        """Distinct raw names whose stripped value the matcher verifies; the word filter runs in
        SQL first (see prefilter.NameFilter)."""
        if not self.names:
            return []
        con = self.con
        union = " UNION ".join(f"SELECT {key} AS raw FROM rows" for key in self.names)
        # distinct first, in its own statement: in one statement the optimiser pushes the
        # trim below the UNION, onto every row's names instead of the distinct ones (3x slower)
        con.execute(f"CREATE TEMP TABLE distinct_names AS {union}")
        con.execute(
            "CREATE TEMP TABLE names AS SELECT raw, trim(raw) AS v, "
            "string_split_regex(lower(trim(raw)), '[^a-z0-9]+') AS words, "
            f"regexp_matches(raw, {sql.quote_str(prefilter.NON_ASCII)}) AS other "
            "FROM distinct_names WHERE trim(raw) <> ''"
        )
        names = prefilter.NameFilter(self.matcher)
        if names.pass_all:
            candidates = con.execute("SELECT raw, v FROM names").fetchall()
        else:
            tokens = con.execute("SELECT DISTINCT unnest(words) FROM names WHERE NOT other")
            near = names.near(t for (t,) in tokens.fetchall())
            candidates = con.execute(
                "SELECT raw, v FROM names WHERE other OR list_has_any(words, ?::VARCHAR[])",
                [sorted(names.words | near)],
            ).fetchall()
        verified = self.matcher.verified
        return [raw for raw, v in candidates if verified(SignatureKind.PUBLISHER, v)]

    def candidates(self, hits: list[str], sink: Callable[[Observation], None], refetch: str) -> int:
        """Build and hand over the candidate rows in file order; returns how many there were.
        ``refetch`` is the second scan that reads the rows not kept whole (see bulk_sql)."""
        con = self.con
        con.execute("CREATE TEMP TABLE hit_names (v VARCHAR)")
        if hits:
            con.execute("INSERT INTO hit_names SELECT unnest(?::VARCHAR[])", [hits])
        tests = ["_text", "_ident"] + [f"{k} IN (SELECT v FROM hit_names)" for k in self.names]
        con.execute(
            "CREATE TEMP TABLE chosen AS SELECT rowid + 1 AS _row, _all FROM rows "
            f"WHERE {' OR '.join(tests)}"
        )
        con.execute("CREATE TEMP TABLE refetch AS SELECT _row FROM chosen WHERE _all IS NULL")
        self.refetched = _scalar(con, "SELECT count(*) FROM refetch")
        if self.refetched:  # a name only the fuzzy stage verifies
            con.execute(f"CREATE TEMP TABLE found AS {refetch}")
            con.execute(
                "UPDATE chosen SET _all = found._all FROM found WHERE chosen._row = found._row"
            )
        keys = list(self.head.plan)
        cursor = con.execute("SELECT _row, _all FROM chosen ORDER BY _row")

        def rows() -> Iterator[tuple[int, dict[str, str | None]]]:
            while batch := cursor.fetchmany(10_000):
                for row, text in batch:
                    yield int(row), dict(zip(keys, json.loads(text), strict=True))

        return emit_rows(rows(), self.head, sink)


def emit_rows(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    head: ContractsHeader,
    sink: Callable[[Observation], None],
) -> int:
    """Build candidate rows (number, values by plan key) into observations for ``sink`` with the
    plain reader's function; returns how many rows there were."""
    source = SourceRef(head.display, 0, format=head.reader)
    count = 0
    for row, values in rows:
        count += 1
        record = {key: values[key] or "" for key in head.plan}
        try:
            built = build(record, source, row=row, kind=head.kind)
        except RecordError:
            continue  # a bad date: counted with the problems
        for observation in built.observations:
            sink(observation)
    return count
