"""Post a scan to a rootout server: gzip JSON, a bearer token, proxies, retries.

The client retries what may succeed later: a connection that could not be made
or was cut, a timeout, 429, 500, 502, 503 and 504. It waits ``Retry-After`` when
the server says so, else an exponential backoff with full jitter. Any other error
answer is final: sending the same request again will not help. Retrying is safe
because the server stores a scan id once (a retry of a scan that did arrive is
answered 200 with the existing job).

Proxies: ``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY`` from the
environment are honoured (httpx ``trust_env``), as are ``SSL_CERT_FILE`` and
``SSL_CERT_DIR``; ``proxy=`` overrides them for every request.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from rootout import __version__
from rootout.errors import RootoutError

SCANS_PATH = "/api/v1/agent/scans"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class AgentError(RootoutError):
    """The server refused the scan, or could not be reached in the attempts allowed."""

    exit_code = 4
    hint = "check --server, the token (an agent token of your tenant) and any proxy settings"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 8
    """Requests in all, the first included."""
    base_seconds: float = 1.0
    max_seconds: float = 300.0
    max_retry_after: float = 3600.0
    """A server's ``Retry-After`` is honoured up to this long."""

    def backoff(self, retry: int, rand: Callable[[], float] = random.random) -> float:
        """Seconds before retry number ``retry`` (1-based): full jitter over base * 2^(retry-1)."""
        ceiling = min(self.max_seconds, self.base_seconds * 2.0 ** (retry - 1))
        return ceiling * rand()


@dataclass(frozen=True)
class Posted:
    """The server's answer to a scan that arrived."""

    status_code: int
    """202 when queued now, 200 when the server had it already."""
    job: dict[str, Any]
    attempts: int


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def make_client(
    server: str,
    token: str,
    *,
    proxy: str | None = None,
    timeout: float = 60.0,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An HTTP client for ``server`` that honours proxy and CA settings from the environment."""
    return httpx.Client(
        base_url=server.rstrip("/"),
        headers={
            "Authorization": f"Bearer {token}",
            "User-Agent": f"rootout-agent/{__version__}",
        },
        proxy=proxy,
        trust_env=True,
        timeout=timeout,
        transport=transport,
    )


def _message(response: httpx.Response) -> str:
    try:
        error = response.json()["error"]
        return f"{response.status_code} {error['code']}: {error['message']}"
    except (ValueError, KeyError, TypeError):
        return f"{response.status_code}: {response.text[:300]}"


def post_scan(
    client: httpx.Client,
    body: bytes,
    *,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = lambda _message: None,
) -> Posted:
    """POST a gzip-compressed payload, retrying as the module says; raise :class:`AgentError`."""
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    last = "no attempt made"
    for attempt in range(1, policy.attempts + 1):
        wait: float | None = None
        try:
            response = client.post(SCANS_PATH, content=body, headers=headers)
        except httpx.TransportError as exc:
            last = f"{exc.__class__.__name__}: {exc}"
        else:
            if response.status_code in (200, 201, 202):
                return Posted(response.status_code, response.json(), attempt)
            last = _message(response)
            if response.status_code not in RETRY_STATUSES:
                raise AgentError(f"the server refused the scan: {last}")
            wait = retry_after(response.headers.get("Retry-After"))
        if attempt == policy.attempts:
            break
        delay = policy.backoff(attempt) if wait is None else min(wait, policy.max_retry_after)
        log(f"attempt {attempt} failed ({last}); retrying in {delay:.1f} s")
        sleep(delay)
    raise AgentError(f"the scan was not delivered after {policy.attempts} attempts: {last}")
