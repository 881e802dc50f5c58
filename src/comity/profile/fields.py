"""The profile's fields as a user sees them: dotted paths, descriptions and examples.

The descriptions live in ``data/profile-fields.yaml``; ``docs/profile.md`` and the
JSON Schema's descriptions are generated from them. :func:`field_paths` walks the
model, so a field added to the model without documentation is noticed (a test fails).
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from comity.profile.model import ALLOWED_VALUES, UNKNOWN_WHEN_NULL, Profile
from comity.profile.vocabulary import load_data_file, vocabulary

CURRENCY_PLACEHOLDER = "<currency>"
"""Stands for each ISO 4217 code of the vocabulary in a profile-fields.yaml path."""


@dataclass(frozen=True)
class FieldDoc:
    path: str
    description: str
    example: Any


def field_paths(model: type[BaseModel] = Profile, prefix: str = "") -> list[str]:
    """Every field of the model and its nested models, as dotted paths, in model order."""
    paths: list[str] = []
    for name, info in model.model_fields.items():
        paths.append(prefix + name)
        nested = _nested_model(info.annotation)
        if nested is not None:
            paths += field_paths(nested, f"{prefix}{name}.")
    return paths


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


@cache
def field_docs() -> dict[str, FieldDoc]:
    """The documentation of each field, keyed by dotted path."""
    data = load_data_file("profile-fields.yaml")["fields"]
    docs: dict[str, FieldDoc] = {}
    for path, entry in data.items():
        description = " ".join(str(entry["description"]).split())
        if path.endswith(CURRENCY_PLACEHOLDER):
            # One entry documents the amount in every currency of the vocabulary.
            for code, name in vocabulary().currencies.items():
                docs[path.replace(CURRENCY_PLACEHOLDER, code)] = FieldDoc(
                    path.replace(CURRENCY_PLACEHOLDER, code),
                    description.format(code=code, name=name), entry.get("example"))
        else:
            docs[path] = FieldDoc(path, description, entry.get("example"))
    return docs


def _field_info(path: str) -> FieldInfo:
    """The model's declaration of a dotted field (KeyError for no such field)."""
    model: type[BaseModel] = Profile
    *parents, name = path.split(".")
    for parent in parents:
        nested = _nested_model(model.model_fields[parent].annotation)
        if nested is None:
            raise KeyError(path)
        model = nested
    return model.model_fields[name]


def _leaf_types(annotation: Any) -> set[Any]:
    """The plain types inside an annotation (through Annotated, Optional and unions;
    a list is ``list``)."""
    arguments = typing.get_args(annotation)
    if typing.get_origin(annotation) is list:
        return {list}
    if typing.get_origin(annotation) is typing.Annotated:
        return _leaf_types(arguments[0])
    if not arguments:
        return {annotation}
    return set().union(*(_leaf_types(argument) for argument in arguments))


def field_kind(path: str) -> str:
    """How a field is answered: ``some_of`` (a list), ``one_of`` (a controlled value:
    :data:`ALLOWED_VALUES`), ``yes_no``, ``date``, ``whole_number``, ``number`` or ``text``."""
    types = _leaf_types(_field_info(path).annotation) - {type(None)}
    if list in types:
        return "some_of"
    if path.rpartition(".")[2] in ALLOWED_VALUES:
        return "one_of"
    for kind, marker in (("yes_no", bool), ("date", date), ("number", float),
                         ("whole_number", int)):
        if marker in types:
            return kind
    return "text"


def default_text(path: str) -> str:
    """What an omitted field means: its default, or that it stays unknown."""
    if path in UNKNOWN_WHEN_NULL:
        return "unknown (rules that need it stay undetermined)"
    info = _field_info(path)
    if info.is_required():
        return "required"
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        return "empty" if value in ([], {}) else "all defaults"
    return "none (null)" if info.default is None else str(info.default).lower()
