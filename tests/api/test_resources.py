"""Scans, findings, cases, catalog and reports through the API, as the CLI shows them."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api import accounts
from rootout.api.roles import Role
from rootout.cases.grouping import open_cases
from rootout.store import queries, suppress
from tests.api.conftest import PROGRAMS, bearer, client, upload


@pytest.fixture
def analyst(app: FastAPI, engine: Engine) -> TestClient:
    accounts.create_tenant(engine, "acme")
    caller = client(app)
    caller.headers.update(bearer(engine, "acme", Role.ANALYST))
    stored = upload(caller, {}, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
    assert stored.status_code == 201  # type: ignore[attr-defined]
    open_cases(engine, app.state.rootout.catalog(), tenant="acme")
    return caller


def test_findings_are_the_library_s_findings_with_filters(
    analyst: TestClient, engine: Engine
) -> None:
    expected = queries.list_findings(engine, tenant="acme")
    page = analyst.get("/api/v1/findings").json()
    assert page["total"] == len(expected) > 0
    assert [f["id"] for f in page["items"]] == [r["id"] for r in expected]
    entity = expected[0]["entity"]
    assert analyst.get("/api/v1/findings", params={"entity": entity}).json()["total"] == sum(
        1 for r in expected if entity in (r["entity"], r["matched_entity"])
    )
    assert analyst.get("/api/v1/findings", params={"asset": "no-such-host"}).json()["total"] == 0
    one = analyst.get("/api/v1/findings", params={"limit": 1, "offset": 1}).json()
    assert [f["id"] for f in one["items"]] == [expected[1]["id"]]


def test_a_finding_carries_its_explanation_with_sources(analyst: TestClient) -> None:
    first = analyst.get("/api/v1/findings").json()["items"][0]
    detail = analyst.get(f"/api/v1/findings/{first['id'][:8]}").json()
    assert detail["id"] == first["id"]
    assert detail["explanation"][0]["kind"] == "raw"
    assert "ws-0042/programs.json" in detail["explanation"][0]["text"]
    urls = [s["url"] for step in detail["explanation"] for s in step["sources"]]
    assert urls
    assert all(u.startswith(("https://", "http://")) for u in urls)
    assert detail["observation"]["source"]["path"] == "ws-0042/programs.json"


def test_a_waived_finding_shows_as_waived_in_the_list_and_alone(
    analyst: TestClient, engine: Engine
) -> None:
    first = analyst.get("/api/v1/findings").json()["items"][0]
    suppress.add_suppression(
        engine,
        suppress.Scope.FINDING,
        first["id"],
        justification="lab machine",
        approver="ciso",
        expires=None,
        tenant="acme",
    )
    listed = {f["id"]: f for f in analyst.get("/api/v1/findings").json()["items"]}
    assert listed[first["id"]]["status"] == "waived"
    assert analyst.get(f"/api/v1/findings/{first['id']}").json()["status"] == "waived"


def test_cases_list_show_and_change_status(analyst: TestClient) -> None:
    cases = analyst.get("/api/v1/cases").json()
    assert cases["total"] > 0
    case = cases["items"][0]
    assert case["status"] == "open"
    assert case["deadlines"]
    moved = analyst.post(
        f"/api/v1/cases/{case['id']}/status",
        json={"status": "planned", "why": "replacement ordered", "owner": "it-ops"},
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["status"], moved.json()["owner"]) == ("planned", "it-ops")
    assert analyst.get(f"/api/v1/cases/{case['id']}").json()["events"] > case["events"]
    assert analyst.get("/api/v1/cases", params={"status": "open"}).json()["total"] == (
        cases["total"] - 1
    )


def test_a_forbidden_transition_is_a_409(analyst: TestClient) -> None:
    case = analyst.get("/api/v1/cases").json()["items"][0]
    answer = analyst.post(
        f"/api/v1/cases/{case['id']}/status", json={"status": "verified", "why": "trust me"}
    )
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "conflict"
    assert "rescan" in answer.json()["error"]["message"]


def test_reports_download_in_each_variant(analyst: TestClient) -> None:
    formats = {f["name"]: f for f in analyst.get("/api/v1/reports").json()}
    assert {"csv", "json", "sarif"} <= set(formats)
    answer = analyst.get("/api/v1/reports/csv")
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    finding_ids = {f["id"] for f in analyst.get("/api/v1/findings").json()["items"]}
    assert {r["id"] for r in rows} == finding_ids
    sarif = analyst.get("/api/v1/reports/sarif").json()
    assert sarif["version"] == "2.1.0"
    assert analyst.get("/api/v1/reports/csv", params={"variant": "pdf"}).status_code == 404
    assert analyst.get("/api/v1/reports/nope").status_code == 404
