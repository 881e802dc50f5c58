"""The describe form: every v1 profile field as a form field, and back.

Field names are the profile's dotted paths (``system.autonomy``), so a problem reported
at a path lands next to the field of that name, and the whole draft fits in a URL
query string (the page's address is the draft: it survives a reload).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from comity.profile.model import Flags, Gpai, System
from comity.profile.vocabulary import vocabulary

#: Query parameters that steer the view, not part of the profile.
VIEW_FIELDS = ("as_of", "role", "jurisdiction")
LIST_FIELDS = ("markets", "uses", "affected", "data", "system.outputs")
TEXT_FIELDS = ("id", "name", "description", "provider.name", "provider.country",
               "deployer.name", "deployer.country", "gpai.training_compute_flop")
CHOICE_FIELDS = ("deployer.kind", "system.autonomy", "decision_role",
                 "safety_component_of.legislation", "flags.law_enforcement_exception")


def _booleans() -> tuple[str, ...]:
    names = []
    for prefix, model in (("system", System), ("gpai", Gpai), ("flags", Flags)):
        for name, info in model.model_fields.items():
            if info.annotation is bool:
                names.append(f"{prefix}.{name}")
    return (*names, "safety_component_of.third_party_conformity")


BOOLEAN_FIELDS = _booleans()


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def choices() -> dict[str, list[Choice]]:
    """The allowed values of each closed field, with definitions where there are some."""
    words = vocabulary()

    def plain(values: Iterable[str]) -> list[Choice]:
        return [Choice(v, v.replace("_", " ")) for v in values]

    return {
        "uses": [Choice(tag, meaning) for tag, meaning in words.uses.items()],
        "deployer.kind": plain(words.deployer_kinds),
        "system.autonomy": plain(words.autonomy),
        "system.outputs": plain(words.outputs),
        "decision_role": plain(words.decision_roles),
        "safety_component_of.legislation": plain(words.safety_legislation),
        "affected": plain(words.affected),
        "data": plain(words.data),
        "flags.law_enforcement_exception": plain(words.law_enforcement_exceptions),
    }


def has_draft(form: Mapping[str, Any]) -> bool:
    return any(form.get(name) for name in ("id", "name"))


def profile_from_form(form: Any) -> dict[str, Any]:
    """A profile mapping from form data (a multi-dict): empty fields are left out."""
    data: dict[str, Any] = {"profile": 1}
    for name in TEXT_FIELDS + CHOICE_FIELDS:
        value = str(form.get(name) or "").strip()
        if value:
            _put(data, name, value)
    if "gpai" in data and "training_compute_flop" in data["gpai"]:
        data["gpai"]["training_compute_flop"] = _number(data["gpai"]["training_compute_flop"])
    for name in LIST_FIELDS:
        values = [str(v).strip() for v in form.getlist(name)]
        if name == "markets":
            values = [code for v in values for code in re.split(r"[\s,;]+", v.upper())]
        values = [v for v in values if v]
        if values:
            _put(data, name, list(dict.fromkeys(values)))
    for name in BOOLEAN_FIELDS:
        if form.get(name) in ("true", "on", "1"):
            _put(data, name, True)
    component = data.get("safety_component_of")
    if component is not None and "legislation" not in component:
        del data["safety_component_of"]  # the conformity box alone says nothing
    return data


def form_from_profile(profile: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Query pairs for a profile mapping (the inverse of :func:`profile_from_form`)."""
    pairs: list[tuple[str, str]] = []
    for name in TEXT_FIELDS + CHOICE_FIELDS:
        value = _get(profile, name)
        if value is not None and not isinstance(value, (dict, list)):
            pairs.append((name, f"{value:g}" if isinstance(value, float) else str(value)))
    for name in LIST_FIELDS:
        value = _get(profile, name)
        if isinstance(value, list):
            if name == "markets":
                pairs.append((name, ", ".join(str(v) for v in value)))
            else:
                pairs += [(name, str(v)) for v in value]
    for name in BOOLEAN_FIELDS:
        if _get(profile, name) is True:
            pairs.append((name, "true"))
    return pairs


def field_of(path: str) -> str:
    """The form field a problem path belongs to: ``markets[0]`` -> ``markets``."""
    plain = re.sub(r"\[\d+\]", "", path)
    known = (*TEXT_FIELDS, *CHOICE_FIELDS, *LIST_FIELDS, *BOOLEAN_FIELDS)
    while plain and plain not in known:
        plain = plain.rpartition(".")[0]
    return plain


def _put(data: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[last] = value


def _get(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text  # the model reports it with the field's path
