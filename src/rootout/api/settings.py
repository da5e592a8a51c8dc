"""Server settings: the ``[server]`` table of the config file and ``ROOTOUT_SERVER_*`` variables.

Precedence, highest first: ``rootout serve`` options, environment variables, the
config file, the defaults below. Every setting is documented in ``docs/server.md``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from rootout.config import config_path
from rootout.errors import ConfigError

MIB = 1024 * 1024


@dataclass(frozen=True)
class ServerSettings:
    db: str | None = None
    """Store URL or SQLite path; ``None`` means ``ROOTOUT_DB`` or the user data folder."""
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_bytes: int = 100 * MIB
    """Largest inventory file ``POST /api/v1/scans`` accepts; larger uploads get 413."""
    upload_dir: Path | None = None
    """Where uploads are spooled while they are read; default the system temporary folder."""
    session_hours: int = 12
    """How long a login session lasts."""
    login_max_failures: int = 5
    """Failed logins for one user name from one address before logins are refused (429)."""
    login_window_seconds: int = 900
    """The window the failures are counted in, and how long the refusal lasts."""
    public_url: str | None = None
    """The server's address as users reach it (``https://rootout.example``), for links in webhooks."""
    webhook_allow_private: bool = False
    """Let webhooks post to loopback, private and link-local addresses (tests, internal chat)."""
    webhook_timeout_seconds: int = 10
    """How long one webhook post may take."""
    webhook_attempts: int = 4
    """Posts per delivery before it is logged as failed (retries back off exponentially)."""
    webhook_backoff_ms: int = 1000
    """The wait before the first retry; each later retry waits twice as long."""
    deadline_check_minutes: int = 60
    """How often the server looks for case deadlines at risk (``deadline.at_risk`` webhooks)."""
    metrics_token: str | None = None
    """Bearer token for ``GET /metrics``; without one, only loopback clients may scrape."""
    metrics_tenant_labels: bool = False
    """Label the findings gauge with tenant ids (off: tenants stay out of the metrics)."""
    ingest_lease_seconds: int = 300
    """How long an agent scan being processed is reserved; a dead server's job is taken after it."""


def boolean(text: str) -> bool:
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``), as TOML or an environment variable."""
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueError(text)


_PARSERS: Mapping[str, Callable[[str], Any]] = {
    "db": str,
    "host": str,
    "port": int,
    "ingest_lease_seconds": int,
    "max_upload_bytes": int,
    "upload_dir": Path,
    "session_hours": int,
    "login_max_failures": int,
    "login_window_seconds": int,
    "public_url": str,
    "webhook_allow_private": boolean,
    "webhook_timeout_seconds": int,
    "webhook_attempts": int,
    "webhook_backoff_ms": int,
    "deadline_check_minutes": int,
    "metrics_token": str,
    "metrics_tenant_labels": boolean,
}


def _file_table() -> tuple[Path | None, dict[str, Any]]:
    path = config_path()
    if path is None:
        return None, {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from exc
    table = data.get("server", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [server] must be a table")
    return path, table


def _parse(name: str, value: object, origin: str) -> Any:
    parser = _PARSERS.get(name)
    if parser is None:
        raise ConfigError(f"{origin}: unknown server setting {name!r}")
    try:
        parsed = parser(str(value))
    except ValueError:
        raise ConfigError(f"{origin}: server.{name} must be a {parser.__name__}") from None
    if type(parsed) is int and parsed <= 0 and name != "port":
        raise ConfigError(f"{origin}: server.{name} must be positive, got {value!r}")
    return parsed


def load_server_settings(**overrides: Any) -> ServerSettings:
    """Settings from the config file, then the environment, then ``overrides`` (not None)."""
    path, table = _file_table()
    values: dict[str, Any] = {}
    for name, value in table.items():
        values[name] = _parse(name, value, str(path))
    for item in fields(ServerSettings):
        env = os.environ.get(f"ROOTOUT_SERVER_{item.name.upper()}")
        if env is not None:
            values[item.name] = _parse(item.name, env, f"ROOTOUT_SERVER_{item.name.upper()}")
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(ServerSettings(), **values)
