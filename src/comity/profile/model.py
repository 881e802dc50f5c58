"""The AI system profile, version 1: the common input contract, and its facts.

The model follows ``ai-system-profile-v1.md`` exactly: unknown fields are errors,
omitted booleans are false, omitted lists are empty. Fields the spec gives no default
(``system.machine_based``, ``system.infers_outputs``, ``decision_role``,
``system.autonomy``, the parties, ``gpai.training_compute_flop``) stay *unknown* when
omitted, so that a rule which needs them is reported as
undetermined instead of guessed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from comity.profile.vocabulary import vocabulary


class Unknown:
    """The value of a fact the profile does not give (distinct from an explicit null)."""

    _instance: Unknown | None = None

    def __new__(cls) -> Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "unknown"

    def __bool__(self) -> bool:
        return False


UNKNOWN = Unknown()
Facts = dict[str, Any]


class DontKnow(Unknown):
    """A fact the profile's author explicitly does not know (``unknown:`` in the profile,
    or ``unknown`` as an answer). It reads as undetermined, like :data:`UNKNOWN`, but the
    trace says the user answered "unknown" rather than that the profile is silent."""

    _instance: Unknown | None = None

    def __repr__(self) -> str:
        return "unknown (answered)"


DONT_KNOW = DontKnow()


@dataclass(frozen=True)
class _OneOf:
    """Field metadata: the value must be one of ``allowed``. Validation gives a
    "did you mean" hint; the JSON Schema lists the values as an ``enum``."""

    allowed: tuple[str, ...] | dict[str, str]
    what: str

    def check(self, value: str) -> str:
        if value not in self.allowed:
            close = _closest(value, tuple(self.allowed))
            hint = f"; did you mean {close!r}?" if close else ""
            raise ValueError(f"{value!r} is not a known {self.what}{hint}")
        return value

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema,
                                     handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {"type": "string", "enum": list(self.allowed)}



@lru_cache(maxsize=4096)
def _closest(value: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed value nearest a misspelt one (cached: a portfolio repeats its typos)."""
    close = difflib.get_close_matches(value, allowed, n=1)
    return close[0] if close else None


def _country(value: str) -> str:
    if not vocabulary().is_country(value):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code or EU")
    return value


def _market(value: str) -> str:
    if not vocabulary().is_market(value):
        raise ValueError(
            f"{value!r} is not a market code (ISO 3166-1 alpha-2, EU, ISO 3166-2 US state, "
            "US-NYC or US-FED)"
        )
    return value


def _number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            raise ValueError("number is out of range") from None
    return value


def _union_codes() -> frozenset[str]:
    """The member states and ``EU``, from the vocabulary data."""
    return frozenset(vocabulary().union_members) | {"EU"}


def _stateable_path(value: str) -> str:
    """A fact a profile may declare unknown (``unknown:``): a field of the profile."""
    if value not in STATEABLE_FACTS:
        close = _closest(value, tuple(sorted(STATEABLE_FACTS)))
        hint = f"; did you mean {close!r}?" if close else ""
        raise ValueError(f"{value!r} is not a field that can be unknown{hint}")
    return value


def _stateable_enum(schema: dict[str, Any]) -> None:
    """The JSON Schema of ``unknown:`` lists the field paths it accepts."""
    schema["items"] = {"type": "string", "enum": sorted(STATEABLE_FACTS)}
def _whole_number(value: Any) -> Any:
    """A count given as text or as a float with no fractional part (flat files) as int."""
    number = _number(value) if isinstance(value, str) else value
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    return number


def _format_version(value: Any) -> Any:
    # ``true == 1`` in Python; the format version is the integer 1, nothing else.
    if type(value) is not int:
        raise ValueError(f"expected the format version 1 (a whole number), not {value!r}")
    return value


#: ``impact_assessments`` is opaque to the model; these bound what it may hold.
OPAQUE_MAX_DEPTH = 8
OPAQUE_MAX_VALUES = 20_000


def _bounded_opaque(value: dict[str, Any]) -> dict[str, Any]:
    count = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        count += 1
        if count > OPAQUE_MAX_VALUES:
            raise ValueError(f"holds more than {OPAQUE_MAX_VALUES:,} values")
        if isinstance(item, dict | list):
            if depth >= OPAQUE_MAX_DEPTH:
                raise ValueError(f"nested more than {OPAQUE_MAX_DEPTH} levels deep")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return value


