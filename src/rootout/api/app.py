"""The FastAPI application: ``create_app(settings)`` wires the store, auth and the routers."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, FastAPI

from rootout import __version__
from rootout.api import errors
from rootout.api.deps import ServerState
from rootout.api.limits import BodyLimit, NoNul
from rootout.api.ratelimit import LoginLimiter
from rootout.api.routers import auth, cases, catalog, findings, health, reports, scans, tokens
from rootout.api.settings import ServerSettings, load_server_settings
from rootout.store.db import connect, resolve_url

API_PREFIX = "/api/v1"
UPLOAD_PATH = f"{API_PREFIX}/scans"
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
    app = FastAPI(title="rootout", version=__version__, description=DESCRIPTION)
    app.state.rootout = state
    errors.install(app)
    api = APIRouter(prefix=API_PREFIX, responses=errors.documented(413, 422, 500))
    for module in (health, auth, scans, findings, cases, catalog, reports, tokens):
        api.include_router(module.router)
    app.include_router(api)
    upload_limit = settings.max_upload_bytes + FORM_SLACK

    def limit_for(method: str, path: str) -> int:
        return upload_limit if method == "POST" and path == UPLOAD_PATH else SMALL_BODY

    app.add_middleware(BodyLimit, limit_for=limit_for)
    app.add_middleware(NoNul)
    return app
