"""``GET /metrics``: Prometheus metrics of the server, with ``prometheus_client``.

* ``rootout_http_requests_total{method,route,status}`` and
  ``rootout_http_request_duration_seconds{method,route}``: the route is the
  template (``/api/v1/findings/{finding_id}``), never the raw path, so ids do not
  become labels; unknown paths count as ``<unmatched>``.
* ``rootout_scans_stored_total{source}``: scans stored, by ``upload`` or ``agent``.
* ``rootout_findings{status,basis}``: read from the store at each scrape, summed over
  tenants (``metrics_tenant_labels = true`` adds a ``tenant`` label).
* ``rootout_ingest_jobs{status}``: the ingest queue.
* ``rootout_webhook_deliveries_total{outcome}`` and ``rootout_webhook_deliveries_pending``.
* ``process_*`` and ``python_info``: the standard process collectors.

Access: with the ``metrics_token`` setting, a scrape must send
``Authorization: Bearer <token>``; without it, only loopback clients may scrape.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rootout.api.errors import Forbidden
from rootout.api.settings import ServerSettings
from rootout.store import schema as t

METRICS_PATH = "/metrics"
UNMATCHED = "<unmatched>"


class StoreCollector(Collector):
    """Gauges read from the store at scrape time."""

    def __init__(self, engine: Engine, tenant_labels: bool) -> None:
        self._engine = engine
        self._tenant_labels = tenant_labels

    def collect(self) -> Iterator[Metric]:
        try:
            with self._engine.connect() as conn:
                metrics = [self._findings(conn), self._pending_deliveries(conn), self._jobs(conn)]
        except SQLAlchemyError:  # a scrape must not fail because the store is away
            return
        yield from metrics

    def _findings(self, conn: Any) -> Metric:
        f = t.findings
        labels = ["status", "basis"] + (["tenant"] if self._tenant_labels else [])
        columns = [f.c.status, f.c.basis] + ([f.c.tenant_id] if self._tenant_labels else [])
        gauge = GaugeMetricFamily("rootout_findings", "Findings in the store", labels=labels)
        for row in conn.execute(select(*columns, func.count()).group_by(*columns)):
            gauge.add_metric([str(v) for v in row[:-1]], row[-1])
        return gauge

    def _pending_deliveries(self, conn: Any) -> Metric:
        d = t.webhook_deliveries
        count = conn.execute(
            select(func.count()).select_from(d).where(d.c.status == "pending")
        ).scalar_one()
        return GaugeMetricFamily(
            "rootout_webhook_deliveries_pending", "Webhook posts not yet delivered", value=count
        )

    def _jobs(self, conn: Any) -> Metric:
        jobs = t.ingest_jobs.c
        gauge = GaugeMetricFamily(
            "rootout_ingest_jobs", "Uploads in the ingest queue by status", labels=["status"]
        )
        for status, count in conn.execute(select(jobs.status, func.count()).group_by(jobs.status)):
            gauge.add_metric([str(status)], count)
        return gauge


class Metrics:
    """One registry per app (tests build many apps in one process)."""

    def __init__(self, engine: Engine, settings: ServerSettings) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "rootout_http_requests",
            "HTTP requests by method, route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "rootout_http_request_duration_seconds",
            "HTTP request latency by method and route template",
            ["method", "route"],
            registry=self.registry,
        )
        self.scans = Counter(
            "rootout_scans_stored", "Scans stored, by source", ["source"], registry=self.registry
        )
        self.deliveries = Counter(
            "rootout_webhook_deliveries",
            "Webhook deliveries finished, by outcome",
            ["outcome"],
            registry=self.registry,
        )
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        self.registry.register(StoreCollector(engine, settings.metrics_tenant_labels))

    def scan_stored(self, source: str) -> None:
        self.scans.labels(source=source).inc()

    def delivered(self, outcome: str) -> None:
        self.deliveries.labels(outcome=outcome).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


Route = tuple[frozenset[str] | None, re.Pattern[str], str]
"""Methods (``None``: any), the compiled template, the template."""

Table = tuple[dict[str, list[frozenset[str] | None]], list[Route]]
"""Literal paths with the methods of each route on them; templated routes, in match order."""


def _routes(routes: Iterable[Any]) -> Iterator[tuple[str, frozenset[str] | None]]:
    """Every route's full path template and methods. FastAPI versions that keep included
    routers as one entry list them through ``effective_route_contexts``; older ones copy
    each route into the app with its full path."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if callable(contexts):
            for context in contexts():
                methods = getattr(context.original_route, "methods", None)
                yield context.path, frozenset(methods) if methods else None
            continue
        path = getattr(route, "path", None)
        if isinstance(path, str) and path.startswith("/"):
            methods = getattr(route, "methods", None)
            yield path, frozenset(methods) if methods else None


def _allows(methods: frozenset[str] | None, method: str) -> bool:
    return methods is None or method in methods


class RouteTemplates:
    """The route template of a request: ``/api/v1/findings/{finding_id}``, never the raw path.

    Literal paths win over templates (``/webhooks/deadline-alerts`` before
    ``/webhooks/{webhook_id}``): they are one dict look-up, and only the templated
    routes are tried as patterns. A path no route matches is :data:`UNMATCHED`, so no
    request can add a label value. The table is built at the first request, when
    every router is in place.
    """

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._table: Table | None = None

    def _build(self) -> Table:
        literals: dict[str, list[frozenset[str] | None]] = {}
        templated: list[tuple[str, frozenset[str] | None]] = []
        for path, methods in set(_routes(self._app.router.routes)):
            if "{" in path:
                templated.append((path, methods))
            else:
                literals.setdefault(path, []).append(methods)
        templated.sort(key=lambda r: (r[0].count("{"), -len(r[0])))
        return literals, [(methods, compile_path(path)[0], path) for path, methods in templated]

    def of(self, scope: Scope) -> str:
        if self._table is None:
            self._table = self._build()
        literals, templated = self._table
        method, path = scope["method"], scope["path"]
        if any(_allows(methods, method) for methods in literals.get(path, ())):
            return str(path)
        for methods, pattern, template in templated:
            if _allows(methods, method) and pattern.match(path):
                return template
        return UNMATCHED


class RequestMetrics:
    """ASGI middleware counting and timing every HTTP request by its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics, templates: RouteTemplates) -> None:
        self.app = app
        self.metrics = metrics
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
        started = time.perf_counter()

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            template = self.templates.of(scope)
            method = scope["method"]
            self.metrics.requests.labels(method, template, str(status)).inc()
            self.metrics.latency.labels(method, template).observe(time.perf_counter() - started)


def _loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_scrape(request: Request, token: str | None) -> bool:
    """With a token: the right bearer token; without: a loopback client."""
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    return _loopback(request.client.host if request.client else None)


def install(app: FastAPI, engine: Engine, settings: ServerSettings) -> Metrics:
    """Mount ``GET /metrics`` and the request middleware; the app's :class:`Metrics`."""
    metrics = Metrics(engine, settings)

    @app.get(METRICS_PATH, include_in_schema=False)
    def scrape(request: Request) -> Response:
        if not may_scrape(request, settings.metrics_token):
            raise Forbidden(
                "metrics are served to loopback clients, or with the metrics_token bearer token"
            )
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    app.add_middleware(RequestMetrics, metrics=metrics, templates=RouteTemplates(app))
    app.state.metrics = metrics
    return metrics
