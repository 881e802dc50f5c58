"""Connecting to the store: URL resolution, SQLite pragmas, migrations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from comity.errors import ComityError
from comity.knowledge.store import DB_ENVIRONMENT_VARIABLE

__all__ = ["DB_ENVIRONMENT_VARIABLE", "DatabaseError", "connect", "default_url", "migrate"]
MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(ComityError):
    """A database URL that cannot be used, or a store that is not initialised."""


def default_url() -> str:
    """``$COMITY_DB``, else a SQLite file in the user's data directory."""
    configured = os.environ.get(DB_ENVIRONMENT_VARIABLE)
    if configured:
        return configured
    folder = Path(user_data_dir("comity", appauthor=False))
    return f"sqlite:///{folder / 'comity.db'}"


def connect(url: str | None = None) -> Engine:
    """An engine for ``url``; SQLite gets WAL journaling and enforced foreign keys."""
    target = url or default_url()
    try:
        parsed = make_url(target)
    except ArgumentError:
        raise DatabaseError(f"not a database URL: {target!r} (e.g. sqlite:///kb.db or "
                            "postgresql://user@localhost/comity)") from None
    if parsed.drivername.startswith("sqlite"):
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif not parsed.drivername.startswith("postgresql"):
        raise DatabaseError(f"unsupported database {parsed.drivername!r}: use sqlite:/// or "
                            "postgresql://")
    return create_engine(parsed)


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration (safe to run any number of times)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
