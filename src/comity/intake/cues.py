"""Text cues: words in free text that are evidence for a profile field (``data/cues.yaml``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from comity.errors import InputError, Problem, read_input_text
from comity.intake.evidence import Evidence
from comity.intake.mapping import SETTABLE_FIELDS
from comity.yaml12 import load_yaml

SNIPPET_CONTEXT = 40


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Strict):
    set: float = Field(gt=0, le=1)
    review: float = Field(gt=0, le=1)


class CueEntry(_Strict):
    field: str
    value: Any
    weight: float = Field(gt=0, lt=1)
    patterns: list[str] = Field(min_length=1)
    unless: list[str] = Field(default_factory=list)

    @field_validator("field")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in SETTABLE_FIELDS:
            raise ValueError(f"unknown profile field {value!r}")
        return value

    @field_validator("patterns", "unless")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"pattern {pattern!r} is not a regular expression: {error}")\
                    from None
        return patterns


class CueFile(_Strict):
    cues: Literal[1]
    thresholds: Thresholds
    entries: list[CueEntry]


@dataclass(frozen=True)
class Cue:
    """One compiled cue."""

    field: str
    value: Any
    weight: float
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None


@dataclass(frozen=True)
class CueMatch:
    """A cue that matched: the value it supports, with the words that matched."""

    field: str
    value: Any
    weight: float
    evidence: Evidence


@dataclass(frozen=True)
class CueSet:
    thresholds: Thresholds
    cues: tuple[Cue, ...]

    def matches(self, texts: Mapping[str, str]) -> list[CueMatch]:
        """Every cue that matches one of the texts (column name -> text), first match each."""
        found: list[CueMatch] = []
        for cue in self.cues:
            for column, text in texts.items():
                hit = cue.pattern.search(text)
                if hit is None:
                    continue
                if cue.unless is not None and cue.unless.search(text):
                    continue
                found.append(CueMatch(cue.field, cue.value, cue.weight,
                                      Evidence(column, _snippet(text, hit))))
                break
        return found


def _snippet(text: str, hit: re.Match[str]) -> str:
    start = max(0, hit.start() - SNIPPET_CONTEXT)
    end = min(len(text), hit.end() + SNIPPET_CONTEXT)
    head = "..." if start else ""
    tail = "..." if end < len(text) else ""
    words = text[start:hit.start()] + "[" + hit.group(0) + "]" + text[hit.end():end]
    return head + " ".join(words.split()) + tail


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p in patterns) + ")", re.IGNORECASE)


def parse_cues(data: Any, source: str) -> CueSet:
    try:
        parsed = CueFile.model_validate(data)
    except ValidationError as error:
        problems = [Problem(".".join(str(p) for p in detail["loc"]), detail["msg"])
                    for detail in error.errors(include_url=False)]
        raise InputError(source, problems) from None
    cues = tuple(
        Cue(entry.field, entry.value, entry.weight, _compile(entry.patterns),
            _compile(entry.unless) if entry.unless else None)
        for entry in parsed.entries
    )
    return CueSet(parsed.thresholds, cues)


def load_cues(path: str | Path | None = None) -> CueSet:
    """A cue file by path, or the shipped one."""
    if path is None:
        return _shipped_cues()
    return parse_cues(load_yaml(read_input_text(path)), str(path))


@cache
def _shipped_cues() -> CueSet:
    text = resources.files("comity.intake").joinpath("data", "cues.yaml").read_text("utf-8")
    return parse_cues(load_yaml(text), "comity.intake/data/cues.yaml")
