"""Comparison across jurisdictions: side by side, duty matrix, one plan, divergence.

The divergence index of two jurisdictions A and B for one profile is

    D(A, B) = 0.5 * (1 - overlap(A, B)) + 0.5 * tier_gap(A, B)

where ``overlap`` is the Jaccard overlap of the common duty types that each
jurisdiction's obligations (and expectations) fall under, and ``tier_gap`` is the
distance between their common tiers on the ordered scale out_of_scope < minimal <
limited < high < unacceptable, divided by 4. D is 0 when both ask the same kinds of
things at the same level of risk and 1 when they share no duty type and sit at opposite
ends of the scale. Two jurisdictions that ask nothing of the system overlap fully.
For a portfolio the index is the mean over profiles. See ``docs/comparison.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from comity.engine.assess import assess_profile, market_reach
from comity.engine.results import Assessment, Finding, JurisdictionResult
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook, default_rulebook

TIER_SCALE = ("out_of_scope", "minimal", "limited", "high", "unacceptable")
DUTY_WEIGHT = 0.5
TIER_WEIGHT = 0.5
FULL_COVER = ("equal", "subset")


@dataclass(frozen=True)
class Provision:
    """One cell entry of the duty matrix: a provision of one jurisdiction."""

    jurisdiction: str
    rule_id: str
    citation: str
    title: str
    applies_from: date
    binding: bool
    relation: str
    # An undetermined duty: shown in its cell as open (never left blank), with why.
    open_point: str | None = None
    # Marker of a court stay, injunction or sanctions grace period on the as-of date.
    enforcement: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"jurisdiction": self.jurisdiction, "id": self.rule_id,
                                "citation": self.citation, "title": self.title,
                                "applies_from": self.applies_from.isoformat(),
                                "binding": self.binding, "relation": self.relation}
        if self.open_point is not None:
            data["open"] = self.open_point
        if self.enforcement:
            data["enforcement"] = self.enforcement
        return data


@dataclass(frozen=True)
class PlanStep:
    """Do one thing once: the duty type and every provision it answers."""

    duty: str
    description: str
    provisions: tuple[Provision, ...]

    @property
    def first_due(self) -> date:
        return min(p.applies_from for p in self.provisions)

    @property
    def needs_specifics(self) -> tuple[Provision, ...]:
        """Provisions asking more than the common duty (superset or intersect)."""
        return tuple(p for p in self.provisions if p.relation not in FULL_COVER)

    def to_dict(self) -> dict[str, Any]:
        return {"duty": self.duty, "description": self.description,
                "first_due": self.first_due.isoformat(),
                "satisfies": len(self.provisions),
                "jurisdictions": sorted({p.jurisdiction for p in self.provisions}),
                "check_specifics": [p.rule_id for p in self.needs_specifics],
                "provisions": [p.to_dict() for p in self.provisions]}


@dataclass
class Comparison:
    """One profile compared across jurisdictions."""

    assessment: Assessment
    duty_types: dict[str, str]
    matrix: dict[str, dict[str, list[Provision]]] = field(default_factory=dict)
    plan: list[PlanStep] = field(default_factory=list)
    divergence: dict[tuple[str, str], float] = field(default_factory=dict)

    @property
    def jurisdictions(self) -> list[str]:
        return [r.jurisdiction for r in self.assessment.results]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "comity.comparison.v1",
            "id": self.assessment.profile_id,
            "name": self.assessment.profile_name,
            "as_of": self.assessment.as_of.isoformat(),
            "rulebook": self.assessment.rulebook_version,
            "side_by_side": [_side(r) for r in self.assessment.results],
            "duty_matrix": {duty: {code: [p.to_dict() for p in cells]
                                   for code, cells in row.items()}
                            for duty, row in self.matrix.items()},
            "plan": [step.to_dict() for step in self.plan],
            "divergence": [{"a": a, "b": b, "index": round(value, 4)}
                           for (a, b), value in self.divergence.items()],
        }


@dataclass
class PortfolioComparison:
    """Several profiles: each compared, and the mean divergence per pair."""

    comparisons: list[Comparison]
    divergence: dict[tuple[str, str], float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "comity.portfolio_comparison.v1",
            "profiles": [c.to_dict() for c in self.comparisons],
            "divergence": [{"a": a, "b": b, "index": round(value, 4)}
                           for (a, b), value in self.divergence.items()],
        }


def compare_profile(
    profile: Profile,
    rulebook: Rulebook | None = None,
    *,
    as_of: date | None = None,
    jurisdictions: Iterable[str] | None = None,
) -> Comparison:
    """Assess one profile in several jurisdictions (default: its markets) and line them up."""
    book = rulebook or default_rulebook()
    codes = list(jurisdictions) if jurisdictions is not None else markets_of([profile], book)
    assessment = assess_profile(profile, book, as_of=as_of, jurisdictions=codes)
    return comparison_of(assessment, book.duty_types)


def comparison_of(assessment: Assessment, duty_types: dict[str, str]) -> Comparison:
    """Build the matrix, plan and divergence from an existing assessment."""
    comparison = Comparison(assessment, duty_types)
    for result in assessment.results:
        open_duties = [f for f in result.undetermined
                       if f.kind in ("obligation", "expectation")]
        for finding in [*result.obligations, *result.expectations, *open_duties]:
            if finding.duty is None or not addresses_the_firm(finding):
                continue
            row = comparison.matrix.setdefault(finding.duty, {})
            row.setdefault(result.jurisdiction, []).append(_provision(result, finding))
    order = list(duty_types)
    comparison.matrix = dict(sorted(comparison.matrix.items(),
                                    key=lambda item: order.index(item[0])))
    steps = (PlanStep(duty, duty_types[duty],
                      tuple(p for cells in row.values() for p in cells
                            if p.open_point is None))
             for duty, row in comparison.matrix.items())
    comparison.plan = sorted(
        (step for step in steps if step.provisions),
        key=lambda step: (step.first_due, -len(step.provisions), step.duty),
    )
    results = assessment.results
    for a, b in combinations(results, 2):
        comparison.divergence[(a.jurisdiction, b.jurisdiction)] = divergence_index(a, b)
    return comparison


def compare_portfolio(
    profiles: list[Profile],
    rulebook: Rulebook | None = None,
    *,
    as_of: date | None = None,
    jurisdictions: Iterable[str] | None = None,
) -> PortfolioComparison:
    """Compare every profile, and average each pair's divergence over the portfolio."""
    book = rulebook or default_rulebook()
    codes = list(jurisdictions) if jurisdictions is not None else markets_of(profiles, book)
    comparisons = [compare_profile(p, book, as_of=as_of, jurisdictions=codes)
                   for p in profiles]
    totals: dict[tuple[str, str], list[float]] = {}
    for comparison in comparisons:
        for pair, value in comparison.divergence.items():
            totals.setdefault(pair, []).append(value)
    mean = {pair: sum(values) / len(values) for pair, values in totals.items()}
    return PortfolioComparison(comparisons, mean)


