"""The dashboard's forms and the pages that follow them: cases, uploads, logout (a store per test)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api.roles import Role
from rootout.cases.service import case_log
from tests.api.conftest import PROGRAMS, UPLOAD_LIMIT, row_counts
from tests.conftest import FIXTURES
from tests.web.conftest import Seeded, csrf_in, seed, store, web_login

CONTRACTS = FIXTURES / "inputs" / "usaspending" / "awards_2018_headers.csv"


@pytest.fixture
def seeded(app: FastAPI) -> Seeded:
    return seed(app)


@pytest.fixture
def viewer(app: FastAPI, seeded: Seeded) -> TestClient:
    return web_login(app, seeded.users[Role.VIEWER])


@pytest.fixture
def analyst(app: FastAPI, seeded: Seeded) -> TestClient:
    return web_login(app, seeded.users[Role.ANALYST])


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_findings_are_paged_with_the_filters_kept(viewer: TestClient, engine: Engine) -> None:
    for n in range(30):  # 60 findings on 30 more hosts
        store(engine, "acme", "programs.json", PROGRAMS.read_bytes(), f"ws-{n:04d}")
    first = viewer.get("/findings", params={"confidence": "high"}).text
    assert "Page 1 of 2" in first
    assert 'href="?confidence=high&amp;page=2"' in first
    second = viewer.get("/findings", params={"confidence": "high", "page": 2}).text
    ids = set(re.findall(r'href="/findings/(F[0-9a-f]+)"', second))
    assert len(ids) == 62 - 50


def test_an_analyst_changes_a_case_status_and_the_log_records_it(
    analyst: TestClient, seeded: Seeded, engine: Engine
) -> None:
    page = analyst.get(f"/cases/{seeded.case}").text
    answer = analyst.post(
        f"/cases/{seeded.case}/status",
        data={"status": "planned", "why": "replacement ordered", "csrf_token": csrf_in(page)},
    )
    assert answer.status_code == 200
    assert '<dd id="case-status">planned</dd>' in answer.text
    assert "replacement ordered" in answer.text
    log = case_log(engine, seeded.case, tenant="acme")
    assert log[-1]["actor"] == seeded.users[Role.ANALYST]
    again = analyst.post(
        f"/cases/{seeded.case}/status",
        data={"status": "planned", "why": "twice", "csrf_token": csrf_in(page)},
    )
    assert again.status_code == 409
    assert "already planned" in again.text


def test_case_changes_need_the_csrf_token_and_the_role(
    app: FastAPI, analyst: TestClient, viewer: TestClient, seeded: Seeded, engine: Engine
) -> None:
    before = len(case_log(engine, seeded.case, tenant="acme"))
    url = f"/cases/{seeded.case}/status"
    forged = analyst.post(url, data={"status": "planned", "why": "x", "csrf_token": "forged"})
    assert forged.status_code == 403
    page = viewer.get(f"/cases/{seeded.case}").text
    assert 'action="/cases/' not in page  # no status form for a viewer
    refused = viewer.post(url, data={"status": "planned", "why": "x", "csrf_token": csrf_in(page)})
    assert refused.status_code == 403
    assert len(case_log(engine, seeded.case, tenant="acme")) == before


def test_open_cases_from_the_cases_page(analyst: TestClient, engine: Engine) -> None:
    store(engine, "acme", "programs.json", PROGRAMS.read_bytes(), "ws-0099")
    token = csrf_in(analyst.get("/cases").text)
    answer = analyst.post("/cases/open", data={"csrf_token": token})
    assert answer.status_code == 200
    assert "Cases opened:" in answer.text


def test_upload_stores_a_scan_and_shows_its_findings(analyst: TestClient) -> None:
    token = csrf_in(analyst.get("/upload").text)
    answer = analyst.post(
        "/upload",
        files={"file": ("programs.json", PROGRAMS.read_bytes())},
        data={"folder": "ws-7777", "csrf_token": token},
    )
    assert answer.status_code == 201
    assert "2 findings" in _text(answer.text)
    assert "ws-7777" in analyst.get("/assets").text


@pytest.mark.parametrize(
    ("content", "status", "message"),
    [
        (PROGRAMS.read_bytes()[:900], 422, "ws-0042/programs.json:4: invalid JSON"),
        (b"x" * (UPLOAD_LIMIT + 1), 413, "larger than the limit"),
    ],
)
def test_a_bad_upload_is_shown_on_the_page_and_stores_nothing(
    analyst: TestClient, engine: Engine, content: bytes, status: int, message: str
) -> None:
    token = csrf_in(analyst.get("/upload").text)
    before = row_counts(engine)
    answer = analyst.post(
        "/upload",
        files={"file": ("programs.json", content)},
        data={"folder": "ws-0042", "csrf_token": token},
    )
    assert answer.status_code == status
    assert message in answer.text
    assert row_counts(engine) == before


def test_a_viewer_may_not_upload(viewer: TestClient, engine: Engine) -> None:
    page = viewer.get("/upload").text
    assert 'type="file"' not in page
    before = row_counts(engine)
    answer = viewer.post(
        "/upload",
        files={"file": ("programs.json", PROGRAMS.read_bytes())},
        data={"csrf_token": csrf_in(page)},
    )
    assert answer.status_code == 403
    assert row_counts(engine) == before


def test_contracts_show_agency_recipient_amount_and_date(
    viewer: TestClient, engine: Engine
) -> None:
    store(engine, "acme", CONTRACTS.name, CONTRACTS.read_bytes())
    records = list(csv.DictReader(io.StringIO(CONTRACTS.read_text(encoding="utf-8"))))
    text = _text(viewer.get("/contracts").text)
    kaspersky = [r for r in records if "KASPERSKY" in r["recipient_name"].upper()]
    assert kaspersky
    for record in kaspersky:
        assert record["recipient_name"] in text
        assert record["awarding_agency_name"] in text
    assert "$" in text


def test_logout_ends_the_session(viewer: TestClient) -> None:
    token = csrf_in(viewer.get("/").text)
    answer = viewer.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert viewer.get("/", follow_redirects=False).status_code == 303
