"""The agent's HTTP client against real loopback servers: retries, backoff, proxies."""

from __future__ import annotations

import gzip
import socket

import pytest

from rootout.agent.client import (
    AgentError,
    Posted,
    RetryPolicy,
    make_client,
    post_scan,
    retry_after,
)
from rootout.agent.payload import AgentScan, encode
from tests.agent._payloads import debian_payload
from tests.agent._servers import Script, forward_proxy, scan_server

FAST = RetryPolicy(attempts=4, base_seconds=0.01, max_seconds=0.05)


@pytest.fixture
def body() -> bytes:
    return encode(debian_payload())


def _post(url: str, body: bytes, sleeps: list[float], policy: RetryPolicy = FAST) -> Posted:
    with make_client(url, "rto_secret", timeout=5) as client:
        return post_scan(client, body, policy=policy, sleep=sleeps.append)


def test_retries_on_5xx_then_succeeds_sending_the_same_scan(body: bytes) -> None:
    script = Script([(503, {}), (502, {}), (202, {})])
    sleeps: list[float] = []
    with scan_server(script) as url:
        posted = _post(url, body, sleeps)
    assert posted.status_code == 202
    assert posted.attempts == 3
    assert len(script.seen) == 3
    assert len(sleeps) == 2
    assert {s.body for s in script.seen} == {body}
    scan = AgentScan.model_validate_json(gzip.decompress(script.seen[0].body))
    assert scan.observations
    first = script.seen[0]
    assert first.path == "/api/v1/agent/scans"
    assert first.headers["Authorization"] == "Bearer rto_secret"
    assert first.headers["Content-Encoding"] == "gzip"


def test_retry_after_of_a_429_is_honoured(body: bytes) -> None:
    script = Script([(429, {"Retry-After": "7"}), (200, {})])
    sleeps: list[float] = []
    with scan_server(script) as url:
        posted = _post(url, body, sleeps)
    assert sleeps == [7.0]
    assert posted.status_code == 200


@pytest.mark.parametrize("status", [400, 401, 403, 409, 413, 422])
def test_other_4xx_are_final_and_name_the_server_error(body: bytes, status: int) -> None:
    script = Script([(status, {})])
    sleeps: list[float] = []
    with scan_server(script) as url, pytest.raises(AgentError, match="scripted failure"):
        _post(url, body, sleeps)
    assert len(script.seen) == 1
    assert sleeps == []


def test_an_unreachable_server_is_retried_with_growing_backoff_then_reported(body: bytes) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    policy = RetryPolicy(attempts=4, base_seconds=1.0, max_seconds=300)
    sleeps: list[float] = []
    with pytest.raises(AgentError, match="after 4 attempts: ConnectError"):
        _post(f"http://127.0.0.1:{port}", body, sleeps, policy)
    assert len(sleeps) == 3
    assert all(0 <= delay <= 2**n for n, delay in enumerate(sleeps))


def test_backoff_is_full_jitter_under_a_capped_exponential() -> None:
    policy = RetryPolicy(base_seconds=2.0, max_seconds=60.0)
    assert [policy.backoff(n, rand=lambda: 1.0) for n in (1, 2, 3, 6, 7)] == [
        2.0,
        4.0,
        8.0,
        60.0,
        60.0,
    ]
    assert policy.backoff(3, rand=lambda: 0.0) == 0.0


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("120") == 120.0
    assert retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412480.0) == 30.0
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_proxy_from_the_environment_is_used_and_no_proxy_bypasses_it(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = Script([(202, {})])
    proxied: list[str] = []
    with scan_server(script) as url, forward_proxy(proxied) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        _post(url, body, [])
        assert proxied == [f"{url}/api/v1/agent/scans"]
        assert len(script.seen) == 1  # forwarded to the server
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        _post(url, body, [])
        assert len(proxied) == 1
        assert len(script.seen) == 2


def test_an_explicit_proxy_overrides_the_environment(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = Script([(202, {})])
    proxied: list[str] = []
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("http_proxy", raising=False)
    with (
        scan_server(script) as url,
        forward_proxy(proxied) as proxy,
        make_client(url, "rto_secret", proxy=proxy) as client,
    ):
        post_scan(client, body, policy=FAST, sleep=lambda _s: None)
    assert proxied == [f"{url}/api/v1/agent/scans"]
    assert len(script.seen) == 1
