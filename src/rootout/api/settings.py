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


_PARSERS: Mapping[str, Callable[[str], Any]] = {
    "db": str,
    "host": str,
    "port": int,
    "max_upload_bytes": int,
    "upload_dir": Path,
    "session_hours": int,
    "login_max_failures": int,
    "login_window_seconds": int,
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
    if isinstance(parsed, int) and parsed <= 0 and name != "port":
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
