"""A dialogue agenda for two parties: issue areas ranked by readiness, the shared ground
to start from where they are most ready, and the barriers where they are least ready.

Shared ground is read from data: redlines both ban, the AI forums and principle
instruments both take part in, and international standards that support duty types both
parties' rulebooks ask for in the issue's scenarios (a common technical basis).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from comity.cooperation.parties import load_party
from comity.cooperation.readiness import Evidence, Readiness, rate
from comity.cooperation.settings import issues, readiness_settings
from comity.knowledge.content import load_items
from comity.rulebook.loader import default_rulebook


@dataclass(frozen=True)
class SharedGround:
    redlines: list[str]
    forums: list[str]
    standards: list[str]

    def to_dict(self) -> dict[str, list[str]]:
        return {"shared_redlines": self.redlines, "shared_forums": self.forums,
                "common_standards": self.standards}


@dataclass
class AgendaItem:
    readiness: Readiness
    shared_ground: SharedGround | None = None
    barriers: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        r = self.readiness
        return {"issue": r.issue.id, "title": r.issue.title, "rating": r.rating,
                "score": None if r.score is None else round(r.score, 4),
                "start_from": self.shared_ground.to_dict() if self.shared_ground else None,
                "barriers": [b.to_dict() for b in self.barriers]}


@dataclass
class Agenda:
    a: str
    b: str
    items: list[AgendaItem]

    def to_dict(self) -> dict[str, Any]:
        return {"format": "comity.cooperation.agenda.v1", "a": self.a, "b": self.b,
                "items": [item.to_dict() for item in self.items]}


def _order(readiness: Readiness) -> tuple[int, float]:
    """Most ready first; an undetermined rating goes last, whatever its partial score."""
    undetermined = readiness.rating == "undetermined"
    return (int(undetermined), -(readiness.score or 0.0))


def dialogue_agenda(a: str, b: str, *, issue_ids: list[str] | None = None,
                    top: int = 2, **options: Any) -> Agenda:
    """Rank the issues for ``a`` and ``b``; shared ground for the ``top`` most ready,
    barriers for the ``top`` least ready (both when there are few issues)."""
    chosen = issue_ids or list(issues())
    rated = sorted((rate(a, b, issue_id, **options) for issue_id in chosen), key=_order)
    items = [AgendaItem(r) for r in rated]
    for item in items[:top]:
        item.shared_ground = shared_ground(item.readiness)
    for item in items[-top:]:
        item.barriers = list(item.readiness.barriers)
    return Agenda(a, b, items)


def shared_ground(readiness: Readiness) -> SharedGround:
    settings = readiness_settings()
    book = default_rulebook()
    redlines: list[str] = []
    duties: set[str] = set()
    if readiness.regulation is not None:
        redlines = [f"{s.id}: {s.description}" for s in readiness.regulation.redlines if s.shared]
        for scenario in readiness.regulation.scenarios:
            duties |= scenario.regime_a.duties & scenario.regime_b.duties
    party_a, party_b = load_party(readiness.a, book), load_party(readiness.b, book)
    forums_a, forums_b = party_a.forums(settings, book), party_b.forums(settings, book)
    forums = [settings.forums[k].name for k in settings.forums if forums_a[k] and forums_b[k]]
    standards = [f"{s.number} ({', '.join(sorted(set(s.supports) & duties))})"
                 for s in load_items("standards.yaml")
                 if s.kind == "international" and set(s.supports) & duties]
    return SharedGround(redlines, forums, standards)
