"""Enforcement status as dated data: court stays and injunctions, sanctions grace periods.

A provision can be part of the law and apply to a system, yet not be enforceable: a
court has stayed or enjoined its enforcement, or the authority has announced that it
will not impose sanctions for a while. That is a fact about enforcement, not about the
law's content, so it never changes whether a rule holds or when it applies; it is
reported beside the finding so that a restricted duty never looks like an ordinary one.

Each restriction is recorded on an instrument (all its provisions) or on one rule, with
its dates, the order or announcement it rests on, and the day it was last checked::

    enforcement:
      - state: stayed
        from: 2026-04-27
        basis: court_order
        by: U.S. District Court for the District of Colorado
        reference: X.AI LLC v. Weiser, No. 1:26-cv-01515, order of 27 April 2026
        reach: Attorney General enforcement of SB 24-205 ...
        until_event: fourteen days after the court rules on the preliminary-injunction motion
        last_checked: 2026-12-04

A restriction with neither ``until`` nor an end the record knows is reported as still in
effect, with ``last_checked`` so that a reader of an ``--as-of`` answer beyond that day
knows the status is as last seen.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

EnforcementState = Literal["stayed", "enjoined", "sanctions_grace", "not_enforced"]
EnforcementBasis = Literal["court_order", "statute", "administrative_practice"]

# How each state reads in reports, and its short marker in tables.
STATE_LABELS: dict[str, str] = {
    "stayed": "enforcement stayed by court order",
    "enjoined": "enforcement enjoined by court order",
    "sanctions_grace": "sanctions suspended (grace period)",
    "not_enforced": "in force but not enforced",
}
STATE_MARKERS: dict[str, str] = {
    "stayed": "STAYED",
    "enjoined": "ENJOINED",
    "sanctions_grace": "NO SANCTIONS (GRACE)",
    "not_enforced": "NOT ENFORCED",
}


class Enforcement(BaseModel):
    """One dated restriction on enforcing provisions that stay part of the law."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: EnforcementState
    start: date = Field(alias="from")
    until: date | None = None
    # An end fixed by an event rather than a date (e.g. "fourteen days after a ruling").
    until_event: str | None = None
    basis: EnforcementBasis
    by: str
    reference: str
    reach: str
    source_url: str | None = None
    last_checked: date
    note: str | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Enforcement:
        if self.until is not None and self.until <= self.start:
            raise ValueError("until must be after from")
        return self

    def active_on(self, day: date) -> bool:
        return self.start <= day and (self.until is None or day < self.until)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def marker(self) -> str:
        """Short form for table cells, e.g. ``STAYED since 2026-04-27``."""
        return f"{STATE_MARKERS[self.state]} since {self.start.isoformat()}"

    def sentence(self) -> str:
        """One line for reports: what, since when, by whom, until when, as last checked."""
        end = (f" until {self.until.isoformat()}" if self.until else
               f"; ends {self.until_event}" if self.until_event else "; no end date known")
        return (f"{self.label[0].upper()}{self.label[1:]} since {self.start.isoformat()}"
                f" ({self.reference}){end}; reaches: {self.reach}"
                f" [status last checked {self.last_checked.isoformat()}]")

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "state": self.state,
            "label": self.label,
            "from": self.start.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "basis": self.basis,
            "by": self.by,
            "reference": self.reference,
            "reach": self.reach,
            "last_checked": self.last_checked.isoformat(),
        }
        if self.until_event:
            data["until_event"] = self.until_event
        if self.source_url:
            data["source_url"] = self.source_url
        if self.note:
            data["note"] = self.note
        return data


def active(restrictions: list[Enforcement] | tuple[Enforcement, ...],
           day: date) -> tuple[Enforcement, ...]:
    """The restrictions in effect on ``day``, each once, earliest first."""
    seen: dict[tuple[str, date, str], Enforcement] = {}
    for restriction in restrictions:
        if restriction.active_on(day):
            seen.setdefault((restriction.state, restriction.start, restriction.reference),
                            restriction)
    return tuple(sorted(seen.values(), key=lambda r: (r.start, r.state)))
