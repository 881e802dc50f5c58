"""Terminal report of an assessment, drawn with rich."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from comity.engine.results import Assessment, Finding, JurisdictionResult
from comity.render.escape import rich_text
from comity.render.summary import (
    SCOPE_LABELS,
    coverage_text,
    human,
    open_point_text,
    out_of_scope_line,
    summary_rows,
    transitional,
    transitional_text,
    who,
)

TIER_STYLES = {
    "unacceptable": "bold white on red",
    "high": "bold red",
    "limited": "yellow",
    "minimal": "green",
    "out_of_scope": "dim",
}


def render_assessment(assessment: Assessment) -> RenderableType:
    """One profile's results: the summary, then a panel per jurisdiction in scope."""
    title = Text.assemble(
        rich_text(assessment.profile_id, "bold"), " — ", rich_text(assessment.profile_name),
        (f"   as of {assessment.as_of.isoformat()} · rulebook {assessment.rulebook_version}",
         "dim"),
    )
    panels = [_jurisdiction_panel(r) for r in assessment.results if r.in_scope is not False]
    parts: list[RenderableType] = [title, summary_table(assessment)]
    outside = out_of_scope_line(assessment)
    if outside:
        parts.append(Text(outside, style="dim"))
    return Group(*parts, *panels)


def summary_table(assessment: Assessment) -> Table:
    """One line per jurisdiction in scope: tier, counts, next date."""
    table = Table(title="Summary", title_justify="left", expand=True)
    table.add_column("Jurisdiction", ratio=3, overflow="fold")
    table.add_column("Tier", ratio=3)
    table.add_column("Bans", justify="right")
    table.add_column("Duties", justify="right")
    table.add_column("Open", justify="right")
    table.add_column("Next date", no_wrap=True)
    for row in summary_rows(assessment):
        place = Text(f"{row.code} {row.name}")
        if row.market_note:
            place.append(f"\n{row.market_note}", style="dim")
        table.add_row(place, row.tier, str(row.prohibitions), str(row.duties),
                      Text(str(row.open_points), style="yellow" if row.open_points else ""),
                      row.next_date.isoformat() if row.next_date else "—")
    return table


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
    if result.defences:
        parts.append(_findings_table("Defences (not duties: what earns one)", result.defences))
    if result.addressed_to_states:
        parts.append(_findings_table("Addressed to the state (the deployer is a public body)",
                                     result.addressed_to_states))
    if result.undetermined:
        parts.append(_undetermined_table(result.undetermined))
    notes = transitional(result)
    if notes:
        parts.append(Text("Transitional notes", style="italic"))
        parts.extend(Text("• " + transitional_text(c, note)) for c, note in notes)
    if result.pending:
        parts.append(_findings_table("Pending bills (if enacted as they stand)",
                                     result.pending))
    style = TIER_STYLES.get(result.common_tier, "")
    layer = f", national layer on {result.layer_of}" if result.layer_of else ""
    return Panel(Group(*parts), title=f"{result.name} ({result.jurisdiction}{layer})",
                 title_align="left", border_style=style.replace("on red", "").strip())


def _headline(result: JurisdictionResult) -> Text:
    text = Text.assemble(
        (SCOPE_LABELS[result.in_scope], "bold"), "  tier: ",
        (result.tier_label, TIER_STYLES.get(result.common_tier, "")),
        f"  (common: {human(result.common_tier)})",
    )
    if result.labels:
        text.append(f"  labels: {', '.join(result.labels)}")
    for restriction in result.enforcement:
        text.append("\n⚖ " + restriction.sentence(), style="bold magenta")
    if result.market_note:
        text.append(f"\n{result.market_note}", style="italic")
    text.append("\n" + coverage_text(result), style="dim")
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
            who(finding),
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
    table = Table(title="Open points: the profile does not say", title_justify="left",
                  expand=True)
    table.add_column("Citation", style="cyan", ratio=3, overflow="fold")
    table.add_column("What", ratio=3)
    table.add_column("Open point", ratio=4)
    for finding in findings:
        table.add_row(finding.citation or "—", _title(finding), open_point_text(finding))
    return table
