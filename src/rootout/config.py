"""Settings from a TOML file and the environment.

Precedence, highest first: command-line options, environment variables
(``ROOTOUT_*``), the config file, built-in defaults. The config file is the one
named by ``ROOTOUT_CONFIG``, else ``./rootout.toml``, else ``rootout/config.toml``
in the user's config folder. Every setting is documented in ``docs/configuration.md``.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from rootout.errors import ConfigError


@dataclass(frozen=True)
class Settings:
    catalog_dirs: tuple[Path, ...] = field(default=())
    """Extra catalog pack folders or files, loaded after the built-in packs."""
    config_file: Path | None = None
    """The config file that was read, if any."""
    name_threshold: float = 90.0
    """Fuzzy organisation-name match: lowest mean score of the distinctive tokens (0-100)."""
    token_threshold: float = 85.0
    """Fuzzy organisation-name match: lowest score for one distinctive token pair (0-100)."""


def config_path() -> Path | None:
    named = os.environ.get("ROOTOUT_CONFIG")
    if named:
        return Path(named)
    for candidate in (
        Path("rootout.toml"),
        Path(platformdirs.user_config_dir("rootout")) / "config.toml",
    ):
        if candidate.is_file():
            return candidate
    return None


def load_settings() -> Settings:
    path = config_path()
    data: dict[str, object] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config file: {exc}") from exc
    catalog = data.get("catalog", {})
    if not isinstance(catalog, dict):
        raise ConfigError(f"{path}: [catalog] must be a table")
    dirs_raw = catalog.get("dirs", [])
    if not isinstance(dirs_raw, list) or not all(isinstance(d, str) for d in dirs_raw):
        raise ConfigError(f"{path}: catalog.dirs must be a list of paths")
    base = path.parent if path else Path.cwd()
    dirs = [base / d for d in dirs_raw]
    env = os.environ.get("ROOTOUT_CATALOG")
    if env:
        dirs.extend(Path(p) for p in env.split(os.pathsep) if p)
    matching = data.get("matching", {})
    if not isinstance(matching, dict):
        raise ConfigError(f"{path}: [matching] must be a table")
    thresholds = {}
    for key in ("name_threshold", "token_threshold"):
        env = os.environ.get(f"ROOTOUT_{key.upper()}")
        value = env if env is not None else matching.get(key)
        if value is None:
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(
                f"matching.{key} must be a number from 0 to 100, got {value!r}"
            ) from None
        if not 0 <= number <= 100:
            raise ConfigError(f"matching.{key} must be a number from 0 to 100, got {value!r}")
        thresholds[key] = number
    return Settings(catalog_dirs=tuple(dirs), config_file=path, **thresholds)
