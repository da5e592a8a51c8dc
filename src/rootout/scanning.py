"""The main job as a library call: read inputs, match, store, summarise.

``rootout scan`` is a thin wrapper over :func:`scan`; the server and the agent
call the same function.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from rootout.cases.verify import verify_after_scan
from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.config import Settings, load_settings
from rootout.ingest.collect import collect_this_machine
from rootout.ingest.collect.base import CollectResult
from rootout.ingest.scan import InputRecord as ReadRecord
from rootout.ingest.scan import InputStatus, ScanResult, coverage_records, read_inputs
from rootout.match.engine import Matcher, MatchSession
from rootout.match.index import CompiledIndex
from rootout.match.orgname import OrgNameIndex
from rootout.model.finding import Finding
from rootout.model.observation import Observation
from rootout.store import repository as repo
from rootout.store.db import connect
from rootout.store.observations import ObservationWriter

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ScanOutcome:
    scan_id: str
    reused: bool
    catalog: Catalog
    read: ScanResult
    findings: tuple[Finding, ...]
    saved: repo.SaveResult
    assets: tuple[repo.AssetSeen, ...] = ()


def matcher_for(
    catalog: Catalog, index: CompiledIndex, today: dt.date | None, settings: Settings
) -> Matcher:
    org_names = OrgNameIndex(
        catalog, name_threshold=settings.name_threshold, token_threshold=settings.token_threshold
    )
    return Matcher(catalog, index=index, today=today, org_names=org_names)


class _Tally(repo.AssetTally):
    """The per-asset tally of the observations as they stream past, and the observations."""

    def __init__(self) -> None:
        super().__init__()
        self.kept = ObservationWriter()
        """The observations themselves, compressed, stored with the scan for ``rootout rescan``."""

    def take(self, observation: Observation) -> None:
        self.kept.add(observation)
        self.add_observation(observation, (0, 0))  # in stream order: the first row names the asset


def input_records(records: Sequence[ReadRecord]) -> tuple[repo.InputRecord, ...]:
    return tuple(
        repo.InputRecord(
            path=r.path,
            sha256=r.sha256 or None,
            size=r.size,
            format=r.format or None,
            observations=r.count,
            error=r.error or (r.status.value if r.status is not InputStatus.READ else None),
        )
        for r in records
    )


def collected_as_read(collected: CollectResult) -> ScanResult:
    """A collection of this machine in the shape of a read of input files.

    Each collector source becomes an input record (``this-machine:<source>``). The
    records' digest covers every observation's kind, fields and source, without
    the collection time, so collecting an unchanged machine twice is idempotent.
    """
    digest = hashlib.sha256()
    for observation in collected.observations:
        digest.update(
            repr(
                (
                    observation.kind.value,
                    sorted(observation.fields.items()),
                    observation.source.path,
                )
            ).encode()
        )
    sha = digest.hexdigest()
    records = coverage_records(
        collected.coverage, prefix="this-machine:", format="collect", sha256=sha
    )
    return ScanResult(records, tuple(collected.observations))


def merge_reads(first: ScanResult, second: ScanResult) -> ScanResult:
    return ScanResult(
        first.inputs + second.inputs,
        first.observations + second.observations,
        first.coverage.observations + second.coverage.observations,
    )


def scan(
    paths: Sequence[Path],
    *,
    db: str | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    input_format: str | None = None,
    column_map: Mapping[str, str] | None = None,
    catalog_dirs: Sequence[Path] = (),
    progress: Progress | None = None,
    label: str | None = None,
    today: dt.date | None = None,
    this_machine: bool = False,
) -> ScanOutcome:
    """Read ``paths`` (and collect this machine when asked), match, and store the scan."""
    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *catalog_dirs])
    started = dt.datetime.now(dt.UTC)
    session = matcher_for(catalog, index, today, settings).session()
    tally = _Tally()

    def sink(observation: Observation) -> None:
        session.add(observation)
        tally.take(observation)

    read = read_inputs(
        list(paths), format=input_format, column_map=column_map, progress=progress, sink=sink
    )
    if this_machine:
        local = collected_as_read(collect_this_machine())
        for observation in local.observations:
            sink(observation)
        read = merge_reads(read, ScanResult(local.inputs, (), local.coverage.observations))
    return _store(read, catalog, session, tally, started, db, tenant, label)


def store_observations(
    read: ScanResult,
    *,
    db: str | None = None,
    engine: Engine | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    catalog_dirs: Sequence[Path] = (),
    label: str | None = None,
    today: dt.date | None = None,
) -> ScanOutcome:
    """Match and store observations that were read elsewhere (a collector, an agent upload).

    A long-running caller (the server) passes its own ``engine``; otherwise one is
    opened for ``db`` and disposed of when the scan is stored."""
    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *catalog_dirs])
    started = dt.datetime.now(dt.UTC)
    session = matcher_for(catalog, index, today, settings).session()
    tally = _Tally()
    for observation in read.iter_observations():
        session.add(observation)
        tally.take(observation)
    return _store(read, catalog, session, tally, started, engine or db, tenant, label)


def _store(
    read: ScanResult,
    catalog: Catalog,
    session: MatchSession,
    tally: _Tally,
    started: dt.datetime,
    store: Engine | str | None,
    tenant: str,
    label: str | None,
) -> ScanOutcome:
    findings = tuple(session.findings())
    coverage = read.coverage
    record = repo.ScanRecord(
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        catalog_version=catalog.version,
        engine="python",
        inputs=input_records(read.inputs),
        assets=tally.assets(),
        label=label,
        summary={
            "inputs": coverage.inputs,
            "failed": coverage.failed,
            "unrecognised": coverage.unrecognised,
            "observations": coverage.observations,
            "assets": len(tally.counts),
            "findings": len(findings),
            "observations_by_format": dict(coverage.observations_by_format),
            "observations_stored": True,
        },
    )
    engine = store if isinstance(store, Engine) else connect(store)
    try:
        saved = repo.save_scan(
            engine, record, findings, catalog, tenant=tenant, observations=tally.kept.chunks()
        )
        if not saved.reused:
            verify_after_scan(engine, saved.scan_id, tenant)
    finally:
        if engine is not store:
            engine.dispose()
    return ScanOutcome(saved.scan_id, saved.reused, catalog, read, findings, saved, record.assets)
