"""A machine-readable changelog of the rulebook, generated from the rule data.

Each released rulebook version freezes a *manifest*: one line of facts per rule (where
it sits, what it cites, its dates, its status and enforcement, and digests of its
wording and condition), kept in ``rules/history/<version>.json``. The changelog of a
version is the difference between the manifest of the version before it and the rules
as they are now, so it can never drift from the data:

- ``added`` / ``removed``: a rule id appears or disappears;
- ``redated``: ``in_force`` or ``applies_from`` changed;
- ``status_changed``: the status or the enforcement restrictions (court stays, grace
  periods) changed;
- ``reworded``: title or summary changed; ``recited``: the citation changed;
- ``condition_changed``: the condition (the legal test) changed.

Every entry names the rule's citation and the address of its instrument (the source)
and, where ``rules/changes.yaml`` gives one, the reason, matched by rule-id prefix.
``python -m comity.rulebook.changelog --freeze`` writes the current manifest when a
version is released.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from comity.rulebook.loader import Rule, Rulebook, default_rulebook
from comity.yaml12 import load_yaml

CHANGELOG_FORMAT = "comity.changelog.v1"
HISTORY_FOLDER = "history"
CHANGE_NOTES = "changes.yaml"
# Manifest fields, and the kind of change a difference in each one is reported as.
FIELD_KINDS = {
    "in_force": "redated", "applies_from": "redated",
    "status": "status_changed", "enforcement": "status_changed",
    "title": "reworded", "summary": "reworded",
    "citation": "recited", "condition": "condition_changed",
}


@dataclass(frozen=True)
class Change:
    """One change to one rule between two versions."""

    rule_id: str
    jurisdiction: str
    kind: str
    fields: tuple[str, ...]
    before: dict[str, Any]
    after: dict[str, Any]
    source: str
    reason: str | None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"rule": self.rule_id, "jurisdiction": self.jurisdiction,
                                "kind": self.kind, "source": self.source}
        if self.fields:
            data["fields"] = list(self.fields)
            data["before"] = {name: self.before.get(name) for name in self.fields}
            data["after"] = {name: self.after.get(name) for name in self.fields}
        if self.reason:
            data["reason"] = self.reason
        return data


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def rule_entry(rule: Rule) -> dict[str, Any]:
    """The facts of one rule that a changelog compares (wording as digests)."""
    spec = rule.spec
    window = spec.in_force
    return {
        "jurisdiction": rule.jurisdiction,
        "citation": rule.citation,
        "source": rule.instrument.source_url,
        "in_force": [window.start.isoformat(), window.until.isoformat() if window.until else None],
        "applies_from": str(spec.applies_from) if spec.applies_from else None,
        "status": spec.status,
        "enforcement": sorted(f"{e.state}@{e.start.isoformat()}"
                              for e in [*rule.instrument.enforcement, *spec.enforcement]),
        "title": _digest(spec.title),
        "summary": _digest(spec.summary),
        "condition": _digest(spec.when),
    }


def manifest(rulebook: Rulebook) -> dict[str, Any]:
    """The manifest of a rulebook: its version and one entry per rule."""
    return {"format": "comity.rulebook-manifest.v1", "version": rulebook.version,
            "rules": {rule.id: rule_entry(rule) for rule in
                      sorted(rulebook.rules(), key=lambda r: r.id)}}


def manifest_json(data: dict[str, Any]) -> str:
    """One rule per line, so that a frozen manifest diffs and merges readably."""
    lines = [f'{{"format": {json.dumps(data["format"])}, "version": {json.dumps(data["version"])},',
             ' "rules": {']
    rules = list(data["rules"].items())
    for index, (rule_id, entry) in enumerate(rules):
        comma = "," if index < len(rules) - 1 else ""
        lines.append(f"  {json.dumps(rule_id)}: {json.dumps(entry, sort_keys=True)}{comma}")
    lines.append("}}")
    return "\n".join(lines) + "\n"


def frozen_versions(folder: Path) -> list[str]:
    """Versions with a frozen manifest, oldest first."""
    return sorted(path.stem for path in (folder / HISTORY_FOLDER).glob("*.json"))


def load_manifest(folder: Path, version: str) -> dict[str, Any]:
    path = folder / HISTORY_FOLDER / f"{version}.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _reasons(folder: Path, version: str) -> list[tuple[str, str]]:
    """(rule-id prefix, reason) pairs noted for ``version`` in ``changes.yaml``."""
    path = folder / CHANGE_NOTES
    if not path.exists():
        return []
    notes = load_yaml(path.read_text(encoding="utf-8")) or {}
    return [(str(prefix), str(reason)) for note in notes.get(version, [])
            for prefix in note["rules"] for reason in [note["reason"]]]


def _reason_for(rule_id: str, reasons: list[tuple[str, str]]) -> str | None:
    matches = [(len(prefix), reason) for prefix, reason in reasons if rule_id.startswith(prefix)]
    return max(matches)[1] if matches else None


def diff(before: dict[str, Any], after: dict[str, Any],
         reasons: list[tuple[str, str]] | None = None) -> list[Change]:
    """The changes from manifest ``before`` to manifest ``after``, by rule id."""
    notes = reasons or []
    old, new = before["rules"], after["rules"]
    changes = []
    for rule_id in sorted(set(old) | set(new)):
        was, now = old.get(rule_id), new.get(rule_id)
        entry = now or was
        assert entry is not None
        source = f"{entry['citation']} <{entry['source']}>"
        reason = _reason_for(rule_id, notes)
        if was is None or now is None:
            kind = "added" if was is None else "removed"
            changes.append(Change(rule_id, entry["jurisdiction"], kind, (), {}, {}, source,
                                  reason))
            continue
        by_kind: dict[str, list[str]] = {}
        for name, kind in FIELD_KINDS.items():
            if was.get(name) != now.get(name):
                by_kind.setdefault(kind, []).append(name)
        for kind, names in by_kind.items():
            changes.append(Change(rule_id, entry["jurisdiction"], kind, tuple(names), was, now,
                                  source, reason))
    return changes


def changelog(rulebook: Rulebook | None = None) -> dict[str, Any]:
    """The changelog of the rulebook's version against the last frozen earlier version."""
    book = rulebook or default_rulebook()
    earlier = [v for v in frozen_versions(book.folder) if v < book.version]
    if not earlier:
        return {"format": CHANGELOG_FORMAT, "version": book.version, "since": None,
                "changes": []}
    since = earlier[-1]
    changes = diff(load_manifest(book.folder, since), manifest(book),
                   _reasons(book.folder, book.version))
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    return {"format": CHANGELOG_FORMAT, "version": book.version, "since": since,
            "counts": dict(sorted(counts.items())),
            "changes": [change.to_dict() for change in changes]}


def freeze(rulebook: Rulebook | None = None) -> Path:
    """Write the manifest of the rulebook's current version (on release)."""
    book = rulebook or default_rulebook()
    path = book.folder / HISTORY_FOLDER / f"{book.version}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(manifest_json(manifest(book)), encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - maintenance entry point
    if sys.argv[1:] == ["--freeze"]:
        print(freeze())
    else:
        print(json.dumps(changelog(), indent=2))
