"""Many profiles assessed one after the other, each result handed on as soon as it is made.

Memory stays flat in the number of profiles: nothing keeps a result once the caller
has written it. For portfolios of thousands or millions of profiles without traces, see
:mod:`comity.batch` (columnar, resumable).

>>> from datetime import date
>>> from comity import parse_profiles
>>> profiles = parse_profiles([{"profile": 1, "id": f"p{i}", "name": "P"} for i in range(3)])
>>> [a.profile_id for a in assess_profiles(profiles, as_of=date(2026, 12, 1),
...                                       jurisdictions=["EU"])]
['p0', 'p1', 'p2']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TextIO

from comity.engine.assess import assess_profile, resolve_codes
from comity.engine.results import Assessment
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook, default_rulebook


def assess_profiles(profiles: Iterable[Profile], rulebook: Rulebook | None = None, *,
                    as_of: date | None = None, jurisdictions: Iterable[str] | None = None,
                    role: str | None = None) -> Iterator[Assessment]:
    """Assess each profile in turn (a generator), as :func:`assess_profile` does one."""
    book = rulebook or default_rulebook()
    day = as_of or date.today()  # one date for the whole run, even across midnight
    codes = resolve_codes(jurisdictions, book) if jurisdictions is not None else None
    for profile in profiles:
        yield assess_profile(profile, book, as_of=day, jurisdictions=codes, role=role)


def write_json_lines(assessments: Iterable[Assessment], stream: TextIO, *,
                     with_trace: bool = True) -> int:
    """One assessment per line (JSON Lines), written as it comes; returns the count."""
    count = 0
    for assessment in assessments:
        stream.write(json.dumps(assessment.to_dict(with_trace=with_trace),
                                ensure_ascii=False) + "\n")
        count += 1
    return count
