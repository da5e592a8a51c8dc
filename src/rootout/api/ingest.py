"""Agent scans: accepted durably, then processed in the background.

``POST /api/v1/agent/scans`` validates the payload and
:func:`rootout.api.ingest_accept.accept` writes it to the ``ingest_jobs`` table
in one committed transaction *before* the server answers 202. An :class:`IngestWorker` thread then claims queued jobs, turns each
payload into observations and stores it through the same path as uploads and
``rootout scan`` (:func:`rootout.scanning.store_observations`).

Durability: a job is claimed by setting it ``processing`` with a lease. A server
killed mid-processing leaves the job ``processing`` with a lease that expires;
any worker (this process after a restart, or another server process) claims it
again. Before storing a job claimed for the second time the worker looks for a
scan already stored from it (its input paths start with ``agent/<scan_id>/``),
so a crash between storing and marking the job done never stores it twice.
A job that fails ``max_attempts`` times is ``failed`` with the last error.

Hooks: ``worker.on_scan_stored`` is a list of callables ``(tenant, scan_id)``
called after a job stored a *new* scan (not for a retried one that had been
stored before the crash). The app keeps its worker at ``app.state.ingest``.
A hook that raises is logged and does not fail the job.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, and_, or_, select, update

from rootout.agent.payload import AgentScan, as_read, input_prefix
from rootout.scanning import store_observations
from rootout.store import repository as repo
from rootout.store import schema as t
from rootout.store.clock import now

log = logging.getLogger("rootout.api.ingest")

ScanStored = Callable[[str, str], None]
"""A hook called with (tenant, stored scan id) after a background job stored a new scan."""

LEASE_SECONDS = 300.0
MAX_ATTEMPTS = 5
POLL_SECONDS = 1.0
RETRY_SECONDS = 5.0


class JobStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class Job:
    tenant: str
    scan_id: str
    status: JobStatus
    attempts: int
    host: str
    observations: int
    received_at: dt.datetime
    finished_at: dt.datetime | None
    error: str | None
    stored_scan_id: str | None


# -- jobs ----------------------------------------------------------------------------


def _job(row: Any) -> Job:
    return Job(
        tenant=row.tenant_id,
        scan_id=row.scan_id,
        status=JobStatus(row.status),
        attempts=row.attempts,
        host=row.host,
        observations=row.observations,
        received_at=row.received_at,
        finished_at=row.finished_at,
        error=row.error,
        stored_scan_id=row.stored_scan_id,
    )


_JOB_COLUMNS = [c for c in t.ingest_jobs.c if c.name != "payload"]


def get_job(engine: Engine, tenant: str, scan_id: str) -> Job | None:
    with engine.connect() as conn:
        row = conn.execute(
            select(*_JOB_COLUMNS).where(
                t.ingest_jobs.c.tenant_id == tenant, t.ingest_jobs.c.scan_id == scan_id
            )
        ).first()
    return _job(row) if row is not None else None


# -- processing ----------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    tenant: str
    scan_id: str
    attempts: int
    """Including this one."""
    payload: bytes


def _claimable(moment: dt.datetime) -> Any:
    jobs = t.ingest_jobs.c
    waiting = and_(
        jobs.status == JobStatus.QUEUED.value,
        or_(jobs.lease_until.is_(None), jobs.lease_until <= moment),
    )
    abandoned = and_(jobs.status == JobStatus.PROCESSING.value, jobs.lease_until < moment)
    return or_(waiting, abandoned)


def _at_attempt(tenant: str, scan_id: str, attempts: int) -> Any:
    """One job as it was at one attempt count: the optimistic lock of claiming and finishing."""
    jobs = t.ingest_jobs.c
    return and_(jobs.tenant_id == tenant, jobs.scan_id == scan_id, jobs.attempts == attempts)


def claim(engine: Engine, lease_seconds: float = LEASE_SECONDS) -> Claimed | None:
    """Take the oldest claimable job: queued, or processing with an expired lease.

    The claim is a conditional update on the job's attempt count, so two workers
    (threads or server processes) never both take one job.
    """
    moment = now()
    jobs = t.ingest_jobs.c
    with engine.connect() as conn:
        candidates = conn.execute(
            select(jobs.tenant_id, jobs.scan_id, jobs.attempts)
            .where(_claimable(moment))
            .order_by(jobs.received_at)
            .limit(8)
        ).all()
    for row in candidates:
        with engine.begin() as conn:
            taken = conn.execute(
                update(t.ingest_jobs)
                .where(_at_attempt(row.tenant_id, row.scan_id, row.attempts), _claimable(moment))
                .values(
                    status=JobStatus.PROCESSING.value,
                    attempts=row.attempts + 1,
                    lease_until=moment + dt.timedelta(seconds=lease_seconds),
                )
            ).rowcount
            if taken != 1:
                continue
            payload = conn.execute(
                select(jobs.payload).where(
                    jobs.tenant_id == row.tenant_id, jobs.scan_id == row.scan_id
                )
            ).scalar_one()
        return Claimed(row.tenant_id, row.scan_id, row.attempts + 1, bytes(payload))
    return None


def stored_from(engine: Engine, tenant: str, scan_id: str) -> str | None:
    """The stored scan made from agent scan ``scan_id``, if one was stored."""
    with engine.connect() as conn:
        return conn.execute(
            select(t.inputs.c.scan_id)
            .where(
                t.inputs.c.tenant_id == tenant,
                t.inputs.c.path.startswith(input_prefix(scan_id), autoescape=True),
            )
            .limit(1)
        ).scalar_one_or_none()


def _finish(engine: Engine, job: Claimed, values: dict[str, Any], event: str | None) -> bool:
    jobs = t.ingest_jobs.c
    with engine.begin() as conn:
        done = conn.execute(
            update(t.ingest_jobs)
            .where(
                _at_attempt(job.tenant, job.scan_id, job.attempts),
                jobs.status == JobStatus.PROCESSING.value,
            )
            .values(**values)
        ).rowcount
        if done == 1 and event is not None:
            detail = {"attempts": job.attempts, "stored_scan": values.get("stored_scan_id")}
            repo.log_event(conn, job.tenant, "ingest", event, "agent_scan", job.scan_id, detail)
    return done == 1


class IngestWorker:
    """Processes queued agent scans on a background thread (or on demand: :meth:`run_pending`)."""

    def __init__(
        self,
        engine: Engine,
        *,
        today: dt.date | None = None,
        lease_seconds: float = LEASE_SECONDS,
        max_attempts: int = MAX_ATTEMPTS,
        poll_seconds: float = POLL_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
    ) -> None:
        self.engine = engine
        self.today = today
        self.lease_seconds = lease_seconds
        self.max_attempts = max_attempts
        self.poll_seconds = poll_seconds
        self.retry_seconds = retry_seconds
        self.on_scan_stored: list[ScanStored] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the background thread; it first resumes every job left pending."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="rootout-ingest", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 60.0) -> None:
        """Finish the job in hand, then stop (queued jobs stay queued for the next start)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def notify(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    def run_pending(self) -> int:
        """Process claimable jobs until there are none (or the worker is stopping)."""
        processed = 0
        while not self._stop.is_set():
            job = claim(self.engine, self.lease_seconds)
            if job is None:
                break
            self.process(job)
            processed += 1
        return processed

    def process(self, job: Claimed) -> None:
        try:
            stored, new = self._store(job)
        except Exception as exc:  # any failure is recorded on the job and retried
            self._failed(job, exc)
            return
        values = {
            "status": JobStatus.DONE.value,
            "stored_scan_id": stored,
            "lease_until": None,
            "error": None,
            "finished_at": now(),
        }
        if _finish(self.engine, job, values, "scan.ingested") and new:
            self._announce(job.tenant, stored)

    def _store(self, job: Claimed) -> tuple[str, bool]:
        if job.attempts > 1:
            earlier = stored_from(self.engine, job.tenant, job.scan_id)
            if earlier is not None:
                return earlier, False
        scan = AgentScan.model_validate_json(gzip.decompress(job.payload))
        outcome = store_observations(
            as_read(scan),
            engine=self.engine,
            tenant=job.tenant,
            label=f"agent: {scan.host.name}"[:200],
            today=self.today,
        )
        return outcome.scan_id, not outcome.reused

    def _failed(self, job: Claimed, exc: Exception) -> None:
        error = f"{exc.__class__.__name__}: {exc}"[:2000]
        log.warning("agent scan %s (tenant %s): %s", job.scan_id, job.tenant, error)
        if job.attempts >= self.max_attempts:
            values: dict[str, Any] = {
                "status": JobStatus.FAILED.value,
                "error": error,
                "lease_until": None,
                "finished_at": now(),
            }
            _finish(self.engine, job, values, "scan.ingest_failed")
            return
        retry_at = now() + dt.timedelta(seconds=self.retry_seconds * job.attempts)
        values = {"status": JobStatus.QUEUED.value, "error": error, "lease_until": retry_at}
        _finish(self.engine, job, values, None)

    def _announce(self, tenant: str, scan_id: str) -> None:
        for hook in list(self.on_scan_stored):
            try:
                hook(tenant, scan_id)
            except Exception:  # a hook never fails the job
                log.exception("on_scan_stored hook %r failed for scan %s", hook, scan_id)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = self.run_pending()
            except Exception:  # the store is down: keep polling
                log.exception("ingest worker: cannot claim jobs")
                busy = 0
            if not busy:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
