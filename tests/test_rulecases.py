"""The rule cases and the harness that runs them: the harness must report failures,
and every rule's cases must pin its condition (the rule-mutation check)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from comity.errors import InputError
from comity.rulebook.cases import (
    CaseSpec,
    RuleCase,
    check_case,
    coverage_gaps,
    load_cases,
    run_case,
)
from comity.rulebook.loader import default_rulebook, load_rulebook
from comity.rulebook.mutations import (
    READS_NOTHING,
    REPEATS_SCOPE,
    mutated_rulebook,
    mutation_report,
)

EU_BASE = {"profile": 1, "id": "case", "name": "case", "markets": ["EU"],
           "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"}}


def _case(rule: str, expect: str, profile: dict[str, Any] | None = None,
          **fields: Any) -> RuleCase:
    spec = CaseSpec.model_validate({"name": "t", "rule": rule, "expect": expect,
                                    "profile": profile or {}, **fields})
    return RuleCase(spec, {**EU_BASE, **(profile or {})}, "<test>")


BANNED = {"uses": ["biometric.emotion_recognition", "workplace"]}


def test_every_rule_has_positive_and_negative_cases() -> None:
    gaps = coverage_gaps(default_rulebook())
    assert not gaps, "\n".join(gaps)


def test_a_correct_case_passes_and_says_it_evaluated_its_rule() -> None:
    outcome = check_case(_case("eu.ai_act.art5.1.f", "holds", BANNED, tier="prohibited",
                               in_scope=True), default_rulebook())
    assert outcome.failures == [] and outcome.evaluated


@pytest.mark.parametrize(("fields", "message"), [
    ({"expect": "does_not_hold"}, "expected does_not_hold, got holds"),
    ({"expect": "undetermined"}, "expected undetermined, got holds"),
    ({"tier": "high"}, "tier: expected high, got prohibited"),
    ({"in_scope": False}, "in_scope: expected False, got True"),
    ({"applies_from": "2026-01-01"}, "applies_from: expected 2026-01-01, got 2025-02-02"),
])
def test_the_harness_reports_each_wrong_expectation(fields: dict[str, Any],
                                                    message: str) -> None:
    checks = {key: value for key, value in fields.items() if key != "expect"}
    case = _case("eu.ai_act.art5.1.f", str(fields.get("expect", "holds")), BANNED, **checks)
    failures = run_case(case, default_rulebook())
    assert any(message in failure for failure in failures), failures


def test_the_harness_reports_an_unknown_rule() -> None:
    assert run_case(_case("eu.no_such_rule", "holds"), default_rulebook()) == [
        "unknown rule 'eu.no_such_rule'"]


def test_a_negative_case_out_of_scope_passes_but_is_not_evaluated() -> None:
    outcome = check_case(_case("eu.ai_act.art5.1.f", "does_not_hold",
                               {**BANNED, "markets": ["JP"]}), default_rulebook())
    assert outcome.failures == [] and not outcome.evaluated
    before = check_case(_case("eu.ai_act.art5.1.f", "does_not_hold", BANNED,
                              as_of=date(2024, 7, 1)), default_rulebook())
    assert before.failures == [] and not before.evaluated


def test_a_malformed_case_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "x.cases.yaml"
    path.write_text("cases:\n  - name: n\n    rule: eu.ai_act.art4\n    expect: maybe\n")
    with pytest.raises(InputError) as error:
        load_cases(path)
    assert error.value.problems[0].path == "cases.0.expect"


def test_rules_test_exits_1_on_a_failing_case(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rulebook().folder, rules)
    cases = rules / "eu" / "prohibitions.cases.yaml"
    text = cases.read_text(encoding="utf-8")
    cases.write_text(text.replace("expect: holds", "expect: does_not_hold", 1),
                     encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "comity", "rules", "test", "-j", "EU"],
                          capture_output=True, text=True,
                          env={**os.environ, "COMITY_RULES": str(rules)}, check=False)
    assert done.returncode == 1, done.stdout
    assert "FAIL prohibitions.cases.yaml" in done.stdout
    assert "1 failed" in done.stdout


def test_a_mutant_replaces_one_condition_only() -> None:
    book = default_rulebook()
    mutant = mutated_rulebook(book, "eu.ai_act.art5.1.f", "always_false")
    assert run_case(_case("eu.ai_act.art5.1.f", "holds", BANNED), mutant) != []
    assert run_case(_case("eu.ai_act.art5.1.f", "holds", BANNED), book) == []
    assert run_case(_case("eu.ai_act.art5.1.a", "holds",
                          {"uses": ["manipulation.subliminal"]}), mutant) == []


def test_the_mutation_check_finds_a_rule_whose_cases_do_not_pin_it() -> None:
    """Only positive cases (and a negative one out of scope) cannot notice a deleted
    condition: the check must report it."""
    book = default_rulebook()
    cases = [_case("eu.ai_act.art5.1.f", "holds", BANNED),
             _case("eu.ai_act.art5.1.f", "does_not_hold", {**BANNED, "markets": ["JP"]})]
    report = mutation_report(book, cases)
    assert [(s.rule_id, s.mutant) for s in report.unexplained] == [
        ("eu.ai_act.art5.1.f", "always_true")]
    assert report.idle_negatives == ["eu.ai_act.art5.1.f"]
    assert not report.passed


def test_every_rule_condition_is_pinned_by_its_own_cases() -> None:
    report = mutation_report(default_rulebook())
    assert report.rules_checked > 500
    assert not report.unexplained, "\n".join(s.describe() for s in report.unexplained)
    assert not report.idle_negatives, report.idle_negatives
    assert not report.stale_notes, report.stale_notes
    reasons = {s.reason for s in report.survivors}
    notes = {rule.spec.unpinned for rule in default_rulebook().rules()}
    assert reasons <= {REPEATS_SCOPE, READS_NOTHING} | notes


def test_duplicate_rule_ids_are_rejected(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(default_rulebook().folder, rules)
    chapter = rules / "eu" / "prohibitions.yaml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("id: eu.ai_act.art5.1.b\n", "id: eu.ai_act.art5.1.a\n", 1),
                       encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_rulebook(rules)
    assert any(p.message == "duplicate rule id" and "eu.ai_act.art5.1.a" in p.path
               for p in error.value.problems)
