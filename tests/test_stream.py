"""Assessing many profiles streams: each result is handed on before the next is made."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date

import pytest

from comity import Profile, parse_profiles
from comity.engine.stream import assess_profiles, write_json_lines

AS_OF = date(2026, 11, 22)


def _profiles_then_failure(count: int) -> Iterator[Profile]:
    yield from parse_profiles([{"profile": 1, "id": f"p{i}", "name": "P", "markets": ["EU"]}
                               for i in range(count)])
    raise RuntimeError("the input broke after the first profiles")


def test_results_are_written_as_they_are_made() -> None:
    stream = io.StringIO()
    with pytest.raises(RuntimeError, match="input broke"):
        write_json_lines(assess_profiles(_profiles_then_failure(3), as_of=AS_OF,
                                         jurisdictions=["eu"]), stream, with_trace=False)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["p0", "p1", "p2"]
    assert [r["jurisdiction"] for r in lines[0]["results"]] == ["EU"]
    assert "trace" not in lines[0]["results"][0]
