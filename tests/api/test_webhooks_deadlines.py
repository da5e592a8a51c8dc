"""``deadline.at_risk``: each case deadline is sent once per threshold, on demand or periodically.

The cases come from an uploaded osquery inventory (two Kaspersky products, two cases);
the dates are taken from the cases' own deadlines, so the test holds on any day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.api.roles import Role
from rootout.api.webhook_events import check_deadlines
from tests.api.conftest import bearer, client
from tests.api.webhook_support import (
    FIRST_REPORT,
    FOLLOW_UP,
    Receiver,
    cases_of_an_upload,
    close,
    due_dates,
    receiving_app,
    running_receiver,
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as found:
        yield found


def subscribe(app: FastAPI, admin: dict[str, str], url: str) -> None:
    answer = client(app).post(
        "/api/v1/webhooks",
        json={"url": url, "kind": "json", "events": ["deadline.at_risk"]},
        headers=admin,
    )
    assert answer.status_code == 201, answer.text


def sent(app: FastAPI, engine: Engine, today: dt.date) -> list[tuple[str, str, str]]:
    found = check_deadlines(
        engine,
        app.state.rootout.catalog(),
        "acme",
        app.state.notifier,
        today=today,
        public_url=app.state.rootout.settings.public_url,
    )
    assert app.state.notifier.drain()
    return sorted((a.case_id, a.obligation_id, a.threshold) for a in found)


def test_each_deadline_is_sent_once_per_threshold(
    db_url: str, tmp_path: Path, receiver: Receiver
) -> None:
    app = receiving_app(db_url, tmp_path)
    try:
        engine, admin = cases_of_an_upload(app)
        subscribe(app, admin, receiver.url)
        due = due_dates(app)
        one_day = dt.timedelta(days=1)

        soon = due[FIRST_REPORT] - one_day
        expected = [("C1", FIRST_REPORT, "due_soon"), ("C2", FIRST_REPORT, "due_soon")]
        assert sent(app, engine, soon) == expected
        assert sent(app, engine, soon) == []

        late = due[FIRST_REPORT] + one_day
        assert sent(app, engine, late) == [
            ("C1", FIRST_REPORT, "overdue"),
            ("C2", FIRST_REPORT, "overdue"),
        ]
        assert sent(app, engine, late + one_day) == []

        after_all = due[FOLLOW_UP] + one_day
        assert sent(app, engine, after_all) == [
            ("C1", FOLLOW_UP, "overdue"),
            ("C2", FOLLOW_UP, "overdue"),
        ]
        assert sent(app, engine, after_all) == []

        posts = receiver.wait_for(6)
        assert len(posts) == 6
        first = posts[0].json()
        assert first["event"] == "deadline.at_risk"
        assert first["data"]["case_id"] in {"C1", "C2"}
        assert first["data"]["due"] == due[FIRST_REPORT].isoformat()
        assert first["data"]["days_left"] == 1
        assert first["data"]["url"].startswith("https://rootout.example/api/v1/cases/C")
    finally:
        close(app)


def test_nothing_is_marked_sent_while_no_webhook_listens(
    tmp_path: Path, receiver: Receiver
) -> None:
    app = receiving_app(str(tmp_path / "server.db"), tmp_path)
    try:
        engine, admin = cases_of_an_upload(app)
        late = due_dates(app)[FIRST_REPORT] + dt.timedelta(days=1)
        assert sent(app, engine, late) == []  # nobody listens: nothing recorded
        subscribe(app, admin, receiver.url)
        assert [a[2] for a in sent(app, engine, late)] == ["overdue", "overdue"]
    finally:
        close(app)


def test_the_server_checks_by_itself_and_on_demand(tmp_path: Path, receiver: Receiver) -> None:
    setup = receiving_app(str(tmp_path / "server.db"), tmp_path)
    try:
        _, admin = cases_of_an_upload(setup)
        due = due_dates(setup)
        subscribe(setup, admin, receiver.url)
    finally:
        close(setup)

    pending_day = due[FIRST_REPORT]
    app = receiving_app(str(tmp_path / "server.db"), tmp_path, today=pending_day)
    try:
        pending = client(app).get("/api/v1/webhooks/deadline-alerts", headers=admin)
        assert [(a["case_id"], a["threshold"], a["days_left"]) for a in pending.json()] == [
            ("C1", "due_soon", 0),
            ("C2", "due_soon", 0),
        ]
        with TestClient(app, base_url="https://testserver") as running:  # lifespan: the checker
            posts = receiver.wait_for(2)
            assert sorted(p.json()["data"]["case_id"] for p in posts) == ["C1", "C2"]
            again = running.post("/api/v1/webhooks/check-deadlines", headers=admin)
            assert again.status_code == 200
            assert again.json() == []
            assert running.get("/api/v1/webhooks/deadline-alerts", headers=admin).json() == []
        assert len(receiver.posts) == 2
    finally:
        close(app)


def test_deadline_routes_are_for_admins(tmp_path: Path) -> None:
    app = receiving_app(str(tmp_path / "server.db"), tmp_path)
    try:
        engine, _ = cases_of_an_upload(app)
        analyst = bearer(engine, "acme", Role.ANALYST)
        assert (
            client(app).get("/api/v1/webhooks/deadline-alerts", headers=analyst).status_code == 403
        )
        answer = client(app).post("/api/v1/webhooks/check-deadlines", headers=analyst)
        assert answer.status_code == 403
    finally:
        close(app)
