"""Alembic environment: runs on the connection rootout hands it (see rootout.store.db)."""

from __future__ import annotations

from alembic import context

from rootout.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - rootout always passes its connection
    raise RuntimeError("run migrations through rootout.store.db.migrate(), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
