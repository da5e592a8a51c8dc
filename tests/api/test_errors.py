"""The HTTP layer (on SQLite): one error shape, body limits, NUL refusal, health, the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api import accounts
from rootout.api.roles import Role
from tests.api.conftest import bearer, client


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """HTTP-layer tests: one store is enough (the PostgreSQL parity runs elsewhere)."""
    return str(tmp_path / "rootout.db")


@pytest.fixture
def viewer(app: FastAPI, engine: Engine) -> TestClient:
    accounts.create_tenant(engine, "acme")
    caller = client(app)
    caller.headers.update(bearer(engine, "acme", Role.VIEWER))
    return caller


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/api/v1/nowhere", 404, "not_found"),
        ("DELETE", "/api/v1/findings", 405, "method_not_allowed"),
        ("GET", "/api/v1/findings?limit=0", 422, "validation_error"),
        ("GET", "/api/v1/findings?min_confidence=certain", 422, "validation_error"),
        ("GET", "/api/v1/findings/F0000000", 404, "not_found"),
    ],
)
def test_every_error_has_one_shape(
    viewer: TestClient, method: str, path: str, status: int, code: str
) -> None:
    answer = viewer.request(method, path)
    assert answer.status_code == status
    body = answer.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_a_json_body_too_large_for_a_small_route_is_413(viewer: TestClient) -> None:
    answer = viewer.post(
        "/api/v1/cases/C1/status", json={"status": "planned", "why": "x" * (2 * 1024 * 1024)}
    )
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/findings/F%00", None),
        ("POST", "/api/v1/cases/C1/status", {"status": "planned", "why": "a\x00"}),
        ("POST", "/api/v1/tokens", {"name": "a\x00", "role": "viewer"}),
        ("POST", "/api/v1/auth/login", {"username": "a\x00", "password": "x"}),
    ],
)
def test_nul_characters_are_refused_before_the_store(
    app: FastAPI, engine: Engine, method: str, path: str, body: object
) -> None:
    accounts.create_tenant(engine, "acme")
    caller = client(app)
    caller.headers.update(bearer(engine, "acme", Role.ADMIN))
    answer = caller.request(method, path, json=body)
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "validation_error"


def test_health_needs_no_login(app: FastAPI) -> None:
    answer = client(app).get("/api/v1/health").json()
    assert answer["status"] == "ok"
    assert answer["database"] in {"sqlite", "postgresql"}


def test_catalog_entities_and_objects(viewer: TestClient) -> None:
    entities = {e["id"]: e for e in viewer.get("/api/v1/catalog/entities").json()}
    designated = [e for e in entities.values() if e["designated_under"]]
    assert designated
    shown = viewer.get(f"/api/v1/catalog/objects/{designated[0]['id']}").json()
    assert shown["kind"] == "entities"
    assert ".yaml:" in shown["location"]
    assert all(s["url"].startswith("http") for s in shown["sources"])
    missing = viewer.get("/api/v1/catalog/objects/no.such.thing")
    assert missing.status_code == 404
