"""Technology-transfer proportionality screen: encourage, permit, permit with named
safeguards, or do not transfer.

The inputs are Kriebitz & Lütge's four premises ("Involving Proportionality"):
development need, political structure, alignment with international aims (SDG links)
and human-rights-conflicting technology, plus export-control facts (CSET memo). The
rules of ``cooperation/data/transfer.yaml`` only set lower bounds on ordered inputs, and
the outcome is the most restrictive one of the rules that fire, so a worse political
structure never makes a transfer more permissible. A missing input is not guessed: the
screen is run for each value it could take, the most restrictive outcome is reported,
and the result says it is provisional.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from itertools import product
from typing import Any, Literal

from comity.cooperation.parties import Party, check_code, load_party
from comity.cooperation.settings import (
    Condition,
    Outcome,
    TransferRule,
    TransferSettings,
    transfer_settings,
)
from comity.engine.assess import assess_profile
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook, default_rulebook

Need = Literal["low", "medium", "high"]
Risk = Literal["low", "elevated", "high"]
NEEDS: tuple[Need, ...] = ("low", "medium", "high")
RISKS: tuple[Risk, ...] = ("low", "elevated", "high")
BOOLS = (False, True)
INPUTS = ("development_need", "political_risk", "human_rights_conflict", "sdg_linked",
          "dual_use", "outside_exporter_regimes", "security_end_user")


@dataclass(frozen=True)
class ScreenInputs:
    """The values the rules read; a tuple holds every value a missing input could take."""

    development_need: tuple[Need, ...]
    political_risk: tuple[Risk, ...]
    human_rights_conflict: tuple[bool, ...]
    sdg_linked: tuple[bool, ...]
    dual_use: tuple[bool, ...]
    outside_exporter_regimes: tuple[bool, ...]
    security_end_user: tuple[bool, ...]

    def combinations(self) -> list[dict[str, Any]]:
        values = [getattr(self, name) for name in INPUTS]
        return [dict(zip(INPUTS, combo, strict=True)) for combo in product(*values)]


@dataclass(frozen=True)
class InputReport:
    """One input as shown to the user: its value, how it was found, and its source."""

    id: str
    value: str
    missing: bool
    explanation: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "value": self.value, "missing": self.missing,
                "explanation": self.explanation, "source": self.source}


@dataclass(frozen=True)
class Flip:
    """A single-input change that would change the outcome."""

    input: str
    now: str
    alternative: str
    outcome: Outcome

    def to_dict(self) -> dict[str, str]:
        return {"input": self.input, "now": self.now, "alternative": self.alternative,
                "outcome": self.outcome}


@dataclass
class TransferScreen:
    profile_id: str
    exporter: str
    recipient: str
    end_user: str | None
    outcome: Outcome
    provisional: bool
    inputs: list[InputReport]
    fired: list[TransferRule]
    safeguards: dict[str, str]
    sensitivity: list[Flip] = field(default_factory=list)
    harms: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"format": "comity.cooperation.transfer.v1", "profile": self.profile_id,
                "from": self.exporter, "to": self.recipient, "end_user": self.end_user,
                "outcome": self.outcome, "provisional": self.provisional,
                "inputs": [i.to_dict() for i in self.inputs],
                "rules": [{"id": r.id, "outcome": r.outcome, "reason": r.reason.strip()}
                          for r in self.fired],
                "safeguards": [{"id": k, "text": v.strip()} for k, v in self.safeguards.items()],
                "human_rights_conflicts": self.harms,
                "sensitivity": [f.to_dict() for f in self.sensitivity]}


def holds(condition: Condition, values: dict[str, Any]) -> bool:
    """Whether a rule's condition holds for one combination of input values."""
    checks = [
        condition.human_rights_conflict in (None, values["human_rights_conflict"]),
        condition.sdg_linked in (None, values["sdg_linked"]),
        condition.dual_use in (None, values["dual_use"]),
        condition.outside_exporter_regimes in (None, values["outside_exporter_regimes"]),
        condition.security_end_user in (None, values["security_end_user"]),
        condition.political_risk_at_least is None
        or RISKS.index(values["political_risk"]) >= RISKS.index(condition.political_risk_at_least),
        condition.development_need_at_least is None
        or NEEDS.index(values["development_need"])
        >= NEEDS.index(condition.development_need_at_least),
    ]
    return all(checks)


def decide(values: dict[str, Any],
           settings: TransferSettings) -> tuple[Outcome, list[TransferRule]]:
    """The outcome for one combination: the most restrictive of the rules that fire
    (``permit`` if none does); ``encourage`` only when no restricting rule fires."""
    fired = [rule for rule in settings.rules if holds(rule.when, values)]
    order = settings.outcomes
    restricting = [r.outcome for r in fired if order.index(r.outcome) > order.index("permit")]
    if restricting:
        return max(restricting, key=order.index), fired
    return ("encourage" if any(r.outcome == "encourage" for r in fired) else "permit"), fired


