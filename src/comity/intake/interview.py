"""What an interview asks, in which order, and how its progress is kept.

The terminal front end (``comity interview``) only prompts; this module decides. It
first asks the profile fields a partial profile lacks, then, re-assessing after each
answer, the profile fields (organisation facts, dates) and open questions that can
still settle a finding in the chosen markets, tier-changing questions first. Progress
is written after every answer, so quitting (or Ctrl-C) loses nothing.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from comity.engine.assess import assess_profile
from comity.engine.open_questions import (
    OpenFieldReport,
    OpenQuestionReport,
    open_fields,
    open_questions,
)
from comity.output_files import write_text_atomically
from comity.profile.fields import field_docs, field_kind
from comity.profile.files import parse_profiles
from comity.profile.model import ALLOWED_VALUES, SLUG, Profile
from comity.profile.vocabulary import vocabulary
from comity.rulebook.loader import Rulebook, default_rulebook
from comity.rulebook.questions import DONT_KNOW


@dataclass(frozen=True)
class FieldStep:
    """One profile field the interview asks for when the profile lacks it."""

    path: str  # dotted, e.g. "system.autonomy"
    prompt: str
    kind: str  # text | yes_no | one_of | some_of | date | number | whole_number
    choices: tuple[str, ...] = ()
    may_be_unknown: bool = False  # fields the spec gives no default: "I don't know"
    unless: str | None = None  # not asked when the profile gives this field
    optional: bool = False  # an empty answer leaves the field out

    def definitions(self) -> dict[str, str]:
        """Definitions shown beside each choice (use tags, areas and decision roles)."""
        words = vocabulary()
        areas = {area: meaning for area, (meaning, _) in words.use_areas.items()}
        return {"uses": dict(words.uses), "decision_role": dict(words.decision_roles),
                "use_areas": areas, "deployer.government_level": words.government_levels,
                }.get(self.path, {})


def field_steps(rulebook: Rulebook | None = None) -> list[FieldStep]:
    """The fields asked, in order, with their controlled values.

    The organisation facts (annual revenue by currency, employees, government level,
    monthly users) and the rarer dates are not asked up front: only a few rules use
    them, so they are asked when a finding in the chosen markets waits for one
    (:func:`next_fact`).
    """
    words = vocabulary()
    book = rulebook or default_rulebook()
    return [
        FieldStep("name", "Name of the system", "text"),
        FieldStep("id", "Short id for the system (lower case, digits, . _ -)", "text"),
        FieldStep("markets", "Where is it placed on the market or used?", "some_of",
                  tuple(code for code in book.jurisdictions if words.is_market(code))),
        FieldStep("system.machine_based", "Is it a machine-based system?", "yes_no",
                  may_be_unknown=True),
        FieldStep("system.infers_outputs",
                  "Does it infer from its input how to generate outputs (predictions, "
                  "content, recommendations, decisions)?", "yes_no", may_be_unknown=True),
        FieldStep("system.autonomy", "How autonomously does it operate?", "one_of",
                  words.autonomy, may_be_unknown=True),
        FieldStep("uses", "What is it used for? (type to search)", "some_of",
                  tuple(words.uses), may_be_unknown=True),
        FieldStep("use_areas", "Any area where it has a use you cannot pin down? (none: "
                  "press enter)", "some_of", tuple(words.use_areas)),
        FieldStep("decision_role", "What role does its output play in decisions about people?",
                  "one_of", tuple(words.decision_roles), may_be_unknown=True),
        FieldStep("provider.country", "Country where the provider is established (ISO code "
                  "such as DE or US; EU if only in the Union; unknown)", "text",
                  may_be_unknown=True),
        FieldStep("provider.established_in_union", "Is the provider established in the "
                  "European Union?", "yes_no", may_be_unknown=True, unless="provider.country"),
        FieldStep("deployer.country", "Country where the deployer is established (ISO code; "
                  "unknown)", "text", may_be_unknown=True),
        FieldStep("deployer.kind", "What kind of organisation uses (deploys) it?", "one_of",
                  words.deployer_kinds, may_be_unknown=True),
        FieldStep("affected", "Who is affected by it?", "some_of", words.affected,
                  may_be_unknown=True),
        FieldStep("data", "What data does it process?", "some_of", words.data,
                  may_be_unknown=True),
        FieldStep("roles", "Which roles do you hold for this system?", "some_of",
                  words.operator_roles, may_be_unknown=True),
        FieldStep("lifecycle.placed_on_market", "When was it first placed on the market? "
                  "(YYYY-MM-DD; unknown; empty if not yet)", "date", may_be_unknown=True,
                  optional=True),
    ]


def missing_fields(data: dict[str, Any], steps: Iterable[FieldStep]) -> list[FieldStep]:
    """The steps whose field the (partial) profile neither gives nor states as unknown."""
    stated = set(data.get("unknown", ()))
    return [step for step in steps if _get(data, step.path) is None and step.path not in stated
            and (step.unless is None or _get(data, step.unless) is None)]


def set_field(data: dict[str, Any], path: str, value: Any) -> None:
    """Set a dotted field; "I don't know" (``DONT_KNOW``) lists it under ``unknown:``,
    ``None`` leaves it out."""
    if value == DONT_KNOW:
        stated = data.setdefault("unknown", [])
        if path not in stated:
            stated.append(path)
        return
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    if value is not None:
        node[last] = value


def fact_step(fact: str) -> FieldStep:
    """The step asking for a profile field a finding waits for: its documentation as
    the prompt, its type as the kind of answer, "I don't know" always allowed."""
    kind = field_kind(fact)
    choices = (ALLOWED_VALUES.get(fact.rpartition(".")[2], ())
               if kind in ("one_of", "some_of") else ())
    return FieldStep(fact, f"{fact}: {field_docs()[fact].description}", kind, choices,
                     may_be_unknown=True)


def next_fact(data: dict[str, Any], codes: list[str], asked: set[str],
              rulebook: Rulebook | None = None, as_of: date | None = None
              ) -> tuple[FieldStep, OpenFieldReport] | None:
    """The profile field that settles most findings still open, not asked before.

    Only a field the profile leaves out is asked: one it gives may still be wanted
    (a use area waits for the precise ``uses``), but asking again would replace it.
    """
    assessment = assess_profile(profile_of(data), rulebook, as_of=as_of, jurisdictions=codes)
    return next(((fact_step(report.fact), report) for report in open_fields(assessment)
                 if report.fact not in asked and report.fact in field_docs()
                 and _get(data, report.fact) is None), None)


def check_field(step: FieldStep, value: str) -> str | None:
    """A problem with a typed-in value, or None."""
    value = value.strip()
    if step.may_be_unknown and value == DONT_KNOW:
        return None
    if step.path == "id" and not SLUG.match(value):
        return "use lower-case letters, digits and . _ - (e.g. cv-screener)"
    if step.path.endswith(".country") and not vocabulary().is_country(value):
        return f"{value!r} is not an ISO 3166-1 alpha-2 country code or EU"
    if step.optional and not value:
        return None
    if not value:
        return "please type a value"
    try:
        _typed_value(step.kind, value)
    except ValueError as error:
        return f"{error}{', or unknown' if step.may_be_unknown else ''}"
    return None


def typed_field(step: FieldStep, value: str) -> Any:
    """A typed-in value as stored: a number for number fields (``DONT_KNOW`` stays:
    :func:`set_field` records it; an empty optional answer is ``None``: left out)."""
    value = value.strip()
    if step.optional and not value:
        return None
    return value if value == DONT_KNOW else _typed_value(step.kind, value)


def _typed_value(kind: str, text: str) -> Any:
    """The value of a typed-in answer (ValueError, in words, when it is not one)."""
    if kind == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            raise ValueError("write the date as YYYY-MM-DD (e.g. 2025-03-01)") from None
        return text
    if kind in ("number", "whole_number"):
        try:
            number = float(text.replace(",", "").replace("_", ""))
        except ValueError:
            raise ValueError(f"{text!r} is not a number (e.g. 120 or 3.8e25)") from None
        if not math.isfinite(number) or number < 0:
            raise ValueError("give a number of at least 0")
        if kind == "whole_number":
            if not number.is_integer():
                raise ValueError(f"{text!r} is not a whole number")
            return int(number)
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return text


def profile_of(data: dict[str, Any]) -> Profile:
    """The profile the interview's data stands for (validated like a file)."""
    full = {"profile": 1, **copy.deepcopy(data)}
    full.setdefault("id", "interview")
    full.setdefault("name", "Interview")
    [profile] = parse_profiles(full, "interview")
    return profile


