"""The main job as a library call: read inputs, match, store, summarise.

``rootout scan`` is a thin wrapper over :func:`scan`; the server and the agent
call the same function.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rootout.catalog.cache import load_compiled
from rootout.catalog.catalog import Catalog
from rootout.config import load_settings
from rootout.ingest.scan import InputRecord as ReadRecord
from rootout.ingest.scan import InputStatus, ScanResult, read_inputs
from rootout.match.engine import Matcher
from rootout.model.finding import Finding
from rootout.model.observation import Observation
from rootout.store import repository as repo
from rootout.store.db import connect

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ScanOutcome:
    scan_id: str
    reused: bool
    catalog: Catalog
    read: ScanResult
    findings: tuple[Finding, ...]
    saved: repo.SaveResult


def assets_seen(observations: Iterable[Observation]) -> tuple[repo.AssetSeen, ...]:
    counts: Counter[str] = Counter()
    first: dict[str, Observation] = {}
    formats: dict[str, set[str]] = {}
    for observation in observations:
        key = observation.asset.key
        counts[key] += 1
        first.setdefault(key, observation)
        formats.setdefault(key, set()).add(observation.source.format)
    return tuple(
        repo.AssetSeen(
            key,
            first[key].asset.kind.value,
            first[key].asset.name,
            first[key].asset.identifiers,
            first[key].asset.tags,
            counts[key],
            frozenset(formats[key]),
        )
        for key in sorted(counts)
    )


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
) -> ScanOutcome:
    """Read ``paths``, match every observation, and store the scan."""
    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *catalog_dirs])
    started = dt.datetime.now(dt.UTC)
    read = read_inputs(list(paths), format=input_format, column_map=column_map, progress=progress)
    return _finish(
        read, catalog, Matcher(catalog, index=index, today=today), started, db, tenant, label
    )


def store_observations(
    read: ScanResult,
    *,
    db: str | None = None,
    tenant: str = repo.DEFAULT_TENANT,
    catalog_dirs: Sequence[Path] = (),
    label: str | None = None,
    today: dt.date | None = None,
) -> ScanOutcome:
    """Match and store observations that were read elsewhere (a collector, an agent upload)."""
    settings = load_settings()
    catalog, index = load_compiled([*settings.catalog_dirs, *catalog_dirs])
    started = dt.datetime.now(dt.UTC)
    return _finish(
        read, catalog, Matcher(catalog, index=index, today=today), started, db, tenant, label
    )


def _finish(
    read: ScanResult,
    catalog: Catalog,
    matcher: Matcher,
    started: dt.datetime,
    db: str | None,
    tenant: str,
    label: str | None,
) -> ScanOutcome:
    findings = tuple(matcher.match(read.iter_observations()))
    coverage = read.coverage
    record = repo.ScanRecord(
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        catalog_version=catalog.version,
        engine="python",
        inputs=input_records(read.inputs),
        assets=assets_seen(read.iter_observations()),
        label=label,
        summary={
            "inputs": coverage.inputs,
            "failed": coverage.failed,
            "unrecognised": coverage.unrecognised,
            "observations": coverage.observations,
            "findings": len(findings),
            "observations_by_format": dict(coverage.observations_by_format),
        },
    )
    saved = repo.save_scan(connect(db), record, findings, catalog, tenant=tenant)
    return ScanOutcome(saved.scan_id, saved.reused, catalog, read, findings, saved)
