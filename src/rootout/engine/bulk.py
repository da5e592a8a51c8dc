"""``scan_bulk``: a scan of tabular inputs on a chosen engine, stored like any scan.

The result is the :class:`~rootout.scanning.ScanOutcome` that
:func:`rootout.scanning.scan` returns: same findings (ids, bases, confidence,
explanations), same per-asset observation counts, same input records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from rootout import scanning
from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.config import load_settings
from rootout.engine.backend import Backend
from rootout.engine.choose import EngineName
from rootout.engine.pipeline import run_input
from rootout.engine.source import (
    TabularSource,
    local_header,
    reader_for,
    resolve_map,
    tabular_format,
)
from rootout.errors import ConfigError, InputError, Location
from rootout.ingest.digest import lower_priority, sha256_of
from rootout.ingest.scan import InputRecord, InputStatus, ScanResult
from rootout.match.engine import MatchSession
from rootout.store import repository as repo
from rootout.store.db import connect

Progress = Callable[[int, int], None]
BackendFactory = Callable[[], Backend]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def sources(paths: Sequence[Path], input_format: str | None) -> list[TabularSource]:
    found = []
    for path in paths:
        fmt = tabular_format(path, input_format)
        if fmt is None:
            raise ConfigError(
                f"{path}: not a tabular input (CSV, Parquet, JSON lines); "
                "give --format csv|jsonl|parquet or use --engine python"
            )
        found.append(TabularSource(path, fmt))
    return found


@contextmanager
def open_backend(engine: EngineName, spark_remote: str | None) -> Iterator[Backend | None]:
    """The backend for ``engine`` (None for python), closed afterwards."""
    backend: Backend | None = None
    if engine is EngineName.DUCKDB:
        from rootout.engine.duckdb import DuckDbBackend

        backend = DuckDbBackend()
    elif engine is EngineName.SPARK:
        from rootout.engine.spark import SparkBackend, spark_session

        backend = SparkBackend(spark_session(spark_remote))
    try:
        yield backend
    finally:
        if backend is not None:
            backend.close()


def read_python(
    source: TabularSource,
    column_map: Mapping[str, str] | None,
    session: MatchSession,
    tally: repo.AssetTally,
    position: int,
) -> tuple[int, str]:
    """The in-process engine: the format's reader over every row (the reference path).
    Returns the observations read and the error that stopped the reader, if any."""
    count = 0
    try:
        header = tuple(column_map.values()) if column_map else local_header(source)
        reader = reader_for(source.format, resolve_map(header, column_map, source.display))
        with source.path.open("rb") as stream:
            for observation in reader.read(source.path, stream):
                count += 1
                session.add(observation)
                tally.add_observation(observation, (position, count))
    except InputError as exc:
        return count, str(exc)
    except OSError as exc:
        where = Location(source.display)
        return count, str(InputError(where, f"cannot read: {exc.strerror or exc}"))
    return count, ""


def read_one(
    backend: Backend | None,
    source: TabularSource,
    column_map: Mapping[str, str] | None,
    session: MatchSession,
    tally: repo.AssetTally,
    position: int,
) -> tuple[int, str]:
    """One input on the backend. An input the backend cannot read (a malformed CSV row, a
    missing column) is read again by the format's reader when it is a local file: the
    reader names the first bad record with its line and keeps the rows before it, as an
    ordinary scan does."""
    if backend is not None:
        try:
            return run_input(backend, source, column_map, session, tally, position).observations, ""
        except InputError as exc:
            if not source.path.is_file():
                return 0, str(exc)
    return read_python(source, column_map, session, tally, position)


def _record(
    source: TabularSource, count: int, error: str, digest: Future[tuple[str, int]]
) -> InputRecord:
    sha256, size = digest.result()
    status = InputStatus.FAILED if error else InputStatus.READ
    return InputRecord(source.display, status, source.format.value, count, sha256, size, error)


def scan_bulk(
    paths: Sequence[Path],
    *,
    engine: EngineName = EngineName.DUCKDB,
    db: str | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    input_format: str | None = None,
    column_map: Mapping[str, str] | None = None,
    catalog_dirs: Sequence[Path] = (),
    progress: Progress | None = None,
    label: str | None = None,
    today: dt.date | None = None,
    spark_remote: str | None = None,
    backend_factory: BackendFactory | None = None,
) -> scanning.ScanOutcome:
    """Scan tabular inputs on ``engine`` and store the scan; see :mod:`rootout.engine`."""
    if engine is EngineName.AUTO:
        raise ConfigError("scan_bulk needs a concrete engine: choose one with choose_engine()")
    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *catalog_dirs])
    started = dt.datetime.now(dt.UTC)
    session = scanning.matcher_for(catalog, index, today, settings).session()
    tally = repo.AssetTally()
    records: list[InputRecord] = []
    todo = sources(paths, input_format)
    total_bytes = sum(_size(s.path) for s in todo)
    done = 0
    # Digests are computed beside the engine, on idle CPU (see rootout.ingest.digest).
    with (
        ThreadPoolExecutor(max_workers=1, initializer=lower_priority) as hasher,
        _backend(engine, spark_remote, backend_factory) as backend,
    ):
        digests = [hasher.submit(sha256_of, s.path) for s in todo]
        for position, source in enumerate(todo):
            count, error = read_one(backend, source, column_map, session, tally, position)
            records.append(_record(source, count, error, digests[position]))
            done += records[-1].size
            if progress is not None:
                progress(done, total_bytes)
    read = ScanResult(tuple(records), (), sum(r.count for r in records))
    return _save(read, catalog, session, tally, started, engine, db, tenant, label)


@contextmanager
def _backend(
    engine: EngineName, spark_remote: str | None, factory: BackendFactory | None
) -> Iterator[Backend | None]:
    if factory is not None and engine is not EngineName.PYTHON:
        backend = factory()
        try:
            yield backend
        finally:
            backend.close()
        return
    with open_backend(engine, spark_remote) as opened:
        yield opened


def _save(
    read: ScanResult,
    catalog: Catalog,
    session: MatchSession,
    tally: repo.AssetTally,
    started: dt.datetime,
    engine: EngineName,
    db: str | None,
    tenant: str,
    label: str | None,
) -> scanning.ScanOutcome:
    """Store the scan as :func:`rootout.scanning.scan` does, naming the engine."""
    from rootout.cases.verify import verify_after_scan

    findings = tuple(session.findings())
    coverage = read.coverage
    assets = tally.assets()
    record = repo.ScanRecord(
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        catalog_version=catalog.version,
        engine=engine.value,
        inputs=scanning.input_records(read.inputs),
        assets=assets,
        label=label,
        summary={
            "inputs": coverage.inputs,
            "failed": coverage.failed,
            "unrecognised": coverage.unrecognised,
            "observations": coverage.observations,
            "assets": len(assets),
            "findings": len(findings),
            "observations_by_format": dict(coverage.observations_by_format),
        },
    )
    store = connect(db)
    saved = repo.save_scan(store, record, findings, catalog, tenant=tenant)
    if not saved.reused:
        verify_after_scan(store, saved.scan_id, tenant)
    return scanning.ScanOutcome(saved.scan_id, saved.reused, catalog, read, findings, saved, assets)
