"""Profiles as a table: one column per fact, one row per profile, for columnar evaluation.

The column of a fact is named by the fact (``deployer.kind``). A null cell means the
profile does not give the fact (``UNKNOWN``), so three-valued logic can run over the
column. A few facts have ``None`` as a *definite* value (``flags.law_enforcement_exception``
when no exception is claimed): those are stored as :data:`ABSENT`, an empty text that
no vocabulary value equals, so every test on them gives what the per-profile engine
gives for ``None``.

>>> from comity import parse_profiles
>>> [profile] = parse_profiles({"profile": 1, "id": "x", "name": "X", "markets": ["EU"]})
>>> facts_frame([profile.facts()])["markets"].to_list()
[['EU']]
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Mapping
from datetime import date
from functools import cache
from typing import Any

import polars as pl
from pydantic import BaseModel

from comity.profile.model import Profile, Unknown

ABSENT = ""
"""How a fact whose value is a definite ``None`` is stored (see the module docstring)."""

#: Facts the profile derives rather than reads from one field, with their column types.
DERIVED_FACT_TYPES: dict[str, pl.DataType] = {"ca_aia.impact_level": pl.Int64()}


@cache
def fact_schema() -> dict[str, pl.DataType]:
    """The column type of every fact, read from the profile model's field annotations."""
    defaults = Profile(profile=1, id="x", name="x").facts()
    schema: dict[str, pl.DataType] = {}
    for name in defaults:
        schema[name] = DERIVED_FACT_TYPES.get(name) or _field_type(name)
    return schema


def _field_type(name: str) -> pl.DataType:
    model: type[BaseModel] = Profile
    parts = name.split(".")
    for part in parts[:-1]:
        nested = _model_in(model.model_fields[part].annotation)
        if nested is None:
            raise TypeError(f"fact {name!r}: {part} is not a block of the profile")
        model = nested
    annotation = model.model_fields[parts[-1]].annotation
    return polars_type(annotation, name)


def polars_type(annotation: Any, name: str) -> pl.DataType:
    """The column type of a model field: text, boolean, number, or a list of text."""
    base = _strip(annotation)
    if base is bool:
        return pl.Boolean()
    if base is date:
        return pl.Date()
    if base is float:
        return pl.Float64()
    if base is int:
        return pl.Int64()
    if base is str or typing.get_origin(base) is typing.Literal:
        return pl.String()
    if typing.get_origin(base) is list:
        return pl.List(pl.String())
    nested = _model_in(base)
    if nested is not None:
        return pl.String()  # a block's presence: only the subfields are facts
    raise TypeError(f"fact {name!r}: no column type for {annotation!r}")


def _strip(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if len(options) == 1 else annotation
            if len(options) != 1:
                return annotation
        else:
            return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def cell(value: Any) -> Any:
    """One fact value as a table cell: unknown is null, sets are sorted lists."""
    if isinstance(value, Unknown):
        return None
    if value is None:
        return ABSENT
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def facts_frame(rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """A fact table from profiles' ``facts()`` (the per-profile view, column by column)."""
    schema = fact_schema()
    columns: dict[str, list[Any]] = {name: [] for name in schema}
    for facts in rows:
        for name in schema:
            columns[name].append(cell(facts[name]))
    return pl.DataFrame(columns, schema=schema)
