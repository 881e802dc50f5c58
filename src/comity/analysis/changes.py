"""What changed: between two results of one system, and between two rulebooks.

Results are compared in their JSON form (``Assessment.to_dict()``), the form in which
they are stored, so a result saved months ago compares with one computed today. Rules
are compared by id: added, removed, re-dated (entry into force, lapse or application
date) or reworded (title, summary, citation or condition).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from comity.rulebook.loader import Rule, Rulebook

FINDING_LISTS = ("prohibitions", "obligations", "classifications", "expectations",
                 "undetermined", "pending")
FINDING_FIELDS = ("applies_from", "applicable", "status", "citation")
HEADLINE_FIELDS = ("in_scope", "tier", "common_tier")


@dataclass
class JurisdictionDiff:
    """How one jurisdiction's result moved from ``before`` to ``after``."""

    jurisdiction: str
    headline: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.headline or self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction,
                "headline": {k: {"before": a, "after": b} for k, (a, b) in self.headline.items()},
                "added": self.added, "removed": self.removed, "changed": self.changed}


@dataclass
class ResultDiff:
    """Two results of one profile (or two versions of it)."""

    before: dict[str, Any]
    after: dict[str, Any]
    jurisdictions: list[JurisdictionDiff]

    @property
    def empty(self) -> bool:
        return all(j.empty for j in self.jurisdictions)

    def to_dict(self) -> dict[str, Any]:
        return {"format": "comity.result_diff.v1",
                "before": _stamp(self.before), "after": _stamp(self.after),
                "changed": not self.empty,
                "jurisdictions": [j.to_dict() for j in self.jurisdictions if not j.empty]}


def diff_results(before: dict[str, Any], after: dict[str, Any]) -> ResultDiff:
    """Compare two results in ``comity.result.v1`` form, jurisdiction by jurisdiction."""
    old = {r["jurisdiction"]: r for r in before.get("results", [])}
    new = {r["jurisdiction"]: r for r in after.get("results", [])}
    diffs = []
    for code in [*old, *(c for c in new if c not in old)]:
        diff = JurisdictionDiff(code)
        a, b = old.get(code, {}), new.get(code, {})
        for name in HEADLINE_FIELDS:
            if a.get(name) != b.get(name):
                diff.headline[name] = (a.get(name), b.get(name))
        findings_a, findings_b = _findings(a), _findings(b)
        for key, finding in findings_b.items():
            if key not in findings_a:
                diff.added.append(_brief(key, finding))
            else:
                changes = {name: {"before": findings_a[key].get(name),
                                  "after": finding.get(name)}
                           for name in FINDING_FIELDS
                           if findings_a[key].get(name) != finding.get(name)}
                if changes:
                    diff.changed.append({**_brief(key, finding), "changes": changes})
        diff.removed = [_brief(key, f) for key, f in findings_a.items() if key not in findings_b]
        diffs.append(diff)
    return ResultDiff(before, after, diffs)


def _findings(result: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(name, f["id"]): f for name in FINDING_LISTS for f in result.get(name, [])}


def _brief(key: tuple[str, str], finding: dict[str, Any]) -> dict[str, Any]:
    return {"list": key[0], "id": key[1], "citation": finding.get("citation"),
            "title": finding.get("title"), "applies_from": finding.get("applies_from")}


def _stamp(result: dict[str, Any]) -> dict[str, Any]:
    return {"rulebook": result.get("rulebook"), "as_of": result.get("as_of"),
            "input_hash": result.get("input_hash")}


@dataclass(frozen=True)
class RuleChange:
    """One rule that differs between two rulebooks."""

    jurisdiction: str
    rule_id: str
    change: str  # added | removed | redated | reworded
    citation: str
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "id": self.rule_id, "change": self.change,
                "citation": self.citation, "details": self.details}


def diff_rulebooks(old: Rulebook, new: Rulebook, day: date) -> list[RuleChange]:
    """Rules added, removed, re-dated or reworded from ``old`` to ``new``.

    Dates are read as the law stands on ``day`` (date parameters can move over time).
    """
    before = {rule.id: rule for rule in old.rules()}
    after = {rule.id: rule for rule in new.rules()}
    changes: list[RuleChange] = []
    for rule_id, rule in after.items():
        if rule_id not in before:
            changes.append(RuleChange(rule.jurisdiction, rule_id, "added", rule.citation,
                                      {"title": rule.spec.title}))
            continue
        previous = before[rule_id]
        dates_a, dates_b = _dates(previous, old, day), _dates(rule, new, day)
        if dates_a != dates_b:
            changes.append(RuleChange(rule.jurisdiction, rule_id, "redated", rule.citation, {
                name: {"before": dates_a[name], "after": dates_b[name]}
                for name in dates_b if dates_a[name] != dates_b[name]}))
        words_a, words_b = _wording(previous), _wording(rule)
        if words_a != words_b:
            changes.append(RuleChange(rule.jurisdiction, rule_id, "reworded", rule.citation, {
                name: {"before": words_a[name], "after": words_b[name]}
                for name in words_b if words_a[name] != words_b[name]}))
    changes += [RuleChange(rule.jurisdiction, rule_id, "removed", rule.citation,
                           {"title": rule.spec.title})
                for rule_id, rule in before.items() if rule_id not in after]
    return sorted(changes, key=lambda c: (c.jurisdiction, c.rule_id, c.change))


def dated_changes(rulebook: Rulebook, start: date, end: date) -> list[RuleChange]:
    """Rules of one rulebook that enter into force, lapse or start to apply in (start, end].

    One change per rule; ``details`` names each of its dates that falls in the window.
    """
    found = []
    for rule in rulebook.rules():
        if rule.spec.status == "pending":
            continue
        events = {name: value for name, value in _dates(rule, rulebook, end).items()
                  if value is not None and start < date.fromisoformat(value) <= end}
        if events:
            found.append(RuleChange(rule.jurisdiction, rule.id, "dated", rule.citation,
                                    {"date": min(events.values()), "events": events,
                                     "title": rule.spec.title}))
    return sorted(found, key=lambda c: (c.details["date"], c.jurisdiction, c.rule_id))


def _dates(rule: Rule, rulebook: Rulebook, day: date) -> dict[str, str | None]:
    parameters = rulebook.jurisdictions[rule.jurisdiction].parameters
    window = rule.spec.in_force
    return {"in_force": window.start.isoformat(),
            "until": window.until.isoformat() if window.until else None,
            "applies_from": rule.applies_from(day, parameters).isoformat()}


def _wording(rule: Rule) -> dict[str, Any]:
    spec = rule.spec
    return {"title": spec.title, "summary": spec.summary, "citation": rule.citation,
            "condition": spec.when}
