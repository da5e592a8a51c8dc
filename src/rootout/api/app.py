"""The FastAPI application: ``create_app(settings)`` wires the store, auth and the routers."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import APIRouter, FastAPI

from rootout import __version__, web
from rootout.api import background, errors, metrics
from rootout.api.deps import ServerState
from rootout.api.ingest import IngestWorker
from rootout.api.limits import BodyLimit, NoNul
from rootout.api.ratelimit import LoginLimiter
from rootout.api.routers import (
    agent,
    auth,
    cases,
    catalog,
    findings,
    health,
    reports,
    scans,
    suppliers,
    tokens,
    webhooks,
)
from rootout.api.settings import ServerSettings, load_server_settings
from rootout.store.db import connect, resolve_url

API_PREFIX = "/api/v1"
UPLOAD_PATH = f"{API_PREFIX}/scans"
AGENT_PATH = f"{API_PREFIX}/agent/scans"
FORM_SLACK = 64 * 1024
"""Bytes a multipart upload may send beyond the file: boundaries, headers and form fields."""
SMALL_BODY = 1024 * 1024
"""The body limit of every request but an upload."""

DESCRIPTION = """\
rootout's REST API: scans, findings with their explanations, removal cases, the
catalog and reports, for one tenant per caller. Log in at `POST /api/v1/auth/login`
(session cookie; send `X-CSRF-Token` on changes) or send an API token as
`Authorization: Bearer rto_...`. Every error is `{"error": {"code", "message"}}`.
"""


def create_app(settings: ServerSettings | None = None, *, today: dt.date | None = None) -> FastAPI:
    """The server over ``settings.db`` (migrated to the newest schema on start)."""
    settings = settings or load_server_settings()
    url = resolve_url(settings.db)
    if settings.upload_dir is not None:
        settings.upload_dir.mkdir(parents=True, exist_ok=True)
    state = ServerState(
        settings=settings,
        engine=connect(url),
        db_url=url,
        limiter=LoginLimiter(settings.login_max_failures, settings.login_window_seconds),
        today=today,
    )
    worker = IngestWorker(state.engine, today=today, lease_seconds=settings.ingest_lease_seconds)
    app = FastAPI(
        title="rootout",
        version=__version__,
        description=DESCRIPTION,
        lifespan=background.chain(background.lifespan, _ingest_lifespan(worker)),
    )
    app.state.rootout = state
    app.state.ingest = worker
    errors.install(app)
    api = APIRouter(prefix=API_PREFIX, responses=errors.documented(413, 422, 500))
    for module in (
        health,
        auth,
        scans,
        findings,
        cases,
        catalog,
        reports,
        tokens,
        agent,
        webhooks,
        suppliers,
    ):
        api.include_router(module.router)
    app.include_router(api)
    meter = metrics.install(app, state.engine, settings)
    background.install(app, state, on_delivery=meter.delivered, on_scan=meter.scan_stored)
    worker.on_scan_stored.append(background.agent_hook(state.engine))
    web.install(app)
    upload_limit = settings.max_upload_bytes + FORM_SLACK

    def limit_for(method: str, path: str) -> int:
        if method == "POST" and path == AGENT_PATH:
            return settings.max_upload_bytes
        uploading = path in (UPLOAD_PATH, web.UPLOAD_PATH)
        return upload_limit if method == "POST" and uploading else SMALL_BODY

    app.add_middleware(BodyLimit, limit_for=limit_for)
    app.add_middleware(NoNul)
    return app


def _ingest_lifespan(
    worker: IngestWorker,
) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Run the agent-scan worker while the server runs; it resumes pending jobs on start."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        worker.start()
        try:
            yield
        finally:
            worker.stop()

    return lifespan
