"""Text, Markdown and offline HTML for the cooperation layer's results."""

from __future__ import annotations

from comity.cooperation.agenda import Agenda
from comity.cooperation.projects import ProjectScore
from comity.cooperation.readiness import Readiness
from comity.cooperation.transfer import TransferScreen
from comity.render.html import render_template

COLOURS = {"green": "#b7e1a1", "yellow": "#ffe08a", "red": "#f4a6a0", "undetermined": "#d9d9d9"}
STUDY = {"green": "green", "green_turning_yellow": "green turning yellow", "yellow": "yellow",
         "red": "red"}


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _thresholds(r: Readiness) -> str:
    return (f"green >= {r.thresholds['green']:.4f}, yellow >= {r.thresholds['yellow']:.4f}, "
            "red below")


# --- readiness -------------------------------------------------------------------------

def readiness_text(ratings: list[Readiness]) -> str:
    lines = _matrix_text(ratings) if len(ratings) > 1 else []
    for r in ratings:
        lines.append(f"{r.a}-{r.b} on {r.issue.title} ({r.issue.id}): {r.rating.upper()} "
                     f"score {_score(r.score)} ({_thresholds(r)}; "
                     f"data for {r.coverage:.0%} of the applicable weight)")
        if r.issue.study_rating:
            lines.append(f"  Asia Society study (US-China): {STUDY[r.issue.study_rating]}")
        for f in r.factors:
            lines.append(f"  {f.id:<29} {f.status:<15} {_score(f.value):>5}  w={f.weight:.2f}  "
                         f"{f.explanation}")
        for title, items in (("Enablers", r.enablers), ("Barriers", r.barriers)):
            lines.append(f"  {title}:" if items else f"  {title}: none found")
            lines += [f"    + [{e.family}] {e.text}  (source: {e.source})" if e.kind == "enabler"
                      else f"    - [{e.family}] {e.text}  (source: {e.source})" for e in items]
        if r.missing:
            lines.append("  Missing (left out, not counted as 0): "
                         + "; ".join(f"{f.id}: {f.explanation}" for f in r.missing))
        lines.append("")
    return "\n".join(lines)


def _matrix_text(ratings: list[Readiness]) -> list[str]:
    """The pair-by-issue grid, before the details."""
    pairs, issues, cells = _grid(ratings)
    width = max(len(i) for i in issues) + 2
    lines = [("pair    " + "".join(f"{i:<{width}}" for i in issues)).rstrip()]
    for pair in pairs:
        row = [f"{cells[(pair, i)].rating} {_score(cells[(pair, i)].score)}"
               if (pair, i) in cells else "" for i in issues]
        lines.append(f"{pair:<8}" + "".join(f"{c:<{width}}" for c in row).rstrip())
    return [*lines, ""]


def readiness_markdown(ratings: list[Readiness]) -> str:
    lines = ["# Cooperation readiness", ""]
    if len(ratings) > 1:
        lines += _matrix_markdown(ratings) + [""]
    for r in ratings:
        lines.append(f"## {r.a}-{r.b}: {r.issue.title}")
        lines.append("")
        study = (f"; Asia Society study: {STUDY[r.issue.study_rating]}"
                 if r.issue.study_rating else "")
        lines.append(f"**{r.rating}**, score {_score(r.score)} ({_thresholds(r)}; "
                     f"coverage {r.coverage:.0%}{study})")
        lines += ["", "| factor | family | status | value | weight | explanation |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {f.id} | {f.family} | {f.status} | {_score(f.value)} | {f.weight:.2f} | "
                  f"{_cell(f.explanation)} |" for f in r.factors]
        for title, items in (("Enablers", r.enablers), ("Barriers", r.barriers)):
            lines += ["", f"{title}:", ""]
            lines += [f"- [{e.family}] {e.text} (source: {e.source})" for e in items] or ["- none"]
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


Grid = tuple[list[str], list[str], dict[tuple[str, str], Readiness]]


def _grid(ratings: list[Readiness]) -> Grid:
    pairs = list(dict.fromkeys(f"{r.a}-{r.b}" for r in ratings))
    issues = list(dict.fromkeys(r.issue.id for r in ratings))
    return pairs, issues, {(f"{r.a}-{r.b}", r.issue.id): r for r in ratings}


def _matrix_markdown(ratings: list[Readiness]) -> list[str]:
    pairs, issues, cells = _grid(ratings)
    lines = ["| pair | " + " | ".join(issues) + " |", "|---" * (len(issues) + 1) + "|"]
    for pair in pairs:
        row = [f"{cells[(pair, i)].rating} {_score(cells[(pair, i)].score)}"
               if (pair, i) in cells else "" for i in issues]
        lines.append(f"| {pair} | " + " | ".join(row) + " |")
    return lines


