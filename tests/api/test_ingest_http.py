"""Agent scan posts at the HTTP layer: limits, encodings, schema, idempotency keys.

Nothing here depends on the store's dialect, so one SQLite store is enough
(tests/api/test_ingest.py runs the queue itself on SQLite and PostgreSQL).
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from tests.agent._payloads import debian_payload
from tests.api._agent import GZIP, PATH, agent, post
from tests.api.conftest import UPLOAD_LIMIT, row_counts

__all__ = ["agent"]


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return str(tmp_path / "rootout.db")


def test_a_scan_id_reused_for_another_payload_is_refused(agent: TestClient, engine: Engine) -> None:
    scan = debian_payload()
    post(agent, scan)
    other = scan.model_copy(update={"observations": scan.observations[:1]})
    answer = post(agent, other)
    assert answer.status_code == 409  # type: ignore[attr-defined]
    assert str(scan.scan_id) in answer.json()["error"]["message"]  # type: ignore[attr-defined]


def test_a_gzip_bomb_gets_413_and_stores_nothing(agent: TestClient, engine: Engine) -> None:
    before = row_counts(engine)
    bomb = gzip.compress(b"{" + b" " * (UPLOAD_LIMIT * 40) + b"}")
    assert len(bomb) < UPLOAD_LIMIT
    answer = agent.post(PATH, content=bomb, headers=GZIP)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
    assert row_counts(engine) == before


def test_an_oversized_compressed_body_gets_413(agent: TestClient) -> None:
    answer = agent.post(PATH, content=b"x" * (UPLOAD_LIMIT + 1), headers=GZIP)
    assert answer.status_code == 413


@pytest.mark.parametrize(
    ("body", "headers", "status", "named"),
    [
        (gzip.compress(b'{"version": 1'), GZIP, 422, "JSON"),
        (b"not gzip at all", GZIP, 400, "gzip"),
        (gzip.compress(b"{}"), {**GZIP, "Content-Encoding": "br"}, 415, "br"),
    ],
)
def test_malformed_bodies_get_4xx_naming_the_problem(
    agent: TestClient, engine: Engine, body: bytes, headers: dict[str, str], status: int, named: str
) -> None:
    before = row_counts(engine)
    answer = agent.post(PATH, content=body, headers=headers)
    assert answer.status_code == status, answer.text
    assert named in answer.json()["error"]["message"]
    assert row_counts(engine) == before


def test_a_payload_without_a_host_gets_422_naming_the_field(agent: TestClient) -> None:
    document = json.loads(debian_payload().model_dump_json())
    del document["host"]
    answer = agent.post(PATH, content=gzip.compress(json.dumps(document).encode()), headers=GZIP)
    assert answer.status_code == 422
    assert "host" in answer.json()["error"]["message"]


def test_plain_json_without_compression_is_accepted(agent: TestClient) -> None:
    scan = debian_payload()
    answer = agent.post(
        PATH, content=scan.model_dump_json(), headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 202, answer.text


def test_a_locked_store_answers_503_with_retry_after_and_queues_nothing(
    agent: TestClient, engine: Engine
) -> None:
    def short_wait(dbapi_connection: Any, _record: object) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=50")

    event.listen(engine, "connect", short_wait)
    engine.dispose()
    locker = sqlite3.connect(str(engine.url.database))
    locker.execute("BEGIN IMMEDIATE")  # another writer holds SQLite's write lock
    try:
        answer = post(agent, debian_payload())
    finally:
        locker.rollback()
        locker.close()
    assert answer.status_code == 503, answer.text  # type: ignore[attr-defined]
    assert answer.headers["Retry-After"] == "2"  # type: ignore[attr-defined]
    assert row_counts(engine)["ingest_jobs"] == 0
