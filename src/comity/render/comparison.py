"""Comparison reports: terminal tables, Markdown and a self-contained HTML heatmap."""

from __future__ import annotations

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from comity.analysis.compare import Comparison, PlanStep, PortfolioComparison, Provision
from comity.engine.results import JurisdictionResult

UNIT_LABELS = {True: "yes", False: "no", None: "?"}


def cell_entry(provision: Provision) -> str:
    """One provision in a duty-matrix cell: citation, date, whether it binds, if open."""
    voluntary = "" if provision.binding else " [voluntary]"
    entry = f"{provision.citation} ({provision.applies_from}){voluntary}"
    if provision.open_point is not None:
        entry += f" [{provision.open_point}]"
    if provision.enforcement:
        entry += f" [{provision.enforcement}]"
    return entry


def enforcement_cell(result: JurisdictionResult) -> str:
    """Court stays or grace periods on the jurisdiction's law, or a dash."""
    return "; ".join(r.marker for r in result.enforcement) or "—"


def satisfies(step: PlanStep) -> str:
    """How many provisions a plan step answers, and where."""
    count = len(step.provisions)
    places = ", ".join(sorted({p.jurisdiction for p in step.provisions}))
    return f"{count} provision{'' if count == 1 else 's'} ({places})"


def render_comparison(comparison: Comparison) -> RenderableType:
    codes = comparison.jurisdictions
    side = Table(title=f"Side by side: {comparison.assessment.profile_id}",
                 title_justify="left", min_width=60)
    side.add_column("")
    for code in codes:
        side.add_column(code)
    results = comparison.assessment.results
    side.add_row("in scope", *(UNIT_LABELS[r.in_scope] for r in results))
    side.add_row("tier", *(r.tier_label for r in results))
    side.add_row("common tier", *(r.common_tier for r in results))
    side.add_row("labels", *(", ".join(r.labels) or "—" for r in results))
    side.add_row("enforcement", *(enforcement_cell(r) for r in results))
    side.add_row("prohibitions", *("\n".join(f.citation for f in r.prohibitions) or "—"
                                   for r in results))
    matrix = Table(title="Duty matrix", title_justify="left", show_lines=True)
    matrix.add_column("duty type", style="bold")
    for code in codes:
        matrix.add_column(code, overflow="fold")
    for duty, row in comparison.matrix.items():
        matrix.add_row(duty, *("\n".join(cell_entry(p) for p in row.get(code, [])) or "—"
                               for code in codes))
    plan = Table(title="One plan: do each once", title_justify="left")
    plan.add_column("#")
    plan.add_column("do this once")
    plan.add_column("satisfies")
    plan.add_column("first due")
    plan.add_column("check specifics of", overflow="fold")
    for number, step in enumerate(comparison.plan, 1):
        plan.add_row(str(number), step.description, satisfies(step),
                     step.first_due.isoformat(),
                     ", ".join(p.citation for p in step.needs_specifics) or "—")
    parts: list[RenderableType] = [side, matrix, plan]
    if comparison.divergence:
        parts.append(divergence_table(comparison.divergence, codes))
    return Group(*parts)


def divergence_table(divergence: dict[tuple[str, str], float], codes: list[str]) -> Table:
    table = Table(title="Divergence index (0 = same, 1 = nothing shared)",
                  title_justify="left")
    table.add_column("")
    for code in codes:
        table.add_column(code, justify="right")
    for a in codes:
        cells = []
        for b in codes:
            value = pair(divergence, a, b)
            cells.append(Text("—") if value is None else Text(f"{value:.2f}",
                                                                style=_style(value)))
        table.add_row(a, *cells)
    return table


def print_portfolio(portfolio: PortfolioComparison, console: Console) -> None:
    for comparison in portfolio.comparisons:
        console.print(render_comparison(comparison))
        console.print()
    if len(portfolio.comparisons) > 1 and portfolio.divergence:
        codes = portfolio.comparisons[0].jurisdictions
        table = divergence_table(portfolio.divergence, codes)
        table.title = "Portfolio: mean divergence index"
        console.print(table)


def portfolio_markdown(portfolio: PortfolioComparison) -> str:
    lines: list[str] = []
    for comparison in portfolio.comparisons:
        lines += _comparison_markdown(comparison)
    if len(portfolio.comparisons) > 1 and portfolio.divergence:
        lines += ["## Portfolio: mean divergence index", ""]
        lines += _divergence_markdown(portfolio.divergence,
                                      portfolio.comparisons[0].jurisdictions)
    return "\n".join(lines) + "\n"


def _comparison_markdown(comparison: Comparison) -> list[str]:
    codes = comparison.jurisdictions
    results = comparison.assessment.results
    a = comparison.assessment
    lines = [f"# {a.profile_name} (`{a.profile_id}`)", "",
             f"As of {a.as_of.isoformat()}; rulebook `{a.rulebook_version}`.", "",
             "| | " + " | ".join(codes) + " |", "|---|" + "---|" * len(codes),
             "| in scope | " + " | ".join(UNIT_LABELS[r.in_scope] for r in results) + " |",
             "| tier | " + " | ".join(r.tier_label for r in results) + " |",
             "| common tier | " + " | ".join(r.common_tier for r in results) + " |",
             "| enforcement | " + " | ".join(enforcement_cell(r) for r in results) + " |",
             "| prohibitions | " + " | ".join(
                 "<br>".join(f.citation for f in r.prohibitions) or "—" for r in results)
             + " |", "", "## Duty matrix", "",
             "| duty type | " + " | ".join(codes) + " |", "|---|" + "---|" * len(codes)]
    for duty, row in comparison.matrix.items():
        cells = ["<br>".join(cell_entry(p) for p in row.get(code, [])) or "—"
                 for code in codes]
        lines.append(f"| {duty} | " + " | ".join(cells) + " |")
    lines += ["", "## One plan", "", "| # | do this once | satisfies | first due |",
              "|---|---|---|---|"]
    for number, step in enumerate(comparison.plan, 1):
        lines.append(f"| {number} | {step.description} | {satisfies(step)} "
                     f"| {step.first_due.isoformat()} |")
    if comparison.divergence:
        lines += ["", "## Divergence index", ""]
        lines += _divergence_markdown(comparison.divergence, codes)
    lines.append("")
    return lines


def _divergence_markdown(divergence: dict[tuple[str, str], float],
                         codes: list[str]) -> list[str]:
    lines = ["| | " + " | ".join(codes) + " |", "|---|" + "---:|" * len(codes)]
    for a in codes:
        values = [pair(divergence, a, b) for b in codes]
        lines.append(f"| {a} | " + " | ".join("—" if v is None else f"{v:.2f}"
                                              for v in values) + " |")
    return lines + [""]


def pair(divergence: dict[tuple[str, str], float], a: str, b: str) -> float | None:
    if a == b:
        return 0.0
    return divergence.get((a, b), divergence.get((b, a)))


def _style(value: float) -> str:
    return "green" if value < 0.25 else ("yellow" if value < 0.5 else "red")


def heat(value: float) -> str:
    """White (0) to deep red (1)."""
    level = int(255 - 175 * max(0.0, min(1.0, value)))
    return f"rgb(255,{level},{level})"
