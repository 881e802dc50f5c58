"""The data files of the cooperation layer, validated: issues, weights and thresholds,
the transfer screen's rules, the R&D project criteria and the non-country parties.

Every file rejects unknown keys; a problem names the file and the field path. A user may
pass their own readiness or transfer file with the same schema.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from comity.errors import InputError, Problem, read_input_text
from comity.yaml12 import load_yaml

Family = Literal["cultural_values", "political", "economic"]
FAMILIES: tuple[Family, ...] = ("cultural_values", "political", "economic")
FactorId = Literal["regulatory_alignment", "shared_redlines", "institutional_ties",
                   "democracy_distance", "unga_agreement", "unga_human_rights_agreement",
                   "principle_overlap", "export_control_alignment"]
Outcome = Literal["encourage", "permit", "permit_with_safeguards", "do_not_transfer"]
Level = Literal["low", "medium", "elevated", "high"]
StudyRating = Literal["green", "green_turning_yellow", "yellow", "red"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- readiness -------------------------------------------------------------------------

class Factor(_Strict):
    weight: float = Field(ge=0, le=1)
    family: Family
    reason: str = Field(min_length=1)


class Thresholds(_Strict):
    green: float = Field(ge=0, le=1)
    yellow: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.yellow > self.green:
            raise ValueError("yellow must not be above green")
        return self


class EvidenceThresholds(_Strict):
    enabler: float = Field(ge=0, le=1)
    barrier: float = Field(ge=0, le=1)


class ForumSource(_Strict):
    name: str
    rulebook_sets: dict[str, list[str]] = Field(default_factory=dict)
    membership: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> ForumSource:
        if bool(self.rulebook_sets) == (self.membership is not None):
            raise ValueError("give exactly one of rulebook_sets and membership")
        return self


class ReadinessSettings(_Strict):
    version: Literal[1]
    factors: dict[FactorId, Factor]
    family_emphasis: float = Field(ge=1)
    thresholds: Thresholds
    evidence: EvidenceThresholds
    minimum_coverage: float = Field(ge=0, le=1)
    forums: dict[str, ForumSource]
    export_control_regimes: list[str]
    principle_document_statuses: list[str]

    @model_validator(mode="after")
    def _every_factor(self) -> ReadinessSettings:
        missing = set(get_args(FactorId)) - set(self.factors)
        if missing:
            raise ValueError(f"factors missing: {', '.join(sorted(missing))}")
        return self


# --- issues ----------------------------------------------------------------------------

class Issue(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    study_rating: StudyRating | None = None
    families: list[Family]
    family_sources: dict[Family, str]
    dual_use: bool
    dual_use_reason: str
    redlines: list[str]
    scenarios: list[dict[str, Any]]

    @model_validator(mode="after")
    def _sourced_families(self) -> Issue:
        unsourced = [f for f in self.families if f not in self.family_sources]
        if unsourced:
            raise ValueError(f"families without a source passage: {', '.join(unsourced)}")
        return self


class IssueFile(_Strict):
    version: Literal[1]
    issues: list[Issue]


# --- parties that are not countries --------------------------------------------------

class PartyMembership(_Strict):
    member: bool
    source: str = Field(pattern=r"^https?://")
    note: str | None = None


class PartyEntry(_Strict):
    id: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    memberships: dict[str, PartyMembership]


class PartyFile(_Strict):
    version: Literal[1]
    parties: list[PartyEntry]


# --- transfer screen -------------------------------------------------------------------

class NeedRule(_Strict):
    hdi_below: float = Field(ge=0, le=1)
    income_groups: list[Literal["high", "upper_middle", "lower_middle", "low"]]
    ldc: bool = False


class RiskRule(_Strict):
    vdem_below: float = Field(ge=0, le=1)
    vdem_fall_at_least: float | None = Field(default=None, gt=0, le=1)


class HarmCategory(_Strict):
    uses: list[str]
    redlines: list[str]


class HumanRightsConflict(_Strict):
    categories: dict[str, HarmCategory]


class DualUse(_Strict):
    uses: list[str]
    gpai_compute_flop: float = Field(gt=0)


class Condition(_Strict):
    """Only lower bounds on ordered inputs: a worse input can never relax an outcome."""

    human_rights_conflict: bool | None = None
    political_risk_at_least: Literal["elevated", "high"] | None = None
    development_need_at_least: Literal["medium", "high"] | None = None
    sdg_linked: bool | None = None
    dual_use: bool | None = None
    outside_exporter_regimes: bool | None = None
    security_end_user: bool | None = None


class EndUser(_Strict):
    sdgs: list[int] = Field(default_factory=list)
    security: bool = False


class TransferRule(_Strict):
    id: str
    when: Condition
    outcome: Outcome
    safeguards: list[str] = Field(default_factory=list)
    reason: str


class TransferSettings(_Strict):
    version: Literal[1]
    outcomes: list[Outcome]
    development_need: dict[Literal["high_if", "medium_if"], NeedRule]
    political_risk: dict[Literal["high_if", "elevated_if"], RiskRule]
    human_rights_conflict: HumanRightsConflict
    sdg_links: dict[str, list[int]]
    dual_use: DualUse
    end_users: dict[str, EndUser]
    safeguards: dict[str, str]
    rules: list[TransferRule]

    @model_validator(mode="after")
    def _known_safeguards(self) -> TransferSettings:
        unknown = {s for rule in self.rules for s in rule.safeguards} - set(self.safeguards)
        if unknown:
            raise ValueError(f"rules name unknown safeguards: {', '.join(sorted(unknown))}")
        if list(self.outcomes) != list(get_args(Outcome)):
            raise ValueError(f"outcomes must be, in order: {', '.join(get_args(Outcome))}")
        return self


# --- R&D project criteria --------------------------------------------------------------

class Check(_Strict):
    is_true: str | None = None
    stated: str | None = None
    min_items: dict[str, int] | None = None

    @model_validator(mode="after")
    def _one(self) -> Check:
        if sum(x is not None for x in (self.is_true, self.stated, self.min_items)) != 1:
            raise ValueError("a check has exactly one of is_true, stated, min_items")
        return self

    @property
    def field(self) -> str:
        return self.is_true or self.stated or next(iter(self.min_items or {}))


class RubricLevel(_Strict):
    score: int = Field(ge=1, le=2)
    text: str
    all: list[Check] = Field(default_factory=list)
    any: list[Check] = Field(default_factory=list)


class Criterion(_Strict):
    id: str
    title: str
    source: str
    text: str
    evidence: list[str]
    levels: list[RubricLevel]


class Suggest(_Strict):
    sandbox_statuses: list[str]
    standard_statuses: list[str]
    audit_duty_types: list[str]


class ProjectCriteria(_Strict):
    version: Literal[1]
    criteria: list[Criterion]
    suggest: Suggest


# --- loading ---------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


def data_folder() -> Path:
    return Path(str(resources.files("comity").joinpath("cooperation", "data")))


def parse_settings(model: type[M], text: str, source: str) -> M:
    """Validate YAML text against a settings model; problems name the field path."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise InputError(source, [Problem("", f"not valid YAML: {error}")]) from None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InputError(source, [Problem(".".join(str(p) for p in e["loc"]), e["msg"])
                                  for e in error.errors(include_url=False)]) from None


def load_settings(model: type[M], path: str | Path) -> M:
    return parse_settings(model, read_input_text(path), str(path))


@cache
def readiness_settings() -> ReadinessSettings:
    return load_settings(ReadinessSettings, data_folder() / "readiness.yaml")


@cache
def transfer_settings() -> TransferSettings:
    return load_settings(TransferSettings, data_folder() / "transfer.yaml")


@cache
def project_criteria() -> ProjectCriteria:
    return load_settings(ProjectCriteria, data_folder() / "project_criteria.yaml")


@cache
def issues() -> dict[str, Issue]:
    path = data_folder() / "issues.yaml"
    loaded = load_settings(IssueFile, path)
    ids = [issue.id for issue in loaded.issues]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(str(path), [Problem("issues", f"duplicate id {d!r}") for d in duplicates])
    return {issue.id: issue for issue in loaded.issues}


@cache
def parties() -> dict[str, PartyEntry]:
    loaded = load_settings(PartyFile, data_folder() / "parties.yaml")
    return {party.id: party for party in loaded.parties}
