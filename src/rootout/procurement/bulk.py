"""The bulk path: a multi-GB USAspending CSV through DuckDB, only candidate rows to the matcher.

One pass over the file: DuckDB parses it in parallel (every column as text, bad
rows rejected and recorded with their line) into a table of the ~27 columns
rootout reads, spilling to a temporary folder beyond ``memory_limit``; the
whole-word description filter runs in the same pass. Then the rest of the
candidate stage (:mod:`rootout.procurement.prefilter`) runs as SQL over that
table: the distinct recipient, parent and DBA names are cut down with a word
filter in SQL and the survivors checked once each by the matcher itself;
identifiers are compared with the catalog's. The candidate rows are built into
observations by the same function the plain reader uses
(:func:`rootout.procurement.records.build`) and handed to the matcher, so the
findings are the plain path's findings. The file's SHA-256 is computed while the
Python stages run.

Rows are numbered as the plain reader numbers them (well-formed rows, in file
order); observations carry ``row N`` and no line (DuckDB does not say which
line a row started on). Bad rows are reported as the plain reader reports
them: DuckDB's rejects with their lines, bad dates and amounts with their rows.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from rootout.catalog.model import SignatureKind
from rootout.errors import InputError, Location
from rootout.ingest.scan import InputRecord, InputStatus
from rootout.match.engine import Matcher
from rootout.model.observation import Observation, SourceRef
from rootout.procurement import prefilter
from rootout.procurement.columns import column_plan, is_contracts_header, record_kind
from rootout.procurement.csvrows import delimiter_of
from rootout.procurement.records import RecordError, build

DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%m/%d/%Y", "%Y%m%d"]
AMOUNT_RE = r"^\(?-?\$?-?[0-9][0-9,]*(\.[0-9]+)?\)?$"
KEEP = 5
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BulkResult:
    record: InputRecord
    rows: int
    candidates: int
    seconds: float
    stages: tuple[tuple[str, float], ...] = ()
    """Seconds per stage: load (DuckDB parses the file), problems, names, candidates."""


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def read_header(path: Path) -> tuple[list[str], str]:
    """The header cells and the delimiter of a (possibly gzipped) delimited file."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rb") as handle:
        first = handle.readline(4 * 1024 * 1024)
    text = first.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    delimiter = delimiter_of(text)
    cells = next(csv.reader([text], delimiter=delimiter), [])
    return [cell.strip() for cell in cells], delimiter


class _Clock:
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


def _sha256(path: Path, out: list[str]) -> None:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(4 * 1024 * 1024):
            digest.update(chunk)
    out.append(digest.hexdigest())


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
    display = str(path)
    header, delimiter = read_header(path)
    if not is_contracts_header(header):
        raise InputError(Location(display, 1), "not a USAspending contracts header")
    plan = column_plan(header)
    kind = record_kind(header)
    reader = f"usaspending-{'transactions' if kind == 'transaction' else 'awards'}"
    size = path.stat().st_size
    digest: list[str] = []
    # hashed while the Python stages run (hashlib releases the GIL), not while DuckDB parses
    hasher = threading.Thread(target=_sha256, args=(path, digest), daemon=True)
    with tempfile.TemporaryDirectory(prefix="rootout-duckdb-") as spill:
        con = duckdb.connect(":memory:")
        try:
            con.execute(f"SET memory_limit = {_quote_str(memory_limit)}")
            con.execute(f"SET temp_directory = {_quote_str(spill)}")
            con.execute("SET preserve_insertion_order = true")
            if threads:
                con.execute(f"SET threads = {int(threads)}")
            clock = _Clock()
            with _Poll(con, size, progress):
                con.execute(_load_sql(path, header, delimiter, plan, text_filter(matcher)))
            rows = _scalar(con, "SELECT count(*) FROM rows")
            clock.lap("load")
            hasher.start()
            problems = _problems(con, display, plan)
            clock.lap("problems")
            candidates = _candidates(con, matcher, plan, sink, display, reader, kind, clock)
        finally:
            con.close()
    if hasher.is_alive():
        hasher.join()
    count, first = problems
    summary = (
        f"{display}: {count} bad record(s) (DuckDB path); first: {'; '.join(first)}"
        if count
        else ""
    )
    record = InputRecord(
        display,
        InputStatus.READ,
        reader,
        rows,
        digest[0] if digest else "",
        size,
        summary,
        bad_records=count,
    )
    if progress is not None:
        progress(size, size)
    return BulkResult(record, rows, candidates, time.monotonic() - started, tuple(clock.laps))


def _load_sql(
    path: Path, header: Sequence[str], delimiter: str, plan: dict[str, int], text: str
) -> str:
    """Parse the file once into ``rows``; the description filter runs in the same pass (``_text``)."""
    columns = ", ".join(f"{_quote_str(name)}: 'VARCHAR'" for name in header)
    select = ", ".join(f"{_quote_ident(header[index])} AS {key}" for key, index in plan.items())
    texts = [header[plan[key]] for key in prefilter.TEXT_KEYS if key in plan]
    flags = [f"regexp_matches({_quote_ident(texts[0])}, {_quote_str(text)})"] if texts else []
    if len(texts) > 1:  # the award description is searched only where it differs
        first, other = (_quote_ident(t) for t in texts[:2])
        flags.append(
            f"({other} IS DISTINCT FROM {first} AND regexp_matches({other}, {_quote_str(text)}))"
        )
    flag = " OR ".join(flags) or "false"
    return (
        f"CREATE TABLE rows AS SELECT row_number() OVER () AS _row, {select}, ({flag}) AS _text "
        f"FROM read_csv({_quote_str(str(path))}, header = true, auto_detect = false, "
        f"delim = {_quote_str(delimiter)}, quote = '\"', escape = '\"', "
        f"columns = {{{columns}}}, store_rejects = true, max_line_size = 4194304)"
    )


