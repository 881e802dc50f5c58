"""Store tests run on SQLite, and on PostgreSQL when COMITY_TEST_POSTGRES_URL is set.

CI sets it (``.ci/run`` installs and starts a local server); under CI=true a missing
server is an error, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES = os.environ.get("COMITY_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'kb.db'}"
        return
    if not POSTGRES:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must provide COMITY_TEST_POSTGRES_URL")
        pytest.skip("COMITY_TEST_POSTGRES_URL not set")
    admin_url = make_url(POSTGRES).set(drivername="postgresql+psycopg")
    name = f"comity_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
