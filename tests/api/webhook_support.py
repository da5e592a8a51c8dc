"""Webhook test support: a real receiver on 127.0.0.1 that records posts, a server that may
post to it, and cases with deadlines from an uploaded inventory."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from rootout.api.app import create_app
from rootout.api.roles import Role
from rootout.api.settings import ServerSettings
from rootout.cases import list_cases, open_cases
from tests.agent._servers import serving
from tests.api.conftest import PROGRAMS, TODAY, UPLOAD_LIMIT, bearer, client, make_tenant, upload


@dataclass(frozen=True)
class Post:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each post with the next scripted status (then 200) and keeps what it got."""

    url: str
    posts: list[Post] = field(default_factory=list)
    script: list[int] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Post]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.posts) >= count, timeout)
            return list(self.posts)


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 (a free port) that records every post."""
    box: list[Receiver] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            post = Post(
                self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(size)
            )
            got = box[0]
            with got.arrived:
                status = got.script.pop(0) if got.script else 200
                got.posts.append(post)
                got.arrived.notify_all()
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as url:
        box.append(Receiver(f"{url}/hook"))
        yield box[0]


def receiving_app(db: str, tmp_path: Path, today: dt.date = TODAY) -> FastAPI:
    """A server that may post to loopback (the receiver), retrying after 10 ms."""
    settings = ServerSettings(
        db=db,
        max_upload_bytes=UPLOAD_LIMIT,
        upload_dir=tmp_path,
        webhook_allow_private=True,
        webhook_backoff_ms=10,
        public_url="https://rootout.example",
    )
    return create_app(settings, today=today)


def close(application: FastAPI) -> None:
    application.state.notifier.close()
    application.state.rootout.engine.dispose()


FIRST_REPORT = "obl.far-52.204-23.initial-report-2023"
FOLLOW_UP = "obl.far-52.204-23.followup-report-2023"


def cases_of_an_upload(app: FastAPI, tenant: str = "acme") -> tuple[Engine, dict[str, str]]:
    engine: Engine = app.state.rootout.engine
    make_tenant(engine, tenant, ())
    admin = bearer(engine, tenant, Role.ADMIN)
    answer = upload(client(app), admin, "programs.json", PROGRAMS.read_bytes(), folder="ws-0042")
    assert answer.status_code == 201  # type: ignore[attr-defined]
    assert open_cases(engine, app.state.rootout.catalog(), tenant=tenant).created == ("C1", "C2")
    return engine, admin


def due_dates(app: FastAPI, tenant: str = "acme") -> dict[str, dt.date]:
    views = list_cases(app.state.rootout.engine, app.state.rootout.catalog(), tenant=tenant)
    dues = {d.obligation_id: d.due for v in views for d in v.deadlines}
    return {FIRST_REPORT: dues[FIRST_REPORT], FOLLOW_UP: dues[FOLLOW_UP]}