def text_filter(matcher: Matcher) -> str:
    """The description filter (RE2): a catalog word as a whole word, or any non-ASCII character."""
    words = prefilter.text_regex(prefilter.text_words(matcher))
    return f"(?i){words}|{prefilter.NON_ASCII}" if words else prefilter.NON_ASCII


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> int:
    row = con.execute(sql, list(params)).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def _problems(
    con: duckdb.DuckDBPyConnection, display: str, plan: dict[str, int]
) -> tuple[int, list[str]]:
    """Bad rows as the plain reader counts them: rejected, bad date (skipped), bad amount (kept)."""
    first: list[str] = []
    rejected = con.execute("SELECT line, error_message FROM reject_errors ORDER BY line").fetchall()
    lines = sorted({int(line) for line, _ in rejected})
    messages = {int(line): str(message).splitlines()[0] for line, message in rejected}
    first.extend(f"{display}:{line}: {messages[line]}" for line in lines[:KEEP])
    count = len(lines)
    bad_date = "FALSE"
    if "action_date" in plan:
        formats = "[" + ", ".join(_quote_str(f) for f in DATE_FORMATS) + "]"
        bad_date = (
            f"(trim(action_date) <> '' AND try_strptime(trim(action_date), {formats}) IS NULL)"
        )
        for row, value in con.execute(
            f"SELECT _row, action_date FROM rows WHERE {bad_date} ORDER BY _row"
        ).fetchall():
            count += 1
            if len(first) < KEEP:
                first.append(f"{display} row {row}: action date {value.strip()!r} is not a date")
    if "amount" in plan:
        sql = (
            "SELECT _row, amount FROM rows WHERE trim(amount) <> '' AND "
            f"NOT regexp_matches(trim(amount), {_quote_str(AMOUNT_RE)}) AND NOT {bad_date} ORDER BY _row"
        )
        for row, value in con.execute(sql).fetchall():
            count += 1
            if len(first) < KEEP:
                first.append(f"{display} row {row}: amount {value.strip()!r} is not a number")
    return count, first


def _hit_names(con: duckdb.DuckDBPyConnection, matcher: Matcher, keys: Sequence[str]) -> list[str]:
    """Distinct names the matcher verifies; the word filter runs in SQL (see prefilter.NameFilter)."""
    union = " UNION ".join(f"SELECT DISTINCT trim({key}) AS v FROM rows" for key in keys)
    con.execute(
        f"CREATE TEMP TABLE names AS SELECT v, string_split_regex(lower(v), '[^a-z0-9]+') AS words, "
        f"regexp_matches(v, {_quote_str(prefilter.NON_ASCII)}) AS other FROM ({union}) WHERE v <> ''"
    )
    names = prefilter.NameFilter(matcher)
    if names.pass_all:
        candidates = con.execute("SELECT v FROM names").fetchall()
    else:
        tokens = con.execute("SELECT DISTINCT unnest(words) FROM names WHERE NOT other").fetchall()
        words = sorted(names.words | {t for (t,) in tokens if t and names.is_near(t)})
        candidates = con.execute(
            "SELECT v FROM names WHERE other OR list_has_any(words, ?::VARCHAR[])", [words]
        ).fetchall()
    verified = matcher.verified
    return [v for (v,) in candidates if verified(SignatureKind.PUBLISHER, v)]


def _candidates(
    con: duckdb.DuckDBPyConnection,
    matcher: Matcher,
    plan: dict[str, int],
    sink: Callable[[Observation], None],
    display: str,
    reader: str,
    kind: str,
    clock: _Clock,
) -> int:
    conditions = []
    names = [key for key in prefilter.NAME_KEYS if key in plan]
    if names:
        hits = _hit_names(con, matcher, names)
        con.execute("CREATE TEMP TABLE hit_names (v VARCHAR)")
        if hits:
            con.executemany("INSERT INTO hit_names VALUES (?)", [[v] for v in hits])
        conditions += [f"trim({key}) IN (SELECT v FROM hit_names)" for key in names]
    clock.lap("names")
    identifiers = prefilter.identifier_keys(matcher)
    for scheme in (key for key in prefilter.IDENTIFIER_KEYS if key in plan):
        if identifiers:  # the matcher compares upper-case letters and digits only
            listed = ", ".join(_quote_str(v) for v in sorted(identifiers))
            conditions.append(
                f"(upper(regexp_replace({scheme}, '[^A-Za-z0-9]', '', 'g')) IN ({listed}) "
                f"OR regexp_matches({scheme}, {_quote_str(prefilter.NON_ASCII)}))"
            )
    conditions.append("_text")
    keys = list(plan)
    cursor = con.execute(
        f"SELECT _row, {', '.join(keys)} FROM rows WHERE {' OR '.join(conditions)} ORDER BY _row"
    )
    count = 0
    while batch := cursor.fetchmany(10_000):
        for values in batch:
            count += 1
            record = {key: value or "" for key, value in zip(keys, values[1:], strict=True)}
            source = SourceRef(display, 0, format=reader)
            try:
                built = build(record, source, row=int(values[0]), kind=kind)
            except RecordError:
                continue  # counted by _problems
            for observation in built.observations:
                sink(observation)
    clock.lap("candidates")
    return count
