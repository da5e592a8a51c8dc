"""Logins, sessions with CSRF, API tokens, roles and login rate limiting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, select, update

from rootout.api import accounts
from rootout.api.ratelimit import LoginLimiter
from rootout.api.roles import Role
from rootout.store import schema
from tests.api.conftest import PASSWORD, PROGRAMS, bearer, client, login, make_tenant, upload


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """HTTP-layer tests: one store is enough (the PostgreSQL parity runs elsewhere)."""
    return str(tmp_path / "rootout.db")


def test_login_sets_a_strict_session_cookie_and_returns_a_csrf_token(
    app: FastAPI, engine: Engine
) -> None:
    make_tenant(engine, "acme")
    answer = client(app).post(
        "/api/v1/auth/login", json={"username": "admin@acme.example", "password": PASSWORD}
    )
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert flag in cookie
    assert answer.json()["tenant"] == "acme"
    assert answer.json()["role"] == "admin"
    assert len(answer.json()["csrf_token"]) >= 32


def test_a_wrong_password_or_unknown_user_is_the_same_401(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme")
    session = client(app)
    wrong = session.post(
        "/api/v1/auth/login", json={"username": "admin@acme.example", "password": "nope"}
    )
    unknown = session.post("/api/v1/auth/login", json={"username": "who", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert "set-cookie" not in wrong.headers
    assert session.get("/api/v1/auth/me").status_code == 401


def test_session_changes_need_the_csrf_token_and_bearer_calls_do_not(
    app: FastAPI, engine: Engine
) -> None:
    make_tenant(engine, "acme")
    session, csrf = login(app, "admin@acme.example")
    body = {"name": "ci", "role": "viewer"}
    assert session.post("/api/v1/tokens", json=body).status_code == 403
    wrong = session.post("/api/v1/tokens", json=body, headers={"X-CSRF-Token": "x" + csrf})
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "forbidden"
    assert session.get("/api/v1/tokens").json() == []  # nothing was created
    made = session.post("/api/v1/tokens", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    plain = client(app)
    plain.headers["Authorization"] = f"Bearer {made.json()['token']}"
    assert plain.get("/api/v1/auth/me").json()["role"] == "viewer"


def test_the_csrf_token_may_come_as_a_form_field(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme")
    session, csrf = login(app, "admin@acme.example")
    files = {"file": ("programs.json", PROGRAMS.read_bytes())}
    refused = session.post("/api/v1/scans", files=files, data={"folder": "h1"})
    assert refused.status_code == 403
    taken = session.post("/api/v1/scans", files=files, data={"folder": "h1", "csrf_token": csrf})
    assert taken.status_code == 201, taken.text


def test_logout_ends_the_session(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme")
    session, csrf = login(app, "admin@acme.example")
    cookie = session.cookies.get("rootout_session")
    assert cookie
    replay = client(app)
    replay.cookies.set("rootout_session", cookie)  # a copy of the cookie, kept by someone
    assert replay.get("/api/v1/auth/me").status_code == 200
    assert session.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    answer = replay.get("/api/v1/auth/me")
    assert answer.status_code == 401
    assert "session has expired" in answer.json()["error"]["message"]
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    with engine.connect() as conn:
        assert conn.execute(select(schema.sessions)).first() is None


def test_tokens_are_stored_only_as_hashes_and_revocation_is_immediate(
    app: FastAPI, engine: Engine
) -> None:
    make_tenant(engine, "acme")
    admin = client(app)
    admin.headers.update(bearer(engine, "acme", Role.ADMIN))
    made = admin.post("/api/v1/tokens", json={"name": "agent", "role": "agent"}).json()
    secret = made["token"]
    with engine.connect() as conn:
        stored = conn.execute(select(schema.api_tokens)).all()
    assert all(secret not in str(tuple(row)) for row in stored)
    assert accounts.token_hash(secret) in {row.token_hash for row in stored}
    listed = admin.get("/api/v1/tokens").json()
    assert made["id"] in {t["id"] for t in listed}
    assert all("token" not in t for t in listed)
    agent = client(app)
    agent.headers["Authorization"] = f"Bearer {secret}"
    assert (
        agent.post(
            "/api/v1/scans", files={"file": ("programs.json", PROGRAMS.read_bytes())}
        ).status_code
        == 201
    )
    assert admin.delete(f"/api/v1/tokens/{made['id']}").json()["revoked_at"] is not None
    again = agent.post("/api/v1/scans", files={"file": ("programs.json", PROGRAMS.read_bytes())})
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.AGENT, {"upload"}),
        (Role.VIEWER, {"read"}),
        (Role.ANALYST, {"read", "upload", "triage"}),
        (Role.ADMIN, {"read", "upload", "triage", "tokens"}),
    ],
)
def test_roles(app: FastAPI, engine: Engine, role: Role, allowed: set[str]) -> None:
    accounts.create_tenant(engine, "acme")
    caller = client(app)
    caller.headers.update(bearer(engine, "acme", role))
    answers = {
        "read": caller.get("/api/v1/findings"),
        "upload": upload(caller, {}, "programs.json", PROGRAMS.read_bytes(), folder="h1"),
        "triage": caller.post("/api/v1/cases/C1/status", json={"status": "planned", "why": "x"}),
        "tokens": caller.get("/api/v1/tokens"),
    }
    for action, answer in answers.items():
        refused = answer.status_code == 403  # type: ignore[attr-defined]
        assert refused != (action in allowed), (role, action, answer.text)  # type: ignore[attr-defined]


def test_failed_logins_are_rate_limited_per_user_and_address(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", (Role.ADMIN, Role.VIEWER))
    now = [1000.0]
    app.state.rootout.limiter = LoginLimiter(3, 60, clock=lambda: now[0])
    session = client(app)

    def attempt(username: str, password: str) -> int:
        body = {"username": username, "password": password}
        return session.post("/api/v1/auth/login", json=body).status_code

    assert [attempt("admin@acme.example", "bad") for _ in range(3)] == [401, 401, 401]
    refused = session.post(
        "/api/v1/auth/login", json={"username": "admin@acme.example", "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert attempt("viewer@acme.example", PASSWORD) == 200  # another user is not locked out
    now[0] += 61
    assert attempt("admin@acme.example", PASSWORD) == 200


def test_unit_limiter_forgets_after_success() -> None:
    limiter = LoginLimiter(2, 60, clock=lambda: 0.0)
    limiter.failed("u", "1.2.3.4")
    limiter.succeeded("u", "1.2.3.4")
    limiter.failed("u", "1.2.3.4")
    assert limiter.retry_after("u", "1.2.3.4") == 0
    limiter.failed("u", "1.2.3.4")
    assert limiter.retry_after("u", "1.2.3.4") == 60
    assert limiter.retry_after("u", "5.6.7.8") == 0


def test_passwords_are_argon2_hashes(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme")
    with engine.connect() as conn:
        stored = conn.execute(select(schema.users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_weak_passwords_and_agent_users_are_refused(app: FastAPI, engine: Engine) -> None:
    accounts.create_tenant(engine, "acme")
    with pytest.raises(accounts.AccountError, match="12 characters"):
        accounts.create_user(engine, "acme", "bob", "short", Role.VIEWER)
    with pytest.raises(accounts.AccountError, match="role"):
        accounts.create_user(engine, "acme", "bot", PASSWORD, Role.AGENT)


def test_an_expired_session_or_a_disabled_user_is_logged_out(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", (Role.ADMIN, Role.VIEWER))
    admin, _ = login(app, "admin@acme.example")
    viewer, _ = login(app, "viewer@acme.example")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    with engine.begin() as conn:
        user_id = conn.execute(
            select(schema.users.c.id).where(schema.users.c.username == "admin@acme.example")
        ).scalar_one()
        conn.execute(
            update(schema.sessions)
            .where(schema.sessions.c.user_id == user_id)
            .values(expires_at=past)
        )
        conn.execute(
            update(schema.users)
            .where(schema.users.c.username == "viewer@acme.example")
            .values(disabled=True)
        )
    assert admin.get("/api/v1/auth/me").status_code == 401
    assert viewer.get("/api/v1/auth/me").status_code == 401
