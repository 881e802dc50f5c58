from __future__ import annotations

import pytest
from pydantic import ValidationError

from comity.errors import InputError
from comity.profile.files import parse_profiles
from comity.profile.model import UNKNOWN, Profile
from comity.yaml12 import load_yaml
from tests.conftest import minimal_profile


def test_omitted_booleans_are_false_and_lists_empty() -> None:
    profile = Profile.model_validate({"profile": 1, "id": "a", "name": "A"})
    facts = profile.facts()
    assert facts["system.deepfake"] is False
    assert facts["flags.profiling"] is False
    assert facts["uses"] == frozenset()
    assert facts["markets"] == frozenset()


def test_fields_without_default_are_unknown_not_guessed() -> None:
    facts = Profile.model_validate({"profile": 1, "id": "a", "name": "A"}).facts()
    for name in ("decision_role", "deployer.kind", "provider.country", "system.autonomy",
                 "gpai.training_compute_flop"):
        assert facts[name] is UNKNOWN


def test_explicit_null_safety_component_means_not_a_component() -> None:
    facts = Profile.model_validate(minimal_profile(safety_component_of=None)).facts()
    assert facts["safety_component_of.legislation"] is None
    assert facts["safety_component_of.third_party_conformity"] is False


def test_yaml_reads_norway_as_a_country_and_exponents_as_numbers() -> None:
    data = load_yaml("provider: {name: X, country: NO}\ngpai: {training_compute_flop: 3.8e25}")
    assert data["provider"]["country"] == "NO"
    assert data["gpai"]["training_compute_flop"] == pytest.approx(3.8e25)


def test_compute_given_as_text_is_read_as_a_number() -> None:
    profile = Profile.model_validate(
        minimal_profile(gpai={"is_gpai_model": True, "training_compute_flop": "1e26"})
    )
    assert profile.gpai.training_compute_flop == pytest.approx(1e26)


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"uses": ["employment.recruit"]}, ("uses", 0)),
        ({"markets": ["EU", "XX"]}, ("markets", 1)),
        ({"provider": {"name": "A", "country": "USA"}}, ("provider", "country")),
        ({"deployer": {"kind": "company"}}, ("deployer", "kind")),
        ({"system": {"deepfake": "yes"}}, ("system", "deepfake")),
        ({"system": {"machine_based": True, "colour": "blue"}}, ("system", "colour")),
        ({"decision_role": "maybe"}, ("decision_role",)),
        ({"gpai": {"training_compute_flop": -1}}, ("gpai", "training_compute_flop")),
        ({"safety_component_of": {"legislation": "spaceships"}},
         ("safety_component_of", "legislation")),
        ({"id": "Not A Slug"}, ("id",)),
        ({"surprise": 1}, ("surprise",)),
    ],
)
def test_invalid_values_are_rejected(fields: dict[str, object], where: tuple[object, ...]
                                     ) -> None:
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate(minimal_profile(**fields))
    assert [error["loc"][:len(where)] for error in caught.value.errors()] == [where]


def test_booleans_are_not_coerced_from_numbers() -> None:
    with pytest.raises(ValidationError) as caught:
        Profile.model_validate(minimal_profile(flags={"profiling": 1}))
    assert [error["loc"] for error in caught.value.errors()] == [("flags", "profiling")]


def test_organisation_facts_are_unknown_until_given() -> None:
    [bare] = parse_profiles({"profile": 1, "id": "a", "name": "A"})
    facts = bare.facts()
    for name in ("deployer.annual_revenue.USD", "provider.annual_revenue.KRW",
                 "deployer.employees", "deployer.government_level", "system.monthly_users"):
        assert facts[name] is UNKNOWN
    [given] = parse_profiles({
        "profile": 1, "id": "b", "name": "B", "uses": ["chatbot.companion"],
        "deployer": {"kind": "public_authority", "government_level": "municipal",
                     "annual_revenue": {"USD": "3e7"}, "employees": 40},
        "system": {"monthly_users": 2_000_000}})
    facts = given.facts()
    assert facts["deployer.annual_revenue.USD"] == 3e7
    assert facts["deployer.annual_revenue.EUR"] is UNKNOWN
    assert facts["deployer.government_level"] == "municipal"
    assert facts["system.monthly_users"] == 2_000_000
    # A companion chatbot is a chatbot: rules testing 'chatbot' still see it.
    assert {"chatbot", "chatbot.companion"} <= facts["uses"]


def test_bad_organisation_facts_name_the_field() -> None:
    with pytest.raises(InputError) as caught:
        parse_profiles({"profile": 1, "id": "c", "name": "C",
                        "deployer": {"government_level": "county", "annual_revenue": {"USX": 1},
                                     "employees": -1}})
    text = str(caught.value)
    assert "deployer.government_level" in text
    assert "'county' is not a known government level" in text
    assert "deployer.annual_revenue.USX" in text
    assert "deployer.employees" in text


def test_organisation_facts_round_trip_and_keep_older_hashes() -> None:
    """A dumped profile (explicit nulls) reads back; leaving the facts out keeps the input
    hash a profile had before they existed; counts are whole numbers."""
    from comity.engine.assess import input_hash

    [given] = parse_profiles({"profile": 1, "id": "d", "name": "D",
                              "deployer": {"kind": "private", "employees": "12"}})
    assert given.deployer is not None and given.deployer.employees == 12
    [again] = parse_profiles(given.model_dump(mode="json"))
    assert again == given
    [bare] = parse_profiles({"profile": 1, "id": "d", "name": "D", "deployer": {"kind": "private"}})
    [nulls] = parse_profiles({"profile": 1, "id": "d", "name": "D",
                              "deployer": {"kind": "private", "employees": None,
                                           "government_level": None, "annual_revenue": None},
                              "system": {"monthly_users": None}})
    assert input_hash(nulls) == input_hash(bare) != input_hash(given)
    with pytest.raises(InputError, match="not a whole number"):
        parse_profiles({"profile": 1, "id": "e", "name": "E", "system": {"monthly_users": 2.5}})
