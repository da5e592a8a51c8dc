"""Login sessions: a random cookie value (stored as its SHA-256) and a CSRF token per session.

The cookie is ``Secure``, ``HttpOnly`` and ``SameSite=Strict``. A request that
authenticates with the cookie and changes something (POST, PUT, PATCH, DELETE)
must also send the session's CSRF token, in the ``X-CSRF-Token`` header or a
``csrf_token`` form field; bearer-token requests need none (no ambient credential).
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets

from sqlalchemy import Engine, delete, insert, select

from rootout.api.accounts import User, get_user, token_hash
from rootout.api.roles import Principal
from rootout.store import schema as t
from rootout.store.clock import as_utc, now

COOKIE = "rootout_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


def start_session(engine: Engine, user: User, hours: int) -> tuple[str, str]:
    """A new session for ``user``: (cookie value, CSRF token). Expired sessions are dropped."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    created = now()
    with engine.begin() as conn:
        conn.execute(delete(t.sessions).where(t.sessions.c.expires_at < created))
        conn.execute(
            insert(t.sessions).values(
                id_hash=token_hash(secret),
                user_id=user.id,
                tenant_id=user.tenant,
                csrf_token=csrf,
                created_at=created,
                expires_at=created + dt.timedelta(hours=hours),
            )
        )
    return secret, csrf


def principal_for_session(engine: Engine, secret: str) -> Principal | None:
    """Who the session cookie speaks for; ``None`` when unknown, expired or the user is disabled."""
    with engine.connect() as conn:
        row = conn.execute(
            select(t.sessions).where(t.sessions.c.id_hash == token_hash(secret))
        ).first()
    if row is None or as_utc(row.expires_at) <= now():
        return None
    user = get_user(engine, row.user_id)
    if user is None or user.tenant != row.tenant_id:
        return None
    return Principal(user.tenant, user.username, user.role, session_csrf=row.csrf_token)


def end_session(engine: Engine, secret: str) -> None:
    with engine.begin() as conn:
        conn.execute(delete(t.sessions).where(t.sessions.c.id_hash == token_hash(secret)))


def csrf_ok(expected: str, given: str | None) -> bool:
    return given is not None and hmac.compare_digest(expected.encode(), given.encode())
