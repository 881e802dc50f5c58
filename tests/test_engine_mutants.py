"""Bookkeeping of the engine and the comparison pinned field by field: the finding for
an undetermined scope, and the keys of comparison output (mutation testing,
docs/testing.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from comity import assess_profile, load_profiles, parse_profiles
from comity.analysis.compare import compare_portfolio, compare_profile
from comity.engine.assess import (
    UnknownJurisdictionError,
    coverage_of,
    evaluate_rule,
    evaluate_scope,
    input_hash,
    instrument_names,
)
from comity.profile.model import Profile
from comity.rulebook.loader import default_rulebook, load_rulebook
from tests.conftest import minimal_profile
from tests.test_loader_checks import _rule, _rulebook

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


def test_out_of_scope_because_names_the_exclusion_that_held() -> None:
    [profile] = parse_profiles(minimal_profile(flags={"exclusively_military": True}))
    result = assess_profile(profile, as_of=date(2027, 1, 1), jurisdictions=["EU"]).result("EU")
    assert result.in_scope is False
    assert [reason.to_dict() for reason in result.out_of_scope_because] == [
        {"rule": "eu.ai_act.art2.3", "citation": "AI Act, Art. 2(3), second subparagraph",
         "title": "Military, defence and national security", "result": "holds"}]


def test_out_of_scope_because_names_the_scope_rule_not_met() -> None:
    [profile] = parse_profiles(minimal_profile(system={
        "machine_based": True, "infers_outputs": False, "autonomy": "partial"}))
    result = assess_profile(profile, as_of=date(2027, 1, 1), jurisdictions=["EU"]).result("EU")
    assert result.in_scope is False
    assert [(r.rule_id, r.citation, r.title, r.held) for r in result.out_of_scope_because] == [
        ("eu.ai_act.art3.1", "AI Act, Art. 3(1)", "AI system", False),
        ("eu.ai_act.art3.63", "AI Act, Art. 3(63)", "General-purpose AI model", False)]


def test_evaluate_rule_uses_the_date_the_rulebook_and_pending_bills_it_is_given() -> None:
    [profile] = parse_profiles(minimal_profile(markets=["US-CO"], uses=["credit.scoring"],
                                               decision_role="substantial_factor"))
    rule = "us-co.admt.6-1-1702.1"
    assert evaluate_rule(profile, rule, as_of=date(2024, 1, 1)).result is False
    assert evaluate_rule(profile, rule, as_of=date(2027, 1, 1)).result is True
    # A treaty article owed by the parties holds only once the treaty counts (pending).
    treaty = "int_coe.cets225.art8"
    assert evaluate_rule(profile, treaty, as_of=date(2027, 6, 1)).result is False
    assert evaluate_rule(profile, treaty, as_of=date(2027, 6, 1),
                         with_pending=True).result is True


def test_evaluate_scope_uses_the_date_answers_and_pending_bills_it_is_given() -> None:
    [lender] = parse_profiles(minimal_profile(markets=["US-CO"], uses=["credit.scoring"],
                                              decision_role="substantial_factor"))
    assert evaluate_scope(lender, "US-CO", as_of=date(2024, 1, 1)) is False
    assert evaluate_scope(lender, "US-CO", as_of=date(2027, 1, 1)) is True
    # The Council of Europe convention is not yet in force for the EU: pending.
    [eu_system] = parse_profiles(minimal_profile(markets=["EU", "US"]))
    assert evaluate_scope(eu_system, "INT-COE", as_of=date(2027, 6, 1)) is False
    assert evaluate_scope(eu_system, "INT-COE", as_of=date(2027, 6, 1),
                          with_pending=True) is not False
    results = []
    for answers in ({}, {"in.intermediary": "yes"}, {"in.intermediary": "no"}):
        [generator] = parse_profiles(minimal_profile(markets=["IN"], answers=answers,
                                                     uses=["content.generation"]))
        results.append(evaluate_scope(generator, "IN", as_of=date(2027, 1, 1)))
    assert results == [None, True, False]


def test_instruments_sharing_a_short_title_are_named_by_their_title() -> None:
    names = instrument_names(default_rulebook().jurisdictions["US-CA"])
    assert names == {
        "ca-sb-942": "California AI Transparency Act", "ca-ab-2013": "Civ. Code",
        "ca-sb-53": "Transparency in Frontier Artificial Intelligence Act",
        "ca-ccpa-regs": "Cal. Code Regs., tit. 11", "ca-sb-243": "Companion Chatbots",
        "ca-sb-1000": "SB 1000"}


def test_an_undetermined_scope_finding_carries_its_questions() -> None:
    [generator] = parse_profiles(minimal_profile(markets=["IN"], uses=["content.generation"]))
    result = assess_profile(generator, as_of=date(2027, 1, 1),
                            jurisdictions=["IN"]).result("IN")
    scope = next(f for f in result.undetermined if f.kind == "scope")
    assert scope.duty_relation == "equal"
    assert [q.id for q in scope.questions] == ["in.intermediary"]
    assert [q.id for q in scope.open_points[0].questions] == ["in.intermediary"]


def test_every_exclusion_that_held_is_named_under_a_nested_not(tmp_path: Path) -> None:
    # No shipped regime nests exclusions under not/any, but the engine allows it.
    rules = [_rule("xx.act.base", kind="scope", duty=None, establishes=["base"]),
             _rule("xx.act.x1", kind="exclusion", duty=None, establishes=["out"],
                   when={"fact": "flags.profiling"}),
             _rule("xx.act.x2", kind="exclusion", duty=None, establishes=["gone"],
                   when={"fact": "flags.exclusively_military"}),
             _rule("xx.act.x3", kind="exclusion", duty=None, establishes=["gone"],
                   when={"fact": "flags.preparatory_task"})]
    book = load_rulebook(_rulebook(tmp_path, rules, scope={"all": [
        {"established": "base"},
        {"not": {"any": [{"established": "out"}, {"established": "gone"}]}}]}))
    [profile] = parse_profiles(minimal_profile(flags={"profiling": True,
                                                      "exclusively_military": True}))
    result = assess_profile(profile, book, as_of=date(2027, 1, 1),
                            jurisdictions=["XX"]).result("XX")
    assert result.in_scope is False
    assert [(r.rule_id, r.held) for r in result.out_of_scope_because] == [
        ("xx.act.x1", True), ("xx.act.x2", True)]


def test_unknown_jurisdictions_are_named_with_the_known_ones() -> None:
    [profile] = parse_profiles(minimal_profile())
    with pytest.raises(UnknownJurisdictionError) as caught:
        assess_profile(profile, jurisdictions=["QQ", "eu", "ZZ"])
    known = ", ".join(default_rulebook().jurisdictions)
    assert str(caught.value) == f"unknown jurisdiction QQ, ZZ; known: {known}"


def test_a_pending_provision_counts_only_when_asked() -> None:
    rule = default_rulebook().rule("int_coe.cets225.art8")
    assert rule.spec.status == "pending"
    assert rule.in_force_on(date(2027, 6, 1)) is False
    assert rule.in_force_on(date(2027, 6, 1), with_pending=True) is True


def test_pending_findings_keep_bans_and_the_role_s_duties_and_never_scope_rules(
        tmp_path: Path) -> None:
    pending = {"status": "pending"}
    rules = [
        _rule("xx.act.deemed", kind="classification", duty=None, addressees=[],
              establishes=["deemed_provider"], when={"fact": "flags.profiling"}),
        _rule("xx.act.other"),
        _rule("xx.act.duty", **pending),
        _rule("xx.act.ban", kind="prohibition", duty=None, **pending),
        _rule("xx.act.scope", kind="scope", duty=None, addressees=[], establishes=["wide"],
              **pending),
        _rule("xx.act.exclusion", kind="exclusion", duty=None, addressees=[],
              establishes=["narrow"], **pending),
        _rule("xx.act.exception", kind="exception", duty=None, addressees=[],
              exception_of=["xx.act.other"], **pending),
    ]
    book = load_rulebook(_rulebook(tmp_path, rules))

    def pending_ids(role: str | None, **flags: bool) -> list[str]:
        [profile] = parse_profiles(minimal_profile(flags=flags))
        result = assess_profile(profile, book, as_of=date(2027, 1, 1), jurisdictions=["XX"],
                                role=role).result("XX")
        return [finding.rule_id for finding in result.pending]

    assert pending_ids(None) == ["xx.act.duty", "xx.act.ban"]
    assert pending_ids("deployer") == ["xx.act.ban"]
    # A deployer deemed the provider (EU Art. 25-style) takes the provider's duties.
    assert pending_ids("deployer", profiling=True) == ["xx.act.duty", "xx.act.ban"]


def _example_assessments(day: date) -> list[Any]:
    root = Path(__file__).resolve().parent.parent
    paths = [p for p in sorted((root / "examples").glob("**/*.yaml"))
             if "cooperation" not in p.parts]
    paths.append(root / "tests" / "data" / "profiles" / "vn-cv-screener.yaml")
    return [assess_profile(profile, as_of=day) for path in paths
            for profile in load_profiles(path)]


def test_each_finding_carries_its_rule_s_summary_citation_parts_and_notes() -> None:
    book = default_rulebook()
    seen = {"related": 0, "interpretation": 0, "transitional": 0}
    for assessment in _example_assessments(date(2027, 1, 1)):
        for result in assessment.results:
            for finding in result.findings():
                rule = book.rule(finding.rule_id)
                assert (finding.summary, finding.citation_parts, finding.related,
                        finding.interpretation, finding.transitional) == (
                    rule.spec.summary, rule.citation_parts, rule.related,
                    rule.spec.interpretation, rule.transitional), finding.rule_id
                seen["related"] += bool(finding.related)
                seen["interpretation"] += bool(finding.interpretation)
                seen["transitional"] += bool(finding.transitional)
    assert all(seen.values()), seen


def test_each_finding_is_filed_under_its_kind() -> None:
    states = default_rulebook().state_addressees
    filed: dict[str, set[str]] = {}
    for day in (date(2026, 9, 1), date(2027, 1, 1)):
        for assessment in _example_assessments(day):
            for result in assessment.results:
                for name, kinds in (("prohibitions", {"prohibition"}),
                                    ("obligations", {"obligation"}),
                                    ("expectations", {"expectation"}),
                                    ("defences", {"defence"}),
                                    ("exceptions", {"exception"}),
                                    ("addressed_to_states", {"obligation", "expectation"})):
                    found = getattr(result, name)
                    assert {f.kind for f in found} <= kinds, (result.jurisdiction, name)
                    filed.setdefault(name, set()).update(f.rule_id for f in found)
                for finding in result.addressed_to_states:
                    assert set(finding.addressees) <= states
    assert "us-co.caia.6-1-1706.3" in filed["defences"]
    [procedural] = parse_profiles(minimal_profile(
        uses=["employment.recruitment"], decision_role="supporting",
        flags={"narrow_procedural_task": True}))
    eu = assess_profile(procedural, as_of=date(2027, 12, 5), jurisdictions=["EU"]).result("EU")
    assert [f.rule_id for f in eu.exceptions] == ["eu.ai_act.art6.3"]
    filed["exceptions"].update(f.rule_id for f in eu.exceptions)
    assert all(filed.values()), {name: len(ids) for name, ids in filed.items()}


def test_a_duty_owed_by_every_kind_of_state_body_is_the_state_s() -> None:
    # UNESCO's policy areas are addressed to member states and their public bodies.
    [agency] = parse_profiles(minimal_profile(markets=["FR"], deployer={
        "country": "FR", "kind": "public_authority"}))
    result = assess_profile(agency, as_of=date(2027, 1, 1),
                            jurisdictions=["INT-UNESCO"]).result("INT-UNESCO")
    assert "int_unesco.rec.policy_area_1" in {f.rule_id for f in result.addressed_to_states}


def test_an_open_exception_is_an_open_point_naming_the_exception() -> None:
    root = Path(__file__).resolve().parent.parent
    [profile] = load_profiles(root / "examples" / "credit-model.yaml")
    result = assess_profile(profile, as_of=date(2026, 9, 1),
                            jurisdictions=["US-CO"]).result("US-CO")
    finding = next(f for f in result.undetermined if f.rule_id == "us-co.caia.6-1-1703.2")
    [point] = [p for p in finding.open_points if p.part == "exception"]
    rule = default_rulebook().rule("us-co.caia.6-1-1703.6")
    assert (point.rule_id, point.citation, point.title) == (rule.id, rule.citation,
                                                             rule.spec.title)
    assert point.to_dict()["part"] == "exception"


def test_an_answer_seen_is_named_in_the_finding_s_facts() -> None:
    root = Path(__file__).resolve().parent.parent
    [profile] = load_profiles(root / "examples" / "answers" / "face-swap-app.yaml")
    result = assess_profile(profile, as_of=date(2027, 1, 1), jurisdictions=["CN"]).result("CN")
    finding = next(f for f in result.findings() if f.rule_id == "cn.labelling_measures.art10")
    assert finding.facts["answers.cn.publishes_generated_content"] is True
    [unsure] = parse_profiles(minimal_profile(markets=["IN"], uses=["content.generation"],
                                              answers={"in.intermediary": "unknown"}))
    scope = assess_profile(unsure, as_of=date(2027, 1, 1), jurisdictions=["IN"]).result(
        "IN").scope
    intermediary = next(f for f in scope if f.rule_id == "in.it_act.s2.1.w")
    assert intermediary.facts == {"answers.in.intermediary": "unknown (answered)",
                                  "uses": ["content.generation"]}


def test_the_input_hash_is_stable_and_ignores_empty_additions() -> None:
    root = Path(__file__).resolve().parent.parent
    [screener] = load_profiles(root / "examples" / "cv-screener.yaml")
    # Stored assessments are pinned to this value: it must not drift between versions.
    assert input_hash(screener) == (
        "ba1e0b740d907286bce86d869600967d894d3fde513a93114d193ffff5be92e3")
    data = screener.model_dump(mode="json", exclude_defaults=True)
    empty: dict[str, Any] = {
        "answers": {}, "roles": [], "unknown": [], "use_areas": [], "lifecycle": {},
             "provider": {**data["provider"], "employees": None,
                          "established_in_union": None},
             "system": {**data["system"], "open_source": False, "monthly_users": None},
             "flags": {**data.get("flags", {}), "exclusively_national_security": False}}
    [same] = parse_profiles({**data, **empty})
    assert input_hash(same) == input_hash(screener)
    for change in ({"roles": ["deployer"]}, {"lifecycle": {"placed_on_market": "2025-01-01"}},
                   {"system": {**data["system"], "open_source": True}},
                   {"flags": {**data.get("flags", {}),
                              "exclusively_national_security": True}}):
        [other] = parse_profiles({**data, **change})
        assert input_hash(other) != input_hash(screener), change


def test_a_market_that_reaches_a_jurisdiction_is_named_in_its_result() -> None:
    [profile] = parse_profiles(minimal_profile(markets=["DE", "US"]))
    results = assess_profile(profile, as_of=date(2027, 1, 1)).results
    notes = {r.jurisdiction: r.market_note for r in results}
    assert notes["EU"] == "market DE lies in European Union"
    assert notes["US-CO"] == ("applies if used in Colorado (United States) "
                              "(market US covers it)")
    assert notes["US-FED"] == "applies if used by a US federal agency (market US covers it)"
    assert notes["CN"] is None


def test_a_conclusion_in_the_trace_lists_the_rules_that_establish_it() -> None:
    root = Path(__file__).resolve().parent.parent
    [screener] = load_profiles(root / "examples" / "cv-screener.yaml")
    trace = evaluate_rule(screener, "eu.ai_act.art9", as_of=date(2028, 1, 1))
    assert trace.citation == default_rulebook().rule("eu.ai_act.art9").citation
    [conclusion] = trace.check.children
    assert (conclusion.test, conclusion.result, conclusion.kind) == (
        "high_risk_requirements by any rule", True, "conclusion")
    assert [(c.test, c.result, c.kind) for c in conclusion.children] == [
        ("rule eu.ai_act.art6.2 (AI Act, Art. 6(2))", True, "rule")]


def test_the_assessment_records_each_answer_with_its_wording_version() -> None:
    root = Path(__file__).resolve().parent.parent
    [answered] = load_profiles(root / "examples" / "answers" / "face-swap-app.yaml")
    assessment = assess_profile(answered, as_of=date(2027, 1, 1))
    record = assessment.answers["cn.publishes_generated_content"]
    assert (record["value"], record["reworded"]) == ("yes", False)
    assert record["question_version"] == default_rulebook().questions[
        "cn.publishes_generated_content"].version
    assert set(assessment.answers) == set(answered.answers)
    for result in assessment.results:
        assert result.coverage == coverage_of(
            default_rulebook().jurisdictions[result.jurisdiction], date(2027, 1, 1))
