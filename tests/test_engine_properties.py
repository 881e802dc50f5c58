"""Invariants of the engine over generated profiles."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from comity import assess_profile, parse_profiles
from comity.profile.vocabulary import vocabulary

TODAY = date(2026, 11, 22)
TIER_ORDER = ["out_of_scope", "minimal", "limited", "high", "unacceptable"]
PROHIBITED_USES = ["manipulation.subliminal", "manipulation.exploit_vulnerability",
                   "social_scoring", "policing.predict_offending_profiling",
                   "biometric.face_scraping", "biometric.categorisation_sensitive",
                   "content.csam", "content.intimate_imagery"]
FLAGS = ["profiling", "narrow_procedural_task", "improves_prior_human_activity",
         "detects_patterns_only", "preparatory_task", "medical_or_safety_purpose",
         "public_service", "intimate_imagery_foreseeable"]

words = vocabulary()
profiles = st.fixed_dictionaries(
    {
        "profile": st.just(1),
        "id": st.just("generated"),
        "name": st.just("Generated system"),
        "markets": st.lists(st.sampled_from(["EU", "US", "CN", "US-CO"]), unique=True,
                            min_size=1),
        "system": st.fixed_dictionaries({
            "machine_based": st.just(True),
            "infers_outputs": st.just(True),
            "autonomy": st.sampled_from(["partial", "full"]),
            "interacts_with_people": st.booleans(),
            "synthetic_media": st.booleans(),
            "deepfake": st.booleans(),
        }),
        "deployer": st.fixed_dictionaries({
            "country": st.sampled_from(["DE", "US", "FR"]),
            "kind": st.sampled_from(list(words.deployer_kinds)),
        }),
        "uses": st.lists(st.sampled_from(list(words.uses)), unique=True, max_size=4),
        "decision_role": st.sampled_from(list(words.decision_roles)),
        "flags": st.fixed_dictionaries({}, optional={f: st.booleans() for f in FLAGS}),
    }
)


def _eu(data: dict[str, Any]) -> Any:
    [profile] = parse_profiles(data)
    return assess_profile(profile, as_of=TODAY, jurisdictions=["EU"]).result("EU")


@settings(max_examples=150, deadline=None)
@given(profiles, st.sampled_from(PROHIBITED_USES))
def test_adding_a_prohibited_use_never_lowers_the_tier(data: dict[str, Any], use: str) -> None:
    before = _eu(data)
    data["uses"] = sorted({*data["uses"], use})
    after = _eu(data)
    if before.in_scope:
        assert TIER_ORDER.index(after.common_tier) >= TIER_ORDER.index(before.common_tier)


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_without_the_eu_market_the_system_is_out_of_eu_scope(data: dict[str, Any]) -> None:
    data["markets"] = [m for m in data["markets"] if m != "EU"] or ["US"]
    # Art. 2(1)(b) covers deployers established in the Union wherever the system is
    # used, so the invariant holds for systems with no party in the Union.
    data["deployer"]["country"] = "US"
    result = _eu(data)
    assert result.in_scope is False and result.tier == "out_of_scope"
    assert not result.obligations and not result.prohibitions


@settings(max_examples=60, deadline=None)
@given(profiles)
def test_results_are_deterministic(data: dict[str, Any]) -> None:
    [profile] = parse_profiles(data)
    first = assess_profile(profile, as_of=TODAY).to_dict()
    second = assess_profile(profile, as_of=TODAY).to_dict()
    assert first == second


@settings(max_examples=100, deadline=None)
@given(profiles)
def test_every_finding_cites_and_dates_itself(data: dict[str, Any]) -> None:
    result = _eu(data)
    for finding in result.findings():
        assert finding.citation.startswith("AI Act, Art. ") or \
            finding.citation.startswith("AI Act, Annex ")
        assert finding.applies_from >= date(2025, 2, 2)
