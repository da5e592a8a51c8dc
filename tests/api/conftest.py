"""A server on a fresh store (SQLite, and PostgreSQL with ROOTOUT_TEST_PG_URL) and its users."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from rootout.api import accounts
from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from rootout.store import schema
from tests.conftest import FIXTURES

PASSWORD = "correct horse battery staple"
TODAY = dt.date(2026, 11, 28)
PROGRAMS = FIXTURES / "inputs" / "osquery" / "programs.json"
UPLOAD_LIMIT = 256 * 1024


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with test-sized cost: the same hashes and checks, a fraction of the time."""
    monkeypatch.setattr(
        accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def store_url(db_url: str) -> str:
    """The server's store: SQLite and PostgreSQL. Modules that test only the HTTP layer
    override this with a SQLite file (a PostgreSQL database per test costs a second)."""
    return db_url


@pytest.fixture
def app(store_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    settings = ServerSettings(db=store_url, max_upload_bytes=UPLOAD_LIMIT, upload_dir=tmp_path)
    application = create_app(settings, today=TODAY)
    yield application
    application.state.rootout.engine.dispose()


@pytest.fixture
def engine(app: FastAPI) -> Engine:
    server_engine: Engine = app.state.rootout.engine
    return server_engine


def client(app: FastAPI) -> TestClient:
    """A client on https (the session cookie is Secure)."""
    return TestClient(app, base_url="https://testserver")


@dataclass(frozen=True)
class Tenant:
    id: str
    users: dict[Role, str]
    """Role -> user name (password PASSWORD)."""


def make_tenant(engine: Engine, tenant_id: str, roles: tuple[Role, ...] = (Role.ADMIN,)) -> Tenant:
    """A tenant with one user per role in ``roles`` (argon2 hashing is slow on purpose)."""
    accounts.create_tenant(engine, tenant_id)
    users = {}
    for role in roles:
        name = f"{role.value}@{tenant_id}.example"
        accounts.create_user(engine, tenant_id, name, PASSWORD, role)
        users[role] = name
    return Tenant(tenant_id, users)


def login(app: FastAPI, username: str) -> tuple[TestClient, str]:
    """A client holding a session of ``username``, and the session's CSRF token."""
    session = client(app)
    answer = session.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return session, answer.json()["csrf_token"]


def bearer(engine: Engine, tenant: str, role: Role) -> dict[str, str]:
    new = accounts.create_token(engine, tenant, f"{role.value} token", role, actor="test")
    return {"Authorization": f"Bearer {new.secret}"}


def upload(
    session: TestClient, headers: dict[str, str], name: str, content: bytes, **form: str
) -> object:
    return session.post(
        "/api/v1/scans", files={"file": (name, content)}, data=form, headers=headers
    )


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table: a snapshot to prove a request stored nothing."""
    with engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in schema.metadata.tables.items()
        }
