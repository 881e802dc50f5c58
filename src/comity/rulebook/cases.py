"""Rule test cases kept as data beside the rules (``<chapter>.cases.yaml``).

Each case is a partial profile, the rule it exercises and what the rule should
conclude. The pytest plugin in the repository's ``conftest.py`` collects one test per
case; ``comity rules test`` runs the same cases from the command line.

::

    base:                      # merged under every case's profile (optional)
      markets: [EU]
      system: {machine_based: true, infers_outputs: true, autonomy: partial}
    cases:
      - name: emotion recognition at work is banned
        rule: eu.ai_act.art5.1.f
        expect: holds          # holds | does_not_hold | undetermined
        as_of: 2026-11-22      # optional (default: DEFAULT_AS_OF)
        profile: {uses: [biometric.emotion_recognition, workplace]}
        tier: prohibited       # optional: the jurisdiction's tier
        mode: law              # pending bills only: test under the law in force
        in_scope: true         # optional
        applies_from: 2025-02-02   # optional: the finding's application date
        enforcement: [stayed]  # optional: restrictions on the finding ([] for none)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from comity.engine.assess import assess_profile, evaluate_rule, evaluate_scope
from comity.errors import InputError, Problem, read_input_text
from comity.profile.files import parse_profiles
from comity.rulebook.conditions import truth_label
from comity.rulebook.loader import Rulebook
from comity.rulebook.status import EnforcementState
from comity.yaml12 import load_yaml

DEFAULT_AS_OF = date(2026, 11, 22)
Expectation = Literal["holds", "does_not_hold", "undetermined"]


class CaseSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    rule: str
    expect: Expectation
    profile: dict[str, Any] = Field(default_factory=dict)
    as_of: date = DEFAULT_AS_OF
    tier: str | None = None
    in_scope: bool | None = None
    # Rules of pending bills are tested as if enacted; ``mode: law`` tests them under
    # the law actually in force (where they never apply).
    mode: Literal["as_if_enacted", "law"] = "as_if_enacted"
    applies_from: date | None = None
    # The finding's enforcement restrictions on ``as_of`` (court stay, grace period).
    enforcement: list[EnforcementState] | None = None


class CaseFileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    base: dict[str, Any] = Field(default_factory=dict)
    cases: list[CaseSpec]


@dataclass(frozen=True)
class RuleCase:
    """One case, with the full profile it assesses."""

    spec: CaseSpec
    profile: dict[str, Any]
    source: str


def load_cases(path: Path) -> list[RuleCase]:
    """Read one ``*.cases.yaml`` file."""
    try:
        spec = CaseFileSpec.model_validate(load_yaml(read_input_text(path), str(path)))
    except ValidationError as error:
        problems = [Problem(".".join(str(p) for p in e["loc"]), e["msg"])
                    for e in error.errors(include_url=False)]
        raise InputError(str(path), problems) from None
    cases = []
    for index, case in enumerate(spec.cases):
        profile = {"profile": 1, "id": f"case-{index}", "name": case.name}
        profile = _merge(_merge(profile, spec.base), case.profile)
        cases.append(RuleCase(case, profile, str(path)))
    return cases


def case_files(rulebook: Rulebook) -> list[Path]:
    return sorted(rulebook.folder.rglob("*.cases.yaml"))


def all_cases(rulebook: Rulebook) -> list[RuleCase]:
    """Every case kept beside the rules of ``rulebook``."""
    return [case for path in case_files(rulebook) for case in load_cases(path)]


@dataclass(frozen=True)
class CaseOutcome:
    """What running a case found: its failures, and whether the rule was evaluated at all.

    A rule is *evaluated* when the profile is not out of the jurisdiction's scope and the
    rule is in force on the case's date; a negative case that does not evaluate its rule
    passes whatever the rule's condition says.
    """

    failures: list[str]
    evaluated: bool


def run_case(case: RuleCase, rulebook: Rulebook) -> list[str]:
    """Run a case; return what did not match (an empty list means it passed)."""
    return check_case(case, rulebook).failures


def check_case(case: RuleCase, rulebook: Rulebook) -> CaseOutcome:
    """Run a case and say what did not match and whether its rule was evaluated."""
    spec = case.spec
    try:
        rule = rulebook.rule(spec.rule)
    except KeyError:
        return CaseOutcome([f"unknown rule {spec.rule!r}"], evaluated=False)
    [profile] = parse_profiles(case.profile, f"{case.source}: case {spec.name!r}")
    result = assess_profile(
        profile, rulebook, as_of=spec.as_of, jurisdictions=[rule.jurisdiction]
    ).result(rule.jurisdiction)
    as_if = rule.spec.status == "pending" and spec.mode == "as_if_enacted"
    scope_kinds = ("scope", "exclusion")
    in_scope = (evaluate_scope(profile, rule.jurisdiction, rulebook, as_of=spec.as_of,
                               with_pending=True) if as_if else result.in_scope)
    evaluated = rule.in_force_on(spec.as_of, with_pending=as_if) and (
        in_scope is not False or rule.spec.kind in scope_kinds
    )
    if as_if and rule.spec.kind in ("scope", "exclusion", "exception"):
        # A bill's scope rules are tested as if enacted, on their own.
        alone = evaluate_rule(profile, spec.rule, rulebook, as_of=spec.as_of,
                              with_pending=True)
        got = truth_label(alone.result)
    elif as_if:
        # A bill's other rules are tested as if enacted: the engine lists them as pending.
        pending = next((f for f in result.pending if f.rule_id == spec.rule), None)
        got = pending.status if pending else "does_not_hold"
    else:
        trace = next((t for t in result.trace if t.rule_id == spec.rule), None)
        got = truth_label(trace.result) if trace else "does_not_hold"
    failures = []
    if got != spec.expect:
        why = "" if evaluated else " (not evaluated: out of scope or not in force)"
        failures.append(f"{spec.rule}: expected {spec.expect}, got {got}{why}")
    if spec.tier is not None and result.tier != spec.tier:
        failures.append(f"tier: expected {spec.tier}, got {result.tier}")
    if spec.in_scope is not None and result.in_scope != spec.in_scope:
        failures.append(f"in_scope: expected {spec.in_scope}, got {result.in_scope}")
    finding = next((f for f in [*result.findings(), *result.undetermined, *result.pending]
                    if f.rule_id == spec.rule), None)
    if spec.applies_from is not None:
        seen = finding.applies_from if finding else None
        if seen != spec.applies_from:
            failures.append(f"applies_from: expected {spec.applies_from}, got {seen}")
    if spec.enforcement is not None:
        states = [r.state for r in finding.enforcement] if finding else None
        if states != spec.enforcement:
            failures.append(f"enforcement: expected {spec.enforcement}, got {states}")
    return CaseOutcome(failures, evaluated)


def coverage_gaps(rulebook: Rulebook, jurisdictions: list[str] | None = None) -> list[str]:
    """Rules lacking a positive (holds or undetermined) or a negative case."""
    seen: dict[str, set[str]] = {}
    for path in case_files(rulebook):
        for case in load_cases(path):
            seen.setdefault(case.spec.rule, set()).add(case.spec.expect)
    gaps = []
    for rule in rulebook.rules():
        if jurisdictions and rule.jurisdiction not in jurisdictions:
            continue
        kinds = seen.get(rule.id, set())
        if not kinds & {"holds", "undetermined"}:
            gaps.append(f"{rule.id}: no positive case")
        if "does_not_hold" not in kinds:
            gaps.append(f"{rule.id}: no negative case")
    return gaps


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged
