"""Standalone, printable HTML reports (assess and compare) from Jinja2 templates.

The templates ship in ``comity/render/templates``; autoescaping is on, so profile text
and rule text can never inject markup. Pages need no network (no CDN, no script).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from comity.analysis.compare import Comparison, PortfolioComparison, comparison_of
from comity.engine.results import Assessment, need_text
from comity.render.comparison import heat, pair, satisfies
from comity.render.summary import (
    coverage_text,
    human,
    out_of_scope,
    out_of_scope_reason,
    summary_rows,
    transitional,
    who,
)


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("comity.render", "templates"),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    environment.globals.update(
        summary_rows=summary_rows, out_of_scope=out_of_scope,
        out_of_scope_reason=out_of_scope_reason, coverage_text=coverage_text, human=human,
        who=who, need_text=need_text, transitional=transitional, satisfies=satisfies,
        pair=pair, heat=heat,
    )
    return environment


def assessments_html(assessments: list[Assessment], duty_types: dict[str, str]) -> str:
    """One page: per profile the summary, the comply-once plan and each jurisdiction."""
    items = [{"assessment": a, "comparison": comparison_of(a, duty_types)}
             for a in assessments]
    title = ("Comity assessment: " + assessments[0].profile_name if len(assessments) == 1
             else f"Comity assessment of {len(assessments)} profiles")
    return _render("assess.html", title=title, items=items)


def portfolio_html(portfolio: PortfolioComparison) -> str:
    """The comparison page: heatmap, then per profile the summary, matrix, plan, details."""
    return _render("compare.html", title="Comity comparison", portfolio=portfolio)


def comparison_html(comparison: Comparison) -> str:
    return portfolio_html(PortfolioComparison([comparison], dict(comparison.divergence)))


def render_template(name: str, **context: Any) -> str:
    """Render one of the shipped templates (for report pages of other commands)."""
    return _render(name, **context)


def _render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context) + "\n"
