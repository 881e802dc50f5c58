"""Cooperation readiness of two parties on one AI issue: green, yellow or red.

The Green-Yellow-Red light framework of the Asia Society study (Evans and Larsen 2020,
Conclusion) made computable: each factor of ``cooperation/data/readiness.yaml`` is a
number in [0, 1] from data, or missing, or not applicable to the issue; the score is the
weighted mean of those present (a barrier family the issue touches counts
``family_emphasis`` times); the thresholds turn it into a light. Every factor is
symmetric in the two parties, so the rating is too. Missing data is never read as 0: it
is left out, listed, and below ``minimum_coverage`` the rating is ``undetermined``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Literal

from comity.cooperation.parties import Party, check_code, load_party
from comity.cooperation.regulatory import (
    RegulatoryComparison,
    alignment_of,
    compare_regulation,
    redline_agreement,
)
from comity.cooperation.settings import (
    FactorId,
    Family,
    Issue,
    ReadinessSettings,
    issues,
    readiness_settings,
)
from comity.cooperation.unga import vote_agreement, window
from comity.errors import InputError, Problem
from comity.knowledge.content import load_items
from comity.rulebook.loader import Rulebook, default_rulebook

Rating = Literal["green", "yellow", "red", "undetermined"]
Status = Literal["present", "missing", "not_applicable"]
RATINGS: tuple[Rating, ...] = ("green", "yellow", "red", "undetermined")


@dataclass(frozen=True)
class FactorResult:
    """One input of the rating: its value (``None`` unless present) and why."""

    id: FactorId
    family: Family
    weight: float
    status: Status
    value: float | None
    explanation: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "family": self.family, "weight": round(self.weight, 4),
                "status": self.status,
                "value": None if self.value is None else round(self.value, 4),
                "explanation": self.explanation, "source": self.source}


@dataclass(frozen=True)
class Evidence:
    """An enabler or a barrier found in the data, with its source."""

    kind: Literal["enabler", "barrier"]
    factor: FactorId
    family: Family
    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "factor": self.factor, "family": self.family,
                "text": self.text, "source": self.source}


@dataclass
class Readiness:
    """The rating of one pair on one issue."""

    a: str
    b: str
    issue: Issue
    score: float | None
    rating: Rating
    coverage: float
    thresholds: dict[str, float]
    factors: list[FactorResult]
    enablers: list[Evidence] = field(default_factory=list)
    barriers: list[Evidence] = field(default_factory=list)
    regulation: RegulatoryComparison | None = None

    @property
    def missing(self) -> list[FactorResult]:
        return [f for f in self.factors if f.status == "missing"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "comity.cooperation.readiness.v1",
            "a": self.a, "b": self.b, "issue": self.issue.id, "title": self.issue.title,
            "rating": self.rating,
            "score": None if self.score is None else round(self.score, 4),
            "coverage": round(self.coverage, 4), "thresholds": self.thresholds,
            "study_rating": self.issue.study_rating,
            "factors": [f.to_dict() for f in self.factors],
            "missing": [f.id for f in self.missing],
            "enablers": [e.to_dict() for e in self.enablers],
            "barriers": [e.to_dict() for e in self.barriers],
        }


def combine(factors: list[FactorResult], settings: ReadinessSettings
            ) -> tuple[float | None, float, Rating]:
    """(score, coverage, rating) of the factors: weighted mean of those present."""
    present = [f for f in factors if f.status == "present" and f.value is not None]
    applicable = sum(f.weight for f in factors if f.status != "not_applicable")
    weight = sum(f.weight for f in present)
    coverage = weight / applicable if applicable else 0.0
    if not present or weight == 0:
        return None, coverage, "undetermined"
    score = sum(f.weight * (f.value or 0.0) for f in present) / weight
    if coverage < settings.minimum_coverage:
        return score, coverage, "undetermined"
    return score, coverage, light(score, settings)


def light(score: float, settings: ReadinessSettings) -> Rating:
    if score >= settings.thresholds.green:
        return "green"
    return "yellow" if score >= settings.thresholds.yellow else "red"


def jaccard(a: set[str], b: set[str]) -> float | None:
    union = a | b
    return len(a & b) / len(union) if union else None


def find_issue(issue_id: str) -> Issue:
    known = issues()
    check_code(issue_id, sorted(known), "issue", "issues.yaml")
    return known[issue_id]


def rate(a: str, b: str, issue_id: str, *, rulebook: Rulebook | None = None,
         settings: ReadinessSettings | None = None, as_of: date | None = None) -> Readiness:
    """Rate the readiness of parties ``a`` and ``b`` to cooperate on one issue."""
    book = rulebook or default_rulebook()
    config = settings or readiness_settings()
    issue = find_issue(issue_id)
    party_a, party_b = load_party(a, book), load_party(b, book)
    if a == b:
        raise InputError("countries", [Problem("party", f"give two different parties, not "
                                                         f"{a} twice")])
    regulation = (compare_regulation(issue, party_a, party_b, book, as_of)
                  if party_a.jurisdictions and party_b.jurisdictions else None)
    factors = factor_results(issue, _factor_values(issue, party_a, party_b, regulation, book,
                                                   config), config)
    score, coverage, rating = combine(factors, config)
    result = Readiness(a, b, issue, score, rating, coverage,
                       {"green": config.thresholds.green, "yellow": config.thresholds.yellow},
                       factors, regulation=regulation)
    _collect_evidence(result, party_a, party_b, config)
    return result


def rate_matrix(codes: list[str], issue_ids: list[str], **options: Any) -> list[Readiness]:
    """Every pair of the parties on every issue (pairs in the order given)."""
    codes = list(dict.fromkeys(codes))
    return [rate(a, b, issue_id, **options) for i, a in enumerate(codes)
            for b in codes[i + 1:] for issue_id in issue_ids]


RawFactor = tuple[Status, float | None, str, str]


def factor_results(issue: Issue, raw: dict[FactorId, RawFactor],
                   config: ReadinessSettings) -> list[FactorResult]:
    """The raw factors with their weights: a family the issue touches is emphasised."""
    results = []
    for factor_id, (status, value, text, source) in raw.items():
        factor = config.factors[factor_id]
        emphasis = config.family_emphasis if factor.family in issue.families else 1.0
        results.append(FactorResult(factor_id, factor.family, factor.weight * emphasis,
                                    status, value, text, source))
    return results


def _factor_values(issue: Issue, a: Party, b: Party, regulation: RegulatoryComparison | None,
                   book: Rulebook, config: ReadinessSettings) -> dict[FactorId, RawFactor]:
    return {
        "regulatory_alignment": regulatory_factor(issue, a, b, regulation),
        "shared_redlines": redline_factor(issue, a, b, regulation),
        "institutional_ties": _ties(a, b, book, config),
        "democracy_distance": _democracy(a, b),
        "unga_agreement": _unga(a, b, human_rights=False),
        "unga_human_rights_agreement": _unga(a, b, human_rights=True),
        "principle_overlap": _principles(a, b, config),
        "export_control_alignment": _export_control(issue, a, b, config),
    }


RULEBOOK_SOURCE = "Comity rulebook (src/comity/rulebook/rules), assessed by the engine"


def _no_rulebook(a: Party, b: Party) -> str:
    lacking = [p.id for p in (a, b) if not p.jurisdictions]
    return f"no rulebook of {' or '.join(lacking)} in Comity"


def regulatory_factor(issue: Issue, a: Party, b: Party,
                regulation: RegulatoryComparison | None) -> RawFactor:
    if not issue.scenarios:
        return ("not_applicable", None, "the issue has no system scenario to assess",
                RULEBOOK_SOURCE)
    if regulation is None:
        return ("missing", None, _no_rulebook(a, b), RULEBOOK_SOURCE)
    value = alignment_of(regulation.scenarios)
    parts = [f"{s.name}: {a.id} {s.regime_a.tier}, {b.id} {s.regime_b.tier}, "
             f"duty types {len(s.regime_a.duties & s.regime_b.duties)} shared of "
             f"{len(s.regime_a.duties | s.regime_b.duties)}" for s in regulation.scenarios]
    return ("present", value, "; ".join(parts), RULEBOOK_SOURCE)


def redline_factor(issue: Issue, a: Party, b: Party,
              regulation: RegulatoryComparison | None) -> RawFactor:
    source = "Comity rulebook prohibitions mapped to common redlines (rulebook.yaml)"
    if not issue.redlines:
        return ("not_applicable", None, "the issue touches no redline", source)
    if regulation is None:
        return ("missing", None, _no_rulebook(a, b), source)
    value = redline_agreement(regulation.redlines)
    if value is None:
        return ("not_applicable", None,
                f"neither party bans the issue's redlines ({', '.join(issue.redlines)})",
                source)
    shared = [s.id for s in regulation.redlines if s.shared]
    only = [s.id for s in regulation.redlines if s.touched and not s.shared]
    return ("present", value, f"banned by both: {', '.join(shared) or 'none'}; "
            f"by one only: {', '.join(only) or 'none'}", source)


def _ties(a: Party, b: Party, book: Rulebook, config: ReadinessSettings) -> RawFactor:
    forums_a, forums_b = a.forums(config, book), b.forums(config, book)
    known = [k for k in config.forums if forums_a[k] is not None and forums_b[k] is not None]
    unknown = [config.forums[k].name for k in config.forums if k not in known]
    in_a = {k for k in known if forums_a[k]}
    in_b = {k for k in known if forums_b[k]}
    source = ("country profiles (knowledge/data/countries.yaml, cooperation/data/parties.yaml) "
              "and the rulebook's INT-* sets")
    if not known:
        return ("missing", None, "no forum membership known", source)
    value = jaccard(in_a, in_b)
    shared = [config.forums[k].name for k in known if k in in_a & in_b]
    text = f"shared: {', '.join(shared) or 'none'}"
    split = [f"{config.forums[k].name} ({a.id if k in in_a else b.id} only)"
             for k in sorted(in_a ^ in_b)]
    if split:
        text += f"; one side only: {', '.join(split)}"
    if unknown:
        text += f"; not known: {', '.join(unknown)}"
    return ("present", 0.0 if value is None else value, text, source)


def _democracy(a: Party, b: Party) -> RawFactor:
    source = "V-Dem electoral democracy index via OWID (knowledge/data/countries.yaml)"
    if a.vdem is None or b.vdem is None:
        lacking = [p.id for p in (a, b) if p.vdem is None]
        return ("missing", None, f"no V-Dem index for {', '.join(lacking)}", source)
    return ("present", 1 - abs(a.vdem - b.vdem),
            f"{a.id} {a.vdem:.3f} ({a.vdem_year}), {b.id} {b.vdem:.3f} ({b.vdem_year}), "
            f"distance {abs(a.vdem - b.vdem):.3f}", source)


def _unga(a: Party, b: Party, *, human_rights: bool) -> RawFactor:
    source = window()
    found = vote_agreement(a.id, b.id)
    value = None if found is None else (
        found.human_rights_agreement if human_rights else found.agreement)
    what = "human-rights roll calls" if human_rights else "roll calls"
    if found is None or value is None:
        return ("missing", None, f"no common vote of {a.id} and {b.id} on {what}", source)
    count = found.human_rights_votes if human_rights else found.votes
    return ("present", value, f"same vote on {value:.0%} of {count} {what}", source)


@cache
def _principle_themes(statuses: tuple[str, ...]) -> dict[str, dict[str, set[str]]]:
    """Party -> {document id: themes} of its own national principles documents with one
    of these statuses."""
    found: dict[str, dict[str, set[str]]] = {}
    for document in load_items("principles.yaml"):
        if document.jurisdiction == "INT" or document.status not in statuses:
            continue
        found.setdefault(document.jurisdiction, {})[document.id] = {
            theme for principle in document.principles for theme in principle.themes}
    return found


def _principles(a: Party, b: Party, config: ReadinessSettings) -> RawFactor:
    source = "principles documents (knowledge/data/principles.yaml), Fjeld et al. 2020 themes"
    statuses = tuple(config.principle_document_statuses)
    documents = _principle_themes(statuses)
    if a.id not in documents or b.id not in documents:
        lacking = [p.id for p in (a, b) if p.id not in documents]
        return ("missing", None, f"no national AI principles document of "
                f"{', '.join(lacking)} in the knowledge base with status "
                f"{' or '.join(statuses)}", source)
    themes_a = set().union(*documents[a.id].values())
    themes_b = set().union(*documents[b.id].values())
    value = jaccard(themes_a, themes_b)
    text = (f"{', '.join(documents[a.id])} and {', '.join(documents[b.id])}: "
            f"{len(themes_a & themes_b)} themes shared of {len(themes_a | themes_b)}")
    if themes_a ^ themes_b:
        text += f" (not shared: {', '.join(sorted(themes_a ^ themes_b))})"
    return ("present", 0.0 if value is None else value, text, source)


def _export_control(issue: Issue, a: Party, b: Party, config: ReadinessSettings) -> RawFactor:
    source = "export-control regime participation (country profiles)"
    if not issue.dual_use:
        return ("not_applicable", None, f"not dual-use: {issue.dual_use_reason.strip()}",
                source)
    regimes = config.export_control_regimes
    known = [r for r in regimes
             if a.memberships.get(r) is not None and b.memberships.get(r) is not None]
    if not known:
        return ("missing", None, "regime participation not known", source)
    in_a = {r for r in known if a.memberships[r]}
    in_b = {r for r in known if b.memberships[r]}
    value = jaccard(in_a, in_b)
    if value is None:
        return ("not_applicable", None, "neither party takes part in an export-control regime",
                source)
    split = sorted(in_a ^ in_b)
    text = (f"both in: {', '.join(sorted(in_a & in_b)) or 'none'}; "
            f"one side only: {', '.join(split) or 'none'} (dual-use: "
            f"{issue.dual_use_reason.strip()})")
    return ("present", value, text, source)


def _collect_evidence(result: Readiness, a: Party, b: Party, config: ReadinessSettings) -> None:
    for factor in result.factors:
        # Redlines are reported one by one below, with the provisions that ban them.
        if factor.value is None or factor.id == "shared_redlines":
            continue
        if factor.value >= config.evidence.enabler:
            result.enablers.append(Evidence("enabler", factor.id, factor.family,
                                            factor.explanation, factor.source))
        elif factor.value < config.evidence.barrier:
            result.barriers.append(Evidence("barrier", factor.id, factor.family,
                                            factor.explanation, factor.source))
    if result.regulation is None:
        return
    family = config.factors["shared_redlines"].family
    for standing in result.regulation.redlines:
        if standing.shared:
            cites = "; ".join(f"{code} {cite}" for code, cite in
                              [*standing.bans_a, *standing.bans_b])
            result.enablers.append(Evidence(
                "enabler", "shared_redlines", family,
                f"both ban {standing.id}: {standing.description}", cites))
        elif standing.touched:
            banning, other = (a, b) if standing.bans_a else (b, a)
            bans = standing.bans_a or standing.bans_b
            result.barriers.append(Evidence(
                "barrier", "shared_redlines", family,
                f"{banning.id} bans {standing.id} ({standing.description}); {other.id} does not",
                "; ".join(f"{code} {cite}" for code, cite in bans)))
