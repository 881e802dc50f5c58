"""Run the ``comity`` CLI and kill it with SIGKILL at a chosen database point.

Usage: ``python crash_runner.py KILL_AT COUNT_FILE ARGS...``. A *point* is the moment
after any SQL statement has run, or just before a transaction commits; the process kills
itself (``kill -9``, no clean-up of any kind) when it reaches point ``KILL_AT`` (0:
never). The number of points reached is written to ``COUNT_FILE`` when the command
ends normally, so a test can first count them and then kill at each. The hook is
installed from outside: Comity's own code has no crash switch.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def main() -> None:
    kill_at, count_file, args = int(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
    reached = 0

    def point(*_: Any, **__: Any) -> None:
        nonlocal reached
        reached += 1
        if reached == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "after_cursor_execute", point)
    event.listen(Engine, "commit", point)
    from comity.cli.app import main as comity

    try:
        comity(args, prog_name="comity")
    finally:
        count_file.write_text(str(reached), encoding="utf-8")


if __name__ == "__main__":
    main()
