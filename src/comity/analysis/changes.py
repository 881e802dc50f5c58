"""What changed between two assessments (e.g. two stored runs of ``comity assess --save``).

Per jurisdiction: scope and tier before and after, and each prohibition, duty,
expectation, defence or open point that appeared, disappeared, moved between those
lists (an open point that now holds) or changed its application date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from comity.engine.results import Assessment, Finding, JurisdictionResult

SECTIONS = ("prohibitions", "obligations", "expectations", "defences", "undetermined")
SECTION_LABELS = {"prohibitions": "prohibition", "obligations": "duty",
                  "expectations": "expectation", "defences": "defence",
                  "undetermined": "open point"}


@dataclass(frozen=True)
class FindingChange:
    rule_id: str
    citation: str
    title: str
    change: str  # added | removed | moved | date

    before: str | None = None
    after: str | None = None

    def describe(self) -> str:
        if self.change == "added":
            return f"+ {self.after}: {self.citation} — {self.title}"
        if self.change == "removed":
            return f"- {self.before}: {self.citation} — {self.title}"
        if self.change == "moved":
            return f"~ {self.citation} — {self.title}: {self.before} → {self.after}"
        return f"~ {self.citation} — {self.title}: applies from {self.before} → {self.after}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.rule_id, "citation": self.citation, "title": self.title,
                "change": self.change, "before": self.before, "after": self.after}


@dataclass
class JurisdictionChange:
    code: str
    name: str
    before: str
    after: str
    findings: list[FindingChange] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after or bool(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.code, "name": self.name, "before": self.before,
                "after": self.after, "findings": [f.to_dict() for f in self.findings]}


def diff_assessments(old: Assessment, new: Assessment) -> list[JurisdictionChange]:
    """Every jurisdiction of either assessment, with what changed from ``old`` to ``new``."""
    before = {r.jurisdiction: r for r in old.results}
    after = {r.jurisdiction: r for r in new.results}
    codes = [*before, *(code for code in after if code not in before)]
    return [_jurisdiction_change(code, before.get(code), after.get(code)) for code in codes]


def _standing(result: JurisdictionResult | None) -> str:
    if result is None:
        return "not assessed"
    if result.in_scope is False:
        return "out of scope"
    return result.tier_label


def _placed(result: JurisdictionResult | None) -> dict[str, tuple[str, Finding]]:
    if result is None:
        return {}
    return {finding.rule_id: (SECTION_LABELS[section], finding)
            for section in SECTIONS for finding in getattr(result, section)}


def _jurisdiction_change(code: str, old: JurisdictionResult | None,
                         new: JurisdictionResult | None) -> JurisdictionChange:
    either = new or old
    name = either.name if either is not None else code
    change = JurisdictionChange(code, name, _standing(old), _standing(new))
    was, now = _placed(old), _placed(new)
    for rule_id, (section, finding) in now.items():
        if rule_id not in was:
            change.findings.append(FindingChange(rule_id, finding.citation, finding.title,
                                                 "added", after=section))
            continue
        old_section, old_finding = was[rule_id]
        if old_section != section:
            change.findings.append(FindingChange(rule_id, finding.citation, finding.title,
                                                 "moved", old_section, section))
        elif old_finding.applies_from != finding.applies_from:
            change.findings.append(FindingChange(
                rule_id, finding.citation, finding.title, "date",
                old_finding.applies_from.isoformat(), finding.applies_from.isoformat()))
    for rule_id, (section, finding) in was.items():
        if rule_id not in now:
            change.findings.append(FindingChange(rule_id, finding.citation, finding.title,
                                                 "removed", before=section))
    return change
