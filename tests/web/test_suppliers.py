"""The supplier pages (read only) over the supplier register fixtures, imported and screened."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api.roles import Role
from rootout.suppliers.service import import_file, screen_and_store
from tests.api.conftest import TODAY, make_tenant
from tests.conftest import REPO
from tests.web.conftest import web_login

REGISTER = REPO / "tests" / "suppliers" / "fixtures" / "register"


def import_register(engine: Engine, tenant: str) -> None:
    for name in ("suppliers.csv", "representations.csv", "access.csv"):
        import_file(engine, REGISTER / name, tenant=tenant)
    screen_and_store(engine, tenant=tenant, today=TODAY)


@pytest.fixture
def viewer(app: FastAPI, engine: Engine) -> TestClient:
    users = make_tenant(engine, "acme", (Role.VIEWER,)).users
    import_register(engine, "acme")
    return web_login(app, users[Role.VIEWER])


def test_the_register_lists_every_supplier_with_its_counts(viewer: TestClient) -> None:
    html = viewer.get("/suppliers").text
    assert "Suppliers (9)" in html
    row = re.search(r'<tr><th scope="row"><a href="/suppliers/SUP-002">.*?</tr>', html, re.S)
    assert row, html
    assert "Contoso Camera Integrators Inc" in row.group(0)
    assert "Huawei Technologies Co., Ltd." in row.group(0)
    assert row.group(0).removesuffix("</tr>").endswith('<td class="num">2</td>')  # open findings


def test_a_supplier_shows_representations_access_and_findings(viewer: TestClient) -> None:
    html = viewer.get("/suppliers/SUP-002").text
    assert "Lee Park" in html
    assert "badge-and-camera-system" in html
    finding_ids = re.findall(r'href="/findings/(F[0-9a-f]+)"', html)
    assert len(finding_ids) == 2
    detail = viewer.get(f"/findings/{finding_ids[0]}")
    assert detail.status_code == 200
    assert viewer.get("/suppliers/SUP-999").status_code == 404
