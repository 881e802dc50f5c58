"""The flat column mapping: a profile as one row of a CSV or Parquet table.

Every field of the profile has a column named by its dotted path (``deployer.kind``,
``system.outputs``, ``flags.profiling``). The mapping is read from the profile model, so a
field added to the model has a column without further work.

- text and codes: the value; an empty cell means the field is omitted
- true/false fields: ``true`` or ``false`` (also ``1`` / ``0``, any case); empty: omitted
- lists (``markets``, ``uses``, ...): values separated by ``;`` (``EU;US-CO``), or a
  Parquet list of strings
- numbers (``gpai.training_compute_flop``): ``3.8e25``
- ``impact_assessments``: the JSON text of the mapping
- ``profile``: the format version; the column may be left out (version 1)

>>> [column.name for column in flat_columns()][:4]
['profile', 'id', 'name', 'description']
>>> flatten({"profile": 1, "id": "a", "name": "A", "markets": ["EU", "US"]})["markets"]
'EU;US'
>>> unflatten({"id": "a", "name": "A", "markets": "EU; US", "flags.profiling": "TRUE"})
{'id': 'a', 'name': 'A', 'markets': ['EU', 'US'], 'flags': {'profiling': True}, 'profile': 1}
"""

from __future__ import annotations

import json
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from annotated_types import Ge, Gt, Le, Lt, MinLen
from pydantic import AfterValidator, BaseModel, BeforeValidator, WithJsonSchema
from pydantic.fields import FieldInfo
from pydantic.types import AllowInfNan

from comity.profile.model import Profile
from comity.profile.vocabulary import vocabulary

Kind = Literal["text", "bool", "number", "list", "json", "version"]
LIST_SEPARATOR = ";"
TRUE_WORDS = frozenset({"true", "1"})
FALSE_WORDS = frozenset({"false", "0"})


@dataclass(frozen=True)
class FlatColumn:
    """One column of the flat format and the checks its cells must pass."""

    name: str
    kind: Kind
    required: bool = False
    block: str | None = None  # the optional block (``provider``) the column belongs to
    block_required: bool = False  # required inside its block when the block is given
    allowed: frozenset[str] | None = None  # closed value list (per item for lists)
    pattern: str | None = None
    min_length: int | None = None
    bounds: tuple[tuple[str, float], ...] = ()  # ("ge", 0) ...
    finite: bool = False  # numbers: no inf or nan
    default_json: str = "null"  # the JSON of the model's default, for an empty cell
    checked: bool = True  # False: a check the fast path cannot express; validate per row
    integer: bool = False  # numbers: a whole number (a count), written as an int in JSON


@cache
def flat_columns() -> tuple[FlatColumn, ...]:
    """Every column of the flat format, in the order of the profile model's fields."""
    return tuple(_columns(Profile, "", None))


@cache
def column_names() -> tuple[str, ...]:
    return tuple(column.name for column in flat_columns())


def _columns(model: type[BaseModel], prefix: str, block: str | None) -> list[FlatColumn]:
    found: list[FlatColumn] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        nested = _block_model(info.annotation)
        if nested is not None:
            optional = not info.is_required() and info.default is None
            found += _columns(nested, f"{path}.", path if optional else block)
            continue
        found.append(_column(path, info, block))
    return found


def _block_model(annotation: Any) -> type[BaseModel] | None:
    candidates = [annotation, *typing.get_args(annotation)]
    for candidate in candidates:
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _column(path: str, info: FieldInfo, block: str | None) -> FlatColumn:
    annotation = info.annotation
    metadata: list[Any] = list(info.metadata)
    base, inner = _unwrap(annotation)
    metadata += inner
    kind: Kind
    if base is bool:
        kind = "bool"
    elif base is float or base is int:
        kind = "number"
    elif typing.get_origin(base) is Literal:
        kind = "version"
    elif typing.get_origin(base) is list:
        kind = "list"
        item, item_metadata = _unwrap(typing.get_args(base)[0])
        metadata += item_metadata
        if item is not str:
            metadata.append(object())  # an item type the fast path does not know
    elif typing.get_origin(base) is dict or base is dict:
        kind = "json"
    else:
        kind = "text"
    checks = _checks(metadata, kind)
    required = info.is_required()
    return FlatColumn(path, kind, required=required and block is None, block=block,
                      block_required=required and block is not None,
                      checked=checks.pop("checked") and kind != "json",
                      integer=base is int,
                      default_json="null" if required else json.dumps(
                          info.get_default(call_default_factory=True)),
                      **checks)


