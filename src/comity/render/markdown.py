"""Markdown report of an assessment, for issues, wikis and reviews."""

from __future__ import annotations

from comity.engine.results import Assessment, Finding, JurisdictionResult


def assessments_markdown(assessments: list[Assessment]) -> str:
    """A Markdown document with one section per profile."""
    return "\n".join(assessment_markdown(a) for a in assessments)


def assessment_markdown(assessment: Assessment) -> str:
    lines = [
        f"# {assessment.profile_name} (`{assessment.profile_id}`)",
        "",
        f"As of {assessment.as_of.isoformat()}; rulebook `{assessment.rulebook_version}`.",
        "",
        "| Jurisdiction | In scope | Tier | Common tier | Labels |",
        "|---|---|---|---|---|",
    ]
    for result in assessment.results:
        scope = {True: "yes", False: "no", None: "undetermined"}[result.in_scope]
        lines.append(f"| {result.name} ({result.jurisdiction}) | {scope} | {result.tier} | "
                     f"{result.common_tier} | {', '.join(result.labels) or '—'} |")
    for result in assessment.results:
        lines += _jurisdiction_section(result)
    return "\n".join(lines) + "\n"


def _jurisdiction_section(result: JurisdictionResult) -> list[str]:
    layer = f", national layer on {result.layer_of}" if result.layer_of else ""
    lines = ["", f"## {result.name} ({result.jurisdiction}{layer})", ""]
    lines += [f"> **{r.label.upper()}**: {r.sentence()}" for r in result.enforcement]
    if result.enforcement:
        lines.append("")
    sections = [
        ("Prohibitions", result.prohibitions),
        ("Why this tier", [*result.classifications, *result.exceptions]),
        ("Obligations", result.obligations),
        ("Expectations (voluntary)", result.expectations),
        ("Pending bills (if enacted as they stand)", result.pending),
    ]
    for title, findings in sections:
        if findings:
            lines += [f"### {title}", "", *_findings_table(findings), ""]
    if result.undetermined:
        lines += ["### Undetermined", "", "| Citation | What | Needs |", "|---|---|---|"]
        lines += [f"| {f.citation or '—'} | {_title(f)} | {'; '.join(f.needs)} |"
                  for f in result.undetermined]
        lines.append("")
    if result.in_scope is False:
        lines.append("Out of scope: " + ("; ".join(f"{f.title} ({f.citation})"
                                                   for f in result.scope)
                                         or "no scope rule is met") + ".")
    return lines


def _findings_table(findings: list[Finding]) -> list[str]:
    rows = ["| Citation | What | Who | Applies from | Because |", "|---|---|---|---|---|"]
    for f in findings:
        because = ", ".join(f"`{name}`={_short(value)}" for name, value in f.facts.items())
        pending = "" if f.applicable else " (not yet)"
        rows.append(f"| {f.citation} | {_title(f)} | {', '.join(f.addressees) or '—'} | "
                    f"{f.applies_from.isoformat()}{pending} | {because} |")
    return rows


def _title(finding: Finding) -> str:
    """The finding's title, with a bold marker when its enforcement is restricted."""
    marker = f" **[{finding.enforcement_marker}]**" if finding.enforcement else ""
    return finding.title + marker


def _short(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)
