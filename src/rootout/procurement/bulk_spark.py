"""The contracts bulk path on Spark (local mode or a cluster): the same candidates as DuckDB's.

Spark reads the USAspending CSV (every column as text), drops the records the
plain reader rejects (a wrong number of cells; bytes that are not UTF-8, which
Spark decodes as U+FFFD), numbers the rest in file order
(:func:`rootout.engine.spark.number_rows`) and keeps the columns rootout reads,
persisted on disk (in memory, 5 GiB of them exhaust local mode's default heap). Decisions stay in Python, on distinct values, so they cannot drift
from the matcher: the distinct organisation names go through
:meth:`rootout.procurement.prefilter.NameFilter.hits` and the distinct action
dates through :func:`rootout.procurement.records.parse_date`; the description
and identifier filters are the DuckDB path's regular expressions (RE2 and Java
agree on them). Candidate rows come back in file order and are built and matched
by the same code as the other paths, so the findings are the same.

Spark does not say on which line a malformed record was: they are counted, not
located.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING

from rootout.engine.spark import number_rows
from rootout.ingest.digest import BackgroundDigest
from rootout.ingest.scan import InputRecord, InputStatus
from rootout.match.engine import Matcher
from rootout.model.observation import Observation
from rootout.procurement import bulk_sql as sql
from rootout.procurement import prefilter
from rootout.procurement.bulk import (
    KEEP,
    BulkResult,
    Clock,
    Progress,
    contracts_header,
    emit_rows,
)
from rootout.procurement.records import parse_date

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

CORRUPT = "_corrupt"


def _any(columns: list[Column]) -> Column:
    from pyspark.sql import functions as f

    return reduce(lambda a, b: a | b, columns, f.lit(False))


def _read(spark: SparkSession, path: Path, header: list[str], delimiter: str) -> DataFrame:
    """Well-formed records only, with ``file_block_start`` for numbering."""
    from pyspark.sql import functions as f

    schema = ", ".join(f"c{i} STRING" for i in range(len(header))) + f", {CORRUPT} STRING"
    frame = (
        spark.read.options(
            header="true",
            sep=delimiter,
            quote='"',
            escape='"',
            multiLine="false",
            mode="PERMISSIVE",
            columnNameOfCorruptRecord=CORRUPT,
            encoding="UTF-8",
        )
        .schema(schema)
        .csv(str(path))
    )
    cells = [f.col(f"c{i}") for i in range(len(header))]
    undecodable = f.concat_ws("", *cells).contains("\ufffd")  # one expression: 297 ORs overflow
    return frame.where(f.col(CORRUPT).isNull() & ~undecodable).select(
        *cells, "_metadata.file_block_start"
    )


def _flags(frame: DataFrame, plan: dict[str, int], matcher: Matcher) -> DataFrame:
    """``frame`` (``_row`` and the plan's columns by key) with ``_text`` and ``_ident``."""
    from pyspark.sql import functions as f

    texts = [f.col(k) for k in prefilter.TEXT_KEYS if k in plan]
    regex = sql.text_filter(matcher)
    text = [f.coalesce(texts[0].rlike(regex), f.lit(False))] if texts else []
    if len(texts) > 1:
        text.append(
            f.coalesce(~texts[1].eqNullSafe(texts[0]) & texts[1].rlike(regex), f.lit(False))
        )
    listed = sorted(prefilter.identifier_keys(matcher))
    ident = [
        f.coalesce(
            f.upper(f.regexp_replace(f.col(k), "[^A-Za-z0-9]", "")).isin(listed)
            | f.col(k).rlike(prefilter.NON_ASCII),
            f.lit(False),
        )
        for k in prefilter.IDENTIFIER_KEYS
        if k in plan and listed
    ]
    return frame.withColumn("_text", _any(text)).withColumn("_ident", _any(ident))


def _distinct(frame: DataFrame, keys: list[str]) -> list[str]:
    from pyspark.sql import functions as f

    if not keys:
        return []
    parts = [frame.select(f.trim(f.col(k)).alias("v")) for k in keys]
    union = reduce(lambda a, b: a.union(b), parts).where(f.col("v") != "").distinct()
    return [row[0] for row in union.toLocalIterator()]


def _bad_dates(frame: DataFrame, plan: dict[str, int]) -> list[str]:
    """Distinct action dates (stripped) the plain reader cannot read."""
    bad = []
    for value in _distinct(frame, ["action_date"] if "action_date" in plan else []):
        try:
            parse_date(value)
        except ValueError:
            bad.append(value)
    return bad


def _problems(
    frame: DataFrame, plan: dict[str, int], display: str, malformed: int
) -> tuple[DataFrame, int, list[str]]:
    """Rows with a bad date (skipped by build) or a bad amount, counted as the plain reader
    counts them; returns the frame with ``_bad`` (1 date, 2 amount)."""
    from pyspark.sql import functions as f

    dates = _bad_dates(frame, plan)
    bad_date = f.trim(f.col("action_date")).isin(dates) if dates else f.lit(False)
    bad_amount = f.lit(False)
    if "amount" in plan:
        amount = f.trim(f.col("amount"))
        bad_amount = f.coalesce((amount != "") & ~amount.rlike(sql.AMOUNT_RE), f.lit(False))
    flag = (
        f.when(f.coalesce(bad_date, f.lit(False)), sql.BAD_DATE)
        .when(bad_amount, sql.BAD_AMOUNT)
        .otherwise(0)
    )
    frame = frame.withColumn("_bad", flag)
    first = [f"{display}: {malformed} malformed record(s) (Spark path: lines not known)"]
    first = first if malformed else []
    listed = frame.where(f.col("_bad") > 0).orderBy("_bad", "_row").limit(KEEP)
    for row in listed.select(
        "_row", "_bad", *(k for k in ("action_date", "amount") if k in plan)
    ).collect():
        values = row.asDict()
        if values["_bad"] == sql.BAD_DATE:
            text = f"action date {(values['action_date'] or '').strip()!r} is not a date"
        else:
            text = f"amount {(values['amount'] or '').strip()!r} is not a number"
        first.append(f"{display} row {values['_row']}: {text}")
    count = malformed + frame.where(f.col("_bad") > 0).count()
    return frame, count, first[:KEEP]


def scan_file(
    path: Path,
    sink: Callable[[Observation], None],
    matcher: Matcher,
    spark: SparkSession,
    *,
    progress: Progress | None = None,
) -> BulkResult:
    """Read one USAspending CSV with Spark; observations of candidates go to ``sink``."""
    from pyspark.sql import functions as f

    started = time.monotonic()
    head = contracts_header(path)
    display, header, delimiter, plan = head.display, head.header, head.delimiter, head.plan
    digest = BackgroundDigest(path)
    clock = Clock()
    good = _read(spark, path, header, delimiter)
    keyed = good.select(*(f.col(f"c{i}").alias(k) for k, i in plan.items()), "file_block_start")
    numbered, persisted = number_rows(spark, keyed, first=1, disk_only=True)
    try:
        rows = numbered.count()
        malformed = _records(spark, path, header, delimiter) - rows
        clock.lap("load")
        frame, bad, first = _problems(numbered, plan, display, malformed)
        clock.lap("problems")
        names = sql.name_keys(plan)
        hits = prefilter.NameFilter(matcher).hits(_distinct(frame, names))
        clock.lap("names")
        frame = _flags(frame, plan, matcher)
        named = [f.coalesce(f.trim(f.col(k)).isin(hits), f.lit(False)) for k in names if hits]
        chosen = frame.where(f.col("_text") | f.col("_ident") | _any(named)).orderBy("_row")
        rows_out = chosen.select("_row", *plan).toLocalIterator()
        candidates = emit_rows(((int(r["_row"]), r.asDict()) for r in rows_out), head, sink)
        clock.lap("candidates")
    finally:
        for persisted_frame in persisted:
            persisted_frame.unpersist()
    summary = (
        f"{display}: {bad} bad record(s) (Spark path); first: {'; '.join(first)}" if bad else ""
    )
    size = path.stat().st_size
    record = InputRecord(
        display, InputStatus.READ, head.reader, rows, "", size, summary, bad_records=bad
    )
    if progress is not None:
        progress(size, size)
    return BulkResult(
        record, digest, rows, candidates, time.monotonic() - started, tuple(clock.laps)
    )


def _records(spark: SparkSession, path: Path, header: list[str], delimiter: str) -> int:
    """Every record of the file, malformed ones included (Spark counts without parsing cells)."""
    schema = ", ".join(f"c{i} STRING" for i in range(len(header)))
    options = {
        "header": "true",
        "sep": delimiter,
        "quote": '"',
        "escape": '"',
        "mode": "PERMISSIVE",
    }
    return int(spark.read.options(**options).schema(schema).csv(str(path)).count())