_V = vocabulary()
UseTag = Annotated[str, _OneOf(_V.uses, "use tag")]
DeployerKind = Annotated[str, _OneOf(_V.deployer_kinds, "deployer kind")]
Autonomy = Annotated[str, _OneOf(_V.autonomy, "autonomy level")]
OutputKind = Annotated[str, _OneOf(_V.outputs, "output kind")]
DecisionRole = Annotated[str, _OneOf(tuple(_V.decision_roles), "decision role")]
Legislation = Annotated[str, _OneOf(_V.safety_legislation, "safety legislation")]
AffectedGroup = Annotated[str, _OneOf(_V.affected, "affected group")]
DataKind = Annotated[str, _OneOf(_V.data, "data kind")]
LawEnforcementException = Annotated[str, _OneOf(_V.law_enforcement_exceptions, "exception")]
OperatorRole = Annotated[str, _OneOf(_V.operator_roles, "operator role")]
UseArea = Annotated[str, _OneOf({name: meaning for name, (meaning, _) in _V.use_areas.items()},
                                "use area")]
GovernmentLevel = Annotated[str, _OneOf(tuple(_V.government_levels), "government level")]
# The bound is on the number, not the union: an explicit null (a dumped profile) is valid.
Amount = Annotated[Annotated[float, Field(ge=0)] | None, BeforeValidator(_number),
                   Field(default=None)]
Count = Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_whole_number),
                  Field(default=None)]
Country = Annotated[str, AfterValidator(_country),
                    WithJsonSchema({"type": "string", "pattern": "^([A-Z]{2}|EU)$"})]
Market = Annotated[str, AfterValidator(_market),
                   WithJsonSchema({"type": "string",
                                   "pattern": "^([A-Z]{2}|EU|US-[A-Z]{2}|US-NYC|US-FED)$"})]
SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

