"""Mapping files: which input columns hold a profile's name, descriptions and facts.

A mapping is data (YAML, schema ``comity.intake.mapping``): the shipped ones describe the
2024 and 2025 US federal AI use-case inventories (``comity intake --map us-inventory-2025``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from comity.errors import InputError, Problem, read_input_text
from comity.profile.model import FACT_NAMES
from comity.yaml12 import load_yaml

LIST_FIELDS = frozenset({"markets", "uses", "affected", "data", "system.outputs"})
"""Profile fields that hold a list: inferred values add up instead of competing."""

SETTABLE_FIELDS = tuple(sorted(
    name for name in FACT_NAMES
    if name not in {"id", "ca_aia.impact_level"} and not name.startswith("safety_component_of")
))
"""Profile fields a mapping, a cue or a model may set (dotted paths)."""

SHIPPED = {"us-inventory-2024": "us-inventory-2024.yaml",
           "us-inventory-2025": "us-inventory-2025.yaml"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _settable(value: str) -> str:
    if value not in SETTABLE_FIELDS:
        raise ValueError(f"unknown profile field {value!r}; allowed: {', '.join(SETTABLE_FIELDS)}")
    return value


class Constant(_Strict):
    """A fact the whole input implies (e.g. every row is used by a US federal agency)."""

    field: str
    value: Any
    reason: str = Field(min_length=1)

    _check_field = field_validator("field")(_settable)


class ColumnField(_Strict):
    """A structured column: its cells copied, or translated through ``values``."""

    column: str
    field: str
    copy_value: bool = Field(default=False, alias="copy")
    values: dict[str, Any] = Field(default_factory=dict)
    contains: bool = False  # match ``values`` keys as words inside the cell, not the whole cell
    confidence: float = Field(default=1.0, gt=0, le=1)
    reason: str | None = None

    _check_field = field_validator("field")(_settable)


class IdSpec(_Strict):
    """The profile id: the cells of ``columns``, slugified; ``fallback`` columns when one
    of them is empty; the row number when all are."""

    columns: list[str] = Field(default_factory=list)
    fallback: list[str] = Field(default_factory=list)


class Mapping(_Strict):
    """How one kind of input file becomes profiles."""

    mapping: Literal[1]
    name: str
    title: str
    source: str | None = None
    encoding: str | None = None
    format: Literal["csv", "jsonl", "parquet"] | None = None
    id: IdSpec = Field(default_factory=IdSpec)
    profile_name: str = Field(alias="name_column")
    description: list[str] = Field(default_factory=list)
    text: list[str] = Field(min_length=1)
    constants: list[Constant] = Field(default_factory=list)
    fields: list[ColumnField] = Field(default_factory=list)
    keep: list[str] = Field(default_factory=list)
    not_used: dict[str, str] = Field(default_factory=dict)

    def columns(self) -> list[str]:
        """Every column the mapping reads (to report which are missing from an input)."""
        named = [*self.id.columns, *self.id.fallback, self.profile_name, *self.description,
                 *self.text, *(f.column for f in self.fields), *self.keep]
        return list(dict.fromkeys(named))


def load_mapping(name_or_path: str | Path) -> Mapping:
    """A shipped mapping by name (``us-inventory-2025``) or a mapping file by path."""
    key = str(name_or_path)
    if key in SHIPPED:
        return _shipped(key)
    text = read_input_text(name_or_path)
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise InputError(key, [Problem("", f"not valid YAML: {error}")]) from None
    return parse_mapping(data, key)


def parse_mapping(data: Any, source: str = "<mapping>") -> Mapping:
    """Validate parsed mapping data; errors name the field path and allowed values."""
    try:
        return Mapping.model_validate(data)
    except ValidationError as error:
        problems = [Problem(".".join(str(p) for p in detail["loc"]), detail["msg"])
                    for detail in error.errors(include_url=False)]
        raise InputError(source, problems) from None


@cache
def _shipped(name: str) -> Mapping:
    text = resources.files("comity.intake").joinpath("data", SHIPPED[name]).read_text("utf-8")
    return parse_mapping(load_yaml(text), f"comity.intake/data/{SHIPPED[name]}")
