"""Several processes on one SQLite store at once (issue 9): no error, no row lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from comity.cli.app import main
from tests.conftest import minimal_profile

PROCESSES = 6
PROFILES_EACH = 3
ROOT = Path(__file__).resolve().parents[2]


def run_together(commands: list[list[str]]) -> list[tuple[int, str]]:
    """Start every command at once; their (exit code, stderr) once all have ended."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [subprocess.Popen([sys.executable, "-m", "comity", *command], cwd=ROOT,
                                  env=environment, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)
                 for command in commands]
    results = []
    for process in processes:
        _, error = process.communicate(timeout=600)
        results.append((process.returncode, error))
    return results


def rows(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return int(connection.execute(sql).fetchone()[0])


def test_six_processes_save_assessments_to_one_fresh_store(tmp_path: Path) -> None:
    database = tmp_path / "kb.db"
    commands = []
    for process in range(PROCESSES):
        folder = tmp_path / f"profiles-{process}"
        folder.mkdir()
        for index in range(PROFILES_EACH):
            profile = minimal_profile(id=f"system-{process}-{index}",
                                      name=f"System {process}.{index}")
            (folder / f"{index}.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
        commands.append(["assess", str(folder), "--save", "--format", "json", "--no-trace",
                         "--as-of", "2026-11-22", "--db", f"sqlite:///{database}"])
    results = run_together(commands)
    assert [error for code, error in results if code != 0] == []
    assert rows(database, "SELECT count(*) FROM assessments") == PROCESSES * PROFILES_EACH
    assert rows(database, "SELECT count(DISTINCT profile_id) FROM assessments") == \
        PROCESSES * PROFILES_EACH


def test_six_parallel_db_init_on_a_fresh_file(tmp_path: Path) -> None:
    database = tmp_path / "kb.db"
    results = run_together([["db", "init", "--db", f"sqlite:///{database}"]] * PROCESSES)
    assert [error for code, error in results if code != 0] == []
    single = tmp_path / "single.db"
    assert CliRunner().invoke(main, ["db", "init", "--db", f"sqlite:///{single}"]).exit_code == 0
    assert rows(database, "SELECT count(*) FROM entities") == \
        rows(single, "SELECT count(*) FROM entities")
    assert rows(database, "SELECT count(*) FROM alembic_version") == 1


@pytest.mark.parametrize("filled", [False, True])
def test_a_half_created_store_from_an_older_version(tmp_path: Path, filled: bool) -> None:
    """Tables without a version stamp (a kill mid-migration under Comity 0.1): recreated
    when empty; refused with a clear message when they hold rows."""
    database = tmp_path / "kb.db"
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE entities (id INTEGER PRIMARY KEY, type TEXT)")
        if filled:
            connection.execute("INSERT INTO entities (type) VALUES ('standard')")
    result = CliRunner().invoke(main, ["db", "init", "--db", f"sqlite:///{database}"])
    if filled:
        assert result.exit_code == 2 and "no schema version" in result.output
    else:
        assert result.exit_code == 0, result.output
        assert rows(database, "SELECT count(*) FROM entities") > 1000
