"""FastAPI dependencies: the server state, who is calling, and what they may do."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from rootout.api.accounts import principal_for_token
from rootout.api.errors import Forbidden, Unauthorized
from rootout.api.ratelimit import LoginLimiter
from rootout.api.roles import Permission, Principal
from rootout.api.sessions import COOKIE, CSRF_FIELD, CSRF_HEADER, csrf_ok, principal_for_session
from rootout.api.settings import ServerSettings
from rootout.catalog.catalog import Catalog, load_catalog
from rootout.config import load_settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class ServerState:
    """What every request shares: settings, the store's engine, the login limiter, the catalog."""

    settings: ServerSettings
    engine: Engine
    db_url: str
    limiter: LoginLimiter
    today: dt.date | None = None
    """Fixed "today" for tests; ``None`` means the real date."""
    _catalog: Catalog | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def catalog(self) -> Catalog:
        """The catalog (built-in packs and the configured ones), loaded once."""
        with self._lock:
            if self._catalog is None:
                self._catalog = load_catalog(list(load_settings().catalog_dirs))
            return self._catalog


def state(request: Request) -> ServerState:
    server: ServerState = request.app.state.rootout
    return server


_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer rto_...`")
_cookie = APIKeyCookie(name=COOKIE, auto_error=False, description="The session cookie of a login")

State = Annotated[ServerState, Depends(state)]


async def _csrf_given(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        return header
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def principal(
    request: Request,
    server: State,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    cookie: Annotated[str | None, Depends(_cookie)],
) -> Principal:
    """The caller, from a bearer token or a session cookie (with CSRF on changes)."""
    if bearer is not None:
        found = principal_for_token(server.engine, bearer.credentials)
        if found is None:
            raise Unauthorized("unknown or revoked API token")
        return found
    if cookie:
        found = principal_for_session(server.engine, cookie)
        if found is None:
            raise Unauthorized("the session has expired; log in again")
        if request.method not in SAFE_METHODS:
            assert found.session_csrf is not None
            if not csrf_ok(found.session_csrf, await _csrf_given(request)):
                raise Forbidden(f"missing or wrong CSRF token ({CSRF_HEADER} header)")
        return found
    raise Unauthorized("log in, or send an API token as `Authorization: Bearer ...`")


Caller = Annotated[Principal, Depends(principal)]


def require(permission: Permission) -> object:
    """A dependency that admits callers whose role has ``permission``."""

    def check(caller: Caller) -> Principal:
        if not caller.may(permission):
            raise Forbidden(f"role {caller.role.value!r} may not {permission.value}")
        return caller

    return Depends(check)


Reader = Annotated[Principal, require(Permission.READ)]
Ingester = Annotated[Principal, require(Permission.INGEST)]
Triager = Annotated[Principal, require(Permission.TRIAGE)]
Admin = Annotated[Principal, require(Permission.ADMIN)]
