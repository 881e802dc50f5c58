"""The country profiles of the knowledge base (``comity/knowledge/countries.yaml``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from comity.knowledge.content import FORUMS, CountryProfile, knowledge_records, load_items
from comity.profile.vocabulary import vocabulary
from comity.yaml12 import load_yaml

RULES = Path(__file__).resolve().parent.parent / "src" / "comity" / "rulebook" / "rules"


@pytest.fixture(scope="module")
def profiles() -> dict[str, CountryProfile]:
    return {profile.id: profile for profile in load_items("countries.yaml")}


def member_of(profile: CountryProfile, forum: str) -> bool:
    return profile.memberships[forum].member  # type: ignore[index]


def test_file_validates_with_at_least_60_profiles(profiles: dict[str, CountryProfile]) -> None:
    assert len(profiles) >= 60
    assert all(isinstance(p, CountryProfile) for p in profiles.values())


def test_ids_are_iso_alpha2_codes_with_their_iso_names(
        profiles: dict[str, CountryProfile]) -> None:
    countries = vocabulary().countries
    for code, profile in profiles.items():
        assert code in countries, code
        assert profile.name == countries[code]


def test_every_forum_is_stated_and_cites_a_source(profiles: dict[str, CountryProfile]) -> None:
    for profile in profiles.values():
        assert set(profile.memberships) == set(FORUMS), profile.id
        for forum, entry in profile.memberships.items():
            assert entry.source.startswith("https://"), (profile.id, forum)


def test_spot_checks(profiles: dict[str, CountryProfile]) -> None:
    japan, china = profiles["JP"], profiles["CN"]
    for forum in ("g7", "g20", "oecd", "gpai", "wassenaar", "mtcr", "nsg", "australia_group"):
        assert member_of(japan, forum), forum
    assert not member_of(japan, "eu")
    assert member_of(china, "g20") and member_of(china, "nsg")
    for forum in ("oecd", "g7", "gpai", "wassenaar", "mtcr", "australia_group", "eu"):
        assert not member_of(china, forum), forum
    assert profiles["GB"].memberships["eu"].status == "former_member"
    assert profiles["RU"].memberships["g7"].status == "former_member"
    assert member_of(profiles["IN"], "wassenaar") and not member_of(profiles["IN"], "nsg")
    assert profiles["US"].memberships["coe_ai_convention"].status == "signatory"
    assert not member_of(profiles["DE"], "coe_ai_convention")  # signed by the EU, not Germany


def test_membership_counts_match_the_forums_own_lists(
        profiles: dict[str, CountryProfile]) -> None:
    # Every member of these forums is profiled, so the counts are the forums' own.
    expected = {"oecd": 38, "g7": 7, "g20": 19, "gpai": 44, "eu": 27, "mtcr": 35}
    for forum, count in expected.items():
        members = [p.id for p in profiles.values() if member_of(p, forum)]
        assert len(members) == count, forum


def test_dates_are_plausible(profiles: dict[str, CountryProfile]) -> None:
    for profile in profiles.values():
        for forum, entry in profile.memberships.items():
            for value in (entry.since, entry.until):
                year = value if isinstance(value, int) or value is None else value.year
                assert year is None or 1958 <= year <= 2026, (profile.id, forum)
            if entry.member:
                assert entry.until is None, (profile.id, forum)
            assert entry.status != "non_member" or not entry.member


def test_indicators_are_in_range(profiles: dict[str, CountryProfile]) -> None:
    for profile in profiles.values():
        found = profile.indicators
        assert found.hdi is not None and found.wb_income_group is not None, profile.id
        assert 0.3 < found.hdi.value < 1 and found.hdi.year == 2022
        assert found.wb_income_group.fiscal_year == 2025
        if found.vdem_electoral_democracy is not None:
            assert 0 <= found.vdem_electoral_democracy.value <= 1
    assert profiles["NO"].indicators.hdi is not None
    assert profiles["NO"].indicators.hdi.value > 0.95
    vdem = profiles["CN"].indicators.vdem_electoral_democracy
    assert vdem is not None and vdem.value < 0.2
    groups = {p.indicators.wb_income_group.value for p in profiles.values()
              if p.indicators.wb_income_group is not None}
    assert groups == {"high", "upper_middle", "lower_middle", "low"}


def test_rulebook_codes_follow_the_rulebook_sets(profiles: dict[str, CountryProfile]) -> None:
    # YAML 1.2 reading: under PyYAML's 1.1 rules Norway's code NO would read as false.
    codes = {load_yaml(path.read_text(encoding="utf-8"))["jurisdiction"]["code"]
             for path in RULES.glob("*/jurisdiction.yaml")}
    oecd = load_yaml((RULES / "int-oecd" / "jurisdiction.yaml").read_text(
        encoding="utf-8"))["jurisdiction"]["sets"]["adherents"]
    for profile in profiles.values():
        assert set(profile.rulebook) <= codes, profile.id
        assert ("EU" in profile.rulebook) == member_of(profile, "eu"), profile.id
        assert ("INT-OECD" in profile.rulebook) == (profile.id in oecd), profile.id
        assert ("INT-COE" in profile.rulebook) == member_of(profile, "coe_ai_convention")
        assert ("INT-G7" in profile.rulebook) == member_of(profile, "g7"), profile.id


def test_unknown_keys_and_missing_forums_are_rejected(
        profiles: dict[str, CountryProfile]) -> None:
    raw = profiles["JP"].model_dump(mode="json")
    with pytest.raises(ValueError, match="extra"):
        CountryProfile.model_validate({**raw, "extra": 1})
    partial = {**raw, "memberships": {k: v for k, v in raw["memberships"].items() if k != "nsg"}}
    with pytest.raises(ValueError, match="nsg"):
        CountryProfile.model_validate(partial)


def test_records_appear_in_knowledge_records(profiles: dict[str, CountryProfile]) -> None:
    records = {r.key: r for r in knowledge_records() if r.type == "country_profile"}
    assert set(records) == set(profiles)
    japan = records["JP"]
    assert japan.jurisdiction == "JP" and japan.title == "Japan"
    assert "Wassenaar" in japan.text and "G7" in japan.text
    assert "Wassenaar" not in records["CN"].text and "NSG" in records["CN"].text
