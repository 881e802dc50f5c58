"""The bundled examples give the expected result in every regime of the rulebook.

Expectations are data (``tests/data/example-results.yaml``), each with the provision
that justifies it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from comity import assess_profile, load_profiles
from comity.engine.results import JurisdictionResult
from comity.rulebook.loader import default_rulebook
from comity.yaml12 import load_yaml

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = load_yaml((ROOT / "tests" / "data" / "example-results.yaml").read_text("utf-8"))
RULEBOOK = default_rulebook()
CASES = [(example, code) for example in EXPECTED["examples"] for code in RULEBOOK.jurisdictions]


def _result(example: str, code: str) -> JurisdictionResult:
    [profile] = load_profiles(ROOT / "examples" / f"{example}.yaml")
    return assess_profile(profile, as_of=EXPECTED["as_of"], jurisdictions=[code]).result(code)


def _ids(findings: Any) -> set[str]:
    return {finding.rule_id for finding in findings}


@pytest.mark.parametrize(("example", "code"), CASES, ids=[f"{e}-{c}" for e, c in CASES])
def test_example_result(example: str, code: str) -> None:
    expected = EXPECTED["examples"][example].get(code, EXPECTED["others"])
    result = _result(example, code)
    assert result.in_scope is expected["in_scope"]
    if "tier" in expected:
        assert result.tier == expected["tier"]
    if "labels" in expected:
        assert set(expected["labels"]) <= set(result.labels)
    if "prohibitions" in expected:
        assert _ids(result.prohibitions) == set(expected["prohibitions"])
    found = _ids(result.obligations) | _ids(result.prohibitions) | _ids(result.expectations)
    assert set(expected.get("includes", [])) <= found
    assert not set(expected.get("excludes", [])) & found
    assert set(expected.get("undetermined", [])) <= _ids(result.undetermined)
    if "obligations" in expected.get("excludes_kinds", []):
        assert not result.obligations


@pytest.mark.parametrize("example", EXPECTED["examples"])
def test_every_market_of_an_example_has_an_explicit_expectation(example: str) -> None:
    [profile] = load_profiles(ROOT / "examples" / f"{example}.yaml")
    listed = set(EXPECTED["examples"][example])
    assert {m for m in profile.markets if m in RULEBOOK.jurisdictions} <= listed
