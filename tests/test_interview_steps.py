"""What the interview asks for a profile field a finding waits for, and how a typed-in
answer becomes a value (the terminal front end is tested in test_interview.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from comity.intake.interview import check_field, fact_step, typed_field
from comity.profile.fields import field_docs, field_kind
from comity.profile.files import parse_profiles
from comity.profile.model import STATEABLE_FACTS
from comity.profile.vocabulary import vocabulary
from tests.conftest import minimal_profile


@pytest.mark.parametrize("fact", sorted(STATEABLE_FACTS))
def test_every_fact_a_rule_can_wait_for_can_be_asked(fact: str) -> None:
    step = fact_step(fact)
    assert step.prompt.startswith(f"{fact}: ") and step.may_be_unknown
    assert step.kind in ("some_of", "one_of", "yes_no", "date", "whole_number", "number",
                         "text")
    if fact != "markets":  # asked by the opening steps, with the rulebook's codes
        assert bool(step.choices) == (step.kind in ("one_of", "some_of"))
    assert field_docs()[fact].description in step.prompt


@pytest.mark.parametrize(("fact", "kind"), [
    ("deployer.employees", "whole_number"), ("system.monthly_users", "whole_number"),
    ("provider.annual_revenue.KRW", "number"), ("gpai.training_compute_flop", "number"),
    ("lifecycle.put_into_service", "date"), ("deployer.government_level", "one_of"),
    ("provider.established_in_union", "yes_no"), ("affected", "some_of"),
    ("deployer.name", "text")])
def test_field_kinds_follow_the_profile_model(fact: str, kind: str) -> None:
    assert field_kind(fact) == kind


def test_government_level_offers_the_vocabulary_with_its_meanings() -> None:
    step = fact_step("deployer.government_level")
    assert step.choices == tuple(vocabulary().government_levels)
    assert step.definitions()["municipal"] == vocabulary().government_levels["municipal"]


@pytest.mark.parametrize(("fact", "typed", "value"), [
    ("deployer.employees", "120", 120), ("deployer.employees", "1,200", 1200),
    ("deployer.employees", "5e1", 50), ("gpai.training_compute_flop", "3.8e25", 3.8e25),
    ("provider.annual_revenue.KRW", "10_000_000_000", 10_000_000_000),
    ("provider.annual_revenue.USD", "2.5", 2.5), ("lifecycle.put_into_service",
                                                  "2026-03-01", "2026-03-01"),
    ("deployer.employees", " unknown ", "unknown")])
def test_a_typed_answer_becomes_the_value(fact: str, typed: str, value: object) -> None:
    step = fact_step(fact)
    assert check_field(step, typed) is None
    assert typed_field(step, typed) == value


@pytest.mark.parametrize(("fact", "typed", "problem"), [
    ("deployer.employees", "12.5", "not a whole number"),
    ("deployer.employees", "-3", "at least 0"), ("deployer.employees", "many", "not a number"),
    ("gpai.training_compute_flop", "nan", "at least 0"),
    ("gpai.training_compute_flop", "inf", "at least 0"),
    ("lifecycle.put_into_service", "1 March", "YYYY-MM-DD"),
    ("deployer.employees", "", "please type a value")])
def test_a_bad_answer_is_refused_in_words(fact: str, typed: str, problem: str) -> None:
    message = check_field(fact_step(fact), typed)
    assert message is not None and problem in message


@given(st.integers(min_value=0, max_value=10**15))
def test_any_headcount_typed_in_is_the_one_the_profile_keeps(count: int) -> None:
    value = typed_field(fact_step("deployer.employees"), f"{count:,}")
    [profile] = parse_profiles(minimal_profile(deployer={"employees": value}))
    assert profile.deployer is not None and profile.deployer.employees == count
