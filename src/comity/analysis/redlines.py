"""Redlines: each jurisdiction's prohibitions mapped to one common list.

Shows which banned practices every jurisdiction shares, which only some ban, and which
only one bans (the seeds' call for agreed "redlines").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from comity.rulebook.loader import Rulebook, default_rulebook


@dataclass(frozen=True)
class Redline:
    """One common redline and the provisions that ban it, by jurisdiction."""

    id: str
    description: str
    bans: dict[str, list[tuple[str, str]]]  # jurisdiction -> [(rule id, citation)]

    def share(self, jurisdictions: list[str]) -> str:
        """``all``, ``some``, ``one`` or ``none`` of the jurisdictions compared."""
        count = sum(1 for code in jurisdictions if code in self.bans)
        if count == 0:
            return "none"
        if count == len(jurisdictions):
            return "all"
        return "one" if count == 1 else "some"

    def to_dict(self, jurisdictions: list[str]) -> dict[str, Any]:
        return {"id": self.id, "description": self.description,
                "shared_by": self.share(jurisdictions),
                "jurisdictions": sorted(self.bans),
                "provisions": [{"jurisdiction": code, "id": rule, "citation": citation}
                               for code, items in sorted(self.bans.items())
                               for rule, citation in items]}


def redlines(
    rulebook: Rulebook | None = None,
    *,
    jurisdictions: Iterable[str] | None = None,
    as_of: date | None = None,
) -> tuple[list[str], list[Redline]]:
    """The common redlines with each jurisdiction's bans in force on ``as_of``.

    Returns the jurisdictions compared (default: every jurisdiction with a ban) and the
    redlines, most widely shared first.
    """
    book = rulebook or default_rulebook()
    day = as_of or date.today()
    codes = list(jurisdictions) if jurisdictions is not None else None
    found: dict[str, dict[str, list[tuple[str, str]]]] = {key: {} for key in book.redlines}
    for rule in book.rules():
        if rule.spec.redline is None or not rule.in_force_on(day):
            continue
        if codes is not None and rule.jurisdiction not in codes:
            continue
        items = found[rule.spec.redline].setdefault(rule.jurisdiction, [])
        if rule.citation not in (citation for _, citation in items):
            items.append((rule.id, rule.citation))
    compared = codes if codes is not None else sorted(
        {code for bans in found.values() for code in bans})
    lines = [Redline(key, book.redlines[key], found[key]) for key in book.redlines]
    lines.sort(key=lambda line: (-len(line.bans), line.id))
    return compared, lines
