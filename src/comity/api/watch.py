"""The watch: what changes in the rules, and which saved systems' results change with it.

Two sources of change are reported. Dated changes already in the rulebook: provisions
that enter into force, lapse or start to apply between two dates (the EU Annex III
duties on 2 Dec 2027). Changed rules: an older rulebook folder compared with the
current one, rule by rule. For each saved system the latest saved result is compared
with a fresh assessment of the same profile under the current rulebook as of the end
date, so both kinds of change show up in its diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from comity.analysis.changes import RuleChange, dated_changes, diff_results, diff_rulebooks
from comity.engine.assess import assess_profile
from comity.knowledge.store.registry import Registry
from comity.profile.files import parse_profiles
from comity.rulebook.loader import Rulebook


@dataclass
class WatchReport:
    since: date
    until: date
    rulebook: str
    previous_rulebook: str | None
    rule_changes: list[RuleChange]
    dated: list[RuleChange]
    systems: list[dict[str, Any]]

    def by_regime(self, changes: list[RuleChange]) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for change in changes:
            grouped.setdefault(change.jurisdiction, []).append(change.to_dict())
        return grouped

    def to_dict(self) -> dict[str, Any]:
        return {"format": "comity.watch.v1", "since": self.since.isoformat(),
                "until": self.until.isoformat(), "rulebook": self.rulebook,
                "previous_rulebook": self.previous_rulebook,
                "rule_changes": self.by_regime(self.rule_changes),
                "dated_changes": self.by_regime(self.dated),
                "systems": self.systems}


def watch_report(rulebook: Rulebook, registry: Registry, since: date, until: date,
                 previous: Rulebook | None = None, limit: int = 1000) -> WatchReport:
    """Changes between ``since`` and ``until`` (and from ``previous`` to ``rulebook``)."""
    changes = diff_rulebooks(previous, rulebook, until) if previous else []
    affected = []
    for system in registry.systems(limit=limit):
        saved = registry.saved(system["key"])
        if saved is None:
            continue
        profile_data, before = saved
        [profile] = parse_profiles(profile_data, f"saved system {system['key']!r}")
        codes = [r["jurisdiction"] for r in before.get("results", [])
                 if r["jurisdiction"] in rulebook.jurisdictions]
        after = assess_profile(profile, rulebook, as_of=until, jurisdictions=codes)
        diff = diff_results(before, after.to_dict(with_trace=False))
        affected.append({"key": system["key"], "name": system["name"],
                         "saved_under": before.get("rulebook"),
                         "changed": not diff.empty, "diff": diff.to_dict()})
    return WatchReport(since, until, rulebook.version_id,
                       previous.version_id if previous else None, changes,
                       dated_changes(rulebook, since, until), affected)
