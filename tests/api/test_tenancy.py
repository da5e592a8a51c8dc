"""Tenant isolation: a user of tenant B calls every route with tenant A's ids and learns nothing.

The routes are enumerated from the application, so a new route fails this test
until it is classified below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from rootout.api import accounts
from rootout.api.roles import Role
from rootout.api.webhook_payloads import Event, Kind
from rootout.api.webhooks import create_webhook
from rootout.cases.grouping import open_cases
from tests.api.conftest import PROGRAMS, bearer, client, login, make_tenant, upload


@dataclass(frozen=True)
class TenantA:
    scan: str
    findings: tuple[str, ...]
    case: str
    token: str
    secrets: tuple[str, ...]
    """Strings only tenant A's data contains."""
    supplier: str = "SUP-A-SECRET"
    webhook: str = ""


SUPPLIERS_CSV = (
    b"supplier_id,name,uei,cage,duns,country,parent_name,parent_uei,provides\n"
    b"SUP-A-SECRET,A Secret Supplier LLC,,,,US,Huawei Technologies Co. Ltd.,,\n"
)


def _seed_a(app: FastAPI, engine: Engine) -> TenantA:
    tenant = make_tenant(engine, "tenant-a")
    session, csrf = login(app, tenant.users[Role.ADMIN])
    stored = upload(
        session,
        {"X-CSRF-Token": csrf},
        "programs.json",
        PROGRAMS.read_bytes(),
        folder="a-secret-host",
    )
    assert stored.status_code == 201, stored.text  # type: ignore[attr-defined]
    body = stored.json()  # type: ignore[attr-defined]
    assert body["findings"] > 0
    opened = open_cases(engine, app.state.rootout.catalog(), tenant="tenant-a")
    token = session.post(
        "/api/v1/tokens", json={"name": "a agent", "role": "agent"}, headers={"X-CSRF-Token": csrf}
    ).json()
    files = {"file": ("suppliers.csv", SUPPLIERS_CSV)}
    headers = {"X-CSRF-Token": csrf}
    assert session.post("/api/v1/suppliers/import", files=files, headers=headers).status_code == 200
    screened = session.post("/api/v1/suppliers/screen", headers=headers).json()
    hook = create_webhook(
        engine,
        "tenant-a",
        "http://127.0.0.1:9/a-secret-hook",
        Kind.JSON,
        [Event.FINDING_NEW],
        actor="test",
        allow_private=True,
    ).webhook.id
    return TenantA(
        scan=body["scan_id"],
        findings=tuple(body["new"]),
        case=opened.created[0],
        token=token["id"],
        secrets=(
            "a-secret-host",
            body["scan_id"],
            token["id"],
            *body["new"],
            "A Secret Supplier",
            *screened["new"],
            hook,
            "a-secret-hook",
        ),
        webhook=hook,
    )


