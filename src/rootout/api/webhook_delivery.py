"""Delivering webhook posts on worker threads, with retries, backoff and a delivery log.

:class:`Notifier` is the only way a post leaves the server. ``notify`` returns at
once: finding the subscribed webhooks, rendering, and posting all happen on a small
thread pool, so a slow or failing receiver never holds up an upload. Each post is
first recorded as a ``pending`` row of ``webhook_deliveries`` (with its body), so
one interrupted by a restart is sent again by :meth:`Notifier.resume`.

A post is retried on a network error, a timeout, 408, 429 and 5xx, waiting
``backoff``, then twice that, and so on; any other answer ends it. Redirects are
not followed (a redirect could lead past the address guard).

Each worker thread posts through its own HTTP client, so keep-alive connections to a
receiver are reused; the clients are closed once the notifier is closed and its last
job has finished. They keep no cookies: a receiver's cookie never rides along with
another post.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from sqlalchemy import Engine, insert, select, update

from rootout.api.settings import ServerSettings
from rootout.api.webhook_payloads import Event, Kind, headers, render
from rootout.api.webhooks import Webhook, WebhookRefused, check_url, get_webhook, list_webhooks
from rootout.errors import NotFoundError
from rootout.store import schema as t
from rootout.store.clock import as_utc, now

log = logging.getLogger("rootout.webhooks")

RETRY_STATUSES = frozenset({408, 429})
ERROR_LIMIT = 500
DataFactory = Callable[[], Mapping[str, Any] | None]
"""Builds an event's data on a worker thread; ``None`` means there is nothing to send."""
OutcomeObserver = Callable[[str], None]


@dataclass(frozen=True)
class DeliveryPolicy:
    allow_private: bool = False
    timeout: float = 10.0
    attempts: int = 4
    backoff: float = 1.0
    """Seconds before the first retry."""

    @classmethod
    def of(cls, settings: ServerSettings) -> DeliveryPolicy:
        return cls(
            allow_private=settings.webhook_allow_private,
            timeout=float(settings.webhook_timeout_seconds),
            attempts=settings.webhook_attempts,
            backoff=settings.webhook_backoff_ms / 1000,
        )


@dataclass(frozen=True)
class Attempt:
    """What one post got back: a status code, or the error that stopped it."""

    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def retry(self) -> bool:
        code = self.status_code
        return code is None or code >= 500 or code in RETRY_STATUSES


def new_client(timeout: float) -> httpx.Client:
    """A client for webhook posts: no redirects, no proxy from the environment, no cookies."""
    no_cookies = CookieJar(DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, cookies=no_cookies
    )


def post_once(
    http: httpx.Client, url: str, body: bytes, request_headers: Mapping[str, str]
) -> Attempt:
    try:
        answer = http.post(url, content=body, headers=dict(request_headers))
    except httpx.HTTPError as exc:
        return Attempt(None, f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT])
    error = None if answer.is_success else f"HTTP {answer.status_code}: {answer.text[:200]}"
    return Attempt(answer.status_code, error)


class ThreadClients:
    """One HTTP client per thread, made on the thread's first post; :meth:`close` closes all."""

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._local = threading.local()
        self._open: list[httpx.Client] = []
        self._lock = threading.Lock()

    def get(self) -> httpx.Client:
        http: httpx.Client | None = getattr(self._local, "http", None)
        if http is None or http.is_closed:
            http = new_client(self._timeout)
            self._local.http = http
            with self._lock:
                self._open.append(http)
        return http

    def close(self) -> None:
        with self._lock:
            clients, self._open = self._open, []
        for http in clients:
            http.close()


