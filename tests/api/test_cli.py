"""`rootout admin ...` and `rootout serve`: thin commands over rootout.api."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rootout.api import accounts
from rootout.api.roles import Role
from rootout.cli.main import app
from rootout.store.db import connect

runner = CliRunner()


def test_admin_creates_a_tenant_a_user_and_a_token(tmp_path: Path) -> None:
    db = str(tmp_path / "server.db")
    assert runner.invoke(app, ["admin", "tenant", "acme", "--db", db]).exit_code == 0
    made = runner.invoke(
        app,
        ["admin", "user", "acme", "alice", "--role", "analyst", "--db", db],
        input="correct horse battery\ncorrect horse battery\n",
    )
    assert made.exit_code == 0, made.output
    assert "user alice (analyst) in tenant acme" in made.output
    engine = connect(db)
    user = accounts.check_password(engine, "alice", "correct horse battery")
    assert user is not None
    assert (user.tenant, user.role) == ("acme", Role.ANALYST)
    token = runner.invoke(app, ["admin", "token", "acme", "agent on ws-1", "--db", db])
    assert token.exit_code == 0, token.output
    secret = token.output.strip().splitlines()[-1]
    found = accounts.principal_for_token(engine, secret)
    assert found is not None
    assert (found.tenant, found.role) == ("acme", Role.AGENT)
    token_id = token.output.split()[1]
    assert runner.invoke(app, ["admin", "revoke", "acme", token_id, "--db", db]).exit_code == 0
    assert accounts.principal_for_token(engine, secret) is None
    engine.dispose()


def test_admin_errors_are_messages_and_exit_codes(tmp_path: Path) -> None:
    db = str(tmp_path / "server.db")
    bad = runner.invoke(app, ["admin", "tenant", "Not A Tenant", "--db", db])
    assert bad.exit_code == 2
    assert "lower-case" in bad.output
    missing = runner.invoke(app, ["admin", "token", "nobody", "t", "--db", db])
    assert missing.exit_code == 3
    assert "no tenant 'nobody'" in missing.output


def test_serve_runs_uvicorn_on_the_configured_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    db = str(tmp_path / "served.db")
    result = runner.invoke(app, ["serve", "--port", "8123", "--db", db])
    assert result.exit_code == 0, result.output
    assert (calls[0]["host"], calls[0]["port"]) == ("127.0.0.1", 8123)
    assert calls[0]["app"].state.rootout.db_url == f"sqlite:///{Path(db).resolve()}"
    assert Path(db).is_file()  # migrated on start
