"""Open the store: resolve its URL, create the engine, bring the schema up to date."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError

from rootout.errors import RootoutError

MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(RootoutError):
    """The database cannot be opened or migrated."""

    hint = "check --db / ROOTOUT_DB; a SQLite path or a postgresql+psycopg:// URL"


def default_url() -> str:
    folder = Path(platformdirs.user_data_dir("rootout"))
    return f"sqlite:///{folder / 'rootout.db'}"


def resolve_url(db: str | None) -> str:
    """``--db`` value, else ``ROOTOUT_DB``, else the user data folder. A bare path means SQLite."""
    value = db or os.environ.get("ROOTOUT_DB") or default_url()
    if "://" not in value:
        value = f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith("postgresql://"):
        value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
    return value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def connect(db: str | None = None) -> Engine:
    """An engine on an up-to-date schema."""
    url = resolve_url(db)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, future=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        migrate(engine)
    except SQLAlchemyError as exc:
        raise StoreError(
            f"cannot open the store at {engine_display(url)}: {exc.__class__.__name__}: {exc}"
        ) from exc
    return engine


def engine_display(url: str) -> str:
    """The URL without a password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def head_revision() -> str:
    """The newest migration's id, read from the migration files (without importing Alembic)."""
    ids = []
    for path in (MIGRATIONS / "versions").glob("*.py"):
        match = re.search(r'^revision = "([^"]+)"', path.read_text(encoding="utf-8"), re.MULTILINE)
        if match:
            ids.append(match.group(1))
    return max(ids)


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except SQLAlchemyError:
        return None
    return str(row[0]) if row else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op (and no Alembic import) when it is."""
    if current_revision(engine) == head_revision():
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