def readiness_html(ratings: list[Readiness]) -> str:
    """A self-contained page (shared report template; no script, no external resource):
    the pair-by-issue heatmap, then every rating's factors, enablers and barriers."""
    pairs, issues, cells = _grid(ratings)
    grid = {"ratings": ratings, "pairs": pairs, "issues": issues, "cells": cells,
            "titles": {r.issue.id: r.issue.title for r in ratings}}
    return render_template("cooperation.html", title="Cooperation readiness", grid=grid,
                           colours=COLOURS, study=STUDY, score=_score)


# --- transfer --------------------------------------------------------------------------

def transfer_text(screen: TransferScreen, markdown: bool = False) -> str:
    head = "# " if markdown else ""
    flag = " (provisional: an input is missing; the most restrictive possible outcome)" \
        if screen.provisional else ""
    user = f", end user {screen.end_user}" if screen.end_user else ""
    lines = [f"{head}Transfer of {screen.profile_id} from {screen.exporter} to "
             f"{screen.recipient}{user}: {screen.outcome.replace('_', ' ').upper()}{flag}", ""]
    lines += ["Inputs:"] + [f"- {i.id}: {i.value}{' (MISSING)' if i.missing else ''} - "
                            f"{i.explanation} [{i.source}]" for i in screen.inputs]
    lines += ["", "Reasoning (rules that fired):"]
    lines += [f"- {r.id} -> {r.outcome}: {' '.join(r.reason.split())}" for r in screen.fired] \
        or ["- none: permitted without conditions"]
    if screen.safeguards:
        lines += ["", "Safeguards:"]
        lines += [f"- {k}: {' '.join(v.split())}" for k, v in screen.safeguards.items()]
    lines += ["", "Sensitivity (single inputs that would change the outcome):"]
    if screen.sensitivity:
        if markdown:
            lines += ["", "| input | now | if | outcome |", "|---|---|---|---|"]
            lines += [f"| {f.input} | {f.now} | {f.alternative} | {f.outcome} |"
                      for f in screen.sensitivity]
        else:
            lines += [f"- {f.input}: {f.now} -> {f.alternative} gives {f.outcome}"
                      for f in screen.sensitivity]
    else:
        lines.append("- no single input changes the outcome")
    return "\n".join(lines) + "\n"


# --- projects --------------------------------------------------------------------------

def project_text(scores: list[ProjectScore], markdown: bool = False) -> str:
    lines: list[str] = []
    for s in scores:
        missing = f"; no evidence for {', '.join(s.missing)}" if s.missing else ""
        lines.append(f"{'## ' if markdown else ''}{s.proposal.name} ({s.proposal.id}): "
                     f"{s.total} of {s.scored_maximum}{missing}")
        lines.append("")
        for c in s.criteria:
            score = "missing" if c.score is None else f"{c.score}/2"
            lines.append(f"- {c.criterion.title} [{c.criterion.source}]: {score} - {c.earned}")
            lines += [f"    gap: {gap}" for gap in c.gaps]
        if s.test_beds:
            lines += ["", "Possible test beds (knowledge base sandboxes):"]
            lines += [f"- {t['name']} ({t['jurisdiction']}, {t['status']})" for t in s.test_beds]
        if s.audit_standards:
            lines += ["", "Possible audit criteria (international standards):"]
            lines += [f"- {a['number']} ({a['supports']})" for a in s.audit_standards]
        lines.append("")
    return "\n".join(lines)


# --- agenda ----------------------------------------------------------------------------

def agenda_text(agenda: Agenda, markdown: bool = False) -> str:
    head = "# " if markdown else ""
    lines = [f"{head}Dialogue agenda {agenda.a}-{agenda.b}: issue areas by readiness", ""]
    for rank, item in enumerate(agenda.items, start=1):
        r = item.readiness
        lines.append(f"{rank}. {r.issue.title} ({r.issue.id}): {r.rating} {_score(r.score)}")
        if item.shared_ground is not None:
            ground = item.shared_ground
            lines.append("   Start from:")
            for label, values in (("shared redlines", ground.redlines),
                                  ("shared forums and principles", ground.forums),
                                  ("common standards", ground.standards)):
                lines.append(f"   - {label}: {'; '.join(values) or 'none found'}")
        if item.barriers:
            lines.append("   Barriers:")
            lines += [f"   - [{b.family}] {b.text}" for b in item.barriers]
    return "\n".join(lines) + "\n"
