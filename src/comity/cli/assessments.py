"""``comity assessments``: read back what ``comity assess --save`` stored."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table

from comity.analysis.changes import diff_assessments
from comity.cli.db import db_option, open_store
from comity.cli.errors import fail
from comity.engine.results import Assessment, assessment_from_dict
from comity.render.html import assessments_html
from comity.render.markdown import assessments_markdown
from comity.render.table import print_assessments
from comity.rulebook.loader import default_rulebook


def _console() -> Console:
    return Console() if sys.stdout.isatty() else Console(width=120)


def _missing(assessment_id: int) -> NoReturn:
    fail(f"no stored assessment {assessment_id}; see 'comity assessments list'")


def _load(url: str | None, assessment_id: int) -> tuple[dict[str, Any], Assessment]:
    with open_store(url) as store:
        row = store.stored_assessment(assessment_id)
    if row is None:
        _missing(assessment_id)
    return row, assessment_from_dict(row["result"])


@click.group()
def assessments() -> None:
    """List, show and compare the assessments stored with 'comity assess --save'."""


@assessments.command("list")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@db_option
def assessments_list(output: str, url: str | None) -> None:
    """Stored assessments: id, profile, as-of date, rulebook version, input hash."""
    with open_store(url) as store:
        rows = store.stored_assessments()
    if output == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(rows)} stored assessment(s)", title_justify="left")
    for column in ("Id", "Profile", "As of", "Rulebook", "Input sha256", "Stored"):
        table.add_column(column, no_wrap=column != "Profile")
    for row in rows:
        table.add_row(str(row["id"]), row["profile_id"], row["as_of"],
                      row["rulebook_version"], row["input_hash"][:12],
                      row["created_at"][:19])
    _console().print(table)


@assessments.command("show")
@click.argument("assessment_id", type=int)
@click.option("--format", "output",
              type=click.Choice(["table", "markdown", "json", "html"]), default="table",
              show_default=True)
@db_option
def assessments_show(assessment_id: int, output: str, url: str | None) -> None:
    """Show one stored assessment as it was stored (the same report as 'comity assess')."""
    row, assessment = _load(url, assessment_id)
    if output == "json":
        click.echo(json.dumps(row["result"], indent=2, ensure_ascii=False))
    elif output == "markdown":
        click.echo(assessments_markdown([assessment]), nl=False)
    elif output == "html":
        click.echo(assessments_html([assessment], default_rulebook().duty_types), nl=False)
    else:
        print_assessments([assessment], _console())


@assessments.command("diff")
@click.argument("old_id", type=int)
@click.argument("new_id", type=int)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--all", "show_all", is_flag=True, help="Also list unchanged jurisdictions.")
@db_option
def assessments_diff(old_id: int, new_id: int, output: str, show_all: bool,
                     url: str | None) -> None:
    """What changed from stored assessment OLD_ID to NEW_ID, per jurisdiction."""
    old_row, old = _load(url, old_id)
    new_row, new = _load(url, new_id)
    changes = diff_assessments(old, new)
    if output == "json":
        click.echo(json.dumps({
            "old": {"id": old_id, "as_of": old_row["as_of"],
                    "rulebook": old_row["rulebook_version"]},
            "new": {"id": new_id, "as_of": new_row["as_of"],
                    "rulebook": new_row["rulebook_version"]},
            "profiles": [old.profile_id, new.profile_id],
            "jurisdictions": [c.to_dict() for c in changes if show_all or c.changed],
        }, indent=2, ensure_ascii=False))
        return
    click.echo(f"{old_id} ({old.profile_id}, as of {old.as_of}, rulebook "
               f"{old.rulebook_version}) → {new_id} ({new.profile_id}, as of {new.as_of}, "
               f"rulebook {new.rulebook_version})")
    changed = [c for c in changes if c.changed]
    if not changed:
        click.echo("no change")
    for change in changes:
        if not (show_all or change.changed):
            continue
        standing = (change.after if change.before == change.after
                    else f"{change.before} → {change.after}")
        click.echo(f"\n{change.name} ({change.code}): {standing}")
        for finding in change.findings:
            click.echo(f"  {finding.describe()}")
