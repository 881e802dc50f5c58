"""Charts drawn on the server as SVG: nothing to fetch, readable without JavaScript.

Each chart carries a title and a description for screen readers; the pages also show
the same figures as tables.
"""

from __future__ import annotations

import hashlib
from datetime import date
from html import escape

from markupsafe import Markup

from comity.analysis.compare import PlanStep

CELL = 56
LABEL = 70
TOP = 26
FONT = "font-family='system-ui, sans-serif' font-size='12'"


def _svg(width: int, height: int, title: str, description: str, body: list[str]) -> Markup:
    slug = hashlib.sha256((title + description).encode()).hexdigest()[:8]
    return Markup(
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' "
        f"width='{width}' height='{height}' role='img' "
        f"aria-labelledby='t{slug} d{slug}' class='chart'>"
        f"<title id='t{slug}'>{escape(title)}</title>"
        f"<desc id='d{slug}'>{escape(description)}</desc>" + "".join(body) + "</svg>")


def heat_colour(value: float) -> str:
    """White (0, same) to dark red (1, nothing shared): a single-hue scale."""
    level = max(0.0, min(1.0, value))
    red = round(255 - 120 * level)
    other = round(255 - 225 * level)
    return f"rgb({red},{other},{other})"


def divergence_heatmap(codes: list[str], divergence: dict[tuple[str, str], float]) -> Markup:
    """A symmetric matrix of the divergence index of each pair of jurisdictions."""
    width = LABEL + CELL * len(codes) + 10
    height = TOP + CELL * len(codes) + 10
    body: list[str] = []
    for index, code in enumerate(codes):
        x = LABEL + index * CELL + CELL / 2
        body.append(f"<text x='{x}' y='{TOP - 8}' text-anchor='middle' {FONT}>"
                    f"{escape(code)}</text>")
        body.append(f"<text x='{LABEL - 6}' y='{TOP + index * CELL + CELL / 2 + 4}' "
                    f"text-anchor='end' {FONT}>{escape(code)}</text>")
    for row, a in enumerate(codes):
        for column, b in enumerate(codes):
            value = 0.0 if a == b else divergence.get((a, b), divergence.get((b, a), 0.0))
            x, y = LABEL + column * CELL, TOP + row * CELL
            ink = "#fff" if value > 0.55 else "#111"
            body.append(f"<rect x='{x}' y='{y}' width='{CELL - 2}' height='{CELL - 2}' "
                        f"fill='{heat_colour(value)}' stroke='#999'>"
                        f"<title>{escape(a)} / {escape(b)}: {value:.2f}</title></rect>")
            body.append(f"<text x='{x + CELL / 2 - 1}' y='{y + CELL / 2 + 3}' "
                        f"text-anchor='middle' fill='{ink}' {FONT}>{value:.2f}</text>")
    return _svg(width, height, "Divergence index by pair of jurisdictions",
                "0 means the same duty types at the same tier, 1 nothing shared at "
                "opposite tiers.", body)


def plan_timeline(steps: list[PlanStep], today: date) -> Markup:
    """One bar per comply-once step, from today (or its first date) to its first due date."""
    if not steps:
        return Markup("")
    start = min([today, *(s.first_due for s in steps)])
    end = max([today, *(s.first_due for s in steps)])
    span = max((end - start).days, 1)
    width, left, row = 760, 230, 24
    height = 40 + row * len(steps)
    scale = (width - left - 120) / span  # room on the right for the date label

    def at(day: date) -> float:
        return left + (day - start).days * scale

    body = [f"<line x1='{at(today)}' y1='14' x2='{at(today)}' y2='{height - 6}' "
            f"stroke='#1a5fb4' stroke-dasharray='4 3'/>",
            f"<text x='{at(today)}' y='11' text-anchor='middle' {FONT}>today "
            f"{today.isoformat()}</text>"]
    for index, step in enumerate(steps):
        y = 24 + index * row
        x = at(step.first_due)
        body.append(f"<text x='{left - 8}' y='{y + 14}' text-anchor='end' {FONT}>"
                    f"{escape(step.duty.replace('_', ' '))}</text>")
        body.append(f"<rect x='{left}' y='{y + 3}' width='{max(x - left, 2):.1f}' "
                    f"height='{row - 8}' fill='#c6d9f0'/>")
        body.append(f"<circle cx='{x:.1f}' cy='{y + row / 2 - 1}' r='6' fill='#1a5fb4'>"
                    f"<title>{escape(step.duty)}: due {step.first_due.isoformat()}, "
                    f"{len(step.provisions)} provision(s)</title></circle>")
        body.append(f"<text x='{x + 10:.1f}' y='{y + 14}' {FONT}>"
                    f"{step.first_due.isoformat()} · {len(step.provisions)}</text>")
    return _svg(width, height, "Comply-once plan by first due date",
                "Each row is one duty type; the dot marks when the first provision it "
                "satisfies applies, the number how many provisions it satisfies.", body)
