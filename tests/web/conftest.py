"""Servers for the dashboard tests: the API tests' server per test, or one seeded per module."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api import accounts, uploads
from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from rootout.cases.grouping import open_cases
from tests.api.conftest import (  # the same server, users and cheap argon2 as the API tests
    PASSWORD,
    PROGRAMS,
    TODAY,
    UPLOAD_LIMIT,
    _cheap_argon2,
    app,
    client,
    engine,
    make_tenant,
)

__all__ = ["_cheap_argon2", "app", "engine"]

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """SQLite: these tests are about pages; the store queries are the API's (tested on both)."""
    return str(tmp_path / "web.db")


def csrf_in(html: str) -> str:
    """The CSRF token a page's form carries."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def web_login(app: FastAPI, username: str, password: str = PASSWORD) -> TestClient:
    """A browser-like client that logged in through the login form."""
    browser = client(app)
    form = browser.get("/login")
    answer = browser.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_in(form.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return browser


def store(
    engine: Engine, tenant: str, name: str, content: bytes, folder: str | None = None
) -> tuple[str, ...]:
    """Store an inventory file as ``POST /api/v1/scans`` does; the new finding ids."""
    stored = uploads.ingest(
        uploads.Upload(io.BytesIO(content), name, folder),
        engine=engine,
        tenant=tenant,
        actor="test",
        limit=UPLOAD_LIMIT,
    )
    return stored.new


@dataclass(frozen=True)
class Seeded:
    app: FastAPI
    findings: tuple[str, ...]
    case: str
    users: dict[Role, str]


def seed(app: FastAPI, tenant_id: str = "acme") -> Seeded:
    """A tenant with a viewer and an analyst, the programs fixture on ws-0042, cases opened."""
    engine: Engine = app.state.rootout.engine
    tenant = make_tenant(engine, tenant_id, (Role.VIEWER, Role.ANALYST))
    new = store(engine, tenant_id, "programs.json", PROGRAMS.read_bytes(), "ws-0042")
    opened = open_cases(engine, app.state.rootout.catalog(), tenant=tenant_id)
    return Seeded(app, new, opened.created[0], tenant.users)


@contextlib.contextmanager
def module_environment(folder: Path, catalog_cache: Path) -> Iterator[None]:
    """What the per-test fixtures set, for a module-scoped server: an empty config file in
    ``folder``, the session's catalog cache, and argon2 at test cost."""
    config = folder / "rootout-test.toml"
    config.write_text("")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROOTOUT_CONFIG", str(config))
        patch.setenv("ROOTOUT_CACHE_DIR", str(catalog_cache))
        patch.delenv("ROOTOUT_CATALOG", raising=False)
        patch.setattr(
            accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        )
        yield


@pytest.fixture(scope="module")
def seeded_server(
    tmp_path_factory: pytest.TempPathFactory, _catalog_cache: Path
) -> Iterator[Seeded]:
    """One seeded server for a module's read-only tests (a server per test costs a second)."""
    folder = tmp_path_factory.mktemp("web")
    with module_environment(folder, _catalog_cache):
        settings = ServerSettings(
            db=str(folder / "web.db"), max_upload_bytes=UPLOAD_LIMIT, upload_dir=folder
        )
        server = create_app(settings, today=TODAY)
        yield seed(server)
        server.state.rootout.engine.dispose()
