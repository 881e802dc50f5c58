"""Terminal report of an assessment, drawn with rich."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from comity.engine.results import Assessment, Finding, JurisdictionResult

TIER_STYLES = {
    "unacceptable": "bold white on red",
    "high": "bold red",
    "limited": "yellow",
    "minimal": "green",
    "out_of_scope": "dim",
}


def render_assessment(assessment: Assessment) -> RenderableType:
    """One profile's results: a panel per jurisdiction in scope, one line for the rest."""
    title = Text.assemble(
        (assessment.profile_id, "bold"), f" — {assessment.profile_name}",
        (f"   as of {assessment.as_of.isoformat()} · rulebook {assessment.rulebook_version}",
         "dim"),
    )
    panels = [_jurisdiction_panel(r) for r in assessment.results if r.in_scope is not False]
    outside = [r.jurisdiction for r in assessment.results if r.in_scope is False]
    parts: list[RenderableType] = [title, *panels]
    if outside:
        parts.append(Text(f"Out of scope: {', '.join(outside)}", style="dim"))
    return Group(*parts)


def print_assessments(assessments: list[Assessment], console: Console) -> None:
    for assessment in assessments:
        console.print(render_assessment(assessment))
        console.print()


def _jurisdiction_panel(result: JurisdictionResult) -> Panel:
    parts: list[RenderableType] = [_headline(result)]
    if result.prohibitions:
        parts.append(_findings_table("Prohibitions", result.prohibitions))
    if result.classifications or result.exceptions:
        parts.append(_findings_table("Why this tier", [*result.classifications,
                                                      *result.exceptions]))
    if result.obligations:
        parts.append(_findings_table("Obligations", result.obligations))
    if result.expectations:
        parts.append(_findings_table("Expectations (voluntary)", result.expectations))
    if result.undetermined:
        parts.append(_undetermined_table(result.undetermined))
    if result.pending:
        parts.append(_findings_table("Pending bills (if enacted as they stand)",
                                     result.pending))
    style = TIER_STYLES.get(result.common_tier, "")
    layer = f", national layer on {result.layer_of}" if result.layer_of else ""
    return Panel(Group(*parts), title=f"{result.name} ({result.jurisdiction}{layer})",
                 title_align="left", border_style=style.replace("on red", "").strip())


def _headline(result: JurisdictionResult) -> Text:
    scope = {True: "in scope", False: "out of scope", None: "scope undetermined"}[result.in_scope]
    text = Text.assemble(
        (scope, "bold"), "  tier: ", (result.tier, TIER_STYLES.get(result.common_tier, "")),
        f"  (common: {result.common_tier})",
    )
    if result.labels:
        text.append(f"  labels: {', '.join(result.labels)}")
    for restriction in result.enforcement:
        text.append("\n⚖ " + restriction.sentence(), style="bold magenta")
    if result.in_scope is False and result.scope:
        text.append("\n" + "; ".join(f"{f.title} ({f.citation})" for f in result.scope),
                    style="dim")
    elif result.in_scope is False:
        text.append("\nNo scope rule is met.", style="dim")
    return text


def _findings_table(title: str, findings: list[Finding]) -> Table:
    table = Table(title=title, title_justify="left", expand=True, show_lines=False)
    table.add_column("Citation", style="cyan", ratio=3, overflow="fold")
    table.add_column("What", ratio=4)
    table.add_column("Who", min_width=9)
    table.add_column("From", no_wrap=True)
    for finding in findings:
        when = finding.applies_from.isoformat()
        table.add_row(
            finding.citation,
            _title(finding),
            ", ".join(finding.addressees) or "—",
            Text(when, style="" if finding.applicable else "yellow"),
        )
    return table


def _title(finding: Finding) -> Text:
    """The finding's title, with a marker when its enforcement is restricted."""
    text = Text(finding.title)
    if finding.enforcement:
        text.append(f" [{finding.enforcement_marker}]", style="bold magenta")
    return text


def _undetermined_table(findings: list[Finding]) -> Table:
    table = Table(title="Undetermined: the profile does not say", title_justify="left",
                  expand=True)
    table.add_column("Citation", style="cyan", ratio=3, overflow="fold")
    table.add_column("What", ratio=3)
    table.add_column("Needs", ratio=3)
    for finding in findings:
        table.add_row(finding.citation or "—", _title(finding), "; ".join(finding.needs))
    return table
