"""Shared test helpers: paths to the repository, fixtures and the shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():  # pragma: no cover - CI always has ../shared
        pytest.fail(f"shared data folder missing: {SHARED_DATA}")
    return SHARED_DATA
