from __future__ import annotations

from pathlib import Path

import pytest

from rootout.config import load_settings
from rootout.errors import ConfigError


def test_config_file_and_environment_add_catalog_dirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text('[catalog]\ndirs = ["packs", "more"]\n')
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    monkeypatch.setenv("ROOTOUT_CATALOG", "/elsewhere/one")
    settings = load_settings()
    assert settings.config_file == config
    assert settings.catalog_dirs == (tmp_path / "packs", tmp_path / "more", Path("/elsewhere/one"))


def test_a_broken_config_file_is_a_config_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text("[catalog\n")
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    with pytest.raises(ConfigError, match=r"rootout\.toml"):
        load_settings()


def test_wrong_types_are_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "rootout.toml"
    config.write_text('[catalog]\ndirs = "packs"\n')
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    with pytest.raises(ConfigError, match=r"catalog\.dirs"):
        load_settings()
