"""Agent payloads made by the real collector from a captured machine tree (tests/fixtures/hosts)."""

from __future__ import annotations

import datetime as dt
import uuid

from rootout.agent.payload import AgentScan, build_payload
from rootout.ingest.collect import CollectResult, collect_this_machine
from tests.conftest import FIXTURES

DEBIAN = FIXTURES / "hosts" / "debian12"
COLLECTED_AT = dt.datetime(2026, 11, 28, 9, 30, tzinfo=dt.UTC)


def debian_collection() -> CollectResult:
    """The Debian 12 fixture machine (dpkg database with `kesl` by AO Kaspersky Lab, ...)."""
    return collect_this_machine(root=DEBIAN, system="Linux")


def debian_payload(scan_id: uuid.UUID | None = None) -> AgentScan:
    return build_payload(debian_collection(), scan_id=scan_id or uuid.uuid4(), now=COLLECTED_AT)
