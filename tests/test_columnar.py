"""The columnar engine gives what the per-profile engine gives, for every regime and date."""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comity import Profile, assess_profile, default_rulebook, load_profiles, parse_profiles
from comity.engine.columnar import ColumnarAssessor, UnsupportedConditionError
from comity.engine.fact_table import facts_frame
from comity.profile.model import Flags
from comity.profile.vocabulary import vocabulary
from comity.rulebook.conditions import FactTest
from comity.rulebook.loader import Rulebook

ROOT = Path(__file__).resolve().parent.parent
AS_OF_DATES = [date(2024, 8, 1), date(2025, 2, 2), date(2025, 8, 2), date(2026, 8, 2),
               date(2026, 11, 22), date(2027, 8, 2), date(2031, 1, 1)]
MARKETS = ["EU", "US", "CN", "KR", "CA", "GB", "JP", "SG", "BR", "NI", "IN", "AU", "CH",
           "DE", "FR", "IT", "US-CA", "US-CO", "US-FED", "US-IL", "US-NYC", "US-TX", "US-UT"]
COUNTRIES = ["US", "DE", "FR", "IT", "CN", "KR", "CA", "GB", "JP", "BR", "SG", "EU", "IN"]
FLOPS = [0.0, 1e22, 1e23, 1e24, 1e25, 2e25, 1e26, 3e26]

words = vocabulary()


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _flags() -> st.SearchStrategy[dict[str, Any]]:
    names = [name for name in Flags.model_fields if name != "law_enforcement_exception"]
    return st.fixed_dictionaries(
        {"law_enforcement_exception": _optional(st.sampled_from(
            list(words.law_enforcement_exceptions)))},
        optional={name: st.booleans() for name in names})


def _system() -> st.SearchStrategy[dict[str, Any]]:
    booleans = ["adaptive", "interacts_with_people", "synthetic_media", "deepfake",
                "public_interest_text", "human_editorial_review"]
    return st.fixed_dictionaries(
        {"machine_based": st.booleans(), "infers_outputs": st.booleans(),
         "autonomy": _optional(st.sampled_from(list(words.autonomy))),
         "outputs": st.lists(st.sampled_from(list(words.outputs)), unique=True, max_size=3)},
        optional={name: st.booleans() for name in booleans})


@cache
def _ca_aia() -> dict[str, Any]:
    [example] = load_profiles(ROOT / "examples" / "ca-atip-requests.yaml")
    return example.impact_assessments


profile_data = st.fixed_dictionaries(
    {
        "profile": st.just(1),
        "name": st.just("Generated system"),
        "markets": st.lists(st.sampled_from(MARKETS), unique=True, max_size=4),
        "system": _system(),
        "uses": st.lists(st.sampled_from(list(words.uses)), unique=True, max_size=4),
        "affected": st.lists(st.sampled_from(list(words.affected)), unique=True, max_size=3),
        "data": st.lists(st.sampled_from(list(words.data)), unique=True, max_size=3),
        "flags": _flags(),
    },
    optional={
        "provider": st.fixed_dictionaries({}, optional={
            "country": st.sampled_from(COUNTRIES), "name": st.just("P")}),
        "deployer": st.fixed_dictionaries({}, optional={
            "country": st.sampled_from(COUNTRIES),
            "kind": st.sampled_from(list(words.deployer_kinds))}),
        "decision_role": st.sampled_from(list(words.decision_roles)),
        "gpai": st.fixed_dictionaries({"is_gpai_model": st.booleans()}, optional={
            "training_compute_flop": st.sampled_from(FLOPS),
            "open_weights": st.booleans(), "designated_systemic": st.booleans()}),
        "safety_component_of": st.fixed_dictionaries(
            {"legislation": st.sampled_from(list(words.safety_legislation)),
             "third_party_conformity": st.booleans()}),
        "impact_assessments": st.builds(lambda: {"ca_aia": _ca_aia()["ca_aia"]}),
    },
)


@cache
def _assessor(day: date) -> ColumnarAssessor:
    return ColumnarAssessor(default_rulebook(), day)


def _reference_rows(profiles: list[Profile], day: date) -> list[dict[str, Any]]:
    rows = []
    for profile in profiles:
        for result in assess_profile(profile, default_rulebook(), as_of=day).results:
            rows.append({
                "id": profile.id, "jurisdiction": result.jurisdiction,
                "in_scope": result.in_scope, "tier": result.tier,
                "common_tier": result.common_tier,
                "prohibitions": [f.rule_id for f in result.prohibitions],
                "obligations": [f.rule_id for f in result.obligations],
                "undetermined": [f.rule_id for f in result.undetermined],
            })
    return rows


def _columnar_rows(profiles: list[Profile], day: date) -> list[dict[str, Any]]:
    table = _assessor(day).assess(facts_frame(p.facts() for p in profiles), keep=["id"])
    order = {code: index for index, code in enumerate(default_rulebook().jurisdictions)}
    rows = table.to_dicts()
    position = {profile.id: index for index, profile in enumerate(profiles)}
    return sorted(rows, key=lambda row: (position[row["id"]], order[row["jurisdiction"]]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(profile_data, min_size=1, max_size=12), st.sampled_from(AS_OF_DATES))
def test_columnar_engine_equals_the_per_profile_engine(items: list[dict[str, Any]],
                                                       day: date) -> None:
    profiles = parse_profiles([{**item, "id": f"p{index}"} for index, item in enumerate(items)])
    assert _columnar_rows(profiles, day) == _reference_rows(profiles, day)


def test_columnar_engine_equals_the_engine_on_the_examples() -> None:
    profiles = [p for path in sorted((ROOT / "examples").glob("*.yaml"))
                for p in load_profiles(path)]
    for day in AS_OF_DATES:
        assert _columnar_rows(profiles, day) == _reference_rows(profiles, day)


def test_an_unknown_condition_leaf_is_a_clear_error() -> None:
    class Oracle(FactTest):
        """A leaf type the columnar compiler was never taught."""

    book = default_rulebook()
    eu = book.jurisdictions["EU"]
    strange = dataclasses.replace(eu, scope=Oracle("uses", "is_true"), _rules_by_id={})
    other = Rulebook(book.version, book.digest, book.duty_types, book.redlines,
                     {"EU": strange}, book.folder)
    with pytest.raises(UnsupportedConditionError, match="no columnar form for condition Oracle"):
        ColumnarAssessor(other, date(2026, 11, 22))


def test_an_empty_table_gives_an_empty_result() -> None:
    table = _assessor(date(2026, 11, 22)).assess(facts_frame([]), keep=["id"])
    assert table.height == 0 and table.columns[:2] == ["id", "jurisdiction"]
    assert table.schema["obligations"] == pl.List(pl.String())
