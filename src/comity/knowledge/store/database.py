"""Connecting to the store: URL resolution, SQLite pragmas, transactions, migrations.

Several processes may use one store at once (``comity assess --save`` in parallel, a web
server and the CLI). On SQLite that works because of three settings made here: WAL
journaling (readers never wait for a writer), a busy timeout (a writer waits for another
instead of failing with "database is locked"), and write transactions that take the
write lock when they begin (``BEGIN IMMEDIATE``), so two writers never deadlock halfway
through. Python's sqlite3 module would otherwise run DDL outside any transaction; here
every transaction, migrations included, is a real one: all or nothing.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from comity.errors import ComityError
from comity.knowledge.store import DB_ENVIRONMENT_VARIABLE

__all__ = ["DB_ENVIRONMENT_VARIABLE", "DatabaseError", "connect", "default_url", "migrate",
           "write_transaction"]
MIGRATIONS = Path(__file__).parent / "migrations"
#: How long a SQLite writer waits for another before giving up (the busy timeout).
BUSY_TIMEOUT_SECONDS = 60
#: A write transaction that still finds the store locked is retried this many times.
WRITE_ATTEMPTS = 5
#: The tables of the first migration (to recognise a store an interrupted, older
#: version of Comity left half-created).
INITIAL_TABLES = ("entities", "assessments")
#: PostgreSQL advisory lock key that serialises concurrent migrations ("comity" in ASCII).
MIGRATION_LOCK = 0x636F6D697479
T = TypeVar("T")


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
        engine = create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif not parsed.drivername.startswith("postgresql"):
        raise DatabaseError(f"unsupported database {parsed.drivername!r}: use sqlite:/// or "
                            "postgresql://")
    return create_engine(parsed)


def _sqlite_pragmas(connection: Any, _: Any) -> None:
    # Transactions are begun explicitly in _sqlite_begin (the driver's own handling
    # leaves DDL outside them).
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    writes = connection.get_execution_options().get("comity_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: committed whole at the end, or rolled back whole.

    On SQLite it holds the write lock from its first statement, so it cannot fail
    halfway because another process wrote meanwhile.
    """
    with engine.execution_options(comity_write=True).begin() as connection:
        yield connection


def retry_when_locked(work: Callable[[], T], attempts: int = WRITE_ATTEMPTS) -> T:
    """Run ``work`` (a whole transaction) again if the store stayed locked beyond the
    busy timeout; any other error, or the last attempt's, is raised as is."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except OperationalError as error:
            if attempt == attempts or not _locked(error):
                raise
            time.sleep(0.05 * 2 ** attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _locked(error: OperationalError) -> bool:
    message = str(error.orig).lower()
    return "locked" in message or "busy" in message


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration (safe to run any number of times, and
    from several processes at once).

    The whole upgrade is one transaction: a process killed halfway leaves the store as
    it was. A store that an older Comity left half-created (tables but no version
    stamp, and no rows) is cleared and created again; one with rows is an error.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    def upgrade() -> None:
        with write_transaction(engine) as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                   {"key": MIGRATION_LOCK})
            _clear_unstamped_schema(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    retry_when_locked(upgrade)


def _clear_unstamped_schema(connection: Connection) -> None:
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" in tables and connection.execute(
            text("SELECT count(*) FROM alembic_version")).scalar():
        return
    found = [name for name in INITIAL_TABLES if name in tables]
    if not found:
        return
    rows = sum(int(connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar() or 0)
               for name in found)
    if rows:
        raise DatabaseError(
            f"the store has tables ({', '.join(found)}) but no schema version; it was not "
            "created by this version of Comity. Use another database URL, or move the "
            "file away and run 'comity db init'")
    if connection.dialect.name == "sqlite":
        for trigger in ("entities_ai", "entities_ad", "entities_au"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {trigger}"))
        connection.execute(text("DROP TABLE IF EXISTS entities_fts"))
    for name in found:
        connection.execute(text(f'DROP TABLE "{name}"'))
