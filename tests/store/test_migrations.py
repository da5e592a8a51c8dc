"""The Alembic migrations build exactly the schema the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from rootout.store.db import connect, head_revision
from rootout.store.schema import metadata


def test_migrations_match_the_declared_schema(db_url: str) -> None:
    engine = connect(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_migrating_twice_is_harmless(db_url: str) -> None:
    connect(db_url).dispose()
    engine = connect(db_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head_revision()
    engine.dispose()