def record_answer(data: dict[str, Any], report: OpenQuestionReport, value: Any) -> None:
    """Store an answer with the wording version it answered."""
    data.setdefault("answers", {})[report.question.id] = {
        "value": value, "version": report.question.version}


def next_question(data: dict[str, Any], codes: list[str], skipped: set[str],
                  rulebook: Rulebook | None = None, as_of: date | None = None
                  ) -> OpenQuestionReport | None:
    """The open question that matters most and was not set aside, or None when done."""
    reports = open_questions(profile_of(data), rulebook, as_of=as_of, jurisdictions=codes)
    return next((r for r in reports if r.question.id not in skipped), None)


def running_result(data: dict[str, Any], codes: list[str], rulebook: Rulebook | None = None,
                   as_of: date | None = None) -> list[tuple[str, str, int]]:
    """Per jurisdiction: the tier and how many findings are still undetermined."""
    assessment = assess_profile(profile_of(data), rulebook, as_of=as_of, jurisdictions=codes)
    return [(r.jurisdiction, r.tier, len(r.undetermined)) for r in assessment.results]


def save_profile(data: dict[str, Any], destination: Path) -> None:
    """Write the profile as YAML via a temporary file, so a crash never leaves half."""
    text = yaml.safe_dump({"profile": 1, **data}, sort_keys=False, allow_unicode=True,
                          width=88)
    write_text_atomically(destination, text)


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def slug(text: str) -> str:
    """A suggested id from a name: 'CV screener' -> 'cv-screener'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "system"