# How tenant B calls each route: path parameters (A's ids), and a body. "missing" is the
# same call with an id that exists nowhere; a tenant-scoped id must answer exactly like it.
OWN_IDS = {"scan_id", "finding_id", "case_id", "token_id", "supplier_id", "webhook_id"}
SHARED = {
    ("GET", "/api/v1/health"),
    ("GET", "/api/v1/catalog/entities"),
    ("GET", "/api/v1/catalog/objects/{object_id}"),
    ("GET", "/api/v1/reports"),
    ("GET", "/openapi.json"),
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/metrics"),  # no tenant labels unless metrics_tenant_labels; loopback or token
}
"""Routes that read no tenant data (health, the shared catalog, the API's own documentation)."""
TENANT_ROUTES = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/auth/me"),
    ("GET", "/api/v1/scans"),
    ("POST", "/api/v1/scans"),
    ("GET", "/api/v1/scans/{scan_id}"),
    ("GET", "/api/v1/findings"),
    ("GET", "/api/v1/findings/{finding_id}"),
    ("GET", "/api/v1/cases"),
    ("GET", "/api/v1/cases/{case_id}"),
    ("POST", "/api/v1/cases/{case_id}/status"),
    ("GET", "/api/v1/reports/{name}"),
    ("GET", "/api/v1/tokens"),
    ("POST", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{token_id}"),
    ("POST", "/api/v1/agent/scans"),  # tests/api/test_ingest.py: cross-tenant job status
    ("GET", "/api/v1/agent/scans/{scan_id}"),
    ("GET", "/api/v1/suppliers"),
    ("GET", "/api/v1/suppliers/{supplier_id}"),
    ("POST", "/api/v1/suppliers/import"),
    ("POST", "/api/v1/suppliers/screen"),
    ("GET", "/api/v1/webhooks"),
    ("POST", "/api/v1/webhooks"),
    ("GET", "/api/v1/webhooks/deadline-alerts"),
    ("POST", "/api/v1/webhooks/check-deadlines"),
    ("GET", "/api/v1/webhooks/{webhook_id}"),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"),
    ("POST", "/api/v1/webhooks/{webhook_id}/test"),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"),
}


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path) of every route the application answers, included routers flattened."""
    try:  # FastAPI >= 0.160 keeps included routers as routes of their own
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - older FastAPI copies the routes in
        routes: list[Any] = list(app.routes)
    else:
        routes = list(iter_route_contexts(app.routes))
    found = []
    for route in routes:
        assert route.path, route
        if "web" in (getattr(route, "tags", None) or ()):
            continue  # dashboard pages answer HTML: tests/web/test_tenancy.py checks them
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                found.append((method, route.path))
    return found


def _params(path: str, a: TenantA, missing: bool) -> dict[str, str]:
    values = {
        "scan_id": "S0000000000000000" if missing else a.scan,
        "finding_id": "F0000000000000000" if missing else a.findings[0],
        "case_id": "C999" if missing else a.case,
        "token_id": "T000000000000" if missing else a.token,
        "supplier_id": "SUP-NOWHERE" if missing else a.supplier,
        "webhook_id": "W000000000000" if missing else a.webhook,
        "object_id": "kaspersky",
        "name": "json",
    }
    return {k: v for k, v in values.items() if "{" + k + "}" in path}


def _call(b: Any, csrf: str, method: str, path: str, params: dict[str, str]) -> Any:
    url = path.format(**params)
    headers = {"X-CSRF-Token": csrf}
    if path == "/api/v1/scans" and method == "POST":
        files = {"file": ("programs.json", PROGRAMS.read_bytes())}
        return b.post(url, files=files, data={"folder": "b-host"}, headers=headers)
    if path == "/api/v1/suppliers/import":
        files = {"file": ("b.csv", b"supplier_id,name\nSUP-A-SECRET,B's own supplier\n")}
        return b.post(url, files=files, headers=headers)
    bodies: dict[str, Any] = {
        "/api/v1/auth/login": {"username": "admin@tenant-b.example", "password": "wrong"},
        "/api/v1/cases/{case_id}/status": {"status": "planned", "why": "b tries"},
        "/api/v1/tokens": {"name": "b token", "role": "viewer"},
        "/api/v1/webhooks": {
            "url": "http://127.0.0.1:9/b",
            "kind": "json",
            "events": ["finding.new"],
        },
    }
    return b.request(method, url, json=bodies.get(path), headers=headers)


def test_every_route_is_classified(app: FastAPI) -> None:
    unknown = set(_routes(app)) - SHARED - TENANT_ROUTES
    assert not unknown, f"classify these routes in tests/api/test_tenancy.py: {sorted(unknown)}"


def test_tenant_b_sees_nothing_of_tenant_a(app: FastAPI, engine: Engine) -> None:
    a = _seed_a(app, engine)
    tenant_b = make_tenant(engine, "tenant-b")
    b, csrf = login(app, tenant_b.users[Role.ADMIN])
    routes = sorted(_routes(app), key=lambda r: r[1] == "/api/v1/auth/logout")  # logout last
    for method, path in routes:
        answer = _call(b, csrf, method, path, _params(path, a, missing=False))
        text = answer.text
        for asked in _params(path, a, missing=False).values():
            text = text.replace(asked, "<the id asked for>")  # an error may echo the id sent
        for secret in a.secrets:
            assert secret not in text, f"{method} {path} shows tenant A's {secret}"
        if OWN_IDS & set(_params(path, a, missing=False)):
            absent = _call(b, csrf, method, path, _params(path, a, missing=True))
            assert (answer.status_code, absent.status_code) == (404, 404), (method, path)
            own, none = answer.json()["error"], absent.json()["error"]
            assert own["code"] == none["code"] == "not_found"
            for key, value in _params(path, a, missing=False).items():
                own["message"] = own["message"].replace(value, "<id>")
                none["message"] = none["message"].replace(_params(path, a, True)[key], "<id>")
            assert own == none, (method, path)
        else:
            assert answer.status_code < 500, (method, path, answer.text)
    # tenant A's data is untouched: its case kept its status, its token still works
    a_admin = bearer(engine, "tenant-a", Role.ADMIN)
    a_client = client(app)
    a_client.headers.update(a_admin)
    assert a_client.get(f"/api/v1/cases/{a.case}").json()["status"] == "open"
    tokens = {t["id"]: t for t in a_client.get("/api/v1/tokens").json()}
    assert tokens[a.token]["revoked_at"] is None


def test_lists_of_tenant_b_are_empty(app: FastAPI, engine: Engine) -> None:
    _seed_a(app, engine)
    tenant_b = make_tenant(engine, "tenant-b", (Role.VIEWER,))
    b = login(app, tenant_b.users[Role.VIEWER])[0]
    with_token = client(app)
    with_token.headers.update(bearer(engine, "tenant-b", Role.VIEWER))
    for caller in (b, with_token):
        for path in ("/api/v1/scans", "/api/v1/findings", "/api/v1/cases", "/api/v1/suppliers"):
            assert caller.get(path).json() == {"total": 0, "items": []}, path


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_a_token_speaks_only_for_its_tenant(app: FastAPI, engine: Engine, role: Role) -> None:
    a = _seed_a(app, engine)
    accounts.create_tenant(engine, "tenant-b")
    b = client(app)
    headers = bearer(engine, "tenant-b", role)
    assert b.get(f"/api/v1/scans/{a.scan}", headers=headers).status_code == 404
    assert b.get("/api/v1/auth/me", headers=headers).json()["tenant"] == "tenant-b"


def test_every_tenant_route_wants_credentials_first(app: FastAPI, engine: Engine) -> None:
    """Without a login every tenant route answers 401, whatever the id: no existence oracle."""
    a = _seed_a(app, engine)
    anonymous = client(app)
    for method, path in sorted(TENANT_ROUTES - {("POST", "/api/v1/auth/login")}):
        answer = anonymous.request(method, path.format(**_params(path, a, missing=False)))
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.json()["error"]["code"] == "unauthorized"
