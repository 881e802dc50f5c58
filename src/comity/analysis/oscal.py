"""Export an obligation set as an OSCAL catalog (NIST OSCAL 1.1), for GRC tools.

One group per jurisdiction, one control per obligation or prohibition, with the
citation, addressees, dates and duty type as properties and the summary as statement
prose. UUIDs are derived from content, so the same input gives the same catalog.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Any

from comity.engine.results import Assessment, Finding

OSCAL_VERSION = "1.1.2"
NAMESPACE = uuid.UUID("6f7c1f1e-2c0b-4f1e-9a51-636f6d697479")
COMITY_NS = "urn:comity:oscal"  # our namespace for properties OSCAL does not define


def oscal_catalog(assessments: list[Assessment], *, title: str | None = None,
                  last_modified: datetime | None = None) -> dict[str, Any]:
    """A catalog of every obligation and prohibition in the assessments (deduplicated)."""
    groups: dict[str, dict[str, Any]] = {}
    seen: set[tuple[str, str]] = set()
    for assessment in assessments:
        for result in assessment.results:
            findings = [*result.prohibitions, *result.obligations]
            if not findings:
                continue
            group = groups.setdefault(result.jurisdiction, {
                "id": _token(result.jurisdiction.lower()),
                "title": f"{result.name} ({result.jurisdiction})",
                "controls": [],
            })
            for finding in findings:
                if (result.jurisdiction, finding.rule_id) in seen:
                    continue
                seen.add((result.jurisdiction, finding.rule_id))
                group["controls"].append(_control(finding))
    profiles = ", ".join(a.profile_id for a in assessments)
    versions = sorted({a.rulebook_version for a in assessments})
    stamp = (last_modified or datetime.now(UTC)).isoformat(timespec="seconds")
    catalog: dict[str, Any] = {
        "uuid": str(uuid.uuid5(NAMESPACE, f"catalog:{profiles}:{versions}")),
        "metadata": {
            "title": title or f"Comity obligations for {profiles}",
            "last-modified": stamp,
            "version": ", ".join(versions),
            "oscal-version": OSCAL_VERSION,
            "props": [{"name": "rulebook-version", "ns": COMITY_NS, "value": v}
                      for v in versions],
        },
    }
    if groups:
        catalog["groups"] = list(groups.values())
    return {"catalog": catalog}


def _control(finding: Finding) -> dict[str, Any]:
    control_id = _token(finding.rule_id)
    props = [
        {"name": "label", "value": finding.citation},
        {"name": "kind", "ns": COMITY_NS, "value": finding.kind},
        {"name": "applies-from", "ns": COMITY_NS, "value": finding.applies_from.isoformat()},
    ]
    if finding.duty:
        props.append({"name": "duty-type", "ns": COMITY_NS, "value": finding.duty})
    props += [{"name": "addressee", "ns": COMITY_NS, "value": who}
              for who in finding.addressees]
    return {
        "id": control_id,
        "title": finding.title,
        "props": props,
        "parts": [{"id": f"{control_id}_smt", "name": "statement", "prose": finding.summary}],
    }


def _token(value: str) -> str:
    """An OSCAL token: starts with a letter or underscore; letters, digits, . - _ after."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", value)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else f"_{cleaned}"
