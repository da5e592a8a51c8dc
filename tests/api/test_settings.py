"""Server settings: the [server] table of the config file, then ROOTOUT_SERVER_* variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from rootout.api.settings import ServerSettings, load_server_settings
from rootout.errors import ConfigError


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ServerSettings.__dataclass_fields__:
        monkeypatch.delenv(f"ROOTOUT_SERVER_{name.upper()}", raising=False)
    assert load_server_settings() == ServerSettings()


def test_file_then_environment_then_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text('[server]\nport = 9000\nmax_upload_bytes = 1000\nhost = "0.0.0.0"\n')
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    monkeypatch.setenv("ROOTOUT_SERVER_MAX_UPLOAD_BYTES", "2000")
    settings = load_server_settings(port=9100)
    assert (settings.host, settings.port, settings.max_upload_bytes) == ("0.0.0.0", 9100, 2000)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[server]\nport = 'eighty'\n", "server.port must be a int"),
        ("[server]\nsession_hours = 0\n", "must be positive"),
        ("[server]\nlisten = 1\n", "unknown server setting 'listen'"),
        ("server = 3\n", r"\[server\] must be a table"),
    ],
)
def test_bad_settings_are_config_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text(text)
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    with pytest.raises(ConfigError, match=message):
        load_server_settings()


def test_every_setting_is_documented() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "server.md").read_text(encoding="utf-8")
    for name in ServerSettings.__dataclass_fields__:
        assert f"`{name}`" in docs, name
        assert f"`ROOTOUT_SERVER_{name.upper()}`" in docs, name
