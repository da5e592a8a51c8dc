"""Accepting an agent scan: decode the body within its limits, validate it, queue it durably.

The request body is checked in this order, and nothing is stored from a body
that fails a check: its size (compressed: the body limit of the app; then
decompressed: :func:`decode_body` stops at the same limit, so a gzip bomb gets
413), its encoding (gzip or none), its JSON and schema (:func:`parse_scan`:
422 naming each problem). :func:`accept` then commits the job before the
server answers (see :mod:`rootout.api.ingest` for what happens next).
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from rootout.agent.payload import AgentScan, host_asset
from rootout.api.errors import ApiError, RateLimited, TooLarge
from rootout.api.ingest import Job, JobStatus, get_job
from rootout.store import schema as t
from rootout.store.clock import now

MAX_PROBLEMS = 10


class UnsupportedEncoding(ApiError):
    status = 415
    code = "unsupported_media_type"


class InvalidScan(ApiError):
    status = 422
    code = "validation_error"


class ScanIdConflict(ApiError):
    status = 409
    code = "conflict"


class StoreBusy(RateLimited):
    """The store could not take the write in time (SQLite's lock under load): retry later."""

    status = 503
    code = "store_unavailable"


BUSY_RETRY_SECONDS = 2


@dataclass(frozen=True)
class Accepted:
    job: Job
    duplicate: bool
    """The scan id had been received before: nothing new was queued."""


def decode_body(body: bytes, encoding: str | None, limit: int) -> bytes:
    """The request body without its ``Content-Encoding``, at most ``limit`` bytes decompressed."""
    name = (encoding or "identity").strip().lower()
    if name == "identity":
        return body
    if name != "gzip":
        raise UnsupportedEncoding(f"Content-Encoding {name!r} is not supported; send gzip")
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise ApiError(f"the body is not valid gzip: {exc}") from None
    if len(data) > limit or inflater.unconsumed_tail:
        raise TooLarge(f"the decompressed body is larger than the limit of {limit} bytes")
    if not inflater.eof:
        raise ApiError("the gzip body is truncated")
    return data


def parse_scan(document: bytes) -> AgentScan:
    """The payload, validated straight from JSON; 422 naming each problem (``body.host: ...``)."""
    try:
        return AgentScan.model_validate_json(document)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in ('body', *error['loc']))}: {error['msg']}"
            for error in exc.errors()[:MAX_PROBLEMS]
        ]
        more = exc.error_count() - len(problems)
        suffix = f" (and {more} more)" if more > 0 else ""
        raise InvalidScan("; ".join(problems) + suffix) from None


def accept(
    engine: Engine,
    tenant: str,
    actor: str,
    scan: AgentScan,
    document: bytes,
    compressed: bytes | None = None,
) -> Accepted:
    """Queue ``scan`` (parsed from ``document``) for ``tenant``, committed before returning.

    A scan id received before is not queued again (``duplicate``); the same scan id
    with a different document is refused (409): an agent sends one payload per
    scan id, byte for byte the same on every retry. ``compressed`` is the body as
    received when it came gzip-compressed (kept as it is).
    """
    sha = hashlib.sha256(document).hexdigest()
    scan_id = str(scan.scan_id)
    for _ in range(2):
        existing = _existing(engine, tenant, scan_id, sha)
        if existing is not None:
            return Accepted(existing, duplicate=True)
        try:
            with engine.begin() as conn:
                conn.execute(
                    insert(t.ingest_jobs).values(
                        tenant_id=tenant,
                        scan_id=scan_id,
                        status=JobStatus.QUEUED.value,
                        attempts=0,
                        lease_until=None,
                        error=None,
                        payload=compressed or gzip.compress(document, compresslevel=1),
                        payload_sha256=sha,
                        host=host_asset(scan).key[:300],
                        observations=len(scan.observations),
                        actor=actor,
                        stored_scan_id=None,
                        received_at=now(),
                        finished_at=None,
                    )
                )
        except IntegrityError:  # the same scan id arrived concurrently: answer with that job
            continue
        except OperationalError as exc:  # e.g. "database is locked": nothing was queued
            raise StoreBusy(
                f"the store is busy, scan {scan_id} was not queued; retry", BUSY_RETRY_SECONDS
            ) from exc
        job = get_job(engine, tenant, scan_id)
        assert job is not None
        return Accepted(job, duplicate=False)
    raise ApiError(f"scan {scan_id} could not be queued; retry")  # pragma: no cover


def _existing(engine: Engine, tenant: str, scan_id: str, sha: str) -> Job | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(t.ingest_jobs.c.payload_sha256).where(
                t.ingest_jobs.c.tenant_id == tenant, t.ingest_jobs.c.scan_id == scan_id
            )
        ).first()
    if row is None:
        return None
    if row.payload_sha256 != sha:
        raise ScanIdConflict(f"scan id {scan_id} was already received with a different payload")
    return get_job(engine, tenant, scan_id)
