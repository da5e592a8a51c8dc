"""The agent's scan payload: versioned JSON that a server turns back into observations.

One payload is one collection of one machine::

    {"version": 1, "scan_id": "<uuid4>", "agent_version": "0.1.0",
     "collected_at": "...Z", "host": {asset}, "coverage": [...],
     "observations": [{"kind", "fields", "extra", "source": {path, line, pointer, format},
                       "observed_at", "parents"}, ...]}

The ``scan_id`` is chosen by the agent once per collection and sent unchanged on
every retry: the server stores a scan id once per tenant. Every observation
belongs to ``host``; the asset is written once, not per observation.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import uuid
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from rootout import __version__
from rootout.ingest.collect.base import CollectResult, CoverageItem, CoverageStatus
from rootout.ingest.scan import ScanResult, coverage_records
from rootout.model.observation import (
    Asset,
    AssetKind,
    Observation,
    ObservationKind,
    SourceRef,
)

PAYLOAD_VERSION: Literal[1] = 1
MAX_OBSERVATIONS = 500_000
"""More observations than any real machine has; a payload over it is refused."""
MAX_TEXT = 8192
"""Longest string a payload may carry (a path, a certificate subject, a command line)."""


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL characters are not allowed")
    return value


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_no_nul)]
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_nul)]
"""A host name or identifier: they make the asset key, which the store keeps in 300 characters."""
Pair = tuple[Text, Text]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceModel(_Strict):
    path: Text
    line: int = Field(default=0, ge=0)
    pointer: Text = ""
    format: Text = ""


class AssetModel(_Strict):
    kind: AssetKind = AssetKind.HOST
    name: Name
    identifiers: list[tuple[Name, Name]] = Field(default_factory=list, max_length=100)
    tags: list[Pair] = Field(default_factory=list, max_length=100)


class ObservationModel(_Strict):
    kind: ObservationKind
    fields: dict[Text, Text] = Field(max_length=200)
    extra: dict[Text, Text] = Field(default_factory=dict, max_length=200)
    source: SourceModel
    observed_at: dt.datetime | None = None
    parents: list[Text] = Field(default_factory=list, max_length=100)


class CoverageModel(_Strict):
    source: Text
    status: CoverageStatus
    count: int = Field(default=0, ge=0)
    reason: Text = ""


class AgentScan(_Strict):
    """What ``rootout agent`` posts to ``POST /api/v1/agent/scans``."""

    version: Literal[1] = PAYLOAD_VERSION
    scan_id: uuid.UUID = Field(description="Chosen by the agent; the same on every retry.")
    agent_version: Text = Field(max_length=40)
    collected_at: dt.datetime
    host: AssetModel
    coverage: list[CoverageModel] = Field(default_factory=list, max_length=1000)
    observations: list[ObservationModel] = Field(max_length=MAX_OBSERVATIONS)


def _pairs(pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in pairs]


def observation_model(observation: Observation) -> ObservationModel:
    source = observation.source
    return ObservationModel(
        kind=observation.kind,
        fields=dict(observation.fields),
        extra=dict(observation.extra),
        source=SourceModel(
            path=source.path, line=source.line, pointer=source.pointer, format=source.format
        ),
        observed_at=observation.observed_at,
        parents=list(observation.parents),
    )


def build_payload(
    collected: CollectResult, *, scan_id: uuid.UUID | None = None, now: dt.datetime | None = None
) -> AgentScan:
    """The payload of one collection; a new scan id unless one is given."""
    host = collected.asset
    return AgentScan(
        scan_id=scan_id or uuid.uuid4(),
        agent_version=__version__,
        collected_at=now or dt.datetime.now(dt.UTC),
        host=AssetModel(
            kind=host.kind,
            name=host.name,
            identifiers=_pairs(host.identifiers),
            tags=_pairs(host.tags),
        ),
        coverage=[
            CoverageModel(
                source=item.source, status=item.status, count=item.count, reason=item.reason
            )
            for item in collected.coverage
        ],
        observations=[observation_model(o) for o in collected.observations],
    )


def encode(scan: AgentScan) -> bytes:
    """The payload as gzip-compressed JSON, the body the agent posts."""
    return gzip.compress(scan.model_dump_json().encode(), compresslevel=6)


def host_asset(scan: AgentScan) -> Asset:
    host = scan.host
    return Asset(host.kind, host.name, tuple(host.identifiers), tuple(host.tags))


def observations(scan: AgentScan) -> list[Observation]:
    """The payload's observations, each on the payload's host."""
    asset = host_asset(scan)
    return [
        Observation(
            kind=item.kind,
            fields=item.fields,
            asset=asset,
            source=SourceRef(
                item.source.path, item.source.line, item.source.pointer, item.source.format
            ),
            observed_at=item.observed_at,
            parents=tuple(item.parents),
            extra=item.extra,
        )
        for item in scan.observations
    ]


def collected(scan: AgentScan) -> CollectResult:
    """The payload as the collection it was built from (the round trip of :func:`build_payload`)."""
    coverage = [
        CoverageItem(source=c.source, status=c.status, count=c.count, reason=c.reason)
        for c in scan.coverage
    ]
    return CollectResult(host_asset(scan), observations(scan), coverage)


def content_digest(scan: AgentScan, items: list[Observation]) -> str:
    """SHA-256 over the host and every observation's kind, fields and source."""
    digest = hashlib.sha256(host_asset(scan).key.encode())
    for item in items:
        digest.update(
            repr((item.kind.value, sorted(item.fields.items()), tuple(item.source))).encode()
        )
    return digest.hexdigest()


def input_prefix(scan_id: uuid.UUID | str) -> str:
    """The input path prefix of every input record stored for one agent scan."""
    return f"agent/{scan_id}/"


def as_read(scan: AgentScan) -> ScanResult:
    """The payload in the shape of a read of input files, ready for ``store_observations``.

    Each collector source becomes an input record ``agent/<scan_id>/<source>``
    whose hash covers the host and every observation. The agent's scan id is in
    the path, so the stored scan's content id is the same on every retry of one
    collection and differs between collections (each run is its own scan).
    """
    items = observations(scan)
    sha = content_digest(scan, items)
    prefix = input_prefix(scan.scan_id)
    coverage = scan.coverage or [
        CoverageModel(source="agent", status=CoverageStatus.READ, count=len(items))
    ]
    records = coverage_records(coverage, prefix=prefix, format="agent", sha256=sha)
    return ScanResult(records, tuple(items))
