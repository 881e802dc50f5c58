"""Reading profile files (YAML or JSON; one profile, or a list under ``profiles:``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from comity.errors import InputError, Problem, read_input_text
from comity.json_input import load_json
from comity.profile.model import ALLOWED_VALUES, Profile
from comity.yaml12 import load_yaml


def load_profiles(path: str | Path) -> list[Profile]:
    """Read and validate every profile in a file.

    Raises :class:`InputError` naming the file, each bad field's path and the allowed
    values; nothing is returned unless every profile in the file is valid.
    """
    source = str(path)
    text = read_input_text(path)
    if Path(path).suffix.lower() == ".json":
        data = load_json(text, source)
    else:
        data = load_yaml(text, source, json_data=True)
    return parse_profiles(data, source)


def parse_profiles(data: Any, source: str = "<input>") -> list[Profile]:
    """Validate already-parsed data holding one profile or a ``profiles:`` list."""
    items, prefix = _profile_items(data, source)
    profiles: list[Profile] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        path = f"{prefix}[{index}]" if prefix else ""
        try:
            profiles.append(Profile.model_validate(item))
        except ValidationError as error:
            problems += validation_problems(error, path)
    seen: dict[str, int] = {}
    for index, profile in enumerate(profiles):
        if profile.id in seen:
            problems.append(
                Problem(f"{prefix}[{index}].id", f"duplicate id {profile.id!r} in this batch")
            )
        seen[profile.id] = index
    if problems:
        raise InputError(source, problems)
    return profiles


def _profile_items(data: Any, source: str) -> tuple[list[Any], str]:
    if isinstance(data, list):
        return data, "profiles"
    if not isinstance(data, dict):
        raise InputError(source, [Problem("", "expected a profile (a mapping) or a list")])
    if "profiles" in data:
        extra = sorted(set(data) - {"profiles", "profile"})
        if extra:
            raise InputError(
                source, [Problem(extra[0], "unknown field next to 'profiles'", ("profiles",))]
            )
        items = data["profiles"]
        if not isinstance(items, list) or not items:
            raise InputError(source, [Problem("profiles", "expected a non-empty list")])
        return items, "profiles"
    return [data], ""


def validation_problems(error: ValidationError, prefix: str) -> list[Problem]:
    """The problems of a profile validation error, each with its field path under ``prefix``."""
    found = []
    for detail in error.errors(include_url=False):
        loc = [str(part) for part in detail["loc"]]
        path = _join(prefix, loc)
        message = detail["msg"].removeprefix("Value error, ")
        allowed: tuple[str, ...] = ()
        if detail["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
            allowed = _fields_at(loc[:-1])
        elif detail["type"] == "missing":
            message = "required field is missing"
        else:
            field = next((part for part in reversed(loc) if not part.isdigit()), "")
            allowed = ALLOWED_VALUES.get(field, ())
        found.append(Problem(path, message, allowed))
    return found


def _join(prefix: str, loc: Iterable[str]) -> str:
    path = prefix
    for part in loc:
        path += f"[{part}]" if part.isdigit() else (f".{part}" if path else part)
    return path


def _fields_at(loc: list[str]) -> tuple[str, ...]:
    """The field names a model accepts at a location (for 'unknown field' errors)."""
    model: type[BaseModel] = Profile
    for part in loc:
        if part.isdigit():
            continue
        annotation = model.model_fields[part].annotation
        nested = _model_in(annotation)
        if nested is None:
            return ()
        model = nested
    return tuple(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
