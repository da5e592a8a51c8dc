"""One agent run as a library call: collect this machine, build the payload, send or save it."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rootout.agent.client import Posted, RetryPolicy, make_client, post_scan
from rootout.agent.payload import AgentScan, build_payload, encode
from rootout.ingest.collect import collect_this_machine


@dataclass(frozen=True)
class Target:
    """Where and how an agent sends its scans."""

    server: str
    token: str
    proxy: str | None = None
    timeout: float = 60.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)


def collect_payload() -> AgentScan:
    """This machine's observations as a new payload (a fresh scan id)."""
    return build_payload(collect_this_machine())


def send(scan: AgentScan, target: Target, log: Callable[[str], None]) -> Posted:
    """Post ``scan`` (gzip JSON) with retries; the same scan id on every attempt."""
    with make_client(
        target.server, target.token, proxy=target.proxy, timeout=target.timeout
    ) as client:
        return post_scan(client, encode(scan), policy=target.policy, log=log)


def write_payload(scan: AgentScan, path: Path) -> int:
    """Save the payload: gzip when ``path`` ends in ``.gz``, else JSON. Returns bytes written."""
    data = scan.model_dump_json(indent=1).encode()
    if path.suffix == ".gz":
        data = gzip.compress(data)
    path.write_bytes(data)
    return len(data)
