"""Questions a person can answer: the legal elements a profile's fields cannot state.

A rule that turns on something the profile's vocabulary does not cover (is the place
publicly accessible? is the deployer a CCPA "business"?) refers to a question by id,
``{needs: eu.publicly_accessible_space}``. Questions are data beside the rules::

    rules/questions.yaml           questions several regimes ask (ids ``common.*``)
    rules/eu/questions.yaml        one regime's questions (ids ``eu.*``)

    questions:
      - id: common.publicly_accessible_space
        text: Is the system used in a place open to the public ...?
        type: yes_no                  # yes_no | one_of | some_of | date | number
        options: [...]                # one_of and some_of only
        help: A publicly accessible space is ... (AI Act, Art. 3(44)).
        citation: AI Act, Art. 3(44)
        version: "2026.12.04"         # rulebook version of the current wording

The profile answers them in ``answers:`` (question id -> value). An unanswered question,
or one answered ``unknown``, leaves the rule undetermined: never guessed.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from comity.profile.model import DONT_KNOW as DONT_KNOW_VALUE
from comity.profile.model import UNKNOWN, Unknown

QuestionType = Literal["yes_no", "one_of", "some_of", "date", "number"]
QUESTION_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_.-]*$"
SHARED_NAMESPACE = "common"
DONT_KNOW = "unknown"
"""The explicit "I don't know" answer: the question stays open, never false."""

# Operators a ``needs`` leaf may add, by question type (none: a yes/no question holds
# when answered yes).
OPERATORS_BY_TYPE: dict[str, frozenset[str]] = {
    "yes_no": frozenset(),
    "one_of": frozenset({"equals", "in"}),
    "some_of": frozenset({"has", "has_any", "has_all"}),
    "date": frozenset({"gt", "gte", "lt", "lte"}),
    "number": frozenset({"gt", "gte", "lt", "lte"}),
}


class DerivedAnswer(BaseModel):
    """Profile facts that settle a question's answer: an answer that differs from
    ``answer`` while ``when`` holds contradicts the profile (a validation error)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: dict[str, Any]
    answer: Any
    because: str = Field(min_length=5)


class QuestionSpec(BaseModel):
    """One question as written in a ``questions.yaml`` file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=QUESTION_ID_PATTERN)
    text: str = Field(min_length=5)
    type: QuestionType = "yes_no"
    options: list[str] = Field(default_factory=list)
    help: str = Field(min_length=10)
    citation: str = Field(min_length=3)
    version: str
    # Where a profile fact settles the answer (e.g. a public deployer is no private entity).
    derived: list[DerivedAnswer] = Field(default_factory=list)

    @field_validator("text")
    @classmethod
    def _is_a_question(cls, value: str) -> str:
        if not value.rstrip().endswith("?"):
            raise ValueError("a question's text is one sentence ending in '?'")
        return value

    @model_validator(mode="after")
    def _options_fit_type(self) -> QuestionSpec:
        if self.type in ("one_of", "some_of") and len(self.options) < 2:
            raise ValueError(f"a {self.type} question needs at least two options")
        if self.type not in ("one_of", "some_of") and self.options:
            raise ValueError(f"a {self.type} question has no options")
        return self


class QuestionFileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    questions: list[QuestionSpec] = Field(min_length=1)


@dataclass(frozen=True)
class Question:
    """A validated question and the file it comes from."""

    spec: QuestionSpec
    source: str

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def text(self) -> str:
        return self.spec.text

    @property
    def type(self) -> str:
        return self.spec.type

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(self.spec.options)

    @property
    def version(self) -> str:
        return self.spec.version

    def allowed(self) -> tuple[str, ...]:
        """The values an answer may take, as shown in error messages."""
        if self.type == "yes_no":
            return ("yes", "no", DONT_KNOW)
        if self.type == "one_of":
            return (*self.options, DONT_KNOW)
        if self.type == "some_of":
            return (*(f"[{option}, ...]" for option in self.options), DONT_KNOW)
        if self.type == "date":
            return ("a date such as 2026-08-02", DONT_KNOW)
        return ("a number", DONT_KNOW)


class AnswerError(ValueError):
    """An answer that does not fit its question; the message names the allowed values."""

    def __init__(self, question_id: str, message: str, allowed: tuple[str, ...]) -> None:
        super().__init__(message)
        self.question_id = question_id
        self.allowed = allowed


@dataclass(frozen=True)
class Answer:
    """A profile's answer: the normalised value and the question wording it answered."""

    value: Any
    version: str | None = None


def parse_answer(question: Question, raw: Any) -> Answer:
    """Read one ``answers:`` entry: a value, or ``{value: ..., version: ...}``."""
    version = None
    if isinstance(raw, Mapping):
        extra = set(raw) - {"value", "version"}
        if "value" not in raw or extra:
            raise AnswerError(question.id, "an answer is a value, or a mapping with 'value' "
                              "and optionally 'version'", question.allowed())
        version = raw.get("version")
        if version is not None and not isinstance(version, str):
            raise AnswerError(question.id, "version is the rulebook version as text, "
                              "e.g. '2026.12.04'", question.allowed())
        raw = raw["value"]
    return Answer(answer_value(question, raw), version)


def answer_value(question: Question, raw: Any) -> Any:
    """The answer as rules test it (``UNKNOWN`` for "I don't know"), or :class:`AnswerError`."""
    if raw == DONT_KNOW:
        return DONT_KNOW_VALUE
    if raw is None:
        return UNKNOWN
    kind = question.type
    value: Any = None
    if kind == "yes_no":
        value = {True: True, False: False, "yes": True, "no": False}.get(raw) \
            if isinstance(raw, bool | str) else None
    elif kind == "one_of":
        value = raw if isinstance(raw, str) and raw in question.options else None
    elif kind == "some_of":
        if isinstance(raw, list) and all(isinstance(item, str) and item in question.options
                                         for item in raw):
            value = frozenset(raw)
    elif kind == "date":
        value = _date(raw)
    elif not isinstance(raw, bool) and isinstance(raw, int | float):
        value = raw
    if value is None:
        hint = ""
        if isinstance(raw, str) and question.options:
            close = difflib.get_close_matches(raw, list(question.options), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
        raise AnswerError(question.id, f"{raw!r} is not a valid answer to this {kind} "
                          f"question{hint}", question.allowed())
    return value


def _date(raw: Any) -> date | None:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return None
    return None


def answer_label(value: Any) -> str:
    """An answer as the trace shows it: ``yes``, ``no``, ``2026-08-02``, ``[a, b]``."""
    if isinstance(value, Unknown):
        return DONT_KNOW
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, frozenset):
        return "[" + ", ".join(sorted(value)) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def question_files(root: Path) -> list[Path]:
    """The shared question file and each regime's, in a stable order."""
    shared = root / "questions.yaml"
    return ([shared] if shared.exists() else []) + sorted(root.glob("*/questions.yaml"))


def namespace_of(path: Path, root: Path) -> str:
    """The id prefix a question file's questions must carry: the folder, or ``common``."""
    return SHARED_NAMESPACE if path.parent == root else path.parent.name
