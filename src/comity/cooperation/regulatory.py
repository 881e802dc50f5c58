"""Regulatory alignment of two parties on one issue, from the rulebook.

Each scenario of the issue (a synthetic profile) is assessed by the engine in both
parties' own jurisdictions. A party's regime for the scenario is the union over its
jurisdictions: the highest common tier, every duty type asked of the firm, every redline
banned. The union is deliberate: a system offered across a federal country meets each
state's law, so a ban in one US state is a US ban for that system (the evidence names the
state). The redlines the issue touches are looked up among the bans in force
(``analysis/redlines.py``), whether or not a scenario trips them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from comity.analysis.compare import TIER_SCALE, divergence, duty_types_of
from comity.analysis.redlines import Redline, redlines
from comity.cooperation.parties import Party
from comity.cooperation.settings import Issue
from comity.engine.assess import assess_profile
from comity.engine.results import JurisdictionResult
from comity.profile.files import parse_profiles
from comity.profile.model import Profile
from comity.profile.vocabulary import vocabulary
from comity.rulebook.loader import Rulebook


@dataclass(frozen=True)
class Regime:
    """One party's treatment of one scenario: the union over its jurisdictions."""

    tier: str
    duties: frozenset[str]
    banned: frozenset[str]  # redline ids of prohibitions that hold for the scenario
    in_scope: tuple[str, ...]  # jurisdictions in which the scenario is in scope

    @staticmethod
    def of(results: Iterable[JurisdictionResult], rulebook: Rulebook) -> Regime:
        results = list(results)
        tiers = [r.common_tier for r in results] or ["out_of_scope"]
        banned = {rulebook.rule(f.rule_id).spec.redline for r in results
                  for f in r.prohibitions if f.status == "holds"}
        return Regime(max(tiers, key=TIER_SCALE.index),
                      frozenset(d for r in results for d in duty_types_of(r)),
                      frozenset(b for b in banned if b),
                      tuple(r.jurisdiction for r in results if r.in_scope))


@dataclass(frozen=True)
class ScenarioAlignment:
    name: str
    regime_a: Regime
    regime_b: Regime

    @property
    def alignment(self) -> float:
        """1 minus the divergence index (docs/comparison.md) of the two regimes."""
        return 1 - divergence(set(self.regime_a.duties), set(self.regime_b.duties),
                              self.regime_a.tier, self.regime_b.tier)


@dataclass(frozen=True)
class RedlineStanding:
    """A redline the issue touches, and where each party bans it (jurisdiction, citation)."""

    id: str
    description: str
    bans_a: tuple[tuple[str, str], ...]
    bans_b: tuple[tuple[str, str], ...]

    @property
    def shared(self) -> bool:
        return bool(self.bans_a) and bool(self.bans_b)

    @property
    def touched(self) -> bool:
        return bool(self.bans_a) or bool(self.bans_b)


@dataclass
class RegulatoryComparison:
    scenarios: list[ScenarioAlignment] = field(default_factory=list)
    redlines: list[RedlineStanding] = field(default_factory=list)


def alignment_of(scenarios: Iterable[ScenarioAlignment]) -> float | None:
    """Mean alignment over the scenarios; ``None`` if there is none."""
    values = [s.alignment for s in scenarios]
    return sum(values) / len(values) if values else None


def redline_agreement(standings: Iterable[RedlineStanding]) -> float | None:
    """Of the touched redlines (banned by at least one party), the share both ban."""
    touched = [s for s in standings if s.touched]
    if not touched:
        return None
    return sum(1 for s in touched if s.shared) / len(touched)


def scenario_profiles(issue: Issue, markets: Iterable[str]) -> list[Profile]:
    """The issue's scenarios as profiles offered in the given markets."""
    if not issue.scenarios:
        return []
    codes = sorted({m for m in markets if vocabulary().is_market(m)})
    data = {"profiles": [{"profile": 1, "id": f"{issue.id.replace('_', '-')}-{index + 1}",
                          "markets": codes, **scenario}
                         for index, scenario in enumerate(issue.scenarios)]}
    return parse_profiles(data, f"issues.yaml: {issue.id}.scenarios")


def compare_regulation(issue: Issue, a: Party, b: Party, rulebook: Rulebook,
                       as_of: date | None = None) -> RegulatoryComparison:
    """Both parties' regimes for every scenario, and their standing on the redlines."""
    codes = list(dict.fromkeys([*a.jurisdictions, *b.jurisdictions]))
    comparison = RegulatoryComparison()
    for profile in scenario_profiles(issue, [*codes, a.id, b.id]):
        assessment = assess_profile(profile, rulebook, as_of=as_of, jurisdictions=codes)
        by_code = {r.jurisdiction: r for r in assessment.results}
        comparison.scenarios.append(ScenarioAlignment(
            profile.name,
            Regime.of((by_code[c] for c in a.jurisdictions), rulebook),
            Regime.of((by_code[c] for c in b.jurisdictions), rulebook)))
    if issue.redlines:
        _, lines = redlines(rulebook, jurisdictions=codes, as_of=as_of or date.today())
        found = {line.id: line for line in lines}
        comparison.redlines = [_standing(found[key], a, b) for key in issue.redlines
                               if key in found]
    return comparison


def _standing(line: Redline, a: Party, b: Party) -> RedlineStanding:
    def bans(party: Party) -> tuple[tuple[str, str], ...]:
        return tuple((code, citation) for code in party.jurisdictions
                     for _, citation in line.bans.get(code, []))
    return RedlineStanding(line.id, line.description, bans(a), bans(b))
