"""Runs the ``console`` examples of the docs and compares (or rewrites) their output.

A ``console`` block holds ``$ comity ...`` lines, each followed by what it prints. The
commands run in order, in a fresh folder holding a copy of ``examples/`` (and of the
sample inventory rows of ``tests/data/intake`` as ``inventory/``), with
``COMITY_DB=sqlite:///kb.db``. Rewrite the outputs after a change with
``python -m tests.doc_examples``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from comity.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
CHECKED_DOCS = [ROOT / "docs" / "knowledge-base.md", ROOT / "docs" / "canada-aia.md",
                ROOT / "docs" / "intake.md",
                ROOT / "docs" / "cooperation.md"]
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
DIGEST = re.compile(r"(?<=\d{4}\.\d{2}\.\d{2})\+[0-9a-f]{12}")
SCORE = re.compile(r'(?<="score": )-?[0-9.e-]+')
ENVIRONMENT = {"COMITY_DB": "sqlite:///kb.db", "COLUMNS": "100", "NO_COLOR": "1"}


def examples_of(text: str) -> list[tuple[str, str]]:
    """Each ``$`` command of the document's console blocks, with its recorded output."""
    pairs: list[tuple[str, str]] = []
    for block in BLOCK.findall(text):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            pairs.append((command, output))
    return pairs


@contextmanager
def workspace() -> Iterator[Path]:
    """A scratch folder with the examples, the current directory while in use."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(ROOT / "examples", Path(folder) / "examples")
        # Sample inventory rows for docs/intake.md (the tests' own samples).
        shutil.copytree(ROOT / "tests" / "data" / "intake", Path(folder) / "inventory")
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(previous)


def run(command: str) -> str:
    """The output of one documented command, trailing spaces removed."""
    words = shlex.split(command)
    assert words[0] == "comity", command
    result = CliRunner().invoke(main, words[1:], env=ENVIRONMENT, catch_exceptions=False)
    # The rulebook's digest and search scores change with any content edit: shown as "…".
    output = SCORE.sub('"…"', DIGEST.sub("+…", result.output))
    return "".join(line.rstrip() + "\n" for line in output.splitlines())


def rewrite(path: Path) -> None:
    """Replace every recorded output in ``path`` with what the command prints now."""
    def fill(match: re.Match[str]) -> str:
        lines = [f"$ {command}\n{run(command)}"
                 for command, _ in examples_of(f"```console\n{match.group(1)}```")]
        return "```console\n" + "".join(lines) + "```"

    with workspace():
        path.write_text(BLOCK.sub(fill, path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    for document in CHECKED_DOCS:
        rewrite(document)
        print(f"rewrote {document.relative_to(ROOT)}")
