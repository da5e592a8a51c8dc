"""``rootout contracts scan`` as a library call: read, match, store, and total.

Inputs go one of two ways:

* the plain readers (every format: CSV, ZIP parts, API JSON, FPDS ATOM), through
  the scanner, each observation to the matcher as it is read;
* the DuckDB path (:mod:`rootout.procurement.bulk`) for USAspending CSV files
  (plain or ``.gz``) of at least ``bulk_from`` bytes with ``engine="auto"``, or
  every one with ``engine="duckdb"``;
* the Spark path (:mod:`rootout.procurement.bulk_spark`) for every plain
  USAspending CSV with ``engine="spark"`` (a given session, else local mode).

Both feed one :class:`~rootout.procurement.actions.ActionCollector`; only the
observations that hit are kept. They are stored as one scan
(:func:`rootout.scanning.store_observations`: the findings are the ones
``rootout scan`` stores for the same files) and summarised per action.
"""

from __future__ import annotations

import datetime as dt
import gzip
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from rootout.catalog.cache import load_compiled
from rootout.config import load_settings
from rootout.errors import RootoutError
from rootout.ingest.base import all_readers
from rootout.ingest.scan import InputRecord, InputStatus, ScanResult, read_inputs
from rootout.ingest.textio import sniff_encoding
from rootout.match.engine import Matcher
from rootout.model.observation import Observation
from rootout.procurement import bulk
from rootout.procurement.actions import ActionCollector
from rootout.procurement.analysis import Summary, summarise
from rootout.scanning import ScanOutcome, matcher_for, store_observations
from rootout.store import repository as repo

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

BULK_FROM_BYTES = 64 * 1024 * 1024
CSV_READERS = ("usaspending-transactions", "usaspending-awards")
Progress = Callable[[int, int], None]
BulkScan = Callable[[Path, Callable[[Observation], None], Progress], bulk.BulkResult]


class Engine(StrEnum):
    AUTO = "auto"
    PYTHON = "python"
    DUCKDB = "duckdb"
    SPARK = "spark"


@dataclass(frozen=True)
class ContractsOutcome:
    stored: ScanOutcome
    summary: Summary
    read: ScanResult
    bulk: tuple[bulk.BulkResult, ...]
    bulk_engine: str = "duckdb"
    """Where the inputs in ``bulk`` were read: ``duckdb`` or ``spark``."""


def _files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if child.is_file() and not any(p.startswith(".") for p in relative):
                    yield child
        else:
            yield path


def _head(path: Path) -> bytes:
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                return handle.read(65536)
        with path.open("rb") as handle:
            return handle.read(65536)
    except (OSError, EOFError, gzip.BadGzipFile):
        return b""


def wants_bulk(path: Path, engine: Engine, bulk_from: int) -> bool:
    """A USAspending CSV in UTF-8 that the DuckDB path should read."""
    if engine is Engine.PYTHON or not path.is_file() or path.suffix.lower() == ".zip":
        return False
    if engine is Engine.SPARK and path.name.endswith(".gz"):
        return False  # Spark reads a gzipped CSV as one split, in one task: the readers do better
    if engine is Engine.AUTO and path.stat().st_size < bulk_from:
        return False
    head = _head(path)
    if sniff_encoding(head) not in ("utf-8", "utf-8-sig"):
        return False
    readers = all_readers()
    return any(
        readers[name].sniff(Path(path.name.removesuffix(".gz")), head) for name in CSV_READERS
    )


def scan_contracts(
    paths: Sequence[Path],
    *,
    engine: Engine = Engine.AUTO,
    db: str | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    catalog_dirs: Sequence[Path] = (),
    progress: Progress | None = None,
    today: dt.date | None = None,
    label: str | None = None,
    bulk_from: int = BULK_FROM_BYTES,
    memory_limit: str = "512MB",
    spark: SparkSession | None = None,
) -> ContractsOutcome:
    """Read contract files, store the findings as one scan, and total the actions."""
    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *catalog_dirs])
    matcher = matcher_for(catalog, index, today, settings)
    collector = ActionCollector(matcher)
    files = list(_files(paths))
    fast = [path for path in files if wants_bulk(path, engine, bulk_from)]
    slow = [path for path in files if path not in fast]
    grand = sum(path.stat().st_size for path in files if path.is_file()) or 1
    offset = 0

    def report(done: int, _total: int) -> None:
        if progress is not None:
            progress(offset + done, grand)

    read = read_inputs(slow, progress=report, sink=collector.add) if slow else ScanResult((), ())
    records: list[InputRecord] = list(read.inputs)
    total = max(read.total, 0)
    offset = sum(path.stat().st_size for path in slow if path.is_file())
    results = []
    scan_one = _bulk_scanner(engine, spark, matcher, memory_limit)
    bulk_name = "spark" if engine is Engine.SPARK else "duckdb"
    errors = _bulk_errors(engine)
    for path in fast:
        try:
            result = scan_one(path, collector.add, report)
        except errors as exc:
            records.append(
                InputRecord(str(path), InputStatus.FAILED, bulk_name, error=f"{path}: {exc}")
            )
            continue
        finally:
            offset += path.stat().st_size if path.is_file() else 0
        results.append(result)
        records.append(result.record)
        total += result.record.count
    merged = ScanResult(tuple(records), tuple(collector.kept), total)
    stored = store_observations(
        merged, db=db, tenant=tenant, catalog_dirs=catalog_dirs, label=label, today=today
    )
    summary = summarise(collector.actions(), catalog)
    return ContractsOutcome(stored, summary, merged, tuple(results), bulk_name)


def _bulk_scanner(
    engine: Engine, spark: SparkSession | None, matcher: Matcher, memory_limit: str
) -> BulkScan:
    """How one large CSV is read: DuckDB, or Spark (imported only when asked for)."""
    if engine is not Engine.SPARK:
        return lambda path, sink, report: bulk.scan_file(
            path, sink, matcher, progress=report, memory_limit=memory_limit
        )
    from rootout.engine.spark import spark_session
    from rootout.procurement import bulk_spark

    session = spark or spark_session()
    return lambda path, sink, report: bulk_spark.scan_file(
        path, sink, matcher, session, progress=report
    )


def _bulk_errors(engine: Engine) -> tuple[type[Exception], ...]:
    if engine is not Engine.SPARK:
        return (RootoutError, duckdb.Error, OSError)
    from rootout.engine.spark import spark_errors

    return (RootoutError, OSError, *spark_errors())
