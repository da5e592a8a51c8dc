"""Tenant isolation of the dashboard: a user of tenant B opens every page with tenant A's ids.

The pages are enumerated from the application (routes tagged ``web``), so a new
page fails this test until it is classified below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api.roles import Role
from rootout.cases.grouping import open_cases
from rootout.cases.service import get_case
from tests.api.conftest import PROGRAMS, make_tenant
from tests.web.conftest import csrf_in, store, web_login
from tests.web.test_suppliers import import_register


@pytest.fixture
def store_url(db_url: str) -> str:
    """Isolation is a property of the queries: SQLite and PostgreSQL."""
    return db_url


@dataclass(frozen=True)
class TenantA:
    findings: tuple[str, ...]
    case: str
    asset: str
    secrets: tuple[str, ...]
    """Strings only tenant A's data contains."""


def _seed_a(app: FastAPI, engine: Engine) -> TenantA:
    make_tenant(engine, "tenant-a")
    found = store(engine, "tenant-a", "programs.json", PROGRAMS.read_bytes(), "a-secret-host")
    opened = open_cases(engine, app.state.rootout.catalog(), tenant="tenant-a")
    import_register(engine, "tenant-a")
    return TenantA(
        findings=found,
        case=opened.created[0],
        asset="host:name:a-secret-host",
        secrets=("a-secret-host", "Contoso Camera Integrators", "Lee Park", *found),
    )


OWN_IDS = {"finding_id", "case_id", "key", "supplier_id"}
SHARED = {
    ("GET", "/static/{name}"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/catalog"),
    ("GET", "/catalog/{object_id}"),
    ("GET", "/reports"),
}
"""Pages that show no tenant data (the login form, the shared catalog, the report list)."""
TENANT_PAGES = {
    ("GET", "/"),
    ("GET", "/findings"),
    ("GET", "/findings/{finding_id}"),
    ("GET", "/assets"),
    ("GET", "/assets/{key}"),
    ("GET", "/cases"),
    ("POST", "/cases/open"),
    ("GET", "/cases/{case_id}"),
    ("POST", "/cases/{case_id}/status"),
    ("GET", "/contracts"),
    ("GET", "/suppliers"),
    ("GET", "/suppliers/{supplier_id}"),
    ("GET", "/reports/{name}"),
    ("GET", "/upload"),
    ("POST", "/upload"),
    ("POST", "/logout"),
}


def web_routes(app: FastAPI) -> list[tuple[str, str]]:
    found = []
    for route in iter_route_contexts(app.routes):
        if "web" in (getattr(route, "tags", None) or ()):
            path = route.path.replace("{key:path}", "{key}")
            found.extend((m, path) for m in sorted(route.methods or ()) if m != "HEAD")
    return found


def _params(path: str, a: TenantA, missing: bool) -> dict[str, str]:
    values = {
        "finding_id": "F0000000000000000" if missing else a.findings[0],
        "case_id": "C999" if missing else a.case,
        "key": "host:name:nowhere" if missing else a.asset,
        "supplier_id": "SUP-999" if missing else "SUP-002",
        "object_id": "kaspersky.ao-kaspersky-lab",
        "name": "site.css" if path.startswith("/static") else "json",
    }
    return {k: v for k, v in values.items() if "{" + k + "}" in path}


def _call(b: TestClient, csrf: str, method: str, path: str, params: dict[str, str]) -> Any:
    url = path.format(**params)
    if method == "GET":
        return b.get(url)
    data = {"csrf_token": csrf}
    if path == "/upload":
        files = {"file": ("programs.json", PROGRAMS.read_bytes())}
        return b.post(url, files=files, data={**data, "folder": "b-host"})
    if path == "/cases/{case_id}/status":
        data |= {"status": "planned", "why": "b tries"}
    return b.post(url, data=data, follow_redirects=False)


def _without(text: str, asked: dict[str, str]) -> str:
    for value in asked.values():  # an error page may echo the id sent
        text = text.replace(value, "<id>")
    return re.sub(r'value="[^"]{20,}"', "", text)  # CSRF tokens differ per session


def test_every_page_is_classified(app: FastAPI) -> None:
    unknown = set(web_routes(app)) - SHARED - TENANT_PAGES
    assert not unknown, f"classify these pages in tests/web/test_tenancy.py: {sorted(unknown)}"


def test_tenant_b_sees_nothing_of_tenant_a(app: FastAPI, engine: Engine) -> None:
    a = _seed_a(app, engine)
    b_users = make_tenant(engine, "tenant-b", (Role.ANALYST,)).users
    b = web_login(app, b_users[Role.ANALYST])
    csrf = csrf_in(b.get("/").text)
    routes = sorted(web_routes(app), key=lambda r: r[1] == "/logout")  # logout last
    for method, path in routes:
        asked = _params(path, a, missing=False)
        answer = _call(b, csrf, method, path, asked)
        text = _without(answer.text, asked)
        for secret in a.secrets:
            assert secret not in text, f"{method} {path} shows tenant A's {secret}"
        if OWN_IDS & set(asked):
            absent_ids = _params(path, a, missing=True)
            absent = _call(b, csrf, method, path, absent_ids)
            assert (answer.status_code, absent.status_code) == (404, 404), (method, path)
            assert text == _without(absent.text, absent_ids), (method, path)
        else:
            assert answer.status_code < 500, (method, path, answer.text)
    case = get_case(engine, app.state.rootout.catalog(), a.case, tenant="tenant-a")
    assert case.status.value == "open"
    assert case.events == 1


def test_tenant_b_lists_are_empty(app: FastAPI, engine: Engine) -> None:
    _seed_a(app, engine)
    b_users = make_tenant(engine, "tenant-b", (Role.VIEWER,)).users
    b = web_login(app, b_users[Role.VIEWER])
    assert "No findings match" in b.get("/findings").text
    assert "No assets" in b.get("/assets").text
    assert "No cases" in b.get("/cases").text
    assert "No suppliers" in b.get("/suppliers").text
    assert "0 active findings" in " ".join(re.sub(r"<[^>]+>", " ", b.get("/").text).split())
