"""``comity rules show``: one rule as a readable page (and ``rules list`` rows)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from comity.rulebook.cases import RuleCase, case_files, load_cases
from comity.rulebook.conditions import (
    AllOf,
    Always,
    AnyOf,
    Condition,
    Established,
    FactTest,
    Not,
    QuestionTest,
)
from comity.rulebook.loader import Rule, Rulebook


def print_rules_table(rules: list[Rule], title: str, console: Console) -> None:
    """Rules as a table whose ids never wrap: they are copied into commands."""
    table = Table(title=title)
    table.add_column("Id", no_wrap=True, style="cyan")
    table.add_column("Kind", no_wrap=True)
    table.add_column("Citation", overflow="fold")
    table.add_column("Title", overflow="fold")
    for rule in rules:
        table.add_row(rule.id, rule.spec.kind, rule.citation, rule.spec.title)
    # However narrow the terminal, keep room for the longest id and some text.
    wanted = max((len(rule.id) for rule in rules), default=0) + 50
    if console.width < wanted:
        console = Console(width=wanted, file=console.file, no_color=console.no_color)
    console.print(table)


def condition_lines(condition: Condition, rulebook: Rulebook, rule: Rule,
                    depth: int = 0) -> list[str]:
    """A condition tree as indented plain-language lines."""
    pad = "  " * depth
    if isinstance(condition, AllOf | AnyOf):
        head = "all of:" if isinstance(condition, AllOf) else "any of:"
        lines = [pad + head]
        for item in condition.items:
            lines += condition_lines(item, rulebook, rule, depth + 1)
        return lines
    if isinstance(condition, Not):
        return [pad + "not:", *condition_lines(condition.item, rulebook, rule, depth + 1)]
    if isinstance(condition, QuestionTest):
        question = rulebook.jurisdictions[rule.jurisdiction].questions.get(condition.question)
        text = question.text if question is not None else condition.question
        answer = "" if condition.operator == "is_true" else (
            f" ({condition.operator} {condition.value})")
        return [pad + f"answered yes{answer}: {text} [question {condition.question}]"]
    if isinstance(condition, Established):
        jurisdiction = rulebook.jurisdictions[rule.jurisdiction]
        by = [r.id for r in jurisdiction.rules if condition.name in r.establishes()]
        return [pad + f"'{condition.name}' is established (by {', '.join(by) or 'no rule'})"]
    if isinstance(condition, FactTest) and condition.operator == "known":
        return [pad + f"{condition.fact} is {'given' if condition.value else 'not given'}"]
    if isinstance(condition, FactTest):
        return [pad + condition.describe()]
    if isinstance(condition, Always):
        return [pad + "always (whenever the rule is in force)"]
    return [pad + repr(condition)]


def cases_of(rule_id: str, rulebook: Rulebook) -> list[RuleCase]:
    return [case for path in case_files(rulebook) for case in load_cases(path)
            if case.spec.rule == rule_id]


def rule_page(rule: Rule, rulebook: Rulebook) -> RenderableType:
    spec = rule.spec
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    window = spec.in_force
    in_force = f"from {window.start}" + (f" until {window.until}" if window.until else "")
    applies = spec.applies_from
    if isinstance(applies, str):
        parameter = rulebook.jurisdictions[rule.jurisdiction].parameters[applies]
        applies_text = "; ".join(f"{v.value} (since {v.since})" for v in parameter.values)
    else:
        applies_text = str(applies or window.start)
    rows = [
        ("Citation", rule.citation),
        ("Instrument", rule.instrument.title),
        ("Jurisdiction", rule.jurisdiction),
        ("Kind", spec.kind + (" (pending bill)" if spec.status == "pending" else "")),
        ("In force", in_force),
        ("Applies from", applies_text),
        ("Addressees", ", ".join(spec.addressees) or "—"),
        ("Duty type", f"{spec.duty} ({spec.duty_relation})" if spec.duty else "—"),
        ("Related", "; ".join(rule.related) or "—"),
        ("Exception of", ", ".join(spec.exception_of) or "—"),
        ("Source file", Path(rule.source).name),
    ]
    for label, value in rows:
        facts.add_row(label, Text(value))
    parts: list[RenderableType] = [facts, Text(""), Text("Summary", style="bold"),
                                   Text(" ".join(spec.summary.split()))]
    if spec.interpretation:
        parts += [Text(""), Text("Interpretation", style="bold"),
                  Text(" ".join(spec.interpretation.split()))]
    parts += [Text(""), Text("Condition", style="bold"),
              Text("\n".join(condition_lines(rule.condition, rulebook, rule)))]
    for note in rule.transitional:
        parts += [Text(""), Text("Transitional", style="bold"),
                  Text(f"{note['citation']} (from {note['applies_from']}): {note['note']}")]
    cases = cases_of(rule.id, rulebook)
    if cases:
        table = Table(title=f"Cases ({len(cases)})", title_justify="left")
        table.add_column("Expect", no_wrap=True)
        table.add_column("Case")
        for case in cases:
            table.add_row(case.spec.expect, case.spec.name)
        parts += [Text(""), table]
    return Panel(Group(*parts), title=f"[bold]{escape(rule.id)}[/] — {escape(spec.title)}",
                 title_align="left")
