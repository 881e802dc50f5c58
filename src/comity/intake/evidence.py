"""What intake records beside each profile: every inferred value, its confidence and evidence."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

SIDECAR_FORMAT = "comity.intake.evidence.v1"
METHODS = ("mapping", "column", "cue", "model", "review")
"""How a value was found: a constant of the mapping, a structured column, text cues, the
learned principal-basis model, or a person in review."""


@dataclass(frozen=True)
class Evidence:
    """Where a value came from: a column (or ``mapping``/``model``) and the words seen."""

    source: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "text": self.text}


@dataclass
class Inference:
    """One value of one profile field, with how sure intake is and why."""

    field: str
    value: Any
    confidence: float
    method: str
    evidence: list[Evidence] = dataclasses.field(default_factory=list)
    applied: bool = True  # False: below the set threshold, kept only as a candidate
    flagged: bool = False  # below the review threshold, or contradicted
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "field": self.field,
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "method": self.method,
            "applied": self.applied,
            "flagged": self.flagged,
            "evidence": [item.to_dict() for item in self.evidence],
        }
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Inference:
        return cls(field=data["field"], value=data["value"], confidence=data["confidence"],
                   method=data["method"],
                   evidence=[Evidence(e["source"], e["text"]) for e in data["evidence"]],
                   applied=data["applied"], flagged=data["flagged"], note=data.get("note"))


@dataclass
class IntakeRecord:
    """One input row's outcome: the profile (or why there is none) and its evidence."""

    row: int
    profile_id: str | None
    profile: dict[str, Any] | None
    inferences: list[Inference] = dataclasses.field(default_factory=list)
    problems: list[str] = dataclasses.field(default_factory=list)
    kept: dict[str, str] = dataclasses.field(default_factory=dict)
    error: str | None = None

    @property
    def flagged(self) -> list[Inference]:
        return [item for item in self.inferences if item.flagged]

    def sidecar(self) -> dict[str, Any]:
        return {
            "format": SIDECAR_FORMAT,
            "row": self.row,
            "id": self.profile_id,
            "error": self.error,
            "problems": self.problems,
            "flagged": sorted({item.field for item in self.flagged}),
            "kept": self.kept,
            "fields": [item.to_dict() for item in self.inferences],
        }
