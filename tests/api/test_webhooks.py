"""Webhooks end to end: a real HTTP receiver on 127.0.0.1 captures what the server posts."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine

from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from rootout.api.webhook_delivery import DeliveryPolicy, Notifier
from rootout.api.webhook_payloads import SIGNATURE_HEADER, TIMESTAMP_HEADER, Event, Kind, verify
from rootout.api.webhooks import create_webhook
from tests.agent._payloads import debian_payload
from tests.api._agent import post as post_scan
from tests.api.conftest import PROGRAMS, TODAY, bearer, client, make_tenant, upload
from tests.api.webhook_support import Receiver, close, receiving_app, running_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as found:
        yield found


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    """Most tests here are about HTTP: SQLite. Those about the store use ``server``."""
    return str(tmp_path / "server.db")


@pytest.fixture
def app(store_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    application = receiving_app(store_url, tmp_path)
    yield application
    close(application)


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    """The same server on SQLite and on PostgreSQL."""
    application = receiving_app(db_url, tmp_path)
    yield application
    close(application)


def notifier(app: FastAPI) -> Notifier:
    found: Notifier = app.state.notifier
    return found


def acme_admin(engine: Engine) -> dict[str, str]:
    """Tenant acme (no users) and the headers of an admin token of it."""
    make_tenant(engine, "acme", ())
    return bearer(engine, "acme", Role.ADMIN)


def add_webhook(app: FastAPI, headers: dict[str, str], url: str, kind: str, *events: str) -> Any:
    answer = client(app).post(
        "/api/v1/webhooks",
        json={"url": url, "kind": kind, "events": list(events or ["finding.new"])},
        headers=headers,
    )
    assert answer.status_code == 201, answer.text
    return answer.json()


def deliveries(app: FastAPI, headers: dict[str, str], webhook_id: str) -> list[Any]:
    answer = client(app).get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_a_new_finding_upload_posts_one_slack_message(server: FastAPI, receiver: Receiver) -> None:
    app, engine = server, server.state.rootout.engine
    admin = acme_admin(engine)
    hook = add_webhook(app, admin, receiver.url, "slack", "finding.new")

    answer = upload(client(app), admin, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
    assert answer.status_code == 201, answer.text  # type: ignore[attr-defined]
    new = answer.json()["new"]  # type: ignore[attr-defined]
    assert new
    assert notifier(app).drain()

    (post,) = receiver.wait_for(1)
    message = post.json()
    assert set(message) == {"text", "blocks"}
    assert message["text"] == f"rootout: {len(new)} new findings in scan {answer.json()['scan_id']}"  # type: ignore[attr-defined]
    header, section, context = message["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": message["text"]}}
    assert section["type"] == "section"
    assert section["text"]["type"] == "mrkdwn"
    assert "Kaspersky" in section["text"]["text"]
    assert "ws-0042" in section["text"]["text"]
    assert f"<https://rootout.example/api/v1/findings/{sorted(new)[0]}|" in section["text"]["text"]
    assert context["type"] == "context"
    assert SIGNATURE_HEADER.lower() not in post.headers  # Slack verifies nothing

    (logged,) = deliveries(app, admin, hook["id"])
    assert (logged["event"], logged["status"], logged["status_code"], logged["attempts"]) == (
        "finding.new",
        "delivered",
        200,
        1,
    )


def test_the_same_upload_again_notifies_nothing(
    app: FastAPI, engine: Engine, receiver: Receiver
) -> None:
    admin = acme_admin(engine)
    add_webhook(app, admin, receiver.url, "json", "finding.new")
    for _ in range(2):
        upload(client(app), admin, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
        assert notifier(app).drain()
    assert len(receiver.posts) == 1


def test_generic_json_is_an_envelope_signed_with_the_secret(
    server: FastAPI, receiver: Receiver
) -> None:
    app, engine = server, server.state.rootout.engine
    admin = acme_admin(engine)
    hook = add_webhook(app, admin, receiver.url, "json", "finding.new")
    assert hook["secret"].startswith("whsec_")

    upload(client(app), admin, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
    assert notifier(app).drain()
    (post,) = receiver.wait_for(1)

    # what docs/server.md tells a receiver to do
    expected = hmac.new(hook["secret"].encode(), post.body, hashlib.sha256).hexdigest()
    assert post.headers[SIGNATURE_HEADER.lower()] == f"sha256={expected}"
    assert verify(hook["secret"], post.body, post.headers[SIGNATURE_HEADER.lower()])
    assert not verify("whsec_wrong", post.body, post.headers[SIGNATURE_HEADER.lower()])
    envelope = post.json()
    assert set(envelope) == {"event", "tenant", "sent_at", "data"}
    assert (envelope["event"], envelope["tenant"]) == ("finding.new", "acme")
    assert post.headers["x-rootout-event"] == "finding.new"
    sent_at = dt.datetime.fromisoformat(envelope["sent_at"])
    assert int(post.headers[TIMESTAMP_HEADER.lower()]) == int(sent_at.timestamp())
    data = envelope["data"]
    assert data["new_findings"] == len(data["findings"]) + data["omitted"]
    assert {f["entity"] for f in data["findings"]} >= {"kaspersky.ao-kaspersky-lab"}


def test_a_500_is_retried_until_it_succeeds(
    app: FastAPI, engine: Engine, receiver: Receiver
) -> None:
    admin = acme_admin(engine)
    hook = add_webhook(app, admin, receiver.url, "json", "finding.new")
    receiver.script.extend([500, 503])

    queued = client(app).post(f"/api/v1/webhooks/{hook['id']}/test", headers=admin)
    assert queued.status_code == 202
    assert notifier(app).drain()

    posts = receiver.wait_for(3)
    assert len(posts) == 3
    assert len({p.body for p in posts}) == 1  # the same signed body each time
    (logged,) = deliveries(app, admin, hook["id"])
    assert logged["id"] == queued.json()["delivery_id"]
    assert (logged["event"], logged["status"], logged["attempts"]) == (
        "webhook.test",
        "delivered",
        3,
    )

    metrics = TestClient(app, client=("127.0.0.1", 40000)).get("/metrics")  # loopback: no token
    delivered = [
        s.value
        for family in text_string_to_metric_families(metrics.text)
        for s in family.samples
        if s.name == "rootout_webhook_deliveries_total" and s.labels == {"outcome": "delivered"}
    ]
    assert delivered == [1.0]


def test_a_receiver_that_keeps_failing_is_logged_as_failed(
    app: FastAPI, engine: Engine, receiver: Receiver
) -> None:
    admin = acme_admin(engine)
    hook = add_webhook(app, admin, receiver.url, "slack", "finding.new")
    receiver.script.extend([500] * 10)
    client(app).post(f"/api/v1/webhooks/{hook['id']}/test", headers=admin)
    assert notifier(app).drain()
    (logged,) = deliveries(app, admin, hook["id"])
    assert (logged["status"], logged["status_code"], logged["attempts"]) == ("failed", 500, 4)
    assert logged["error"].startswith("HTTP 500")


def test_a_4xx_answer_is_not_retried(app: FastAPI, engine: Engine, receiver: Receiver) -> None:
    admin = acme_admin(engine)
    hook = add_webhook(app, admin, receiver.url, "slack", "finding.new")
    receiver.script.append(404)
    client(app).post(f"/api/v1/webhooks/{hook['id']}/test", headers=admin)
    assert notifier(app).drain()
    (logged,) = deliveries(app, admin, hook["id"])
    assert (logged["status"], logged["status_code"], logged["attempts"]) == ("failed", 404, 1)


def test_loopback_is_refused_unless_the_server_allows_it(
    engine: Engine, receiver: Receiver
) -> None:
    make_tenant(engine, "acme", ())
    strict = ServerSettings(db=str(engine.url.database), webhook_allow_private=False)
    strict_app = create_app(strict, today=TODAY)
    try:
        admin = bearer(strict_app.state.rootout.engine, "acme", Role.ADMIN)
        for url in (receiver.url, "http://169.254.169.254/latest/meta-data", "http://[::1]/x"):
            answer = client(strict_app).post(
                "/api/v1/webhooks",
                json={"url": url, "kind": "json", "events": ["finding.new"]},
                headers=admin,
            )
            assert answer.status_code == 422, url
            assert answer.json()["error"]["code"] == "webhook_refused"
        answer = client(strict_app).post(
            "/api/v1/webhooks",
            json={"url": "file:///etc/passwd", "kind": "json", "events": ["finding.new"]},
            headers=admin,
        )
        assert answer.status_code == 422
    finally:
        strict_app.state.rootout.engine.dispose()
    assert receiver.posts == []


def test_delivery_checks_the_address_again(db_url: str, receiver: Receiver) -> None:
    """A webhook stored while private addresses were allowed is refused once they are not."""
    application = create_app(ServerSettings(db=db_url, webhook_allow_private=True), today=TODAY)
    engine: Engine = application.state.rootout.engine
    try:
        make_tenant(engine, "acme", ())
        new = create_webhook(
            engine,
            "acme",
            receiver.url,
            Kind.JSON,
            [Event.FINDING_NEW],
            actor="t",
            allow_private=True,
        )
        strict = Notifier(engine, DeliveryPolicy(allow_private=False))
        strict.send_now("acme", new.webhook.id, Event.TEST, {"message": "hi"})
        assert strict.drain()
        admin = bearer(engine, "acme", Role.ADMIN)
        (logged,) = deliveries(application, admin, new.webhook.id)
        assert logged["status"] == "refused"
        assert "non-public address (127.0.0.1)" in logged["error"]
        assert receiver.posts == []
    finally:
        application.state.notifier.close()
        engine.dispose()


def test_webhooks_are_for_admins_of_the_tenant_only(
    app: FastAPI, engine: Engine, receiver: Receiver
) -> None:
    make_tenant(engine, "acme", ())
    make_tenant(engine, "globex", ())
    admin = bearer(engine, "acme", Role.ADMIN)
    hook = add_webhook(app, admin, receiver.url, "json", "finding.new", "deadline.at_risk")
    listed = client(app).get("/api/v1/webhooks", headers=admin).json()
    assert [h["id"] for h in listed] == [hook["id"]]
    assert "secret" not in listed[0]
    assert listed[0]["events"] == ["finding.new", "deadline.at_risk"]

    analyst = bearer(engine, "acme", Role.ANALYST)
    assert client(app).get("/api/v1/webhooks", headers=analyst).status_code == 403
    other = bearer(engine, "globex", Role.ADMIN)
    assert client(app).get("/api/v1/webhooks", headers=other).json() == []
    for method, path in (
        ("GET", f"/api/v1/webhooks/{hook['id']}"),
        ("GET", f"/api/v1/webhooks/{hook['id']}/deliveries"),
        ("POST", f"/api/v1/webhooks/{hook['id']}/test"),
        ("DELETE", f"/api/v1/webhooks/{hook['id']}"),
    ):
        assert client(app).request(method, path, headers=other).status_code == 404, path

    gone = client(app).delete(f"/api/v1/webhooks/{hook['id']}", headers=admin)
    assert gone.status_code == 200
    assert client(app).get("/api/v1/webhooks", headers=admin).json() == []
    assert notifier(app).drain()
    assert receiver.posts == []


def test_a_webhook_must_subscribe_to_a_real_event(
    app: FastAPI, engine: Engine, receiver: Receiver
) -> None:
    admin = acme_admin(engine)
    for events in ([], ["webhook.test"], ["scan.new"]):
        answer = client(app).post(
            "/api/v1/webhooks",
            json={"url": receiver.url, "kind": "json", "events": events},
            headers=admin,
        )
        assert answer.status_code == 422, events


def test_a_failing_webhook_does_not_hold_up_an_upload(
    app: FastAPI, engine: Engine, receiver: Receiver
) -> None:
    """The receiver fails every post; the upload still answers 201 and stores the scan."""
    admin = acme_admin(engine)
    add_webhook(app, admin, receiver.url, "json", "finding.new")
    add_webhook(app, admin, "http://127.0.0.1:9/nothing-listens", "json", "finding.new")
    receiver.script.extend([500] * 10)
    answer = upload(client(app), admin, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
    assert answer.status_code == 201  # type: ignore[attr-defined]
    assert notifier(app).drain()
    hooks = client(app).get("/api/v1/webhooks", headers=admin).json()
    outcomes = [deliveries(app, admin, h["id"])[0] for h in hooks]
    assert [(d["status"], d["attempts"]) for d in outcomes] == [("failed", 4), ("failed", 4)]
    assert outcomes[1]["status_code"] is None
    assert "ConnectError" in outcomes[1]["error"]


def test_an_agent_scan_stored_by_the_ingest_worker_notifies_too(
    app: FastAPI, engine: Engine, receiver: Receiver
) -> None:
    admin = acme_admin(engine)
    add_webhook(app, admin, receiver.url, "json", "finding.new")
    agent = client(app)
    agent.headers.update(bearer(engine, "acme", Role.AGENT))
    posted = post_scan(agent, debian_payload())
    assert posted.status_code == 202, posted.text
    assert app.state.ingest.run_pending() == 1
    assert notifier(app).drain()
    (post,) = receiver.wait_for(1)
    data = post.json()["data"]
    stored = agent.get(f"/api/v1/agent/scans/{posted.json()['scan_id']}").json()
    assert data["scan_id"] == stored["stored_scan_id"]
    assert data["new_findings"] >= 1
    assert any("kaspersky" in f["entity"] for f in data["findings"])


def test_a_post_cut_short_by_shutdown_is_resumed_at_the_next_start(
    server: FastAPI, receiver: Receiver
) -> None:
    engine: Engine = server.state.rootout.engine
    make_tenant(engine, "acme", ())
    hook = create_webhook(
        engine, "acme", receiver.url, Kind.JSON, [Event.FINDING_NEW], actor="t", allow_private=True
    )
    receiver.script.append(500)
    slow = Notifier(engine, DeliveryPolicy(allow_private=True, backoff=600.0))
    delivery = slow.send_now("acme", hook.webhook.id, Event.TEST, {"message": "hi"})
    receiver.wait_for(1)
    slow.close()  # the retry would wait ten minutes: it is left pending instead
    assert slow.drain(timeout=10)
    admin = bearer(engine, "acme", Role.ADMIN)
    (logged,) = deliveries(server, admin, hook.webhook.id)
    assert (logged["id"], logged["status"], logged["attempts"]) == (delivery, "pending", 1)

    restarted = Notifier(engine, DeliveryPolicy(allow_private=True, backoff=0.01))
    assert restarted.resume() == 1
    assert restarted.drain()
    (logged,) = deliveries(server, admin, hook.webhook.id)
    assert (logged["status"], logged["attempts"]) == ("delivered", 2)
    first, second = receiver.wait_for(2)
    assert first.body == second.body
    assert first.headers["x-rootout-delivery"] == second.headers["x-rootout-delivery"]
    restarted.close()
