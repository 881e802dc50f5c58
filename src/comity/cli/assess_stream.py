"""``comity assess --format json`` on many profiles: JSON Lines, written as results come."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from comity.cli.progress import progress_bar
from comity.engine.results import Assessment
from comity.engine.stream import assess_profiles, write_json_lines
from comity.output_files import atomic_path
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook


def stream_json_lines(profiles: list[Profile], rulebook: Rulebook, *, as_of: date | None,
                      jurisdictions: list[str] | None, role: str | None, with_trace: bool,
                      destination: Path | None) -> None:
    """Assess and write one line per profile; a file appears only once complete."""
    results = assess_profiles(profiles, rulebook, as_of=as_of, jurisdictions=jurisdictions,
                              role=role)
    with progress_bar("assessing", len(profiles), "profiles") as advance:
        counted = _counted(results, advance)
        if destination is None:
            write_json_lines(counted, sys.stdout, with_trace=with_trace)
            return
        with atomic_path(destination) as temporary, \
                temporary.open("w", encoding="utf-8") as stream:
            write_json_lines(counted, stream, with_trace=with_trace)


def _counted(assessments: Iterator[Assessment],
             advance: Callable[[int], None]) -> Iterator[Assessment]:
    for assessment in assessments:
        yield assessment
        advance(1)
