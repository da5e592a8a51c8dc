"""Agent scans: accepted durably (202), processed in the background, stored exactly once."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

from rootout.agent.payload import encode
from rootout.api import accounts, ingest
from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from rootout.store import clock, schema
from tests.agent._payloads import debian_payload
from tests.api._agent import GZIP, PATH, agent, post
from tests.api.conftest import TODAY, UPLOAD_LIMIT, bearer, client

__all__ = ["agent"]  # the fixture


def worker(app: FastAPI) -> ingest.IngestWorker:
    running: ingest.IngestWorker = app.state.ingest
    return running


def count(engine: Engine, table: str, **where: str) -> int:
    query = select(func.count()).select_from(schema.metadata.tables[table])
    for column, value in where.items():
        query = query.where(schema.metadata.tables[table].c[column] == value)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_a_scan_is_queued_then_stored_with_its_findings(
    agent: TestClient, app: FastAPI, engine: Engine
) -> None:
    scan = debian_payload()
    answer = post(agent, scan)
    assert answer.status_code == 202, answer.text  # type: ignore[attr-defined]
    job = answer.json()  # type: ignore[attr-defined]
    assert (job["scan_id"], job["status"], job["stored_scan_id"]) == (
        str(scan.scan_id),
        "queued",
        None,
    )
    assert job["observations"] == len(scan.observations)
    assert count(engine, "scans") == 0  # accepted, not yet processed
    assert worker(app).run_pending() == 1
    done = agent.get(f"{PATH}/{scan.scan_id}").json()
    assert done["status"] == "done"
    assert done["attempts"] == 1
    assert count(engine, "scans", id=done["stored_scan_id"]) == 1
    with engine.connect() as conn:
        entities = set(
            conn.execute(
                select(schema.findings.c.entity).where(schema.findings.c.tenant_id == "acme")
            ).scalars()
        )
    assert any("kaspersky" in e for e in entities)


def test_the_same_scan_posted_twice_is_stored_once(
    agent: TestClient, app: FastAPI, engine: Engine
) -> None:
    scan = debian_payload()
    assert post(agent, scan).status_code == 202  # type: ignore[attr-defined]
    again = post(agent, scan)
    assert again.status_code == 200  # type: ignore[attr-defined]
    assert again.json()["scan_id"] == str(scan.scan_id)  # type: ignore[attr-defined]
    worker(app).run_pending()
    late = post(agent, scan)  # a retry whose first answer was lost after processing
    assert late.status_code == 200  # type: ignore[attr-defined]
    assert late.json()["status"] == "done"  # type: ignore[attr-defined]
    assert worker(app).run_pending() == 0
    assert count(engine, "ingest_jobs") == 1
    assert count(engine, "scans") == 1


def test_an_agent_token_cannot_read_and_other_tenants_see_nothing(
    agent: TestClient, app: FastAPI, engine: Engine
) -> None:
    scan = debian_payload()
    post(agent, scan)
    worker(app).run_pending()
    for path in ("/api/v1/findings", "/api/v1/scans", "/api/v1/cases"):
        assert agent.get(path).status_code == 403, path
    assert agent.get(f"{PATH}/{scan.scan_id}").status_code == 200
    accounts.create_tenant(engine, "other")
    stranger = client(app)
    stranger.headers.update(bearer(engine, "other", Role.ADMIN))
    assert stranger.get(f"{PATH}/{scan.scan_id}").status_code == 404
    assert stranger.get("/api/v1/scans").json()["total"] == 0
    viewer = client(app)
    viewer.headers.update(bearer(engine, "acme", Role.VIEWER))
    assert viewer.post(PATH, content=encode(scan), headers=GZIP).status_code == 403


def test_a_failing_job_is_retried_then_failed_with_its_error(
    agent: TestClient, app: FastAPI, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("the matcher fell over")

    monkeypatch.setattr(ingest, "store_observations", broken)
    scan = debian_payload()
    post(agent, scan)
    retrying = ingest.IngestWorker(engine, max_attempts=2, retry_seconds=0)
    assert retrying.run_pending() == 2
    job = agent.get(f"{PATH}/{scan.scan_id}").json()
    assert (job["status"], job["attempts"]) == ("failed", 2)
    assert "the matcher fell over" in job["error"]
    assert count(engine, "scans") == 0


def test_hooks_hear_of_each_new_stored_scan_once(
    agent: TestClient, app: FastAPI, engine: Engine
) -> None:
    heard: list[tuple[str, str]] = []
    worker(app).on_scan_stored.append(lambda tenant, scan_id: heard.append((tenant, scan_id)))
    worker(app).on_scan_stored.append(lambda _t, _s: 1 / 0)  # a broken hook fails nothing
    scan = debian_payload()
    post(agent, scan)
    post(agent, scan)
    worker(app).run_pending()
    stored = agent.get(f"{PATH}/{scan.scan_id}").json()
    assert stored["status"] == "done"
    assert heard == [("acme", stored["stored_scan_id"])]


def _wait_for(check: Callable[[], bool], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail("the condition did not come true in time")
        time.sleep(0.05)


def test_a_job_abandoned_mid_processing_is_resumed_by_the_next_server_once(
    store_url: str, tmp_path: Path
) -> None:
    settings = ServerSettings(db=store_url, max_upload_bytes=UPLOAD_LIMIT, upload_dir=tmp_path)
    first = create_app(settings, today=TODAY)
    engine: Engine = first.state.rootout.engine
    accounts.create_tenant(engine, "acme")
    token = bearer(engine, "acme", Role.AGENT)
    scan = debian_payload()
    queued = client(first).post(PATH, content=encode(scan), headers={**GZIP, **token})
    assert queued.status_code == 202
    # The first server claims the job and dies before finishing: the job stays
    # "processing"; its lease runs out.
    claimed = ingest.claim(engine, lease_seconds=300)
    assert claimed is not None
    assert claimed.scan_id == str(scan.scan_id)
    with engine.begin() as conn:
        conn.execute(update(schema.ingest_jobs).values(lease_until=clock.now()))
    first.state.rootout.engine.dispose()

    second = create_app(settings, today=TODAY)
    with TestClient(second, base_url="https://testserver") as restarted:  # lifespan: worker runs
        restarted.headers.update(token)

        def done() -> bool:
            return bool(restarted.get(f"{PATH}/{scan.scan_id}").json()["status"] == "done")

        _wait_for(done)
        job = restarted.get(f"{PATH}/{scan.scan_id}").json()
    assert job["attempts"] == 2
    engine = second.state.rootout.engine
    assert count(engine, "scans") == 1
    assert count(engine, "events", action="scan.stored") == 1
    assert count(engine, "events", action="scan.ingested") == 1
    engine.dispose()


def test_a_job_stored_before_the_crash_is_not_stored_again(
    agent: TestClient, engine: Engine
) -> None:
    scan = debian_payload()
    post(agent, scan)
    claimed = ingest.claim(engine, lease_seconds=0)
    assert claimed is not None
    crashed = ingest.IngestWorker(engine)
    stored, new = crashed._store(claimed)  # stored, then the server died before marking it done
    assert new
    resumed = ingest.IngestWorker(engine)
    assert resumed.run_pending() == 1
    job = agent.get(f"{PATH}/{scan.scan_id}").json()
    assert (job["status"], job["stored_scan_id"], job["attempts"]) == ("done", stored, 2)
    assert count(engine, "scans") == 1
    assert count(engine, "events", action="scan.stored") == 1


def test_a_claimed_job_is_not_claimed_again_until_its_lease_runs_out(
    agent: TestClient, engine: Engine
) -> None:
    scan = debian_payload()
    post(agent, scan)
    first = ingest.claim(engine, lease_seconds=300)
    assert first is not None
    assert first.attempts == 1
    assert ingest.claim(engine) is None  # another worker finds nothing to take
    with engine.begin() as conn:
        conn.execute(update(schema.ingest_jobs).values(lease_until=clock.now()))
    again = ingest.claim(engine)
    assert again is not None
    assert (again.scan_id, again.attempts) == (first.scan_id, 2)
