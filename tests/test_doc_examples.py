"""The commands shown in the docs print what the docs say they print."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.doc_examples import CHECKED_DOCS, examples_of, run, workspace


@pytest.mark.parametrize("document", CHECKED_DOCS, ids=lambda p: p.name)
def test_documented_output_is_real(document: Path) -> None:
    examples = examples_of(document.read_text(encoding="utf-8"))
    assert examples, f"{document.name} shows no commands"
    with workspace():
        for command, recorded in examples:
            assert run(command) == recorded, f"{document.name}: $ {command}"