class Notifier:
    """Fans events out to a tenant's webhooks and delivers them in the background."""

    def __init__(
        self,
        engine: Engine,
        policy: DeliveryPolicy,
        *,
        workers: int = 4,
        on_outcome: OutcomeObserver | None = None,
    ) -> None:
        self._engine = engine
        self._policy = policy
        self._workers = workers
        self._on_outcome = on_outcome
        self._stopping = threading.Event()
        """Set by :meth:`close`: a retry that would wait is left ``pending`` instead."""
        self._executor: ThreadPoolExecutor | None = None
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._clients = ThreadClients(policy.timeout)

    # -- queueing ----------------------------------------------------------------------

    def _submit(self, job: Callable[..., None], *args: Any) -> None:
        with self._lock:
            if self._closed:
                log.warning("webhook notifier closed; %s dropped", job.__name__)
                return
            if self._executor is None:
                self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="webhook")
            future = self._executor.submit(self._guarded, job, *args)
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)
        self._close_clients_if_done()

    def _close_clients_if_done(self) -> None:
        """Close the workers' HTTP clients once closed and no job is left to post with them."""
        with self._lock:
            done = self._closed and not self._futures
        if done:
            self._clients.close()

    @staticmethod
    def _guarded(job: Callable[..., None], *args: Any) -> None:
        try:
            job(*args)
        except Exception:  # a background job must never die silently
            log.exception("webhook job %s failed", job.__name__)

    def notify(self, tenant: str, event: Event, data: DataFactory) -> None:
        """Send ``event`` to every webhook of ``tenant`` that subscribes to it; returns at once."""
        self._submit(self._fan_out, tenant, event, data)

    def send_now(self, tenant: str, webhook_id: str, event: Event, data: Mapping[str, Any]) -> int:
        """Record a delivery to one webhook (whatever it subscribes to) and queue it; its id."""
        with self._engine.connect() as conn:
            hook, _ = get_webhook(conn, tenant, webhook_id)
        delivery_id = self._record(hook, event, data)
        self._submit(self._deliver, tenant, delivery_id)
        return delivery_id

    def resume(self) -> int:
        """Queue every delivery left ``pending`` (by a restart); how many."""
        d = t.webhook_deliveries
        with self._engine.connect() as conn:
            rows = conn.execute(select(d.c.tenant_id, d.c.id).where(d.c.status == "pending")).all()
        for row in rows:
            self._submit(self._deliver, row.tenant_id, row.id)
        return len(rows)

    def drain(self, timeout: float = 30.0) -> bool:
        """Wait until no job is queued or running (jobs may queue more); False on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                running = list(self._futures)
            if not running:
                return True
            for future in running:
                future.exception(timeout=max(0.0, deadline - time.monotonic()))
        return False

    def close(self) -> None:
        """Stop taking jobs and retrying; unfinished posts stay ``pending`` for the next start."""
        self._stopping.set()
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
        self._close_clients_if_done()

    # -- work on the pool --------------------------------------------------------------

    def _fan_out(self, tenant: str, event: Event, make: DataFactory) -> None:
        hooks = list_webhooks(self._engine, tenant, event=event)
        if not hooks:
            return
        data = make()
        if data is None:
            return
        for hook in hooks:
            self._submit(self._deliver, tenant, self._record(hook, event, data))

    def _record(self, hook: Webhook, event: Event, data: Mapping[str, Any]) -> int:
        created = now()
        body = render(hook.kind, event, hook.tenant, data, created)
        with self._engine.begin() as conn:
            result = conn.execute(
                insert(t.webhook_deliveries).values(
                    tenant_id=hook.tenant,
                    webhook_id=hook.id,
                    event=event.value,
                    body=body.decode(),
                    status="pending",
                    attempts=0,
                    created_at=created,
                )
            )
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def _update(self, delivery_id: int, **values: Any) -> None:
        d = t.webhook_deliveries
        with self._engine.begin() as conn:
            conn.execute(update(d).where(d.c.id == delivery_id).values(**values))

    def _finish(self, delivery_id: int, status: str, **values: Any) -> None:
        self._update(delivery_id, status=status, finished_at=now(), **values)
        if self._on_outcome is not None:
            self._on_outcome(status)

    def _deliver(self, tenant: str, delivery_id: int) -> None:
        d = t.webhook_deliveries
        with self._engine.connect() as conn:
            row = conn.execute(
                select(d).where(d.c.tenant_id == tenant, d.c.id == delivery_id)
            ).one()
            try:
                hook, secret = get_webhook(conn, tenant, row.webhook_id)
            except NotFoundError:
                hook = None
        if hook is None:
            self._finish(delivery_id, "failed", error="the webhook was deleted")
            return
        try:
            check_url(hook.url, allow_private=self._policy.allow_private)
        except WebhookRefused as exc:
            self._finish(delivery_id, "refused", error=str(exc))
            return
        body = row.body.encode()
        created = as_utc(row.created_at)
        sent_headers = headers(Kind(hook.kind), row.event, delivery_id, secret, body, created)
        self._post_with_retries(delivery_id, hook.url, body, sent_headers, row.attempts)

    def _post_with_retries(
        self, delivery_id: int, url: str, body: bytes, sent: Mapping[str, str], done: int
    ) -> None:
        policy = self._policy
        last = max(policy.attempts, done + 1)
        for attempt in range(done + 1, last + 1):
            result = post_once(self._clients.get(), url, body, sent)
            outcome = {"attempts": attempt, "status_code": result.status_code}
            if result.ok:
                self._finish(delivery_id, "delivered", error=None, **outcome)
                return
            if not result.retry or attempt == last:
                self._finish(delivery_id, "failed", error=result.error, **outcome)
                return
            self._update(delivery_id, error=result.error, **outcome)
            if self._stopping.wait(policy.backoff * 2 ** (attempt - done - 1)):
                return  # shutting down: stays pending, resumed at the next start
