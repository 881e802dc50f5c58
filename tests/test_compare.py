from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from comity import load_profiles, parse_profiles
from comity.analysis.compare import compare_portfolio, compare_profile, divergence_index
from comity.engine.results import JurisdictionResult
from tests.conftest import minimal_profile

TODAY = date(2026, 11, 22)


def _result(code: str, tier: str, duties: list[str]) -> JurisdictionResult:
    from comity.engine.results import Finding

    findings = [Finding(rule_id=f"{code}.{d}", kind="obligation", title=d, summary=d,
                        citation=d, citation_parts={}, addressees=("provider",), duty=d,
                        duty_relation="equal", applies_from=TODAY, applicable=True,
                        status="holds", facts={}) for d in duties]
    return JurisdictionResult(code, code, tier != "out_of_scope", tier, tier, [], [],
                              findings, [], [], [], [], [], [], "test", TODAY)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (("high", ["x", "y"]), ("high", ["x", "y"]), 0.0),
        (("high", ["x", "y"]), ("high", ["z"]), 0.5),
        (("high", ["x", "y"]), ("high", ["y", "z"]), 0.5 * (1 - 1 / 3)),
        (("unacceptable", ["x"]), ("out_of_scope", []), 1.0),
        (("minimal", []), ("minimal", []), 0.0),
        (("high", ["x"]), ("limited", ["x"]), 0.5 * 1 / 4),
    ],
)
def test_divergence_index(a: tuple[str, list[str]], b: tuple[str, list[str]],
                          expected: float) -> None:
    value = divergence_index(_result("A", *a), _result("B", *b))
    assert value == pytest.approx(expected)
    assert divergence_index(_result("B", *b), _result("A", *a)) == pytest.approx(expected)


def test_plan_deduplicates_by_duty_type(examples: Path) -> None:
    [profile] = load_profiles(examples / "cv-screener.yaml")
    comparison = compare_profile(profile, as_of=TODAY, jurisdictions=["EU"])
    steps = {step.duty: step for step in comparison.plan}
    logging = {p.rule_id for p in steps["logging"].provisions}
    assert {"eu.ai_act.art12", "eu.ai_act.art19", "eu.ai_act.art26.6"} <= logging
    assert sum(len(step.provisions) for step in comparison.plan) == sum(
        1 for row in comparison.matrix.values() for cells in row.values() for p in cells
        if p.open_point is None), "every settled cell in one plan step; open cells not planned"
    data = comparison.to_dict()
    assert data["format"] == "comity.comparison.v1"
    assert data["side_by_side"][0]["tier"] == "high"


def test_portfolio_averages_pairs() -> None:
    profiles = parse_profiles({"profiles": [
        minimal_profile(id="a", uses=["employment.recruitment"]),
        minimal_profile(id="b", uses=["chatbot"]),
    ]})
    portfolio = compare_portfolio(profiles, as_of=TODAY, jurisdictions=["EU"])
    assert [c.assessment.profile_id for c in portfolio.comparisons] == ["a", "b"]
    assert portfolio.divergence == {}


def test_cv_screener_side_by_side_across_markets(examples: Path) -> None:
    [profile] = load_profiles(examples / "cv-screener.yaml")
    comparison = compare_profile(profile, as_of=TODAY)
    tiers = {r.jurisdiction: r.tier for r in comparison.assessment.results}
    assert tiers == {"EU": "high", "US-CO": "high_risk", "US-NYC": "aedt"}
    assert "bias_audit" in comparison.matrix and "US-NYC" in comparison.matrix["bias_audit"]
    eu_nyc = comparison.divergence[("EU", "US-NYC")]
    assert 0 < eu_nyc < 0.5


def test_duties_only_a_state_owes_stay_out_of_the_matrix_and_plan() -> None:
    [profile] = load_profiles(Path(__file__).parents[1] / "examples" / "customer-chatbot.yaml")
    public = profile.model_copy(update={"deployer": profile.deployer.model_copy(
        update={"kind": "public_authority"})} if profile.deployer else {})
    comparison = compare_profile(public, as_of=date(2026, 11, 30), jurisdictions=["CN", "EU"])
    [china] = [r for r in comparison.assessment.results if r.jurisdiction == "CN"]
    state_only = [f.rule_id for f in china.addressed_to_states]
    assert "cn.csl.art20" in state_only, "a public deployer sees the State's AI article"
    assert not {f.rule_id for f in china.expectations} & set(state_only)
    in_matrix = {p.rule_id for row in comparison.matrix.values()
                 for cells in row.values() for p in cells}
    assert not set(state_only) & in_matrix
    assert all(p.rule_id not in state_only for step in comparison.plan
               for p in step.provisions)