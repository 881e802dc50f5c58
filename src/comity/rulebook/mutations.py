"""Do a rule's own cases pin its condition? Replace the condition by a constant and see.

For every rule with a ``when:``, two mutants are made: the condition always holds, and
the condition never holds. Each mutant is run against the cases written for that rule
(and only those). A mutant that no case notices *survives*: the cases would still pass
if the condition were deleted (always true) or could never be met (always false), so
they do not pin what the rule says.

A survivor is *explained* when no case could notice it: the condition only restates
the jurisdiction's scope (every in-scope profile meets it), or the rule carries an
``unpinned:`` note saying why. Everything else is a gap in the cases.

>>> from comity.rulebook.loader import default_rulebook
>>> mutation_report(default_rulebook()).unexplained  # doctest: +SKIP
[]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from comity.rulebook.cases import RuleCase, all_cases, check_case
from comity.rulebook.conditions import AllOf, Always, Check, Condition, Context
from comity.rulebook.loader import Rule, Rulebook

Mutant = Literal["always_true", "always_false"]
MUTANTS: tuple[Mutant, ...] = ("always_true", "always_false")
REPEATS_SCOPE = "the condition restates the jurisdiction's scope"
READS_NOTHING = "the condition reads no fact of the profile (only an open question)"


@dataclass(frozen=True, slots=True)
class _Constant:
    """A condition that ignores the profile: the mutant's replacement for ``when:``."""

    value: bool

    def evaluate(self, context: Context) -> Check:
        return Check(f"mutant: always {str(self.value).lower()}", self.value, kind="always")

    def facts_used(self) -> set[str]:
        return set()

    def conclusions_used(self) -> set[str]:
        return set()


@dataclass(frozen=True)
class Survivor:
    """A mutant of ``rule_id`` that none of the rule's own cases noticed."""

    rule_id: str
    mutant: Mutant
    cases: int
    reason: str | None = None  # why no case could notice it, if it is explained

    def describe(self) -> str:
        change = "deleting its condition" if self.mutant == "always_true" else (
            "making its condition impossible")
        text = f"{self.rule_id}: {self.cases} case(s) still pass after {change}"
        return text + (f" (explained: {self.reason})" if self.reason else "")


@dataclass(frozen=True)
class MutationReport:
    """What the rule-mutation check found over a rulebook."""

    rules_checked: int
    mutants: int
    survivors: list[Survivor] = field(default_factory=list)
    # Rules whose negative cases never evaluate the rule (out of scope or not in force).
    idle_negatives: list[str] = field(default_factory=list)
    # Rules with an ``unpinned:`` note although their cases do pin the condition.
    stale_notes: list[str] = field(default_factory=list)

    @property
    def unexplained(self) -> list[Survivor]:
        return [survivor for survivor in self.survivors if survivor.reason is None]

    @property
    def passed(self) -> bool:
        return not (self.unexplained or self.idle_negatives or self.stale_notes)


def mutated_rulebook(rulebook: Rulebook, rule_id: str, mutant: Mutant) -> Rulebook:
    """A copy of ``rulebook`` in which one rule's condition is replaced by a constant."""
    rule = rulebook.rule(rule_id)
    jurisdiction = rulebook.jurisdictions[rule.jurisdiction]
    replacement = dataclasses.replace(rule, condition=_Constant(mutant == "always_true"))
    # A new Jurisdiction object (not an edited one): evaluation caches are keyed on it.
    changed = dataclasses.replace(
        jurisdiction,
        rules=[replacement if r is rule else r for r in jurisdiction.rules],
        _rules_by_id={},
    )
    return dataclasses.replace(
        rulebook, jurisdictions={**rulebook.jurisdictions, rule.jurisdiction: changed}
    )


def unpinnable_reason(rule: Rule, rulebook: Rulebook) -> str | None:
    """Why no case can make the rule's condition false within scope, if that is so."""
    scope = _conjuncts(rulebook.jurisdictions[rule.jurisdiction].scope)
    if isinstance(rule.condition, Always) or all(
        item in scope for item in _conjuncts(rule.condition)
    ):
        return REPEATS_SCOPE
    if not rule.condition.facts_used() and not rule.condition.conclusions_used():
        return READS_NOTHING
    return rule.spec.unpinned


def mutation_report(rulebook: Rulebook, cases: Iterable[RuleCase] | None = None, *,
                    jurisdictions: Iterable[str] | None = None) -> MutationReport:
    """Run both mutants of every rule against its own cases, and check the negatives."""
    codes = set(jurisdictions) if jurisdictions is not None else set(rulebook.jurisdictions)
    by_rule: dict[str, list[RuleCase]] = {}
    for case in all_cases(rulebook) if cases is None else cases:
        by_rule.setdefault(case.spec.rule, []).append(case)
    survivors, idle, stale = [], [], []
    checked = mutants = 0
    for rule in rulebook.rules():
        own = by_rule.get(rule.id, [])
        if not own or rule.jurisdiction not in codes:
            continue
        reason = unpinnable_reason(rule, rulebook)
        negatives = [case for case in own if case.spec.expect == "does_not_hold"]
        if reason is None and negatives and not any(
            check_case(case, rulebook).evaluated for case in negatives
        ):
            idle.append(rule.id)
        if isinstance(rule.condition, Always):
            continue
        checked += 1
        found = []
        for mutant in MUTANTS:
            mutants += 1
            book = mutated_rulebook(rulebook, rule.id, mutant)
            if not any(check_case(case, book).failures for case in own):
                found.append(Survivor(rule.id, mutant, len(own), reason))
        if rule.spec.unpinned is not None and not found:
            stale.append(rule.id)
        survivors += found
    return MutationReport(checked, mutants, survivors, idle, stale)


def _conjuncts(condition: Condition) -> list[Condition]:
    return list(condition.items) if isinstance(condition, AllOf) else [condition]
