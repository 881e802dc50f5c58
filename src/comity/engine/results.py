"""What an assessment returns: per jurisdiction, findings with citations and a trace."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from comity.rulebook.conditions import Check, Truth, truth_label
from comity.rulebook.status import Enforcement

TRACE_FORMAT = "comity.trace.v1"
RESULT_FORMAT = "comity.result.v1"


@dataclass(slots=True)  # not frozen: one per rule per assessment, on the hot path
class RuleTrace:
    """How one rule was evaluated: its own condition, and the exceptions that bear on it."""

    rule_id: str
    citation: str
    result: Truth
    check: Check
    defeated_by: tuple[str, ...] = ()
    exceptions: tuple[RuleTrace, ...] = ()

    def missing_facts(self) -> list[str]:
        found = self.check.missing_facts()
        for exception in self.exceptions:
            if exception.result is None:
                found += [name for name in exception.missing_facts() if name not in found]
        return found

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule_id,
            "citation": self.citation,
            "result": truth_label(self.result),
            "condition": self.check.to_dict(),
        }
        if self.defeated_by:
            data["defeated_by"] = list(self.defeated_by)
        if self.exceptions:
            data["exceptions"] = [exception.to_dict() for exception in self.exceptions]
        return data


@dataclass(frozen=True)
class Finding:
    """One conclusion that applies (or may apply) to the profile, with its source."""

    rule_id: str
    kind: str
    title: str
    summary: str
    citation: str
    citation_parts: dict[str, str]
    addressees: tuple[str, ...]
    duty: str | None
    duty_relation: str
    applies_from: date
    applicable: bool
    status: str  # "holds" or "undetermined"
    facts: dict[str, Any]
    needs: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    interpretation: str | None = None
    transitional: tuple[dict[str, str], ...] = ()
    # Court stays, injunctions or sanctions grace periods in effect on the as-of date:
    # the duty is law, but its enforcement is restricted.
    enforcement: tuple[Enforcement, ...] = ()

    @property
    def enforcement_marker(self) -> str:
        """Short marker for tables (empty when enforcement is unrestricted)."""
        return "; ".join(restriction.marker for restriction in self.enforcement)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.rule_id,
            "kind": self.kind,
            "title": self.title,
            "summary": self.summary,
            "citation": self.citation,
            "citation_parts": self.citation_parts,
            "addressees": list(self.addressees),
            "applies_from": self.applies_from.isoformat(),
            "applicable": self.applicable,
            "status": self.status,
            "facts": self.facts,
        }
        if self.duty:
            data["duty"] = self.duty
            data["duty_relation"] = self.duty_relation
        if self.needs:
            data["needs"] = list(self.needs)
        if self.related:
            data["related"] = list(self.related)
        if self.interpretation:
            data["interpretation"] = self.interpretation
        if self.transitional:
            data["transitional"] = list(self.transitional)
        if self.enforcement:
            data["enforcement"] = [restriction.to_dict() for restriction in self.enforcement]
        return data


@dataclass
class JurisdictionResult:
    """The outcome for one jurisdiction."""

    jurisdiction: str
    name: str
    in_scope: bool | None
    tier: str
    common_tier: str
    labels: list[str]
    prohibitions: list[Finding]
    obligations: list[Finding]
    classifications: list[Finding]
    exceptions: list[Finding]
    expectations: list[Finding]
    undetermined: list[Finding]
    scope: list[Finding]
    trace: list[RuleTrace]
    rulebook_version: str
    as_of: date
    pending: list[Finding] = field(default_factory=list)
    # Restrictions on enforcing the jurisdiction's instruments in effect on ``as_of``.
    enforcement: list[Enforcement] = field(default_factory=list)
    # For a national layer: the regime it adds to (its result is reported too).
    layer_of: str | None = None

    def findings(self) -> list[Finding]:
        return [*self.prohibitions, *self.classifications, *self.exceptions,
                *self.obligations, *self.expectations]

    def to_dict(self, with_trace: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "jurisdiction": self.jurisdiction,
            "name": self.name,
            "in_scope": self.in_scope,
            "tier": self.tier,
            "common_tier": self.common_tier,
            "labels": self.labels,
            "enforcement": [restriction.to_dict() for restriction in self.enforcement],
            "layer_of": self.layer_of,
            "prohibitions": [f.to_dict() for f in self.prohibitions],
            "obligations": [f.to_dict() for f in self.obligations],
            "classifications": [f.to_dict() for f in self.classifications],
            "exceptions": [f.to_dict() for f in self.exceptions],
            "expectations": [f.to_dict() for f in self.expectations],
            "scope": [f.to_dict() for f in self.scope],
            "undetermined": [f.to_dict() for f in self.undetermined],
            "pending": [f.to_dict() for f in self.pending],
        }
        if with_trace:
            data["trace"] = {
                "format": TRACE_FORMAT,
                "rulebook": self.rulebook_version,
                "as_of": self.as_of.isoformat(),
                "rules": [rule.to_dict() for rule in self.trace],
            }
        return data


@dataclass
class Assessment:
    """All jurisdictions' results for one profile."""

    profile_id: str
    profile_name: str
    as_of: date
    rulebook_version: str
    input_hash: str
    results: list[JurisdictionResult] = field(default_factory=list)

    def result(self, jurisdiction: str) -> JurisdictionResult:
        for result in self.results:
            if result.jurisdiction == jurisdiction:
                return result
        raise KeyError(jurisdiction)

    def to_dict(self, with_trace: bool = True) -> dict[str, Any]:
        return {
            "format": RESULT_FORMAT,
            "id": self.profile_id,
            "name": self.profile_name,
            "as_of": self.as_of.isoformat(),
            "rulebook": self.rulebook_version,
            "input_hash": self.input_hash,
            "results": [result.to_dict(with_trace) for result in self.results],
        }
