"""Audit plans: what each control of a standard satisfies across jurisdictions, and gaps.

Uses the crosswalks (``knowledge/crosswalks.yaml``): explicit typed relations between
Comity rules and a framework's controls, and, for jurisdictions without explicit
relations, the common duty types each control is mapped to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from comity.engine.results import Assessment, Finding
from comity.errors import InputError, Problem
from comity.knowledge.content import Crosswalks, framework_named, load_crosswalks


@dataclass(frozen=True)
class Coverage:
    jurisdiction: str
    rule_id: str
    citation: str
    relation: str  # equal | subset | superset | intersect, or "duty type" when inferred
    via: str       # "crosswalk" or "duty type"

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "id": self.rule_id,
                "citation": self.citation, "relation": self.relation, "via": self.via}


@dataclass
class ControlEntry:
    id: str
    topic: str
    covers: list[Coverage] = field(default_factory=list)


@dataclass
class AuditPlan:
    framework: str
    title: str
    controls: list[ControlEntry]
    gaps: list[tuple[str, Finding]]  # (jurisdiction, obligation no control covers)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "comity.audit_plan.v1", "framework": self.framework, "title": self.title,
            "controls": [{"id": c.id, "topic": c.topic,
                          "covers": [x.to_dict() for x in c.covers]}
                         for c in self.controls if c.covers],
            "gaps": [{"jurisdiction": code, "id": f.rule_id, "citation": f.citation,
                      "duty": f.duty} for code, f in self.gaps],
        }


def audit_plan(assessment: Assessment, framework: str,
               crosswalks: Crosswalks | None = None) -> AuditPlan:
    """Map the assessment's obligations onto the controls of ``framework``."""
    walks = crosswalks or load_crosswalks()
    key = framework_named(walks, framework) if walks is not None else None
    if walks is None or key is None:
        known = tuple(walks.frameworks) if walks else ()
        raise InputError("--standard", [Problem(framework, "no crosswalk for this standard",
                                                known)])
    framework = key
    spec = walks.frameworks[framework]
    controls = {item.id: ControlEntry(item.id, item.topic) for item in spec.items}
    duty_index: dict[str, list[str]] = {}
    for item in spec.items:
        for duty in item.duty_types:
            duty_index.setdefault(duty, []).append(item.id)
    explicit: dict[str, list[tuple[str, str]]] = {}
    for relation in walks.relations:
        if relation.to.framework == framework and relation.to.id in controls:
            explicit.setdefault(relation.from_.id, []).append((relation.to.id,
                                                               relation.relation))
    gaps: list[tuple[str, Finding]] = []
    for result in assessment.results:
        for finding in result.obligations:
            targets = explicit.get(finding.rule_id)
            if targets:
                for control_id, kind in targets:
                    controls[control_id].covers.append(Coverage(
                        result.jurisdiction, finding.rule_id, finding.citation, kind,
                        "crosswalk"))
            elif finding.duty and finding.duty in duty_index:
                for control_id in duty_index[finding.duty]:
                    controls[control_id].covers.append(Coverage(
                        result.jurisdiction, finding.rule_id, finding.citation,
                        "duty type", "duty type"))
            else:
                gaps.append((result.jurisdiction, finding))
    return AuditPlan(framework, spec.title, list(controls.values()), gaps)