def outcome_of(inputs: ScreenInputs, settings: TransferSettings
               ) -> tuple[Outcome, list[TransferRule], bool]:
    """(most restrictive outcome over the possible values, rules fired there, provisional)."""
    order = settings.outcomes
    results = [decide(values, settings) for values in inputs.combinations()]
    outcome, fired = max(results, key=lambda result: order.index(result[0]))
    return outcome, fired, len({r[0] for r in results}) > 1


def sensitivity(inputs: ScreenInputs, settings: TransferSettings) -> list[Flip]:
    """Each single input changed to each other value it can take, where that changes the
    outcome. Missing inputs are not listed: their possible values are already screened."""
    outcome, _, _ = outcome_of(inputs, settings)
    domains: dict[str, tuple[Any, ...]] = {"development_need": NEEDS, "political_risk": RISKS}
    flips: list[Flip] = []
    for name in INPUTS:
        current = getattr(inputs, name)
        if len(current) != 1:
            continue
        for alternative in domains.get(name, BOOLS):
            if alternative == current[0]:
                continue
            changed, _, _ = outcome_of(replace(inputs, **{name: (alternative,)}), settings)
            if changed != outcome:
                flips.append(Flip(name, _word(current[0]), _word(alternative), changed))
    return flips


def _word(value: Any) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def development_need(party: Party, settings: TransferSettings) -> tuple[tuple[Need, ...], str]:
    high, medium = settings.development_need["high_if"], settings.development_need["medium_if"]
    facts = []
    if party.hdi is not None:
        facts.append(f"HDI {party.hdi:.3f}")
    if party.income_group is not None:
        facts.append(f"{party.income_group.replace('_', ' ')} income")
    if party.ldc is not None:
        facts.append("LDC" if party.ldc else "not an LDC")
    if not facts:
        return NEEDS, "no HDI, income group or LDC status: every level screened"
    if ((party.hdi is not None and party.hdi < high.hdi_below)
            or party.income_group in high.income_groups or (high.ldc and party.ldc)):
        return ("high",), ", ".join(facts)
    if ((party.hdi is not None and party.hdi < medium.hdi_below)
            or party.income_group in medium.income_groups):
        return ("medium",), ", ".join(facts)
    return ("low",), ", ".join(facts)


def political_risk(party: Party, settings: TransferSettings) -> tuple[tuple[Risk, ...], str]:
    high, elevated = settings.political_risk["high_if"], settings.political_risk["elevated_if"]
    if party.vdem is None:
        return RISKS, "no V-Dem index: every level screened"
    text = f"V-Dem {party.vdem:.3f} ({party.vdem_year})"
    trend = party.vdem_trend
    text += (f", change {trend.change:+.3f} since {trend.from_year}" if trend
             else ", trend missing")
    if party.vdem < high.vdem_below:
        return ("high",), text
    if party.vdem < elevated.vdem_below:
        return ("elevated",), text
    fall = elevated.vdem_fall_at_least
    if trend is None:
        return (("low", "elevated") if fall else ("low",)), text
    if fall is not None and -trend.change >= fall:
        return ("elevated",), text + " (autocratising)"
    return ("low",), text


def harms_of(profile: Profile, settings: TransferSettings, rulebook: Rulebook,
             as_of: date | None) -> dict[str, list[str]]:
    """Human-rights-conflict category -> why: the profile's use tags in the category, and
    the provisions that ban the use in any jurisdiction (the profile offered everywhere)."""
    everywhere = profile.model_copy(update={"markets": list(rulebook.jurisdictions)})
    assessment = assess_profile(everywhere, rulebook, as_of=as_of)
    banned: dict[str, list[str]] = {}
    for result in assessment.results:
        for finding in result.prohibitions:
            redline = rulebook.rule(finding.rule_id).spec.redline
            if redline and finding.status == "holds":
                banned.setdefault(redline, []).append(f"{result.jurisdiction} {finding.citation}")
    found: dict[str, list[str]] = {}
    for name, category in settings.human_rights_conflict.categories.items():
        reasons = [f"use {use}" for use in profile.uses if use in category.uses]
        reasons += [f"banned as {r}: {cite}" for r in category.redlines
                    for cite in banned.get(r, [])]
        if reasons:
            found[name] = reasons
    return found


