"""docs/server.md documents every option of `rootout agent`."""

from __future__ import annotations

import re

import typer

from rootout.cli.main import app
from tests.conftest import REPO


def test_every_agent_option_is_documented() -> None:
    command = typer.main.get_command(app).commands["agent"]  # type: ignore[attr-defined]
    options = [name for param in command.params for name in param.opts if name.startswith("--")]
    assert "--every" in options
    docs = (REPO / "docs" / "server.md").read_text(encoding="utf-8")
    missing = [o for o in options if not re.search(rf"`{re.escape(o)}[ `]", docs)]
    assert missing == []
