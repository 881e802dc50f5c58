"""The README's Python example runs and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_example_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    [block] = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    expected = [line.split("# ", 1)[1].strip() for line in block.splitlines()
                if line.startswith("print(") and "# " in line]
    output = io.StringIO()
    cwd = os.getcwd()
    try:
        os.chdir(ROOT)
        with contextlib.redirect_stdout(output):
            exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - our own docs
    finally:
        os.chdir(cwd)
    assert output.getvalue().splitlines() == expected


def test_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    [block] = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    commands = block.strip().splitlines()
    assert len(commands) == 2
    assert commands[1] == "python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert commands[1] in ci