def screen_transfer(profile: Profile, exporter: str, recipient: str, *,
                    end_user: str | None = None, dual_use: bool | None = None,
                    rulebook: Rulebook | None = None, settings: TransferSettings | None = None,
                    as_of: date | None = None) -> TransferScreen:
    """Screen the transfer of the technology in ``profile`` from ``exporter`` to ``recipient``."""
    book = rulebook or default_rulebook()
    return screen(profile, load_party(exporter, book), load_party(recipient, book),
                  end_user=end_user, dual_use=dual_use, rulebook=book, settings=settings,
                  as_of=as_of)


def screen(profile: Profile, source: Party, target: Party, *, end_user: str | None = None,
           dual_use: bool | None = None, rulebook: Rulebook | None = None,
           settings: TransferSettings | None = None, as_of: date | None = None
           ) -> TransferScreen:
    """The screen for already-resolved parties (what ``screen_transfer`` runs)."""
    book = rulebook or default_rulebook()
    config = settings or transfer_settings()
    exporter, recipient = source.id, target.id
    user = None
    if end_user is not None:
        check_code(end_user, sorted(config.end_users), "end user", "transfer.yaml")
        user = config.end_users[end_user]
    need, need_text = development_need(target, config)
    risk, risk_text = political_risk(target, config)
    harms = harms_of(profile, config, book, as_of)
    sdgs = sorted({g for use in profile.uses for g in config.sdg_links.get(use, [])}
                  | set(user.sdgs if user else []))
    dual, dual_text = _dual_use(profile, config, dual_use)
    outside, outside_text = _outside_regimes(source, target)
    inputs = ScreenInputs(need, risk, (bool(harms),), (bool(sdgs),), (dual,), outside,
                          (bool(user and user.security),))
    outcome, fired, provisional = outcome_of(inputs, config)
    safeguards = {} if outcome == "do_not_transfer" else {
        key: config.safeguards[key] for rule in fired for key in rule.safeguards}
    kl = "Kriebitz & Lütge, Involving Proportionality"
    reports = [
        InputReport("development_need", "/".join(need), len(need) > 1, need_text,
                    f"{kl}, premise 1; UNDP HDR 2023/24, World Bank CLASS FY2025"),
        InputReport("political_risk", "/".join(risk), len(risk) > 1, risk_text,
                    f"{kl}, premise 2; V-Dem via OWID"),
        InputReport("sdg_linked", _word(bool(sdgs)), False,
                    f"SDGs {', '.join(map(str, sdgs))}" if sdgs else "no use linked to an SDG",
                    f"{kl}, premise 3; cooperation/data/transfer.yaml sdg_links"),
        InputReport("human_rights_conflict", _word(bool(harms)), False,
                    "; ".join(f"{k}: {', '.join(v)}" for k, v in harms.items()) or "none found",
                    f"{kl}, premise 4; Comity rulebook redlines"),
        InputReport("dual_use", _word(dual), False, dual_text, "CSET memo; transfer.yaml"),
        InputReport("outside_exporter_regimes", "/".join(_word(v) for v in outside),
                    len(outside) > 1, outside_text, "export-control regime participation"),
        InputReport("security_end_user", _word(bool(user and user.security)), False,
                    end_user or "no end user given", "transfer.yaml end_users"),
    ]
    return TransferScreen(profile.id, exporter, recipient, end_user, outcome, provisional,
                          reports, fired, safeguards, sensitivity(inputs, config), harms)


def _dual_use(profile: Profile, settings: TransferSettings,
              override: bool | None) -> tuple[bool, str]:
    if override is not None:
        return override, "set by the user"
    uses = [u for u in profile.uses if u in settings.dual_use.uses]
    compute = profile.gpai.training_compute_flop if profile.gpai else None
    reasons = [f"use {u}" for u in uses]
    if isinstance(compute, float) and compute >= settings.dual_use.gpai_compute_flop:
        reasons.append(f"training compute {compute:.1e} FLOP")
    return bool(reasons), ", ".join(reasons) or "no dual-use use or frontier compute"


def _outside_regimes(exporter: Party, recipient: Party) -> tuple[tuple[bool, ...], str]:
    regimes = ("wassenaar", "mtcr", "nsg", "australia_group")
    of_exporter = [r for r in regimes if exporter.memberships.get(r)]
    unknown = [r for r in of_exporter if recipient.memberships.get(r) is None]
    if unknown:
        return BOOLS, f"{recipient.id}'s participation in {', '.join(unknown)} not known"
    outside = [r for r in of_exporter if not recipient.memberships.get(r)]
    if not of_exporter:
        return (False,), f"{exporter.id} takes part in no export-control regime"
    if outside:
        return (True,), f"{recipient.id} is outside {', '.join(outside)}, where {exporter.id} is"
    return (False,), f"{recipient.id} is in every regime {exporter.id} is in"
