"""Fixtures for report tests: one deterministic store, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from rootout.report.data import ReportData
from tests.report import estate


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> estate.Store:
    return estate.build(tmp_path_factory.mktemp("estate"))


@pytest.fixture(scope="session")
def data(store: estate.Store) -> ReportData:
    return store.data()


@pytest.fixture(scope="session")
def empty(tmp_path_factory: pytest.TempPathFactory, store: estate.Store) -> estate.Store:
    """A store that was never scanned (same catalog)."""
    db = str(tmp_path_factory.mktemp("empty") / "rootout.db")
    return estate.Store(db, store.catalog, ())


@pytest.fixture
def fresh(tmp_path: Path) -> estate.Store:
    """A store of its own, for tests that change it."""
    return estate.build(tmp_path, cases=False)
