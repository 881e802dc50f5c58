"""Fuzz: mutated profiles get a clean InputError or a result that is valid JSON (issue 9).

Never another exception. CI runs a bounded number of examples; a longer run is one
command: ``COMITY_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz_profiles.py``.
The same mutations, as a fixed campaign through the CLI: ``scripts/fuzz_campaign.py``.
"""

from __future__ import annotations

import json
import math
import os
import random
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity.engine.assess import assess_profile
from comity.errors import InputError
from comity.profile.files import load_profiles
from comity.render.markdown import assessments_markdown
from tests.hostile_profiles import MUTATIONS, Case, seeds

EXAMPLES = int(os.environ.get("COMITY_FUZZ_EXAMPLES", "200"))
SEEDS = seeds()
AS_OF = date(2026, 11, 22)
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def outcome(content: bytes, suffix: str) -> str:
    """'rejected' or 'accepted'; any other exception fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"profile{suffix}"
        path.write_bytes(content)
        try:
            profiles = load_profiles(path)
        except InputError as error:
            assert error.problems and str(path) in str(error)
            return "rejected"
    for profile in profiles:
        try:
            assessment = assess_profile(profile, as_of=AS_OF)
        except InputError:
            return "rejected"
        json.dumps(assessment.to_dict(with_trace=True), allow_nan=False)
        assessments_markdown([assessment])
    return "accepted"


@FUZZ
@given(seed=st.sampled_from(SEEDS), mutation=st.sampled_from(MUTATIONS),
       rnd=st.randoms(use_true_random=False))
def test_mutated_profile_files(seed: dict[str, Any], mutation: Any, rnd: random.Random) -> None:
    case: Case = mutation(seed, rnd)
    result = outcome(case.content, case.suffix)
    if case.must_reject:
        assert result == "rejected", case.name


def _json_like() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(), st.integers(-(2**70), 2**70),
        st.floats(),  # NaN and infinities included
        st.text(), st.sampled_from(["2026-02-30", "2026-13-01", "EU", "high", "1e400"]),
    )
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
        max_leaves=12)


def _locations(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _locations(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _locations(value, (*prefix, index))
    return found


@FUZZ
@given(data=st.data(), seed=st.sampled_from(SEEDS), value=_json_like(),
       as_json=st.booleans(), new_key=st.one_of(st.none(), st.text(min_size=1, max_size=12)))
def test_profiles_with_a_field_replaced(data: st.DataObject, seed: dict[str, Any], value: Any,
                                       as_json: bool, new_key: str | None) -> None:
    """Any field, or a new key, given any JSON-like value (non-finite floats included)."""
    profile = json.loads(json.dumps(seed))
    location = data.draw(st.sampled_from(_locations(profile)))
    target: Any = profile
    for part in location[:-1]:
        target = target[part]
    if new_key is not None and isinstance(target, dict):
        target[new_key] = value
    else:
        target[location[-1]] = value
    if as_json:
        text = json.dumps(profile)  # NaN and Infinity as Python writes them
        result = outcome(text.encode(), ".json")
    else:
        text = yaml.safe_dump(profile, allow_unicode=True)
        result = outcome(text.encode("utf-8", "surrogatepass"), ".yaml")
    if _has_non_finite(value):
        assert result == "rejected"


def _has_non_finite(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, dict):
        return any(_has_non_finite(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_non_finite(item) for item in value)
    return False
