"""Markdown report of an assessment, for issues, wikis and reviews: summary first."""

from __future__ import annotations

from comity.engine.results import Assessment, Finding, JurisdictionResult
from comity.render.escape import markdown_text
from comity.render.summary import (
    coverage_text,
    human,
    open_point_text,
    out_of_scope_line,
    summary_rows,
    transitional,
    transitional_text,
    who,
)


def assessments_markdown(assessments: list[Assessment]) -> str:
    """A Markdown document with one section per profile."""
    return "\n".join(assessment_markdown(a) for a in assessments)


def assessment_markdown(assessment: Assessment) -> str:
    lines = [
        f"# {_cell(assessment.profile_name)} (`{assessment.profile_id}`)",
        "",
        f"As of {assessment.as_of.isoformat()}; rulebook `{assessment.rulebook_version}`; "
        f"input sha256 `{assessment.input_hash[:12]}`.",
        "",
        "| Jurisdiction | Tier | Prohibitions | Duties | Open points | Next date |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in summary_rows(assessment):
        next_date = row.next_date.isoformat() if row.next_date else "—"
        note = f" — {row.market_note}" if row.market_note else ""
        lines.append(f"| {_cell(row.name)} ({row.code}){_cell(note)} | {row.tier} | "
                     f"{row.prohibitions} | {row.duties} | {row.open_points} | {next_date} |")
    outside = out_of_scope_line(assessment)
    if outside:
        lines += ["", _cell(outside) + "."]
    for result in assessment.results:
        if result.in_scope is not False:
            lines += _jurisdiction_section(result)
    return "\n".join(lines) + "\n"


def _jurisdiction_section(result: JurisdictionResult) -> list[str]:
    layer = f", national layer on {result.layer_of}" if result.layer_of else ""
    lines = ["", f"## {_cell(result.name)} ({result.jurisdiction}{layer})", ""]
    lines += [f"> **{r.label.upper()}**: {r.sentence()}" for r in result.enforcement]
    if result.enforcement:
        lines.append("")
    lines += [f"**{result.tier_label}** (common tier: {human(result.common_tier)})"
              + (f"; labels: {', '.join(result.labels)}" if result.labels else "") + "."]
    if result.market_note:
        lines += ["", f"*{result.market_note[0].upper()}{result.market_note[1:]}.*"]
    lines += ["", coverage_text(result), ""]
    sections = [
        ("Prohibitions", result.prohibitions),
        ("Why this tier", [*result.classifications, *result.exceptions]),
        ("Obligations", result.obligations),
        ("Expectations (voluntary)", result.expectations),
        ("Defences (not duties: what earns one)", result.defences),
        ("Addressed to the state (the deployer is a public body)", result.addressed_to_states),
        ("Pending bills (if enacted as they stand)", result.pending),
    ]
    for title, findings in sections:
        if findings:
            lines += [f"### {title}", "", *_findings_table(findings), ""]
    if result.undetermined:
        lines += ["### Open points", "", "| Citation | What | Who | Open point |",
                  "|---|---|---|---|"]
        lines += [f"| {_cell(f.citation or '—')} | {_title(f)} | {who(f)} | "
                  f"{_cell(open_point_text(f))} |" for f in result.undetermined]
        lines.append("")
    notes = transitional(result)
    if notes:
        lines += ["### Transitional notes", ""]
        lines += [f"- {_cell(transitional_text(f, note))}" for f, note in notes]
        lines.append("")
    return lines


def _findings_table(findings: list[Finding]) -> list[str]:
    rows = ["| Citation | What | Who | Applies from | Because |", "|---|---|---|---|---|"]
    for f in findings:
        because = ", ".join(f"`{name}`={markdown_text(_short(value))}"
                            for name, value in f.facts.items())
        pending = "" if f.applicable else " (not yet)"
        rows.append(f"| {_cell(f.citation)} | {_title(f)} | {who(f)} | "
                    f"{f.applies_from.isoformat()}{pending} | {because or '—'} |")
    return rows


def _cell(text: str) -> str:
    """Text as literal Markdown, safe in a heading or a table cell."""
    return markdown_text(text)


def _title(finding: Finding) -> str:
    """The finding's title (escaped), with a bold marker when its enforcement is
    restricted."""
    marker = f" **[{finding.enforcement_marker}]**" if finding.enforcement else ""
    return _cell(finding.title) + marker


def _short(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)