#: For error messages: the closed value list behind each constrained field name.
ALLOWED_VALUES: dict[str, tuple[str, ...]] = {
    "uses": tuple(_V.uses),
    "kind": _V.deployer_kinds,
    "autonomy": _V.autonomy,
    "outputs": _V.outputs,
    "decision_role": tuple(_V.decision_roles),
    "legislation": _V.safety_legislation,
    "affected": _V.affected,
    "data": _V.data,
    "law_enforcement_exception": _V.law_enforcement_exceptions,
    "roles": _V.operator_roles,
    "use_areas": tuple(_V.use_areas),
    "government_level": tuple(_V.government_levels),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# Annual revenue by ISO 4217 currency, one optional field per currency of the vocabulary
# (a model, not a free mapping, so that each amount is a typed fact column).
AnnualRevenue = create_model(  # type: ignore[call-overload]
    "AnnualRevenue", __base__=_Strict,
    **{currency: (Amount, None) for currency in _V.currencies},
)


class _Organisation(_Strict):
    """A party, with the organisation facts laws use as thresholds (all optional).

    ``annual_revenue`` is keyed by ISO 4217 currency: the last financial year's gross
    revenue, worldwide, in the currency (or currencies) the laws of interest use.
    ``employees`` is the full-time-equivalent headcount.
    """

    name: str | None = None
    country: Country | None = None
    annual_revenue: AnnualRevenue | None = None
    employees: Count = None


class Provider(_Organisation):
    # Extension (issue #16): established in the Union or not, when the country is not
    # named; derived from ``country`` when that is given (a contradiction is an error).
    established_in_union: bool | None = None


class Deployer(_Organisation):
    kind: DeployerKind | None = None
    # For public deployers: national (federal), state_or_provincial or municipal.
    government_level: GovernmentLevel | None = None


class System(_Strict):
    # No default: every regime's definition of an AI system turns on these two, so an
    # omitted value is unknown (scope undetermined), never false.
    machine_based: bool | None = None
    infers_outputs: bool | None = None
    autonomy: Autonomy | None = None
    adaptive: bool = False
    outputs: list[OutputKind] = Field(default_factory=list)
    interacts_with_people: bool = False
    synthetic_media: bool = False
    deepfake: bool = False
    public_interest_text: bool = False
    human_editorial_review: bool = False
    # Extension (issue #16): the system itself (not only a model) is released under a
    # free and open-source licence (EU Art. 2(12)).
    open_source: bool = False
    # Average monthly visitors or users of the service offering the system, worldwide.
    monthly_users: Count = None


class Gpai(_Strict):
    is_gpai_model: bool = False
    # Written like 3.8e25, which YAML 1.1 readers (and some JSON writers) leave as text.
    training_compute_flop: Annotated[float | None, BeforeValidator(_number)] = Field(
        default=None, ge=0, allow_inf_nan=False
    )
    open_weights: bool = False
    designated_systemic: bool = False


class SafetyComponent(_Strict):
    # Omitted: a product under harmonisation legislation the user cannot name; rules
    # that depend on which legislation it is stay undetermined (issue #16).
    legislation: Legislation | None = None
    third_party_conformity: bool = False


class Flags(_Strict):
    profiling: bool = False
    narrow_procedural_task: bool = False
    improves_prior_human_activity: bool = False
    detects_patterns_only: bool = False
    preparatory_task: bool = False
    law_enforcement_exception: LawEnforcementException | None = None
    medical_or_safety_purpose: bool = False
    exclusively_military: bool = False
    exclusively_national_security: bool = False  # extension (issue #16), EU Art. 2(3)
    research_only: bool = False
    personal_non_professional: bool = False
    public_service: bool = False
    public_opinion_capability: bool = False
    intimate_imagery_foreseeable: bool = False


class Lifecycle(_Strict):
    """Extension (issue #16): dates of the system's life the transitional rules turn on
    (EU Art. 111). Each is unknown when omitted."""

    placed_on_market: date | None = None
    put_into_service: date | None = None
    significant_change: date | None = None

    @field_validator("placed_on_market", "put_into_service", "significant_change",
                     mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        # Strict mode takes only date objects; JSON and quoted YAML give ISO text.
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a date (write YYYY-MM-DD)") from None
        return value


class Profile(_Strict):
    """One AI system (or general-purpose model), described in the common vocabulary."""

    profile: Annotated[Literal[1], BeforeValidator(_format_version)]
    id: str = Field(pattern=SLUG.pattern)
    name: str = Field(min_length=1)
    description: str | None = None
    provider: Provider | None = None
    deployer: Deployer | None = None
    markets: list[Market] = Field(default_factory=list)
    system: System = Field(default_factory=System)
    gpai: Gpai = Field(default_factory=Gpai)
    uses: list[UseTag] = Field(default_factory=list)
    decision_role: DecisionRole | None = None
    safety_component_of: SafetyComponent | None = None
    affected: list[AffectedGroup] = Field(default_factory=list)
    data: list[DataKind] = Field(default_factory=list)
    flags: Flags = Field(default_factory=Flags)
    # Extension beyond the v1 spec (which allows more fields): completed impact
    # assessments keyed by scheme, e.g. ``ca_aia``. Kept opaque here.
    impact_assessments: Annotated[dict[str, Any], AfterValidator(_bounded_opaque)] = Field(
        default_factory=dict)
    # Extension beyond the v1 spec: answers to the rulebook's questions (the legal
    # elements the fields above cannot state), question id -> value or
    # {value, version}; "unknown" is an explicit "I don't know".
    answers: dict[str, Any] = Field(default_factory=dict)
    # Extension beyond the v1 spec: the operator roles the profile's author holds for
    # this system (provider, deployer, importer, ...), for "my duties" (--role mine).
    roles: list[OperatorRole] = Field(default_factory=list)
    # --- Extensions of issue #16, item 7 (facts a user could not state) ------------
    # Dates of placing on the market, putting into service, significant change.
    lifecycle: Lifecycle = Field(default_factory=Lifecycle)
    # Areas of use where the author knows some use applies but not which: a rule
    # testing a use of the area is undetermined (e.g. "Annex III point 5, unsure which").
    use_areas: list[UseArea] = Field(default_factory=list)
    # "I don't know", for any field: the dotted paths of facts the author explicitly
    # does not know. Rules read them as undetermined, never as the field's default.
    unknown: list[Annotated[str, AfterValidator(_stateable_path)]] = Field(
        default_factory=list, json_schema_extra=lambda schema: _stateable_enum(schema))

    @model_validator(mode="after")
    def _check_stated_facts(self) -> Profile:
        """``unknown:`` names fields left out, and ``provider.established_in_union``
        agrees with ``provider.country``."""
        given = self.model_dump(exclude_unset=True)
        for path in self.unknown:
            value: Any = given
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if value is not None:
                raise ValueError(f"unknown: {path} is listed as unknown but the profile gives "
                                 f"it ({value!r}); remove one of the two")
        provider = self.provider
        if provider and provider.country and provider.established_in_union is not None:
            derived = provider.country in _union_codes()
            if derived != provider.established_in_union:
                raise ValueError(
                    f"provider.established_in_union is {provider.established_in_union} but "
                    f"provider.country {provider.country} is "
                    f"{'in' if derived else 'outside'} the Union; remove one of the two")
        return self

    @field_validator("answers")
    @classmethod
    def _check_answers(cls, answers: dict[str, Any]) -> dict[str, Any]:
        """Each answer names a question of the rulebook and fits its type."""
        if answers:
            from comity.rulebook.answers import check_answers  # local: no import cycle

            check_answers(answers)
        return answers

    @model_validator(mode="after")
    def _check_derived_answers(self) -> Profile:
        """An answer must not contradict a profile fact that settles its question."""
        if self.answers:
            from comity.rulebook.answers import check_derived_answers  # local: no cycle

            check_derived_answers(self.answers, self.facts())
        return self

    @model_validator(mode="after")
    def _check_ca_aia(self) -> Profile:
        """``impact_assessments.ca_aia`` must be a completed AIA that can be scored."""
        payload = self.impact_assessments.get("ca_aia")
        if payload is not None:
            from comity.analysis.ca_aia import validate_profile_payload  # local: no import cycle

            validate_profile_payload(payload, type(self).__name__)
        return self

    def facts(self) -> Facts:
        """The profile as flat dotted facts, the only view rules get of it.

        Fields without a default in the spec map to ``UNKNOWN`` when omitted or null.
        """
        facts: Facts = {
            "id": self.id,
            "markets": frozenset(self.markets),
            "uses": frozenset(self.uses),
            "affected": frozenset(self.affected),
            "data": frozenset(self.data),
            "roles": frozenset(self.roles),
            "use_areas": frozenset(self.use_areas),
            "decision_role": self.decision_role,
        }
        uses = set(self.uses)
        for tag in self.uses:
            uses.update(_V.use_implies.get(tag, ()))
        facts["uses"] = frozenset(uses)
        for prefix, party in (("provider", self.provider), ("deployer", self.deployer)):
            for name in ("name", "country", "kind", "employees", "government_level"):
                facts[f"{prefix}.{name}"] = getattr(party, name, None)
            revenue = getattr(party, "annual_revenue", None)
            for currency in _V.currencies:
                amount = getattr(revenue, currency, None)
                facts[f"{prefix}.annual_revenue.{currency}"] = (
                    UNKNOWN if amount is None else amount)
        del facts["provider.kind"], facts["provider.government_level"]
        for prefix, block in (("system", self.system), ("gpai", self.gpai), ("flags", self.flags)):
            for name, value in block:
                facts[f"{prefix}.{name}"] = frozenset(value) if isinstance(value, list) else value
        component = self.safety_component_of
        facts["safety_component_of.legislation"] = component.legislation if component else None
        facts["safety_component_of.third_party_conformity"] = bool(
            component and component.third_party_conformity
        )
        facts["provider.established_in_union"] = self._established_in_union()
        for name, value in self.lifecycle:
            facts[f"lifecycle.{name}"] = value
        if component is not None and component.legislation is None:
            facts["safety_component_of.legislation"] = UNKNOWN
        for name in UNKNOWN_WHEN_NULL:
            if facts[name] is None:
                facts[name] = UNKNOWN
        for name in self.unknown:
            facts[name] = DONT_KNOW
        facts["ca_aia.impact_level"] = self._ca_aia_impact_level()
        return facts

    def _established_in_union(self) -> bool | None:
        provider = self.provider
        if provider is None:
            return None
        if provider.country is not None:
            return provider.country in _union_codes()
        return provider.established_in_union

    def _ca_aia_impact_level(self) -> int | Unknown:
        """Canada's AIA impact level (1-4) scored from ``impact_assessments.ca_aia``.

        Raises :class:`comity.errors.InputError` naming ``impact_assessments.ca_aia`` when
        the payload cannot be scored (unknown questionnaire version, bad shape).
        """
        payload = self.impact_assessments.get("ca_aia")
        if payload is None:
            return UNKNOWN
        from comity.analysis.ca_aia import impact_level_from_profile  # local: no import cycle

        return impact_level_from_profile(payload, source=f"profile {self.id!r}")


DEFINITION_FACTS = ("machine_based", "infers_outputs")
"""The two facts every regime's definition of an AI system turns on."""


def profile_warnings(profile: Profile) -> list[str]:
    """What a valid profile leaves open that changes every result (for ``validate``)."""
    return [
        f"system.{name} is not given: every regime's definition of an AI system turns on "
        "it, so scope stays undetermined until you say true or false"
        for name in DEFINITION_FACTS if getattr(profile.system, name) is None
    ]


UNKNOWN_WHEN_NULL = (
    "provider.established_in_union",
    "lifecycle.placed_on_market",
    "lifecycle.put_into_service",
    "lifecycle.significant_change",
    "system.machine_based",
    "system.infers_outputs",
    "decision_role",
    "provider.name",
    "provider.country",
    "deployer.name",
    "deployer.country",
    "deployer.kind",
    "system.autonomy",
    "gpai.training_compute_flop",
    "system.monthly_users",
    "provider.employees",
    "deployer.employees",
    "deployer.government_level",
)
"""Facts the spec gives no default: null or omitted means the profile does not say."""


FACT_NAMES: frozenset[str] = frozenset(
    Profile(profile=1, id="x", name="x").facts()
)
"""Every fact name a rule may test."""

DATE_FACTS: frozenset[str] = frozenset(f"lifecycle.{name}" for name in Lifecycle.model_fields)
"""Facts whose values are dates (rules compare them with gt/gte/lt/lte and a date)."""

STATEABLE_FACTS: frozenset[str] = FACT_NAMES - {"id", "ca_aia.impact_level"}
"""The facts a profile may declare unknown under ``unknown:`` (fields, not derived)."""
