"""``rootout webhooks alerts``: the deadline alerts the server will send next."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from rootout.cli.main import app as cli
from tests.api.webhook_support import (
    FIRST_REPORT,
    cases_of_an_upload,
    close,
    due_dates,
    receiving_app,
)

runner = CliRunner()


def test_pending_alerts_as_of_a_date(tmp_path: Path) -> None:
    db = str(tmp_path / "server.db")
    app = receiving_app(db, tmp_path)
    try:
        cases_of_an_upload(app)
        due = due_dates(app)[FIRST_REPORT]
    finally:
        close(app)

    late = (due + dt.timedelta(days=1)).isoformat()
    args = ["webhooks", "alerts", "--tenant", "acme", "--db", db, "--on", late]
    result = runner.invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["case_id"], r["obligation_id"], r["threshold"]) for r in rows] == [
        ("C1", FIRST_REPORT, "overdue"),
        ("C2", FIRST_REPORT, "overdue"),
    ]
    assert rows[0]["days_left"] == -1

    text = runner.invoke(cli, args)
    assert text.exit_code == 0
    assert text.output.splitlines()[0].startswith(f"C1\toverdue\t{due} (1d overdue)")

    early = (due - dt.timedelta(days=30)).isoformat()
    quiet = runner.invoke(
        cli, ["webhooks", "alerts", "--tenant", "acme", "--db", db, "--on", early]
    )
    assert quiet.output.strip() == "no pending deadline alerts"

    bad = runner.invoke(cli, ["webhooks", "alerts", "--db", db, "--on", "someday"])
    assert bad.exit_code == 2
