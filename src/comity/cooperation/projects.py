"""Score a proposed international AI R&D project on the six FCAI criteria.

Each criterion of ``cooperation/data/project_criteria.yaml`` lists the evidence fields a
proposal fills in and a rubric of levels (0, 1, 2). A criterion none of whose evidence
is stated is reported as missing, never as 0. Sandboxes and standards from the knowledge
base are suggested as the project's test bed and audit criteria.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from comity.cooperation.settings import (
    Check,
    Criterion,
    ProjectCriteria,
    RubricLevel,
    project_criteria,
)
from comity.errors import InputError, Problem
from comity.knowledge.content import Project, load_items

Stakeholder = Literal["industry", "academia", "civil_society", "international_organisation",
                      "philanthropy"]


class Proposal(BaseModel):
    """A proposed project and its evidence; an omitted field is *not stated*."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    proposal: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$",
                    description="Id (lower-case letters, digits, . _ -)")
    name: str = Field(min_length=1, description="Name")
    description: str | None = Field(None, description="What the project does")
    partners: list[str] | None = Field(
        None, description="Partner countries (ISO codes or EU, comma-separated)")
    sectors: list[str] | None = Field(
        None, description="Sectors (comma-separated, e.g. health, agriculture)")
    sdgs: list[int] | None = Field(
        None, description="Sustainable Development Goals it serves (numbers, comma-separated)")
    transnational: bool | None = Field(
        None, description="Does the problem need a transnational solution?")
    pooled_resources: bool | None = Field(
        None, description="Do the partners pool resources (data, compute, funding)?")
    open_outputs: bool | None = Field(
        None, description="Are the outputs open (data, models, code)?")
    access_for_developing_countries: bool | None = Field(
        None, description="Are the outputs made available to less developed countries?")
    test_bed: str | None = Field(
        None, description="Test bed for governance (e.g. the partners' sandboxes)")
    governance_questions: list[str] | None = Field(
        None, description="Governance questions it tests (one per line)")
    goals: list[str] | None = Field(None, description="Measurable goals (one per line)")
    monitoring: str | None = Field(
        None, description="How progress against the goals is monitored")
    broader_impact_assessment: bool | None = Field(
        None, description="Is a broader impact assessment planned?")
    government_initiated: bool | None = Field(
        None, description="Is it initiated by governments?")
    stakeholders: list[Stakeholder] | None = Field(
        None, description="Other participants")

@dataclass(frozen=True)
class CriterionScore:
    criterion: Criterion
    score: int | None  # None: no evidence stated
    earned: str
    gaps: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.criterion.id, "title": self.criterion.title,
                "source": self.criterion.source, "score": self.score,
                "earned": self.earned, "gaps": self.gaps,
                "rubric": {"0": "none of the level-1 conditions holds",
                           **{str(level.score): level.text for level in self.criterion.levels}}}


@dataclass
class ProjectScore:
    proposal: Proposal
    criteria: list[CriterionScore]
    test_beds: list[dict[str, str]] = field(default_factory=list)
    audit_standards: list[dict[str, str]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.score or 0 for c in self.criteria)

    @property
    def scored_maximum(self) -> int:
        """The maximum over the criteria with evidence (missing ones are left out)."""
        return 2 * sum(1 for c in self.criteria if c.score is not None)

    @property
    def missing(self) -> list[str]:
        return [c.criterion.id for c in self.criteria if c.score is None]

    def to_dict(self) -> dict[str, Any]:
        return {"format": "comity.cooperation.project_score.v1", "id": self.proposal.id,
                "name": self.proposal.name, "total": self.total,
                "out_of": self.scored_maximum, "missing": self.missing,
                "criteria": [c.to_dict() for c in self.criteria],
                "suggested_test_beds": self.test_beds,
                "suggested_audit_standards": self.audit_standards}


def parse_proposal(data: Any, source: str) -> Proposal:
    try:
        return Proposal.model_validate(data)
    except ValidationError as error:
        raise InputError(source, [Problem(".".join(str(p) for p in e["loc"]), e["msg"])
                                  for e in error.errors(include_url=False)]) from None


def check_holds(check: Check, proposal: Proposal) -> bool:
    value = getattr(proposal, check.field)
    if check.is_true is not None:
        return value is True
    if check.stated is not None:
        return value not in (None, "", [])
    needed = (check.min_items or {})[check.field]
    return value is not None and len(value) >= needed


def level_holds(level: RubricLevel, proposal: Proposal) -> bool:
    every = all(check_holds(c, proposal) for c in level.all)
    some = not level.any or any(check_holds(c, proposal) for c in level.any)
    return every and some


def score_criterion(criterion: Criterion, proposal: Proposal) -> CriterionScore:
    stated = [f for f in criterion.evidence if getattr(proposal, f) is not None]
    if not stated:
        return CriterionScore(criterion, None, "no evidence stated",
                              [f"state {', '.join(criterion.evidence)}"])
    earned = [level for level in criterion.levels if level_holds(level, proposal)]
    score = max((level.score for level in earned), default=0)
    text = next((lv.text for lv in earned if lv.score == score), "no level-1 condition holds")
    gaps = [f"for {level.score}: {level.text}" for level in criterion.levels
            if level.score > score]
    unstated = [f for f in criterion.evidence if f not in stated]
    if unstated and score < 2:
        gaps.append(f"not stated: {', '.join(unstated)}")
    return CriterionScore(criterion, score, text, gaps)


def score_project(proposal: Proposal, criteria: ProjectCriteria | None = None) -> ProjectScore:
    config = criteria or project_criteria()
    result = ProjectScore(proposal, [score_criterion(c, proposal) for c in config.criteria])
    result.test_beds = _test_beds(proposal, config)
    result.audit_standards = [
        {"id": s.id, "number": s.number, "supports": ", ".join(
            d for d in s.supports if d in config.suggest.audit_duty_types)}
        for s in load_items("standards.yaml")
        if s.kind == "international" and s.status in config.suggest.standard_statuses
        and set(s.supports) & set(config.suggest.audit_duty_types)]
    return result


def _test_beds(proposal: Proposal, config: ProjectCriteria) -> list[dict[str, str]]:
    partners = set(proposal.partners or [])
    eu_members = {c.id for c in load_items("countries.yaml") if c.memberships["eu"].member}
    if partners & eu_members:
        partners.add("EU")
    sectors = [s.lower() for s in proposal.sectors or []]
    found = []
    for sandbox in load_items("sandboxes.yaml"):
        home = sandbox.jurisdiction.split("-")[0]
        if home not in partners or sandbox.status not in config.suggest.sandbox_statuses:
            continue
        fits = [s for s in sandbox.sectors
                if s == "cross-sector" or any(x in s.lower() for x in sectors)]
        if sectors and not fits:
            continue
        found.append({"id": sandbox.id, "name": sandbox.name,
                      "jurisdiction": sandbox.jurisdiction, "status": sandbox.status,
                      "sectors": ", ".join(sandbox.sectors)})
    return found


def proposal_from_project(project: Project) -> Proposal:
    """A knowledge-base project as a proposal: only what the knowledge base records."""
    return Proposal(id=project.id, name=project.name, description=project.description,
                    partners=list(project.partners))


def bundled_project_scores() -> list[ProjectScore]:
    """The knowledge base's projects scored as examples (most evidence is not recorded)."""
    return [score_project(proposal_from_project(p)) for p in load_items("projects.yaml")]
