"""The knowledge base shipped as data (``comity/knowledge/*.yaml``).

Standards, regulatory sandboxes, glossary terms, principle documents, R&D projects and
crosswalks, each validated by a schema that rejects unknown keys, and turned into
store records. Every item names its source.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from comity.errors import InputError, Problem
from comity.knowledge.entities import EntityRecord
from comity.yaml12 import load_yaml

Precision = Literal["day", "month", "year"]
Relation = Literal["equal", "subset", "superset", "intersect"]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class _Identified(_Item):
    """An item with an id. ``aliases`` are ids it had before (a renamed item keeps its old
    id here, so links and exports that use it still resolve). ``checked`` is the day its
    facts were last checked against a source; an item without one inherits the file's
    ``provenance.checked``."""

    id: str = Field(pattern=ID_PATTERN, max_length=200)
    aliases: list[str] = Field(default_factory=list)
    checked: date | None = None

    @model_validator(mode="after")
    def _aliases_are_other_ids(self) -> _Identified:
        for alias in self.aliases:
            if alias == self.id or not re.match(ID_PATTERN, alias) or len(alias) > 200:
                raise ValueError(f"alias {alias!r} must be an id ({ID_PATTERN}) other than "
                                 "the item's own")
        if len(set(self.aliases)) != len(self.aliases):
            raise ValueError("aliases repeat an id")
        return self


class Provenance(_Item):
    """Who added a file's items, and the day they were checked (the items' default)."""

    added_by: str
    checked: date


class Standard(_Identified):
    number: str
    title: str
    body: str
    kind: Literal["international", "european", "national", "industry"]
    jurisdiction: str
    status: str
    stage: str | None = None
    published: date | str | None = None
    date_precision: Precision | None = None
    summary: str
    supports: list[str] = Field(default_factory=list)
    harmonised_for: str | None = None
    source_url: str


class Sandbox(_Identified):
    name: str
    jurisdiction: str
    authority: str
    legal_basis: str | None = None
    status: str
    launched: date | str | None = None
    date_precision: Precision | None = None
    sectors: list[str] = Field(default_factory=list)
    eligibility: str | None = None
    duration: str | None = None
    legal_effect: str | None = None
    exit_report: bool | None = None
    cross_border_recognition: str | None = None
    ai_specific: bool | None = None
    source_url: str


class Definition(_Item):
    instrument: str
    jurisdiction: str
    citation: str
    definition: str
    source_url: str


class Term(_Identified):
    term: str
    translations: dict[str, str] = Field(default_factory=dict)
    translation_sources: dict[str, str] = Field(default_factory=dict)
    # Other words in use for the same concept, by language (not official translations):
    # search finds the concept under any of them (comity.knowledge.synonyms).
    synonyms: dict[str, list[str]] = Field(default_factory=dict)
    # The profile's use tags that denote the concept: provisions whose rules test one
    # are indexed with the concept's names.
    uses: list[str] = Field(default_factory=list)
    definitions: list[Definition]


class Principle(_Item):
    id: str
    name: str
    summary: str
    themes: list[str]


class PrinciplesDocument(_Identified):
    title: str
    issuer: str
    jurisdiction: str
    adopted: date | str | None = None
    revised: date | str | None = None
    status: str
    binding: bool
    source_url: str
    principles: list[Principle]


class Project(_Identified):
    name: str
    partners: list[str]
    lead: str | None = None
    started: date | str | None = None
    date_precision: Precision | None = None
    status: str
    area: str | None = None
    description: str
    source_url: str


class FrameworkItem(_Item):
    id: str
    topic: str
    duty_types: list[str] = Field(default_factory=list)


class Framework(_Item):
    title: str
    # The standards.yaml entry the framework's items come from: `comity plan --standard`
    # accepts its id, or any of its aliases, as well as the framework's own key.
    standard: str | None = None
    source_url: str
    items: list[FrameworkItem]


class Endpoint(_Item):
    framework: str
    id: str


class CrosswalkRelation(_Item):
    from_: Endpoint = Field(alias="from")
    to: Endpoint
    relation: Relation
    rationale: str
    checked: date | None = None  # default: the file's provenance.checked


class Crosswalks(_Item):
    provenance: Provenance
    frameworks: dict[str, Framework]
    relations: list[CrosswalkRelation]


Forum = Literal["oecd", "g7", "g20", "gpai", "coe_ai_convention", "wassenaar", "mtcr", "nsg",
                "australia_group", "eu"]
FORUMS: tuple[Forum, ...] = get_args(Forum)
FORUM_NAMES: dict[Forum, str] = {
    "oecd": "OECD", "g7": "G7", "g20": "G20", "gpai": "GPAI (Global Partnership on AI)",
    "coe_ai_convention": "Council of Europe Framework Convention on AI (CETS 225)",
    "wassenaar": "Wassenaar Arrangement", "mtcr": "Missile Technology Control Regime (MTCR)",
    "nsg": "Nuclear Suppliers Group (NSG)", "australia_group": "Australia Group",
    "eu": "European Union",
}
MembershipStatus = Literal["member", "participating_state", "partner", "participating_government",
                           "participant", "signatory", "ratified", "party", "candidate",
                           "former_member", "non_member"]
IncomeGroup = Literal["high", "upper_middle", "lower_middle", "low"]


class Membership(_Item):
    """A country's standing in one forum. For a treaty, ``member`` is true once the state
    appears in the chart of signatures; ``status`` says whether it signed or ratified."""

    member: bool
    status: MembershipStatus
    since: date | int | None = None
    until: date | int | None = None
    source: str = Field(pattern=r"^https?://")
    note: str | None = None


class ScoreIndicator(_Item):
    """An index value in [0, 1] for one year (HDI, V-Dem electoral democracy)."""

    value: float = Field(ge=0, le=1)
    year: int = Field(ge=1990, le=2100)
    source: str = Field(pattern=r"^https?://")


class IncomeGroupIndicator(_Item):
    """The World Bank income group of a fiscal year (from GNI per capita of ``gni_year``)."""

    value: IncomeGroup
    fiscal_year: int = Field(ge=2000, le=2100)
    gni_year: int = Field(ge=2000, le=2100)
    source: str = Field(pattern=r"^https?://")


class CountryIndicators(_Item):
    hdi: ScoreIndicator | None = None
    vdem_electoral_democracy: ScoreIndicator | None = None
    wb_income_group: IncomeGroupIndicator | None = None


class CountryProfile(_Identified):
    """Forum memberships and indicators of one country (``id``: ISO 3166-1 alpha-2)."""

    id: str = Field(pattern=r"^[A-Z]{2}$")
    name: str
    memberships: dict[Forum, Membership]
    indicators: CountryIndicators = Field(default_factory=CountryIndicators)
    rulebook: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _every_forum(self) -> CountryProfile:
        missing = [forum for forum in FORUMS if forum not in self.memberships]
        if missing:
            raise ValueError(f"memberships missing for {', '.join(missing)}")
        return self

    def summary(self) -> str:
        """Memberships and indicators in words, for full-text search.

        Only forums the country belongs to (or is a candidate for, or has left) are
        named, so a search for a forum finds its members and no one else.
        """
        parts: list[str] = []
        for forum in FORUMS:
            entry = self.memberships[forum]
            if entry.member or entry.status in ("candidate", "former_member"):
                word = "since" if entry.until is None else "from"
                since = f" {word} {entry.since}" if entry.since is not None else ""
                until = f" until {entry.until}" if entry.until is not None else ""
                words = entry.status.replace("_", " ")
                parts.append(f"{FORUM_NAMES[forum]} {words}{since}{until}.")
        found = self.indicators
        if found.hdi is not None:
            parts.append(f"Human Development Index {found.hdi.value} ({found.hdi.year}).")
        if found.vdem_electoral_democracy is not None:
            vdem = found.vdem_electoral_democracy
            parts.append(f"V-Dem electoral democracy index {vdem.value} ({vdem.year}).")
        if found.wb_income_group is not None:
            group = found.wb_income_group
            parts.append(f"World Bank income group: {group.value.replace('_', ' ')} income "
                         f"(FY{group.fiscal_year}).")
        if self.rulebook:
            parts.append(f"Comity rulebook jurisdictions: {', '.join(self.rulebook)}.")
        return " ".join(parts)


FILES: dict[str, tuple[str, type[_Identified]]] = {
    "standards.yaml": ("standards", Standard),
    "sandboxes.yaml": ("sandboxes", Sandbox),
    "glossary.yaml": ("terms", Term),
    "principles.yaml": ("documents", PrinciplesDocument),
    "projects.yaml": ("projects", Project),
    "countries.yaml": ("countries", CountryProfile),
}


def knowledge_folder() -> Path:
    return Path(str(resources.files("comity").joinpath("knowledge", "data")))


@cache
def load_items(name: str) -> tuple[Any, ...]:  # items of the file's own model
    """The validated items of one knowledge file (empty if the file is absent)."""
    path = knowledge_folder() / name
    if not path.exists():
        return ()
    key, model = FILES[name]
    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise InputError(str(path), [Problem(key, "expected a list")])
    allowed = {"provenance", key, "themes"}
    problems = [Problem(extra, "unknown top-level key", tuple(sorted(allowed)))
                for extra in set(data) - allowed]
    default = _provenance(data.get("provenance"), problems)
    items: list[_Identified] = []
    for index, raw in enumerate(data[key]):
        try:
            item = model.model_validate(raw)
        except ValidationError as error:
            problems += [Problem(f"{key}[{index}].{'.'.join(str(p) for p in e['loc'])}",
                                 e["msg"]) for e in error.errors(include_url=False)]
            continue
        if item.checked is None and default is not None:
            item = item.model_copy(update={"checked": default.checked})
        if item.checked is None:
            problems.append(Problem(f"{key}[{index}].checked", "no date: give the item a "
                                    "'checked' date or the file a 'provenance.checked'"))
        items.append(item)
    problems += _name_clashes(key, items)
    if problems:
        raise InputError(str(path), problems)
    return tuple(items)


def _provenance(raw: Any, problems: list[Problem]) -> Provenance | None:
    if raw is None:
        return None
    try:
        return Provenance.model_validate(raw)
    except ValidationError as error:
        problems += [Problem(f"provenance.{'.'.join(str(p) for p in e['loc'])}", e["msg"])
                     for e in error.errors(include_url=False)]
        return None


def _name_clashes(key: str, items: list[_Identified]) -> list[Problem]:
    """Every id and alias of a file names one item only."""
    owners: dict[str, list[str]] = {}
    for item in items:
        for name in (item.id, *item.aliases):
            owners.setdefault(name, []).append(item.id)
    return [Problem(key, f"duplicate id {name!r}" if len(set(ids)) == 1 else
                    f"{name!r} names several items: {', '.join(sorted(set(ids)))}")
            for name, ids in sorted(owners.items()) if len(ids) > 1]


@cache
def load_crosswalks() -> Crosswalks | None:
    path = knowledge_folder() / "crosswalks.yaml"
    if not path.exists():
        return None
    try:
        return Crosswalks.model_validate(load_yaml(path.read_text(encoding="utf-8"), str(path)))
    except ValidationError as error:
        raise InputError(str(path), [Problem(".".join(str(p) for p in e["loc"]), e["msg"])
                                     for e in error.errors(include_url=False)]) from None


def framework_named(crosswalks: Crosswalks, name: str) -> str | None:
    """The key of the framework ``name`` denotes: its own key, or the id or an alias of
    the standard it is drawn from (``standard:`` in crosswalks.yaml)."""
    if name in crosswalks.frameworks:
        return name
    for standard in load_items("standards.yaml"):
        if name == standard.id or name in standard.aliases:
            for key, framework in crosswalks.frameworks.items():
                if framework.standard == standard.id:
                    return key
    return None


def knowledge_records() -> list[EntityRecord]:
    """Store records of every knowledge file present."""
    added_by = "comity seed: knowledge"
    records: list[EntityRecord] = []
    for standard in load_items("standards.yaml"):
        records.append(EntityRecord(
            type="standard", key=standard.id, jurisdiction=standard.jurisdiction,
            title=f"{standard.number} {standard.title}", citation=standard.number,
            status=standard.status, date=_date(standard.published),
            source_url=standard.source_url,
            text=" ".join([standard.summary, standard.body, *standard.supports]),
            body=standard.model_dump(mode="json"), added_by=added_by))
    for sandbox in load_items("sandboxes.yaml"):
        records.append(EntityRecord(
            type="sandbox", key=sandbox.id, jurisdiction=sandbox.jurisdiction,
            title=sandbox.name, citation=sandbox.legal_basis, status=sandbox.status,
            date=_date(sandbox.launched), source_url=sandbox.source_url,
            text=" ".join(filter(None, [sandbox.authority, sandbox.eligibility,
                                        sandbox.legal_effect, *sandbox.sectors])),
            body=sandbox.model_dump(mode="json"), added_by=added_by))
    for term in load_items("glossary.yaml"):
        records.append(EntityRecord(
            type="term", key=term.id, title=term.term,
            citation="; ".join(f"{d.jurisdiction}: {d.citation}" for d in term.definitions),
            text=" ".join([*term.translations.values(),
                           *(name for names in term.synonyms.values() for name in names),
                           *(d.definition for d in term.definitions)]),
            body=term.model_dump(mode="json"), added_by=added_by))
    for document in load_items("principles.yaml"):
        records.append(EntityRecord(
            type="principles_document", key=document.id, jurisdiction=document.jurisdiction,
            title=document.title, citation=document.issuer, status=document.status,
            date=_date(document.adopted), source_url=document.source_url,
            text=" ".join(f"{p.name}: {p.summary}" for p in document.principles),
            body=document.model_dump(mode="json"), added_by=added_by))
    for project in load_items("projects.yaml"):
        records.append(EntityRecord(
            type="project", key=project.id, title=project.name, status=project.status,
            date=_date(project.started), source_url=project.source_url,
            jurisdiction="INT" if len(project.partners) > 1 else project.partners[0],
            text=" ".join(filter(None, [project.description, project.area,
                                        " ".join(project.partners)])),
            body=project.model_dump(mode="json"), added_by=added_by))
    for country in load_items("countries.yaml"):
        records.append(EntityRecord(
            type="country_profile", key=country.id, jurisdiction=country.id,
            title=country.name, text=country.summary(),
            body=country.model_dump(mode="json"), added_by=added_by))
    crosswalks = load_crosswalks()
    if crosswalks is not None:
        for relation in crosswalks.relations:
            key = (f"{relation.from_.framework}:{relation.from_.id}->"
                   f"{relation.to.framework}:{relation.to.id}")
            checked = relation.checked or crosswalks.provenance.checked
            records.append(EntityRecord(
                type="crosswalk_relation", key=key[:200],
                title=f"{relation.from_.id} {relation.relation} {relation.to.id}",
                text=relation.rationale,
                body={**relation.model_dump(mode="json", by_alias=True),
                      "checked": checked.isoformat()},
                added_by=added_by))
    return [_findable_by_aliases(record) for record in records]


def _findable_by_aliases(record: EntityRecord) -> EntityRecord:
    """A renamed item is found by a search for its old id, too."""
    if not record.aliases:
        return record
    return record.model_copy(update={"text": " ".join([record.text, *record.aliases])})


def _date(value: date | str | None) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
