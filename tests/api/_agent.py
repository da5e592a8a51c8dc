"""Helpers for the agent-scan API tests: the route, an agent client of tenant ``acme``."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rootout.agent.payload import AgentScan, encode
from rootout.api import accounts
from rootout.api.roles import Role
from tests.api.conftest import bearer, client

PATH = "/api/v1/agent/scans"
GZIP = {"Content-Encoding": "gzip", "Content-Type": "application/json"}


@pytest.fixture
def agent(app: FastAPI, engine: Engine) -> TestClient:
    accounts.create_tenant(engine, "acme")
    caller = client(app)
    caller.headers.update(bearer(engine, "acme", Role.AGENT))
    return caller


def post(caller: TestClient, scan: AgentScan) -> httpx.Response:
    return caller.post(PATH, content=encode(scan), headers=GZIP)