def _unwrap(annotation: Any) -> tuple[Any, list[Any]]:
    """The base type of ``Annotated[X, ...] | None`` and the metadata on the way."""
    metadata: list[Any] = []
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            metadata += extra
        elif origin in (typing.Union, __import__("types").UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation, [*metadata, object()]
            annotation = options[0]
        else:
            return annotation, metadata


def _checks(metadata: list[Any], kind: Kind) -> dict[str, Any]:
    """The checks a column's field metadata asks for, in a form the fast path can run.

    Metadata it does not know marks the column ``checked=False``: its cells then go
    through the profile model, so a new constraint is never skipped.
    """
    words = vocabulary()
    found: dict[str, Any] = {"allowed": None, "pattern": None, "min_length": None,
                             "bounds": (), "finite": False, "checked": True}
    for item in metadata:
        one_of = getattr(item, "allowed", None)
        validator = getattr(getattr(item, "func", None), "__name__", "")
        if one_of is not None and hasattr(item, "what"):
            found["allowed"] = frozenset(one_of)
        elif isinstance(item, AfterValidator) and validator == "_country":
            found["allowed"] = frozenset([*words.countries, "EU"])
        elif isinstance(item, AfterValidator) and validator == "_market":
            found["allowed"] = frozenset(words.market_codes())
        elif isinstance(item, BeforeValidator) and validator in _KNOWN_BEFORE.get(kind, ()):
            continue  # text the fast path parses the same way (numbers, the version)
        elif isinstance(item, Ge | Gt | Le | Lt):
            name = type(item).__name__.lower()
            found["bounds"] = (*found["bounds"], (name, float(getattr(item, name))))
        elif isinstance(item, AllowInfNan):
            found["finite"] = not item.allow_inf_nan
        elif isinstance(item, MinLen):
            found["min_length"] = item.min_length
        elif set(getattr(item, "__dict__", {})) == {"pattern"}:
            found["pattern"] = item.pattern
        elif isinstance(item, WithJsonSchema):
            continue
        else:
            found["checked"] = False
    return found


# Before-validators whose conversion the fast path repeats: ``_number`` reads numbers
# written as text; ``_whole_number`` reads counts (the fast path accepts only whole
# numbers in an ``integer`` column); ``_format_version`` accepts only the whole number 1
# (the fast path accepts only the text "1").
_KNOWN_BEFORE = {"number": ("_number", "_whole_number"), "version": ("_format_version",)}


def unflatten(row: Mapping[str, Any]) -> dict[str, Any]:
    """A profile document from one flat row (cells as text, or typed from Parquet).

    Cells that do not convert are passed on as they are, so the profile model reports
    them with the message ``comity validate`` gives.
    """
    kinds = {column.name: column.kind for column in flat_columns()}
    document: dict[str, Any] = {}
    for name, value in row.items():
        if value is None or value == "":
            continue
        converted = _convert(kinds.get(name, "text"), value)
        if converted is None:
            continue
        target = document
        *blocks, leaf = name.split(".")
        for block in blocks:
            target = target.setdefault(block, {})
        target[leaf] = converted
    document.setdefault("profile", 1)
    return document


def _convert(kind: Kind, value: Any) -> Any:
    if kind == "bool" and isinstance(value, str):
        word = value.strip().lower()
        return True if word in TRUE_WORDS else (False if word in FALSE_WORDS else value)
    if kind == "list" and isinstance(value, str):
        items = [item.strip() for item in value.split(LIST_SEPARATOR)]
        return [item for item in items if item]
    if kind == "list" and isinstance(value, list | tuple):
        return list(value)
    if kind == "json" and isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    if kind == "version" and isinstance(value, str):
        return int(value) if value.strip().isdigit() else value
    return value


def flatten(document: Mapping[str, Any]) -> dict[str, str]:
    """One profile document as a flat row of text cells (the inverse of :func:`unflatten`)."""
    row: dict[str, str] = {}
    for column in flat_columns():
        value: Any = document
        for part in column.name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is None:
            continue
        if column.kind == "bool":
            row[column.name] = "true" if value else "false"
        elif column.kind == "list":
            row[column.name] = LIST_SEPARATOR.join(value)
        elif column.kind == "json":
            if value:
                row[column.name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        else:
            row[column.name] = str(value) if not isinstance(value, float) else repr(value)
    return row


def template_csv() -> str:
    """The header line of an empty CSV with every column (``comity batch --template csv``)."""
    return ",".join(column_names()) + "\n"
