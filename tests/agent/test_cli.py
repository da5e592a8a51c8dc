"""``rootout agent`` end to end: a real server (uvicorn on loopback), an agent token, a stored scan."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from rootout.agent import run
from rootout.api import accounts
from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from rootout.cli.main import app as cli
from rootout.store import schema
from tests.agent._payloads import debian_collection

runner = CliRunner()


@pytest.fixture(autouse=True)
def _fixture_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """The agent collects the Debian fixture tree instead of the machine running the tests."""
    monkeypatch.setattr(run, "collect_this_machine", debian_collection)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    application = create_app(ServerSettings(db=str(tmp_path / "server.db")))
    config = uvicorn.Config(application, host="127.0.0.1", port=0, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.01)
    port = running.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", application.state.rootout.engine
    running.should_exit = True
    thread.join()


def _stored(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.scans)).scalar_one())


def test_the_agent_posts_its_scan_and_the_server_stores_it(
    server: tuple[str, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, engine = server
    accounts.create_tenant(engine, "acme")
    token = accounts.create_token(engine, "acme", "fleet", Role.AGENT, actor="test").secret
    monkeypatch.setenv("ROOTOUT_AGENT_TOKEN", token)
    result = runner.invoke(cli, ["agent", "--server", url])
    assert result.exit_code == 0, result.output
    assert "queued" in result.output
    deadline = time.monotonic() + 30
    while _stored(engine) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _stored(engine) == 1


def test_a_wrong_token_is_reported_without_retrying(server: tuple[str, Engine]) -> None:
    url, _engine = server
    result = runner.invoke(cli, ["agent", "--server", url, "--token", "rto_wrong"])
    assert result.exit_code == 4
    assert "401" in result.output
    assert "attempt" not in result.output


def test_dry_run_writes_the_payload_without_a_server(tmp_path: Path) -> None:
    target = tmp_path / "scan.json"
    result = runner.invoke(cli, ["agent", "--dry-run", "-o", str(target)])
    assert result.exit_code == 0, result.output
    document = json.loads(target.read_text())
    assert document["version"] == 1
    assert any(o["fields"].get("package") == "kesl" for o in document["observations"])


def test_missing_server_or_token_is_a_usage_error(tmp_path: Path) -> None:
    assert runner.invoke(cli, ["agent", "--token", "t"]).exit_code == 2
    missing = runner.invoke(cli, ["agent", "--server", "http://127.0.0.1:9"])
    assert missing.exit_code == 2
    assert "token" in missing.output
