"""Bookkeeping of the engine and the comparison pinned field by field: the finding for
an undetermined scope, and the keys of comparison output (mutation testing,
docs/testing.md)."""

from __future__ import annotations

from datetime import date

from comity import assess_profile, parse_profiles
from comity.analysis.compare import compare_portfolio, compare_profile
from comity.profile.model import Profile
from tests.conftest import minimal_profile

TODAY = date(2026, 11, 22)


def _vague_system() -> Profile:
    """Machine-based, but silent on inference and autonomy: the OECD scope stays open."""
    [profile] = parse_profiles(minimal_profile(markets=["US"], system={"machine_based": True}))
    return profile


def test_undetermined_scope_is_reported_as_a_finding() -> None:
    result = assess_profile(_vague_system(), as_of=TODAY,
                            jurisdictions=["INT-OECD"]).result("INT-OECD")
    assert result.in_scope is None
    assert result.undetermined[0].to_dict() == {
        "id": "int-oecd.scope", "kind": "scope",
        "title": "Whether the system is in scope in OECD AI Principles (adherents)",
        "summary": "The profile lacks facts the scope test needs.", "citation": "",
        "citation_parts": {}, "addressees": [], "applies_from": "2026-11-22",
        "applicable": True, "status": "undetermined", "facts": {},
        "needs": ["system.infers_outputs", "system.autonomy"],
        "open_points": [{"part": "condition", "needs": [
            {"fact": "system.infers_outputs"}, {"fact": "system.autonomy"}]}],
    }
    scope_rule = next(f for f in result.scope if f.status == "undetermined")
    assert scope_rule.facts == {"system.autonomy": "unknown",
                                "system.infers_outputs": "unknown",
                                "system.machine_based": True}


def test_comparison_to_dict_keys_and_side_by_side() -> None:
    data = compare_profile(_vague_system(), as_of=TODAY,
                           jurisdictions=["EU", "INT-OECD"]).to_dict()
    assert list(data) == ["format", "id", "name", "as_of", "rulebook", "side_by_side",
                          "duty_matrix", "plan", "divergence"]
    assert (data["format"], data["id"], data["name"], data["as_of"]) == (
        "comity.comparison.v1", "test-system", "Test system", "2026-11-22")
    assert data["rulebook"].count("+") == 1
    eu, oecd = data["side_by_side"]
    assert eu.pop("enforcement") is not None
    assert eu == {"jurisdiction": "EU", "name": "European Union", "in_scope": False,
                  "tier": "out_of_scope", "common_tier": "out_of_scope", "labels": [],
                  "prohibitions": [], "tier_label": "out of scope", "obligations": 0,
                  "expectations": 0, "undetermined": 0, "open_points": 0}
    assert (oecd["in_scope"], oecd["tier"], oecd["common_tier"]) == (None, "principles",
                                                                     "minimal")
    assert oecd["tier_label"] == f"scope undetermined — {oecd['open_points']} open points"
    assert data["divergence"] == [{"a": "EU", "b": "INT-OECD", "index": data["divergence"][0]
                                   ["index"]}]


def test_portfolio_to_dict_keys_and_plan_steps() -> None:
    profiles = parse_profiles({"profiles": [
        minimal_profile(id="cv", uses=["employment.recruitment"],
                        decision_role="substantial_factor"),
        minimal_profile(id="spam", uses=["utility.spam_filter"]),
    ]})
    data = compare_portfolio(profiles, as_of=TODAY, jurisdictions=["EU", "US-NYC"]).to_dict()
    assert list(data) == ["format", "profiles", "divergence"]
    assert data["format"] == "comity.portfolio_comparison.v1"
    assert [p["id"] for p in data["profiles"]] == ["cv", "spam"]
    [pair] = data["divergence"]
    assert list(pair) == ["a", "b", "index"] and (pair["a"], pair["b"]) == ("EU", "US-NYC")
    cv = data["profiles"][0]
    step = cv["plan"][0]
    assert list(step) == ["duty", "description", "first_due", "satisfies", "jurisdictions",
                          "check_specifics", "provisions"]
    assert step["satisfies"] == len(step["provisions"])
    assert step["jurisdictions"] == sorted({p["jurisdiction"] for p in step["provisions"]})
    assert step["first_due"] == min(p["applies_from"] for p in step["provisions"])
    provision = step["provisions"][0]
    assert set(provision) >= {"jurisdiction", "id", "citation", "title", "applies_from",
                              "binding", "relation"}
    assert set(provision) <= {"jurisdiction", "id", "citation", "title", "applies_from",
                              "binding", "relation", "open"}
    assert step["check_specifics"] == [p["id"] for p in step["provisions"]
                                       if p["relation"] in ("superset", "intersect")]
    matrix = cv["duty_matrix"]
    assert step["duty"] in matrix
    assert set(matrix[step["duty"]]) == set(step["jurisdictions"]) == {"EU"}
