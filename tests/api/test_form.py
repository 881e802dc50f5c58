"""The describe form: every example profile survives the trip into a URL and back."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.datastructures import QueryParams

from comity import load_profiles
from comity.web.form import field_of, form_from_profile, profile_from_form
from tests.conftest import EXAMPLES

PROFILE_FILES = sorted(p for p in EXAMPLES.glob("*.yaml") if "atip" not in p.name)


@pytest.mark.parametrize("path", PROFILE_FILES, ids=lambda p: p.stem)
def test_form_round_trip(path: Path) -> None:
    for profile in load_profiles(path):
        if profile.impact_assessments:
            continue  # the form does not carry completed impact assessments
        data = profile.model_dump(mode="json", exclude_none=True)
        params = QueryParams(form_from_profile(data))
        [again] = load_profiles_from(profile_from_form(params))
        assert again == profile


def load_profiles_from(data: dict[str, object]) -> list[object]:
    from comity import parse_profiles

    return list(parse_profiles(data))


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
