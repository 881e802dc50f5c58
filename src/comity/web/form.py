"""The describe form: every v1 profile field as a form field, and back.

Field names are the profile's dotted paths (``system.autonomy``), so a problem reported
at a path lands next to the field of that name, and the whole draft fits in a URL
query string (the page's address is the draft: it survives a reload).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from comity.profile.model import STATEABLE_FACTS, Flags, Gpai, System
from comity.profile.vocabulary import vocabulary

#: Query parameters that steer the view, not part of the profile.
VIEW_FIELDS = ("as_of", "role", "jurisdiction")
LIST_FIELDS = ("markets", "uses", "affected", "data", "system.outputs", "roles", "use_areas",
               "unknown")
TEXT_FIELDS = ("id", "name", "description", "provider.name", "provider.country",
               "provider.employees", "deployer.name", "deployer.country",
               "deployer.employees", "system.monthly_users", "gpai.training_compute_flop",
               "lifecycle.placed_on_market", "lifecycle.put_into_service",
               "lifecycle.significant_change")
CHOICE_FIELDS = ("deployer.kind", "deployer.government_level", "system.autonomy",
                 "decision_role", "safety_component_of.legislation",
                 "flags.law_enforcement_exception")
#: Annual revenue by currency, one text field per party: "USD 30000000; KRW 2e12".
REVENUE_FIELDS = ("provider.annual_revenue", "deployer.annual_revenue")


def _booleans(annotation: Any) -> tuple[str, ...]:
    names = []
    for prefix, model in (("system", System), ("gpai", Gpai), ("flags", Flags)):
        for name, info in model.model_fields.items():
            if info.annotation == annotation:
                names.append(f"{prefix}.{name}")
    return tuple(names)


#: Omitted means false: a checkbox.
BOOLEAN_FIELDS = (*_booleans(bool), "safety_component_of.third_party_conformity")
#: Omitted means unknown (the spec's definition facts): yes, no or not stated.
YES_NO_FIELDS = (*_booleans(bool | None), "provider.established_in_union")
#: Completed impact assessments (e.g. Canada's AIA), kept as JSON text.
JSON_FIELDS = ("impact_assessments",)
#: Answers to the rulebook's questions: ``answers.<question id>`` (repeated for a
#: several-of-a-list question), and the wording version answered,
#: ``answer_version.<question id>``.
ANSWER_PREFIX, VERSION_PREFIX = "answers.", "answer_version."


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
        "deployer.government_level": [Choice(level, meaning) for level, meaning
                                      in words.government_levels.items()],
        "system.autonomy": plain(words.autonomy),
        "system.outputs": plain(words.outputs),
        "decision_role": plain(tuple(words.decision_roles)),
        "safety_component_of.legislation": plain(words.safety_legislation),
        "affected": plain(words.affected),
        "data": plain(words.data),
        "flags.law_enforcement_exception": plain(words.law_enforcement_exceptions),
        "roles": plain(words.operator_roles),
        "use_areas": [Choice(area, meaning) for area, (meaning, _) in words.use_areas.items()],
        "unknown": [Choice(path, path) for path in sorted(STATEABLE_FACTS)],
    }


def has_draft(form: Mapping[str, Any]) -> bool:
    return any(form.get(name) for name in ("id", "name"))


def profile_from_form(form: Any, question_types: Mapping[str, str] | None = None
                      ) -> dict[str, Any]:
    """A profile mapping from form data (a multi-dict): empty fields are left out.

    ``question_types`` (question id -> answer type) reads each answer as its question
    expects: a number as a number, a several-of-a-list answer as a list.
    """
    data: dict[str, Any] = {"profile": 1}
    for name in TEXT_FIELDS + CHOICE_FIELDS:
        value = str(form.get(name) or "").strip()
        if value:
            _put(data, name, value)
    if "gpai" in data and "training_compute_flop" in data["gpai"]:
        data["gpai"]["training_compute_flop"] = _number(data["gpai"]["training_compute_flop"])
    for name in REVENUE_FIELDS:
        text = str(form.get(name) or "").strip()
        if text:
            _put(data, name, _amounts(text))
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
    for name in YES_NO_FIELDS:
        if form.get(name) in ("true", "false"):
            _put(data, name, form.get(name) == "true")
    for name in JSON_FIELDS:
        text = str(form.get(name) or "").strip()
        if text:
            data[name] = _json(text)
    answers = _answers(form, question_types or {})
    if answers:
        data["answers"] = answers
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
    for name in REVENUE_FIELDS:
        value = _get(profile, name)
        if isinstance(value, dict) and any(v is not None for v in value.values()):
            pairs.append((name, "; ".join(f"{currency} {_plain(amount)}"
                                          for currency, amount in value.items()
                                          if amount is not None)))
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
    for name in YES_NO_FIELDS:
        value = _get(profile, name)
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
    for name in JSON_FIELDS:
        if profile.get(name):
            pairs.append((name, json.dumps(profile[name], ensure_ascii=False)))
    for question_id, answer in (profile.get("answers") or {}).items():
        pairs += _answer_pairs(question_id, answer)
    return pairs


def answers_in(form: Any) -> dict[str, list[str]]:
    """The answers a form carries, as typed: question id -> its values."""
    return {key[len(ANSWER_PREFIX):]: [str(v) for v in form.getlist(key)]
            for key in dict.fromkeys(form.keys()) if key.startswith(ANSWER_PREFIX)}


def _answers(form: Any, question_types: Mapping[str, str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question_id, texts in answers_in(form).items():
        values = [text.strip() for text in texts if text.strip()]
        if not values:
            continue  # not answered
        kind = question_types.get(question_id)
        value: Any = values if kind == "some_of" and values != ["unknown"] else values[0]
        if kind == "number":
            value = _integer_or_number(value)
        elif value in ("true", "false"):
            value = value == "true"  # a yes/no answer written as a boolean
        version = str(form.get(VERSION_PREFIX + question_id) or "").strip()
        answers[question_id] = {"value": value, "version": version} if version else value
    return answers


def _answer_pairs(question_id: str, answer: Any) -> list[tuple[str, str]]:
    pairs = []
    value = answer
    if isinstance(answer, Mapping) and "value" in answer:
        value = answer["value"]
        if answer.get("version") is not None:
            pairs.append((VERSION_PREFIX + question_id, str(answer["version"])))
    values = value if isinstance(value, list) else [value]
    for item in values:
        text = ("true" if item else "false") if isinstance(item, bool) else (
            _plain(item) if isinstance(item, float) else str(item))
        pairs.append((ANSWER_PREFIX + question_id, text))
    return pairs


def field_of(path: str) -> str:
    """The form field a problem path belongs to: ``markets[0]`` -> ``markets``."""
    plain = re.sub(r"\[\d+\]", "", path)
    known = (*TEXT_FIELDS, *CHOICE_FIELDS, *REVENUE_FIELDS, *LIST_FIELDS, *BOOLEAN_FIELDS,
             *YES_NO_FIELDS, *JSON_FIELDS)
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


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text  # the model reports it with the field's path


def _integer_or_number(text: str) -> Any:
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return _number(text)


def _number(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text  # the model reports it with the field's path


def _amounts(text: str) -> dict[str, Any] | str:
    """``"USD 30000000; KRW 2e12"`` as ``{"USD": 30000000.0, ...}``; text that does not
    read as currency-amount pairs is passed on for the model to report at its path."""
    amounts: dict[str, Any] = {}
    for part in re.split(r"[;,]", text):
        words = part.split()
        if not words:
            continue
        if len(words) != 2:
            return text
        amounts[words[0].upper()] = _number(words[1])
    return amounts


def _plain(amount: float) -> str:
    """A number as typed back into the form, without losing digits."""
    return str(int(amount)) if float(amount).is_integer() else repr(float(amount))
