"""The describe form: every example profile survives the trip into a URL and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.datastructures import QueryParams

from comity import load_profiles, parse_profiles
from comity.profile.model import Profile
from comity.rulebook.loader import default_rulebook
from comity.web.form import field_of, form_from_profile, profile_from_form
from tests.conftest import EXAMPLES

PROFILE_FILES = sorted([*EXAMPLES.glob("**/*.yaml"),
                        *(EXAMPLES.parent / "tests" / "data" / "profiles").glob("*.yaml")])
PROFILE_FILES = [p for p in PROFILE_FILES if "cooperation" not in p.parts]
QUESTION_TYPES = {q.id: q.type for q in default_rulebook().questions.values()}


def _round_trip(profile: Profile) -> Profile:
    params = QueryParams(form_from_profile(profile.model_dump(mode="json", exclude_none=True)))
    [again] = parse_profiles(profile_from_form(params, QUESTION_TYPES))
    return again


@pytest.mark.parametrize("path", PROFILE_FILES,
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_form_round_trip(path: Path) -> None:
    """Every bundled profile, answers and impact assessments included, survives the form:
    an uploaded file assesses in the browser as it does on the command line."""
    for profile in load_profiles(path):
        assert _round_trip(profile) == profile


def test_every_field_of_the_profile_round_trips_through_the_form() -> None:
    [profile] = parse_profiles({
        "profile": 1, "id": "everything", "name": "Every field",
        "provider": {"name": "P", "established_in_union": False},
        "deployer": {"kind": "public_authority", "government_level": "national"},
        "markets": ["EU", "IN"], "roles": ["provider", "importer"],
        "system": {"machine_based": True, "autonomy": "full", "open_source": True,
                   "outputs": ["text"]},
        "uses": ["chatbot.companion"], "use_areas": ["employment"],
        "flags": {"exclusively_national_security": True},
        "lifecycle": {"placed_on_market": "2025-03-01", "significant_change": "2026-09-01"},
        "unknown": ["system.infers_outputs", "decision_role", "affected"],
        "answers": {"in.intermediary": {"value": "no", "version": "2026.01.01"},
                    "eu.csam_foreseeable_output": True, "kz.risk_degree": "high",
                    "common.publicly_accessible_space": "unknown"},
    })
    again = _round_trip(profile)
    assert again == profile
    assert again.answers["eu.csam_foreseeable_output"] is True


@pytest.mark.parametrize(("texts", "kind", "value"), [
    (["3"], "number", 3), (["2.5"], "number", 2.5), (["unknown"], "number", "unknown"),
    (["a", "b"], "some_of", ["a", "b"]), (["unknown"], "some_of", "unknown"),
    (["2026-01-31"], "date", "2026-01-31"), (["yes"], "yes_no", "yes"),
    (["false"], "yes_no", False), ([""], "yes_no", None)])
def test_answers_are_read_as_their_question_expects(texts: list[str], kind: str,
                                                    value: object) -> None:
    params = QueryParams([("answers.xx.q", text) for text in texts])
    answers = profile_from_form(params, {"xx.q": kind}).get("answers", {})
    assert answers.get("xx.q") == value


@pytest.mark.parametrize(("path", "field"), [
    ("markets[1]", "markets"), ("system.autonomy", "system.autonomy"),
    ("uses[0]", "uses"), ("flags.profiling", "flags.profiling"),
    ("safety_component_of", ""), ("system.nonsense", ""), ("", "")])
def test_problems_land_on_their_field(path: str, field: str) -> None:
    assert field_of(path) == field


def test_organisation_facts_round_trip_through_the_form() -> None:
    from comity import parse_profiles

    [profile] = parse_profiles({
        "profile": 1, "id": "org", "name": "Org facts",
        "provider": {"employees": 4000, "annual_revenue": {"USD": 26625001, "KRW": 2.5e12}},
        "deployer": {"kind": "public_authority", "government_level": "municipal",
                     "employees": 12, "annual_revenue": {"EUR": 1234.5}},
        "system": {"monthly_users": 1500000}})
    params = QueryParams(form_from_profile(profile.model_dump(mode="json", exclude_none=True)))
    assert params["provider.annual_revenue"] == "USD 26625001; KRW 2500000000000"
    [again] = parse_profiles(profile_from_form(params))
    assert again == profile


def test_revenue_without_a_currency_is_reported_on_its_field() -> None:
    from comity import parse_profiles
    from comity.errors import InputError

    data = profile_from_form(QueryParams([("id", "x"), ("name", "X"),
                                          ("deployer.annual_revenue", "30000000")]))
    with pytest.raises(InputError) as caught:
        parse_profiles(data)
    [problem] = caught.value.problems
    assert field_of(problem.path) == "deployer.annual_revenue"
