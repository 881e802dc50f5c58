"""What every assessment report says first, in words every renderer shares.

One line per jurisdiction in scope (or undetermined): tier with its open points,
counts of prohibitions, duties and open points, the next date something starts to
apply. Out-of-scope jurisdictions collapse into one line with the rule that failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from comity.engine.results import Assessment, Finding, JurisdictionResult, need_text

SCOPE_LABELS = {True: "in scope", False: "out of scope", None: "scope undetermined"}


def human(identifier: str) -> str:
    """``not_high_risk`` -> ``not high risk``: ids as a reader writes them."""
    return identifier.replace("_", " ")


@dataclass(frozen=True)
class SummaryRow:
    code: str
    name: str
    scope: str
    tier: str
    prohibitions: int
    duties: int
    expectations: int
    open_points: int
    next_date: date | None
    market_note: str | None


def summary_rows(assessment: Assessment) -> list[SummaryRow]:
    """One row per jurisdiction that is in scope or whose scope is open."""
    return [
        SummaryRow(r.jurisdiction, r.name, SCOPE_LABELS[r.in_scope], r.tier_label,
                   len(r.prohibitions), len(r.obligations), len(r.expectations),
                   r.open_points, r.next_date(), r.market_note)
        for r in assessment.results if r.in_scope is not False
    ]


def out_of_scope(assessment: Assessment) -> list[JurisdictionResult]:
    return [r for r in assessment.results if r.in_scope is False]


def out_of_scope_reason(result: JurisdictionResult) -> str:
    """The rules that failed (or the exclusion that held), in one phrase."""
    if result.out_of_scope_because:
        return "; ".join(reason.describe() for reason in result.out_of_scope_because)
    return "no scope rule in force on this date"


def out_of_scope_line(assessment: Assessment) -> str | None:
    """``Out of scope (2): BR — …; KR — …`` or None when every jurisdiction is in scope."""
    outside = out_of_scope(assessment)
    if not outside:
        return None
    parts = [f"{r.jurisdiction} — {out_of_scope_reason(r)}" for r in outside]
    return f"Out of scope ({len(outside)}): " + "; ".join(parts)


def open_point_text(finding: Finding) -> str:
    """Every open point of a finding, each saying whose condition it is."""
    if finding.open_points:
        return " · ".join(point.describe() for point in finding.open_points)
    return "open: " + ("; ".join(need_text(n) for n in finding.needs) or "a judgement")


def coverage_text(result: JurisdictionResult) -> str:
    """Which instruments were checked, and where the list of what is not covered is."""
    coverage = result.coverage
    if not coverage:
        return ""
    text = "Checked: " + (", ".join(coverage["checked"]) or "no instrument in force") + "."
    if coverage.get("not_in_force"):
        text += " Encoded, not in force on this date: " + ", ".join(coverage["not_in_force"])
        text += "."
    if coverage.get("not_covered"):
        text += " Not covered: " + ", ".join(coverage["not_covered"]) + "."
    return text + f" Other law may apply (see {coverage['see']})."


def transitional(result: JurisdictionResult) -> list[tuple[list[str], dict[str, str]]]:
    """Each distinct transitional note of the result's findings, with the citations of
    the findings it qualifies (one note often covers a whole chapter of duties)."""
    grouped: dict[tuple[str, str, str], tuple[list[str], dict[str, str]]] = {}
    for finding in [*result.findings(), *result.undetermined]:
        for note in finding.transitional:
            key = (note["note"], note["citation"], note["applies_from"])
            citations, _ = grouped.setdefault(key, ([], note))
            if finding.citation not in citations:
                citations.append(finding.citation)
    return list(grouped.values())


def transitional_text(citations: list[str], note: dict[str, str]) -> str:
    """One transitional note in words: whose duties, the later date and its source."""
    return (f"{'; '.join(citations)}: {note['note']} ({note['citation']}, from "
            f"{note['applies_from']})")


def who(finding: Finding) -> str:
    return ", ".join(human(a) for a in finding.addressees) or "—"


def states_note(result: JurisdictionResult) -> str | None:
    if not result.addressed_to_states:
        return None
    return ("Addressed to the state (shown because the deployer is a public body): "
            + "; ".join(f.citation for f in result.addressed_to_states))
