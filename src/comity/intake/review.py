"""Review of flagged values: a person accepts, rejects or corrects each one.

The decisions are applied to the record's inferences (method ``review``, confidence 1)
and the profile is rebuilt from them, so the sidecar keeps what was proposed and what
the reviewer decided. The terminal dialogue lives in ``comity.cli.intake``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from comity.intake.evidence import Evidence, Inference, IntakeRecord
from comity.intake.infer import build_profile, profile_json
from comity.intake.mapping import LIST_FIELDS
from comity.profile.model import Profile

DECISIONS = ("accept", "reject", "edit")


@dataclass(frozen=True)
class Decision:
    """What the reviewer said about one flagged value (``edit`` carries the new value)."""

    action: str
    value: Any = None

    def __post_init__(self) -> None:
        if self.action not in DECISIONS:
            raise ValueError(f"unknown review action {self.action!r}; allowed: {DECISIONS}")


def needs_review(record: IntakeRecord) -> bool:
    return record.profile is not None and bool(record.flagged or record.problems)


def apply_decision(record: IntakeRecord, item: Inference, decision: Decision) -> str | None:
    """Apply one decision and rebuild the profile; returns a problem, or None if valid."""
    before = (item.value, item.applied, item.flagged, item.method, item.confidence)
    reviewed = Evidence("review", f"{decision.action} (proposed {item.value!r} by "
                                  f"{item.method}, confidence {item.confidence:.2f})")
    item.flagged = False
    if decision.action == "reject":
        item.applied = False
        item.note = "rejected in review"
    else:
        if decision.action == "edit":
            item.value = decision.value
        item.applied = item.value is not None and item.field != "description"
        item.method, item.confidence = "review", 1.0
        if item.field not in LIST_FIELDS:
            for other in record.inferences:
                if other is not item and other.field == item.field:
                    other.applied = False
    item.evidence.append(reviewed)
    problem = rebuild(record)
    if problem is not None:
        item.value, item.applied, item.flagged, item.method, item.confidence = before
        item.evidence.pop()
        rebuild(record)
    return problem


def rebuild(record: IntakeRecord) -> str | None:
    """The profile from the record's applied values; a validation problem, if any."""
    assert record.profile is not None
    draft = build_profile(record, record.profile["name"], record.profile.get("description"))
    try:
        record.profile = profile_json(Profile.model_validate(draft))
    except ValidationError as error:
        return "; ".join(f"{'.'.join(str(p) for p in d['loc'])}: {d['msg']}"
                         for d in error.errors(include_url=False))
    return None

