"""Which questions a profile leaves open, what each would settle, and whether the tier turns on it.

For every undetermined finding, the engine lists the questions whose answer would
settle it. This module gathers them per profile and tries each possible answer
(yes and no; each option of a one-of question), re-assessing only the jurisdictions
that ask it, to say whether the answer can change a jurisdiction's tier. Questions
that can change a tier come first: they are the ones a reviewer should answer first.

>>> from comity import parse_profiles
>>> [profile] = parse_profiles({"profile": 1, "id": "x", "name": "X", "markets": ["EU"],
...     "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
...     "uses": ["biometric.remote_identification_realtime"],
...     "deployer": {"kind": "law_enforcement", "country": "DE"}})
>>> [first, *_] = open_questions(profile, jurisdictions=["EU"])
>>> first.question.id, first.tier_changes["EU"]["yes"]
('common.publicly_accessible_space', 'prohibited')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from comity.engine.assess import assess_profile
from comity.engine.results import Assessment
from comity.profile.model import Profile
from comity.rulebook.conditions import ANSWERED_UNKNOWN
from comity.rulebook.loader import Rulebook, default_rulebook
from comity.rulebook.questions import DONT_KNOW, Question


@dataclass(frozen=True)
class Settles:
    """One finding an answer would settle."""

    jurisdiction: str
    rule_id: str
    title: str
    citation: str


@dataclass
class OpenQuestionReport:
    """An open question of one profile: what it asks, settles and may change."""

    question: Question
    settles: list[Settles] = field(default_factory=list)
    # jurisdiction -> {answer: tier} for the answers that would change the tier
    tier_changes: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({item.jurisdiction for item in self.settles})

    @property
    def can_change_tier(self) -> bool:
        return bool(self.tier_changes)

    def to_dict(self) -> dict[str, Any]:
        spec = self.question.spec
        data: dict[str, Any] = {
            "id": spec.id, "text": spec.text, "type": spec.type, "help": spec.help,
            "citation": spec.citation, "version": spec.version,
            "can_change_tier": self.can_change_tier,
            "tier_changes": self.tier_changes,
            "settles": [{"jurisdiction": s.jurisdiction, "rule": s.rule_id, "title": s.title,
                         "citation": s.citation} for s in self.settles],
        }
        if spec.options:
            data["options"] = list(spec.options)
        return data


def trial_answers(question: Question) -> tuple[Any, ...]:
    """The answers tried to see whether the tier turns on a question."""
    if question.type == "yes_no":
        return ("yes", "no")
    if question.type == "one_of":
        return question.options
    return ()  # numbers, dates and sets: too many values to try; listed, not ranked


def open_questions(profile: Profile, rulebook: Rulebook | None = None, *,
                   as_of: date | None = None, jurisdictions: Iterable[str] | None = None,
                   assessment: Assessment | None = None) -> list[OpenQuestionReport]:
    """The questions the profile leaves open, tier-changing ones first."""
    book = rulebook or default_rulebook()
    codes = list(jurisdictions) if jurisdictions is not None else None
    current = assessment or assess_profile(profile, book, as_of=as_of, jurisdictions=codes)
    reports: dict[str, OpenQuestionReport] = {}
    for result in current.results:
        for finding in result.undetermined:
            for asked in finding.questions:
                report = reports.setdefault(asked.id,
                                            OpenQuestionReport(book.questions[asked.id]))
                report.settles.append(Settles(result.jurisdiction, finding.rule_id,
                                              finding.title, finding.citation))
    tiers = {result.jurisdiction: result.tier for result in current.results}
    for report in reports.values():
        for answer in trial_answers(report.question):
            trial = _with_answer(profile, report.question.id, answer)
            tried = assess_profile(trial, book, as_of=current.as_of,
                                   jurisdictions=report.jurisdictions)
            for result in tried.results:
                if result.tier != tiers[result.jurisdiction]:
                    report.tier_changes.setdefault(result.jurisdiction, {})[answer] = result.tier
    return sorted(reports.values(), key=lambda r: (not r.can_change_tier, -len(r.settles),
                                                   r.question.id))


@dataclass
class OpenFieldReport:
    """A profile field the profile leaves out whose value would settle findings
    (organisation facts such as ``deployer.employees``, dates, compute)."""

    fact: str  # the field's path, as rules name it: ``deployer.annual_revenue.KRW``
    settles: list[Settles] = field(default_factory=list)

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({item.jurisdiction for item in self.settles})

    def to_dict(self) -> dict[str, Any]:
        return {"fact": self.fact, "jurisdictions": self.jurisdictions,
                "rules": [{"jurisdiction": s.jurisdiction, "id": s.rule_id,
                           "citation": s.citation, "title": s.title} for s in self.settles]}


def open_fields(assessment: Assessment) -> list[OpenFieldReport]:
    """The profile fields undetermined findings wait for, those settling most first.

    A field the profile states as unknown (``unknown:``) is not listed: the person has
    already said they cannot give it. Questions are listed by :func:`open_questions`.
    """
    reports: dict[str, OpenFieldReport] = {}
    for result in assessment.results:
        for finding in result.undetermined:
            asked = {question.need for question in finding.questions}
            for need in finding.needs:
                if need in asked or need.endswith(ANSWERED_UNKNOWN):
                    continue
                report = reports.setdefault(need, OpenFieldReport(need))
                report.settles.append(Settles(result.jurisdiction, finding.rule_id,
                                              finding.title, finding.citation))
    return sorted(reports.values(), key=lambda r: (-len(r.settles), r.fact))


def _with_answer(profile: Profile, question_id: str, answer: Any) -> Profile:
    answers = {**profile.answers, question_id: answer}
    return profile.model_copy(update={"answers": answers})


def answers_block(profile: Profile, reports: list[OpenQuestionReport]) -> str:
    """An ``answers:`` block to fill in and paste into the profile (YAML)."""
    lines = [f"# {profile.id}: {len(reports)} open question(s). Replace {DONT_KNOW} with "
             "your answer;", "# keep version: it records the wording you answered.",
             "answers:"]
    for report in reports:
        question = report.question
        allowed = " | ".join(question.allowed())
        where = ", ".join(report.jurisdictions)
        tier = "; can change the tier" if report.can_change_tier else ""
        lines += [f"  # {question.text}", f"  #   {allowed}. {question.spec.citation}. "
                  f"Settles {len(report.settles)} finding(s) in {where}{tier}.",
                  f"  {question.id}: {{value: {DONT_KNOW}, version: \"{question.version}\"}}"]
    return "\n".join(lines) + "\n"


def fields_block(fields: list[OpenFieldReport]) -> str:
    """Comment lines naming the profile fields that would settle findings (after an
    ``answers:`` block: they are facts, given in the profile itself, not answers)."""
    if not fields:
        return ""
    lines = ["# Profile fields that would settle findings (give them in the profile, "
             "or list them under unknown:):"]
    lines += [f"#   {report.fact}: settles {len(report.settles)} finding(s) in "
              f"{', '.join(report.jurisdictions)}" for report in fields]
    return "\n".join(lines) + "\n"