def markets_of(profiles: list[Profile], rulebook: Rulebook) -> list[str]:
    """The jurisdictions the profiles' markets reach (all if none do).

    A market reaches a jurisdiction by its own code, a code inside it (a member state
    for the EU) or a code containing it (``US`` for each state), as the jurisdiction's
    data says.
    """
    markets = {market for profile in profiles for market in profile.markets}
    codes = [code for code, jurisdiction in rulebook.jurisdictions.items()
             if market_reach(jurisdiction, markets)[0]]
    return codes or list(rulebook.jurisdictions)


def divergence_index(a: JurisdictionResult, b: JurisdictionResult) -> float:
    """0 (same duty types, same tier) to 1 (nothing shared, opposite tiers)."""
    return divergence(duty_types_of(a), duty_types_of(b), a.common_tier, b.common_tier)


def divergence(duties_a: set[str], duties_b: set[str], tier_a: str, tier_b: str) -> float:
    """The divergence index of two sets of duty types at two common tiers."""
    union = duties_a | duties_b
    overlap = len(duties_a & duties_b) / len(union) if union else 1.0
    gap = abs(TIER_SCALE.index(tier_a) - TIER_SCALE.index(tier_b))
    return DUTY_WEIGHT * (1 - overlap) + TIER_WEIGHT * gap / (len(TIER_SCALE) - 1)


def duty_types_of(result: JurisdictionResult) -> set[str]:
    return {f.duty for f in [*result.obligations, *result.expectations]
            if f.duty and addresses_the_firm(f)}


def addresses_the_firm(finding: Finding) -> bool:
    """False for duties only a state owes (a treaty party, a policy article): they are
    not something the system's provider or deployer can do, so no matrix cell or plan
    step. They stay in each jurisdiction's own result."""
    return set(finding.addressees) != {"state_party"}


def _provision(result: JurisdictionResult, finding: Finding) -> Provision:
    open_point = None
    if finding.status == "undetermined":
        open_point = " · ".join(point.brief() for point in finding.open_points) or "open"
    return Provision(result.jurisdiction, finding.rule_id, finding.citation, finding.title,
                     finding.applies_from, finding.kind == "obligation",
                     finding.duty_relation, open_point, finding.enforcement_marker)


def _side(result: JurisdictionResult) -> dict[str, Any]:
    return {"jurisdiction": result.jurisdiction, "name": result.name,
            "in_scope": result.in_scope, "tier": result.tier,
            "common_tier": result.common_tier, "labels": result.labels,
            "enforcement": [r.to_dict() for r in result.enforcement],
            "prohibitions": [{"id": f.rule_id, "citation": f.citation}
                             for f in result.prohibitions],
            "tier_label": result.tier_label,
            "obligations": len(result.obligations),
            "expectations": len(result.expectations),
            "undetermined": len(result.undetermined),
            "open_points": result.open_points}
