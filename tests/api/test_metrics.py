"""``GET /metrics``: Prometheus text that parses, counters that move, and who may scrape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, func, select

from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from rootout.store import schema
from tests.agent._payloads import debian_payload
from tests.api._agent import post
from tests.api.conftest import PROGRAMS, TODAY, UPLOAD_LIMIT, bearer, client, make_tenant, upload

TOKEN = "scrape-secret-0123456789"
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def make_app(db: str, tmp_path: Path, **settings: object) -> FastAPI:
    values: dict[str, object] = {
        "db": db,
        "max_upload_bytes": UPLOAD_LIMIT,
        "upload_dir": tmp_path,
        "metrics_token": TOKEN,
    }
    values.update(settings)
    return create_app(ServerSettings(**values), today=TODAY)  # type: ignore[arg-type]


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(db_url, tmp_path)
    yield application
    application.state.notifier.close()
    application.state.rootout.engine.dispose()


def scrape(app: FastAPI) -> Samples:
    answer = client(app).get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(answer.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_request_counters_move_by_route_template(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", ())
    reader = bearer(engine, "acme", Role.VIEWER)
    before = scrape(app)
    for _ in range(2):
        assert client(app).get("/api/v1/health").status_code == 200
    assert client(app).get("/api/v1/findings/F0000dead", headers=reader).status_code == 404
    assert client(app).get("/no/such/page/123").status_code == 404
    after = scrape(app)

    health = {"method": "GET", "route": "/api/v1/health", "status": "200"}
    assert (
        value(after, "rootout_http_requests_total", **health)
        - value(before, "rootout_http_requests_total", **health)
        == 2
    )
    finding = {"method": "GET", "route": "/api/v1/findings/{finding_id}", "status": "404"}
    assert value(after, "rootout_http_requests_total", **finding) == 1
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert value(after, "rootout_http_requests_total", **unmatched) == 1
    assert not any("F0000dead" in str(labels) for _, labels in after)
    admin = bearer(engine, "acme", Role.ADMIN)
    assert client(app).get("/api/v1/webhooks/deadline-alerts", headers=admin).status_code == 200
    assert client(app).get("/api/v1/webhooks/W0", headers=admin).status_code == 404
    labelled = scrape(app)
    literal = {"method": "GET", "route": "/api/v1/webhooks/deadline-alerts", "status": "200"}
    assert value(labelled, "rootout_http_requests_total", **literal) == 1
    template = {"method": "GET", "route": "/api/v1/webhooks/{webhook_id}", "status": "404"}
    assert value(labelled, "rootout_http_requests_total", **template) == 1
    latency = {"method": "GET", "route": "/api/v1/health"}
    assert value(after, "rootout_http_request_duration_seconds_count", **latency) == 2
    assert value(after, "process_cpu_seconds_total") > 0
    assert any(name == "python_info" for name, _ in after)


def test_uploads_count_as_scans_and_findings_are_read_from_the_store(
    app: FastAPI, engine: Engine
) -> None:
    make_tenant(engine, "acme", ())
    make_tenant(engine, "globex", ())
    for tenant in ("acme", "globex"):
        headers = bearer(engine, tenant, Role.ANALYST)
        answer = upload(client(app), headers, "programs.json", PROGRAMS.read_bytes(), folder="h1")
        assert answer.status_code == 201  # type: ignore[attr-defined]
    upload(client(app), headers, "programs.json", PROGRAMS.read_bytes(), folder="h1")  # reused

    samples = scrape(app)
    assert value(samples, "rootout_scans_stored_total", source="upload") == 2
    with engine.connect() as conn:
        stored = conn.execute(
            select(schema.findings.c.basis, func.count()).group_by(schema.findings.c.basis)
        ).all()
    assert stored
    for basis, count in stored:
        assert value(samples, "rootout_findings", status="active", basis=basis) == count
    assert not any(dict(labels).get("tenant") for _, labels in samples)


def test_tenant_labels_only_when_allowed(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url, tmp_path, metrics_tenant_labels=True)
    try:
        engine: Engine = app.state.rootout.engine
        make_tenant(engine, "acme", ())
        upload(
            client(app),
            bearer(engine, "acme", Role.ANALYST),
            "programs.json",
            PROGRAMS.read_bytes(),
            folder="h1",
        )
        tenants = {
            dict(labels).get("tenant") for name, labels in scrape(app) if name == "rootout_findings"
        }
        assert tenants == {"acme"}
    finally:
        app.state.rootout.engine.dispose()


def test_the_ingest_queue_and_agent_scans(app: FastAPI, engine: Engine) -> None:
    make_tenant(engine, "acme", ())
    agent = client(app)
    agent.headers.update(bearer(engine, "acme", Role.AGENT))
    posted = post(agent, debian_payload())
    assert posted.status_code == 202, posted.text
    assert value(scrape(app), "rootout_ingest_jobs", status="queued") == 1
    assert app.state.ingest.run_pending() == 1
    samples = scrape(app)
    assert value(samples, "rootout_ingest_jobs", status="queued") == 0
    assert value(samples, "rootout_ingest_jobs", status="done") == 1
    assert value(samples, "rootout_scans_stored_total", source="agent") == 1


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return str(tmp_path / "server.db")


def test_scraping_needs_the_token_or_loopback(store_url: str, tmp_path: Path) -> None:
    with_token = make_app(store_url, tmp_path)
    open_on_loopback = make_app(store_url, tmp_path, metrics_token=None)
    try:
        assert client(with_token).get("/metrics").status_code == 403
        wrong = {"Authorization": "Bearer nope"}
        assert client(with_token).get("/metrics", headers=wrong).status_code == 403
        right = {"Authorization": f"Bearer {TOKEN}"}
        assert client(with_token).get("/metrics", headers=right).status_code == 200
        loopback = TestClient(with_token, client=("127.0.0.1", 40000))
        assert loopback.get("/metrics").status_code == 403  # a token, once set, is required

        remote = TestClient(open_on_loopback, client=("203.0.113.7", 40000))
        assert remote.get("/metrics").status_code == 403
        for address in ("127.0.0.1", "::1"):
            local = TestClient(open_on_loopback, client=(address, 40000))
            assert local.get("/metrics").status_code == 200, address
    finally:
        with_token.state.rootout.engine.dispose()
        open_on_loopback.state.rootout.engine.dispose()


def test_metrics_stay_out_of_the_api_schema(store_url: str, tmp_path: Path) -> None:
    app = make_app(store_url, tmp_path)
    try:
        assert "/metrics" not in client(app).get("/openapi.json").json()["paths"]
    finally:
        app.state.rootout.engine.dispose()
