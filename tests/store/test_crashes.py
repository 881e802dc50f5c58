"""kill -9 during real ``comity`` processes: the store stays whole (issue 9).

Each command is first run to count its database points (every SQL statement, every
commit); it is then killed at chosen points on a copy of the starting store. After each
kill: ``PRAGMA integrity_check`` passes, no partial batch is visible (all of a run's rows
or none), and the same command then runs to the end.

CI kills at ``COMITY_CRASH_POINTS`` points per command (default 4, spread over the run,
always including the first and the last); ``COMITY_CRASH_POINTS=all`` kills at every
point (the long run: ``COMITY_CRASH_POINTS=all python -m pytest tests/store/test_crashes.py``).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from comity.knowledge.entities import EntityRecord, records_to_json
from tests.conftest import EXAMPLES

RUNNER = Path(__file__).with_name("crash_runner.py")
ROOT = Path(__file__).resolve().parents[2]
Counts = dict[str, int]


def run_comity(kill_at: int, database: Path, *args: str) -> tuple[int, int, str]:
    """(exit code, points reached, stderr) of one ``comity ARGS --db database`` run."""
    count_file = database.with_suffix(".points")
    count_file.unlink(missing_ok=True)
    process = subprocess.run(
        [sys.executable, str(RUNNER), str(kill_at), str(count_file), *args,
         "--db", f"sqlite:///{database}"],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    reached = int(count_file.read_text()) if count_file.exists() else -1
    return process.returncode, reached, process.stderr


def counts(database: Path) -> Counts:
    """Integrity-checked row counts by entity type, plus stored assessments."""
    if not database.exists():
        return {}
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"entities", "assessments"} <= tables:
            assert not tables & {"entities", "assessments"} or "alembic_version" not in tables
            return {}
        if "entities_fts" in tables:
            connection.execute("INSERT INTO entities_fts(entities_fts) VALUES ('integrity-check')")
        found: Counts = dict(connection.execute(
            "SELECT type, count(*) FROM entities GROUP BY type").fetchall())
        found["assessments"] = connection.execute("SELECT count(*) FROM assessments").fetchone()[0]
    return {kind: count for kind, count in found.items() if count}


def points_to_kill(total: int) -> list[int]:
    wanted = os.environ.get("COMITY_CRASH_POINTS", "4")
    if wanted == "all":
        return list(range(1, total + 1))
    many = max(2, int(wanted))
    return sorted({1 + round(i * (total - 1) / (many - 1)) for i in range(many)})


def crash_loop(start: Path | None, work: Path, args: tuple[str, ...],
               check: Callable[[Counts, Counts, Counts], None]) -> int:
    """Kill ``comity ARGS`` at each chosen point on a copy of ``start`` (None: no file).

    ``check(before, after_kill, complete)`` asserts what a kill may leave. Returns the
    number of kills.
    """
    def fresh() -> Path:
        database = work / "kb.db"
        for stale in work.glob("kb.db*"):
            stale.unlink()
        if start is not None:
            shutil.copy(start, database)
        return database

    database = fresh()
    before = counts(database)
    code, total, error = run_comity(0, database, *args)
    assert code == 0, error
    complete = counts(database)
    assert complete != before
    kills = 0
    for point in points_to_kill(total):
        database = fresh()
        code, _, error = run_comity(point, database, *args)
        assert code == -signal.SIGKILL, f"point {point}: exit {code} before the kill: {error}"
        kills += 1
        after_kill = counts(database)
        check(before, after_kill, complete)
        code, _, error = run_comity(0, database, *args)
        assert code == 0, f"after a kill at point {point}: {error}"
        assert counts(database) == complete, f"after a kill at point {point}"
    return kills


def all_or_nothing(before: Counts, after_kill: Counts, complete: Counts) -> None:
    assert after_kill in (before, complete)


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("initialised")
    database = folder / "kb.db"
    code, _, error = run_comity(0, database, "db", "init")
    assert code == 0, error
    with sqlite3.connect(database) as connection:  # one file, no WAL beside it
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return database


def test_kill_during_db_init_on_a_fresh_file(tmp_path: Path) -> None:
    assert crash_loop(None, tmp_path, ("db", "init"), all_or_nothing) >= 2


def test_kill_during_assess_save_of_a_folder(tmp_path: Path, initialised: Path) -> None:
    args = ("assess", str(EXAMPLES), "--save", "--as-of", "2026-11-22", "--format", "json")
    assert crash_loop(initialised, tmp_path, args, all_or_nothing) >= 2


def test_kill_during_db_import(tmp_path: Path, initialised: Path) -> None:
    export = tmp_path / "import.json"
    export.write_text(records_to_json([
        EntityRecord(type="standard", key=f"crash-{i}", title=f"Crash test standard {i}",
                     text="text " * 10) for i in range(1200)]), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    assert crash_loop(initialised, work, ("db", "import", str(export)), all_or_nothing) >= 2
