"""Issue #16, item 7: facts a user could not state ("I don't know", dates, partial facts)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from comity import assess_profile, parse_profiles
from comity.cli.app import main
from comity.engine.assess import evaluate_rule
from comity.errors import InputError
from comity.profile.model import DONT_KNOW, STATEABLE_FACTS, UNKNOWN
from comity.profile.vocabulary import vocabulary
from comity.rulebook.loader import default_rulebook
from tests.conftest import minimal_profile

AS_OF = date(2026, 11, 22)


def _eu(profile: dict[str, Any], as_of: date = AS_OF) -> Any:
    [parsed] = parse_profiles(profile)
    [result] = assess_profile(parsed, as_of=as_of, jurisdictions=["EU"]).results
    return result


def _finding(result: Any, rule_id: str) -> Any:
    found = [f for group in (result.obligations, result.undetermined, result.exceptions,
                             result.classifications, result.prohibitions)
             for f in group if f.rule_id == rule_id]
    return found[0] if found else None


def test_a_fact_stated_unknown_is_undetermined_where_omitted_reads_false() -> None:
    omitted = _eu(minimal_profile(uses=["utility.spam_filter"]))
    stated = _eu(minimal_profile(uses=["utility.spam_filter"], unknown=["system.open_source"]))
    assert omitted.in_scope is True
    assert stated.in_scope is None  # the open-source exclusion is open, never false


def test_the_trace_tells_unknown_answered_from_not_given() -> None:
    profile = minimal_profile(uses=["employment.recruitment"],
                              lifecycle={"placed_on_market": "2025-03-01"},
                              unknown=["lifecycle.significant_change"])
    [parsed] = parse_profiles(profile)
    facts = parsed.facts()
    assert facts["lifecycle.significant_change"] is DONT_KNOW
    assert facts["lifecycle.put_into_service"] is UNKNOWN
    trace = json.dumps(evaluate_rule(parsed, "eu.ai_act.art111.2", as_of=AS_OF)
                       .check.to_dict())
    # known and gte on the cut-off date, in the Annex III and the Annex I branch
    assert trace.count('"saw": "unknown (answered)"') == 4
    assert '"saw": "unknown"' in trace  # put_into_service: not given


def test_an_unknown_answer_is_labelled_answered_in_the_trace() -> None:
    from comity.rulebook.conditions import QuestionTest

    class Context:
        facts: dict[str, Any] = {}
        answers = {"eu.international_cooperation": DONT_KNOW}

    check = QuestionTest("eu.international_cooperation").evaluate(Context())  # type: ignore[arg-type]
    assert check.result is None
    assert check.test == "question eu.international_cooperation answered unknown"
    assert check.missing_questions() == ["eu.international_cooperation"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(STATEABLE_FACTS)))
def test_any_field_may_be_stated_unknown_and_reads_as_undetermined(path: str) -> None:
    """Every fact a rule may test accepts "I don't know", whatever its type."""
    [parsed] = parse_profiles({"profile": 1, "id": "x", "name": "X", "unknown": [path]})
    assert parsed.facts()[path] is DONT_KNOW


@pytest.mark.parametrize(("fields", "message"), [
    ({"unknown": ["flags.profilling"]}, "did you mean 'flags.profiling'"),
    ({"unknown": ["system.machine_based"]}, "listed as unknown but the profile gives it"),
    ({"provider": {"country": "DE", "established_in_union": False}},
     "provider.country DE is in the Union"),
    ({"provider": {"country": "US", "established_in_union": True}},
     "provider.country US is outside the Union"),
    ({"lifecycle": {"placed_on_market": "last year"}}, "is not a date"),
    ({"use_areas": ["employmnt"]}, "did you mean 'employment'"),
])
def test_contradictions_and_misspellings_are_errors(fields: dict[str, Any],
                                                    message: str) -> None:
    with pytest.raises(InputError) as error:
        parse_profiles(minimal_profile(**fields))
    assert message in str(error.value)


def test_validate_accepts_unknown_and_rejects_contradictions_with_exit_2(
        tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(minimal_profile(unknown=["flags.profiling"])), encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(minimal_profile(flags={"profiling": True},
                                              unknown=["flags.profiling"])), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(good)]).exit_code == 0
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2 and "flags.profiling" in result.output


@pytest.mark.parametrize("answers", [
    {"eu.no_such_question": "yes"},                  # unknown question
    {"common.publicly_accessible_space": 7},          # wrong type
])
def test_a_bad_answer_is_refused_with_exit_2_and_nothing_stored(
        tmp_path: Path, answers: dict[str, Any]) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(minimal_profile(answers=answers)), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    result = runner.invoke(main, ["assess", str(path), "--save", "-j", "EU"],
                           env={"COMITY_DB": db})
    assert result.exit_code == 2
    assert "answers" in result.output and next(iter(answers)) in result.output
    listed = runner.invoke(main, ["assessments", "list"], env={"COMITY_DB": db})
    assert "test-system" not in listed.output


def test_provider_outside_the_union_without_a_country() -> None:
    result = _eu(minimal_profile(uses=["employment.recruitment"],
                                 provider={"established_in_union": False}))
    assert _finding(result, "eu.ai_act.art22").status == "holds"


def test_legacy_high_risk_system_is_outside_the_duties_until_changed() -> None:
    base = minimal_profile(uses=["employment.recruitment"],
                           deployer={"country": "DE", "kind": "private"})
    legacy = _eu({**base, "lifecycle": {"placed_on_market": "2025-03-01"}})
    assert _finding(legacy, "eu.ai_act.art9") is None
    assert _finding(legacy, "eu.ai_act.art111.2") in legacy.exceptions
    changed = _eu({**base, "lifecycle": {"placed_on_market": "2025-03-01",
                                         "significant_change": "2028-01-15"}})
    assert _finding(changed, "eu.ai_act.art9").status == "holds"


def test_legacy_system_of_a_public_authority_must_comply_by_august_2030() -> None:
    profile = minimal_profile(uses=["public_benefits.eligibility"],
                              deployer={"country": "DE", "kind": "public_authority"},
                              lifecycle={"placed_on_market": "2025-03-01"})
    before = _eu(profile, date(2030, 8, 1))
    after = _eu(profile, date(2030, 8, 2))
    assert _finding(before, "eu.ai_act.art9") is None
    assert _finding(before, "eu.ai_act.art111.2.public_authorities") in before.exceptions
    assert _finding(after, "eu.ai_act.art9").status == "holds"


def test_an_area_without_its_point_is_high_risk_and_leaves_the_point_open() -> None:
    result = _eu(minimal_profile(use_areas=["essential_services"]))
    assert result.tier == "high"
    point = _finding(result, "eu.ai_act.annex3.5.b")
    assert point is not None and point.status == "undetermined" and "uses" in point.needs


def test_annex_i_product_whose_legislation_is_not_named_is_open() -> None:
    result = _eu(minimal_profile(safety_component_of={"third_party_conformity": True}))
    finding = _finding(result, "eu.ai_act.art6.1.section_a")
    assert finding is not None and finding.status == "undetermined"


def test_national_security_only_is_excluded_beside_military() -> None:
    result = _eu(minimal_profile(flags={"exclusively_national_security": True}))
    assert result.in_scope is False


def test_union_members_of_the_vocabulary_match_the_eu_rulebook() -> None:
    eu = default_rulebook().jurisdictions["EU"]
    assert set(vocabulary().union_members) == set(eu.sets["eu_member_states"])


def test_every_area_lists_known_use_tags() -> None:
    words = vocabulary()
    for area, (_, tags) in words.use_areas.items():
        assert tags and set(tags) <= set(words.uses), area


@pytest.mark.parametrize(("fields", "answers", "fact"), [
    ({"deployer": {"country": "DE", "kind": "public_authority"}},
     {"eu.private_entity_public_services": "yes"}, "deployer.kind"),
    ({"flags": {"exclusively_national_security": True}},
     {"int-coe.national_security": "no"}, "flags.exclusively_national_security"),
])
def test_an_answer_contradicting_the_fact_it_derives_from_fails_with_exit_2(
        tmp_path: Path, fields: dict[str, Any], answers: dict[str, Any], fact: str) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(minimal_profile(answers=answers, **fields)), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    runner = CliRunner()
    result = runner.invoke(main, ["assess", str(path), "--save", "-j", "EU"],
                           env={"COMITY_DB": db})
    assert result.exit_code == 2
    assert f"answers.{next(iter(answers))}" in result.output and fact in result.output
    assert "test-system" not in runner.invoke(main, ["assessments", "list"],
                                              env={"COMITY_DB": db}).output
    consistent = {**answers, next(iter(answers)): "unknown"}  # "I don't know" never contradicts
    parse_profiles(minimal_profile(answers=consistent, **fields))


def test_a_derived_answer_on_an_unknown_fact_is_refused_when_loading(tmp_path: Path) -> None:
    import shutil

    from comity.rulebook.loader import default_rules_folder, load_rulebook

    root = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), root)
    questions = root / "int-coe" / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        "{fact: flags.exclusively_national_security}", "{fact: flags.national_secrity}"),
        encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_rulebook(root)
    assert "derived[0]" in str(error.value) and "flags.national_secrity" in str(error.value)


def test_open_points_say_the_user_answered_unknown() -> None:
    profile = minimal_profile(uses=["employment.recruitment"],
                              deployer={"country": "DE", "kind": "private"},
                              lifecycle={"placed_on_market": "2025-03-01"},
                              unknown=["lifecycle.significant_change"])
    [parsed] = parse_profiles(profile)
    [result] = assess_profile(parsed, as_of=AS_OF, jurisdictions=["EU"]).results
    duty = _finding(result, "eu.ai_act.art9")
    [point] = [p for p in duty.open_points if p.rule_id == "eu.ai_act.art111.2"]
    assert point.needs == ("lifecycle.significant_change (answered unknown)",)
    assert "profile field lifecycle.significant_change (answered unknown)" in point.describe()
    assert point.to_dict()["needs"] == [{"fact": "lifecycle.significant_change",
                                         "answered": "unknown"}]
    omitted = dict(profile, unknown=[])
    [parsed] = parse_profiles(omitted)
    [result] = assess_profile(parsed, as_of=AS_OF, jurisdictions=["EU"]).results
    assert _finding(result, "eu.ai_act.art111.2") in result.exceptions  # omitted: no change


def test_the_interview_records_i_dont_know_and_asks_what_it_leaves_open() -> None:
    from comity.intake.interview import field_steps, missing_fields, set_field
    from comity.rulebook.questions import DONT_KNOW as ANSWER_UNKNOWN

    steps = field_steps()
    data: dict[str, Any] = {}
    set_field(data, "provider.country", ANSWER_UNKNOWN)
    set_field(data, "system.machine_based", ANSWER_UNKNOWN)
    assert data == {"unknown": ["provider.country", "system.machine_based"]}
    asked = [step.path for step in missing_fields(data, steps)]
    assert "provider.country" not in asked and "system.machine_based" not in asked
    assert "provider.established_in_union" in asked  # the country is unknown: ask this
    named = [step.path for step in missing_fields({"provider": {"country": "DE"}}, steps)]
    assert "provider.established_in_union" not in named
    assert all(step.may_be_unknown for step in steps
               if step.kind in ("yes_no", "one_of") or step.path.startswith("lifecycle."))
    parse_profiles({"profile": 1, "id": "x", "name": "X", **data})  # a valid profile
