"""Shared test helpers: paths to the repository, fixtures and the shared data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SHARED_DATA = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():  # pragma: no cover - CI always has ../shared
        pytest.fail(f"shared data folder missing: {SHARED_DATA}")
    return SHARED_DATA


def _postgres_url() -> str | None:
    import os

    url = os.environ.get("ROOTOUT_TEST_PG_URL")
    if not url and os.environ.get("CI") == "true":
        pytest.fail("ROOTOUT_TEST_PG_URL is not set: .ci/run must start PostgreSQL")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """A fresh, empty database URL: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "rootout.db")
        return
    import uuid

    import sqlalchemy as sa

    url = _postgres_url()
    if url is None:
        pytest.skip('set ROOTOUT_TEST_PG_URL (eval "$(.ci/postgres.sh)") to run PostgreSQL tests')
    name = f"rootout_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    base = url.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[sa.Engine]:
    """A connected store on ``db_url`` (schema at head), disposed after the test."""
    from rootout.store.db import connect

    store = connect(db_url)
    yield store
    store.dispose()


@pytest.fixture(scope="session")
def _catalog_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("catalog-cache")


@pytest.fixture(autouse=True)
def _isolated_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _catalog_cache: Path
) -> None:
    """No test reads the developer's config or writes to their store or cache."""
    config = _catalog_cache / "rootout-test.toml"
    config.write_text("")
    monkeypatch.setenv("ROOTOUT_CONFIG", str(config))
    monkeypatch.setenv("ROOTOUT_DB", str(tmp_path / "rootout-default.db"))
    monkeypatch.setenv("ROOTOUT_CACHE_DIR", str(_catalog_cache))
    monkeypatch.setenv("ROOTOUT_CATALOG_HOME", str(tmp_path / "catalog-home"))
    monkeypatch.delenv("ROOTOUT_CATALOG", raising=False)
    monkeypatch.delenv("ROOTOUT_TENANT", raising=False)
