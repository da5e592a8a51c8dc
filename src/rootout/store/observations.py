"""Observations kept with their scan, so a catalog update can re-match them without the inputs.

Observations are stored in compressed chunks of up to :data:`CHUNK_ROWS`, in the
order they were read; when all of a chunk's observations come from one input its
``input_seq`` names that input. A chunk is zlib-compressed JSON:
``{"assets": [[kind, name, identifiers, tags], ...], "paths": [path, ...], "rows": [[kind,
fields, asset, path, line, pointer, format, observed_at, parents, extra], ...]}`` where a
row's ``asset`` and ``path`` index the two lists (a fleet repeats both on every row).
The shape carries everything :func:`rootout.store.serialize.observation_json` does, as
positions rather than keys: building a dict per row doubled the cost of storing.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from rootout.errors import RootoutError
from rootout.model.observation import (
    EMPTY,
    Asset,
    AssetKind,
    Observation,
    ObservationKind,
    SourceRef,
)
from rootout.store import schema as t

ENCODING = "zlib-json/1"
CHUNK_ROWS = 5000
SPLIT_ROWS = 500
"""A chunk is closed early when the input changes, if it holds at least this many rows;
smaller runs from many small inputs share a chunk (``input_seq`` is then empty)."""


class StoredObservationsError(RootoutError):
    """Stored observations cannot be read back (written by a newer rootout?)."""

    exit_code = 1


@dataclass(frozen=True)
class Chunk:
    """Compressed observations, with the one input path they all came from (if one)."""

    path: str | None
    observations: int
    data: bytes


@dataclass(frozen=True)
class StoredStats:
    chunks: int
    observations: int
    compressed_bytes: int


class ObservationWriter:
    """Takes observations one at a time and compresses them chunk by chunk (bounded memory)."""

    def __init__(self, chunk_rows: int = CHUNK_ROWS) -> None:
        self.chunk_rows = chunk_rows
        self._rows: list[Observation] = []
        self._path: str | None = None
        self._chunks: list[Chunk] = []

    def add(self, observation: Observation) -> None:
        path = observation.source.path
        if self._rows and path != self._path:
            if len(self._rows) >= SPLIT_ROWS:
                self._flush()
            else:
                self._path = None  # a mixed chunk
        if not self._rows:
            self._path = path
        self._rows.append(observation)
        if len(self._rows) >= self.chunk_rows:
            self._flush()

    def chunks(self) -> tuple[Chunk, ...]:
        """Every chunk so far, the open one closed."""
        self._flush()
        return tuple(self._chunks)

    def _flush(self) -> None:
        if self._rows:
            self._chunks.append(Chunk(self._path, len(self._rows), encode(self._rows)))
            self._rows = []


def encode(observations: Sequence[Observation]) -> bytes:
    """One chunk's bytes (see the module docstring for the shape)."""
    assets: dict[Asset, int] = {}
    paths: dict[str, int] = {}
    rows: list[tuple[Any, ...]] = []
    for o in observations:
        source = o.source
        rows.append(
            (
                o.kind,
                o.fields if type(o.fields) is dict else dict(o.fields),
                assets.setdefault(o.asset, len(assets)),
                paths.setdefault(source.path, len(paths)),
                source.line,
                source.pointer,
                source.format,
                o.observed_at.isoformat() if o.observed_at else None,
                o.parents,
                o.extra if type(o.extra) is dict else dict(o.extra),
            )
        )
    body = {"assets": list(assets), "paths": list(paths), "rows": rows}
    return zlib.compress(json.dumps(body, separators=(",", ":")).encode("utf-8"), 6)


_KINDS = {kind.value: kind for kind in ObservationKind}


def decode_chunk(data: bytes) -> list[Observation]:
    """The observations of one chunk, in the order they were read."""
    body: dict[str, Any] = json.loads(zlib.decompress(data))
    assets = [
        Asset(AssetKind(kind), name, _pairs(identifiers), _pairs(tags))
        for kind, name, identifiers, tags in body["assets"]
    ]
    paths: list[str] = body["paths"]
    return [
        Observation(
            _KINDS[kind],
            fields,
            assets[asset],
            SourceRef(paths[path], line, pointer, fmt),
            dt.datetime.fromisoformat(observed_at) if observed_at else None,
            tuple(parents) if parents else (),
            extra or EMPTY,
        )
        for kind, fields, asset, path, line, pointer, fmt, observed_at, parents, extra in body[
            "rows"
        ]
    ]


def _pairs(items: list[list[str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(a), str(b)) for a, b in items)


def insert_chunks(
    conn: Connection,
    tenant: str,
    scan_id: str,
    chunks: Sequence[Chunk],
    input_paths: Sequence[str],
) -> None:
    """Store ``chunks`` for a scan whose inputs, in order, have ``input_paths``."""
    seq_of = {path: seq for seq, path in reversed(list(enumerate(input_paths)))}
    for number, chunk in enumerate(chunks):
        conn.execute(
            insert(t.observation_chunks).values(
                tenant_id=tenant,
                scan_id=scan_id,
                chunk=number,
                input_seq=seq_of.get(chunk.path) if chunk.path is not None else None,
                observations=chunk.observations,
                encoding=ENCODING,
                data=chunk.data,
            )
        )


def load_observations(engine: Engine, scan_id: str, *, tenant: str) -> Iterator[Observation]:
    """A scan's stored observations in the order they were read, one chunk in memory at a time."""
    base = select(t.observation_chunks.c.chunk).where(
        t.observation_chunks.c.tenant_id == tenant, t.observation_chunks.c.scan_id == scan_id
    )
    with engine.connect() as conn:
        numbers = list(conn.scalars(base.order_by(t.observation_chunks.c.chunk)))
    for number in numbers:
        with engine.connect() as conn:
            row = conn.execute(
                select(t.observation_chunks.c.encoding, t.observation_chunks.c.data).where(
                    t.observation_chunks.c.tenant_id == tenant,
                    t.observation_chunks.c.scan_id == scan_id,
                    t.observation_chunks.c.chunk == number,
                )
            ).one()
        if row.encoding != ENCODING:
            raise StoredObservationsError(
                f"scan {scan_id}: stored observations use encoding {row.encoding!r}, "
                f"this rootout reads {ENCODING!r}"
            )
        yield from decode_chunk(row.data)


def stored_stats(engine: Engine, scan_id: str, *, tenant: str) -> StoredStats:
    """How many chunks, observations and compressed bytes a scan keeps."""
    c = t.observation_chunks.c
    with engine.connect() as conn:
        row = conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(c.observations), 0),
                func.coalesce(func.sum(func.length(c.data)), 0),
            ).where(c.tenant_id == tenant, c.scan_id == scan_id)
        ).one()
    return StoredStats(int(row[0]), int(row[1]), int(row[2]))
