"""``comity questions``: the questions a profile leaves open, to answer in ``answers:``."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from comity.analysis.compare import markets_of
from comity.cli.dates import parse_date_option
from comity.engine.assess import assess_profile
from comity.engine.open_questions import (
    OpenFieldReport,
    OpenQuestionReport,
    answers_block,
    fields_block,
    open_fields,
    open_questions,
)
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook, default_rulebook, load_rulebook

_parse_date = parse_date_option


def _codes(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> list[str] | None:
    codes = [c.strip() for v in values for c in v.split(",") if c.strip()]
    return codes or None


@click.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, callback=_codes,
              metavar="CODE", help="Only these jurisdictions. Default: the profile's markets.")
@click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD",
              help="The law as it stood on this date. Default: today.")
@click.option("--rules", "rules_folder", type=click.Path(file_okay=False, exists=True,
                                                        path_type=Path),
              help="Use a rulebook folder instead of the shipped one.")
@click.option("--format", "output", type=click.Choice(["table", "json", "yaml"]),
              default="table", show_default=True,
              help="yaml prints an answers: block to fill in and paste into the profile.")
def questions(path: Path, jurisdictions: list[str] | None, as_of: date | None,
              rules_folder: Path | None, output: str) -> None:
    """List the questions the profile(s) in PATH leave open.

    Each question shows its type and allowed answers, its citation, the findings it
    would settle, and whether an answer can change a jurisdiction's tier (those come
    first). Answer them in the profile's answers: block; "unknown" keeps one open.
    The profile fields that undetermined findings wait for (e.g. deployer.employees)
    are listed after the questions: give them in the profile.
    """
    from comity.cli.app import read_profiles  # local: app registers this command

    rulebook = load_rulebook(rules_folder) if rules_folder else default_rulebook()
    unknown = [code for code in jurisdictions or [] if code not in rulebook.jurisdictions]
    if unknown:
        raise click.UsageError(f"unknown jurisdiction {', '.join(unknown)}; known: "
                               f"{', '.join(rulebook.jurisdictions)}")
    found = [(profile, *_open(profile, rulebook, as_of, jurisdictions))
             for profile in read_profiles(path)]
    if output == "json":
        data = [{"id": p.id, "questions": [r.to_dict() for r in reports],
                 "missing_facts": [f.to_dict() for f in fields]}
                for p, reports, fields in found]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, indent=2,
                              ensure_ascii=False))
    elif output == "yaml":
        click.echo("\n---\n".join(answers_block(p, reports) + fields_block(fields)
                                   for p, reports, fields in found), nl=False)
    else:
        console = Console() if sys.stdout.isatty() else Console(width=120)
        for profile, reports, fields in found:
            console.print(_table(profile, reports))
            if fields:
                console.print(_fields_table(fields))


def _open(profile: Profile, rulebook: Rulebook, as_of: date | None,
          jurisdictions: list[str] | None
          ) -> tuple[list[OpenQuestionReport], list[OpenFieldReport]]:
    codes = jurisdictions or markets_of([profile], rulebook)
    assessment = assess_profile(profile, rulebook, as_of=as_of, jurisdictions=codes)
    return (open_questions(profile, rulebook, as_of=as_of, jurisdictions=codes,
                           assessment=assessment), open_fields(assessment))


def _fields_table(fields: list[OpenFieldReport]) -> Table:
    table = Table(title="Profile fields that would settle findings", show_lines=True)
    table.add_column("Field", ratio=2, overflow="fold")
    table.add_column("Settles", ratio=3, overflow="fold")
    for report in fields:
        table.add_row(report.fact, "\n".join(f"{s.jurisdiction} {s.citation or s.title}"
                                            for s in report.settles))
    return table


def _table(profile: Profile, reports: list[OpenQuestionReport]) -> Table:
    table = Table(title=f"{profile.id}: {len(reports)} open question(s)", show_lines=True)
    for column, ratio in (("Question", 5), ("Answer", 2), ("Citation", 2), ("Settles", 3)):
        table.add_column(column, ratio=ratio, overflow="fold")
    for report in reports:
        question = report.question
        changes = "; ".join(f"{code}: {answer} → {tier}"
                            for code, by_answer in report.tier_changes.items()
                            for answer, tier in by_answer.items())
        settles = "\n".join(f"{s.jurisdiction} {s.citation}" for s in report.settles)
        if changes:
            settles += f"\n[bold]tier: {changes}[/]"
        table.add_row(f"{question.text}\n[dim]{question.id}[/]", " | ".join(question.allowed()),
                      question.spec.citation, settles)
    return table
