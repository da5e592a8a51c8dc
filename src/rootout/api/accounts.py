"""Tenants, users and API tokens: the library behind ``rootout admin`` and ``/api/v1/tokens``.

Passwords are stored as argon2id hashes. API tokens are 256 random bits shown
once at creation; only their SHA-256 is stored, so a stolen database does not
yield working tokens. Every token belongs to one tenant and has one role.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Row, insert, select, update

from rootout.api.roles import USER_ROLES, Principal, Role
from rootout.errors import NotFoundError, RootoutError
from rootout.store import repository as repo
from rootout.store import schema as t

TOKEN_PREFIX = "rto_"
_HASHER = PasswordHasher()
_TENANT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class AccountError(RootoutError):
    """A tenant, user or token cannot be created as asked."""

    exit_code = 2


@dataclass(frozen=True)
class User:
    id: str
    tenant: str
    username: str
    role: Role


@dataclass(frozen=True)
class TokenInfo:
    id: str
    tenant: str
    name: str
    role: Role
    created_by: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class NewToken:
    info: TokenInfo
    secret: str
    """The token itself: shown once, never stored."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the user is unknown, so that costs the same as a wrong password."""
    return _HASHER.hash("rootout: equal work for unknown users")


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_tenant(engine: Engine, tenant_id: str, name: str | None = None) -> str:
    """Create a tenant (idempotent); ids are lower-case letters, digits, ``-`` and ``_``."""
    if not _TENANT_ID.match(tenant_id):
        raise AccountError(
            f"tenant id {tenant_id!r}: use 1-64 lower-case letters, digits, '-' or '_'"
        )
    with engine.begin() as conn:
        repo.ensure_tenant(conn, tenant_id, name)
    return tenant_id


def _need_tenant(engine: Engine, tenant: str) -> None:
    with engine.connect() as conn:
        found = conn.execute(select(t.tenants.c.id).where(t.tenants.c.id == tenant)).first()
    if found is None:
        raise NotFoundError(f"no tenant {tenant!r}; create it with `rootout admin tenant`")


def create_user(engine: Engine, tenant: str, username: str, password: str, role: Role) -> User:
    if role not in USER_ROLES:
        raise AccountError(f"a user's role is one of {', '.join(USER_ROLES)}, not {role.value!r}")
    if len(password) < 12:
        raise AccountError("a password needs at least 12 characters")
    if not username.strip() or len(username) > 200:
        raise AccountError("a user name needs 1-200 characters")
    _need_tenant(engine, tenant)
    user = User("U" + secrets.token_hex(8), tenant, username, role)
    with engine.begin() as conn:
        taken = conn.execute(select(t.users.c.id).where(t.users.c.username == username)).first()
        if taken is not None:
            raise AccountError(f"user name {username!r} is taken")
        conn.execute(
            insert(t.users).values(
                id=user.id,
                tenant_id=tenant,
                username=username,
                password_hash=_HASHER.hash(password),
                role=role.value,
                disabled=False,
                created_at=_now(),
            )
        )
        repo.log_event(conn, tenant, "admin", "user.created", "user", user.id, {"role": role})
    return user


def check_password(engine: Engine, username: str, password: str) -> User | None:
    """The user when the password is right (same argon2 work when the user is unknown)."""
    with engine.connect() as conn:
        row = conn.execute(select(t.users).where(t.users.c.username == username)).first()
    stored = row.password_hash if row is not None else _dummy_hash()
    try:
        _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    return User(row.id, row.tenant_id, row.username, Role(row.role))


def get_user(engine: Engine, user_id: str) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
    if row is None or row.disabled:
        return None
    return User(row.id, row.tenant_id, row.username, Role(row.role))


def _token_info(row: Row[Any]) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        tenant=row.tenant_id,
        name=row.name,
        role=Role(row.role),
        created_by=row.created_by,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def create_token(engine: Engine, tenant: str, name: str, role: Role, *, actor: str) -> NewToken:
    """A new token for ``tenant`` with ``role``; the secret is returned once."""
    _need_tenant(engine, tenant)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token_id = "T" + secrets.token_hex(6)
    created = _now()
    with engine.begin() as conn:
        conn.execute(
            insert(t.api_tokens).values(
                id=token_id,
                tenant_id=tenant,
                name=name,
                role=role.value,
                token_hash=token_hash(secret),
                created_by=actor,
                created_at=created,
                revoked_at=None,
            )
        )
        repo.log_event(conn, tenant, actor, "token.created", "token", token_id, {"role": role})
    return NewToken(TokenInfo(token_id, tenant, name, role, actor, created, None), secret)


def list_tokens(engine: Engine, tenant: str) -> list[TokenInfo]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.api_tokens)
            .where(t.api_tokens.c.tenant_id == tenant)
            .order_by(t.api_tokens.c.created_at, t.api_tokens.c.id)
        )
        return [_token_info(row) for row in rows]


def revoke_token(engine: Engine, tenant: str, token_id: str, *, actor: str) -> TokenInfo:
    """Revoke a token of ``tenant`` (idempotent); another tenant's id is not found."""
    where = (t.api_tokens.c.tenant_id == tenant) & (t.api_tokens.c.id == token_id)
    with engine.begin() as conn:
        row = conn.execute(select(t.api_tokens).where(where)).first()
        if row is None:
            raise NotFoundError(f"no token {token_id!r}")
        if row.revoked_at is None:
            conn.execute(update(t.api_tokens).where(where).values(revoked_at=_now()))
            repo.log_event(conn, tenant, actor, "token.revoked", "token", token_id, {})
        row = conn.execute(select(t.api_tokens).where(where)).one()
    return _token_info(row)


def principal_for_token(engine: Engine, secret: str) -> Principal | None:
    """Who a bearer token speaks for; ``None`` for an unknown or revoked token."""
    with engine.connect() as conn:
        row = conn.execute(
            select(t.api_tokens).where(t.api_tokens.c.token_hash == token_hash(secret))
        ).first()
    if row is None or row.revoked_at is not None:
        return None
    return Principal(tenant=row.tenant_id, actor=f"token:{row.id}", role=Role(row.role))
