"""``comity assessments``: read back what ``comity assess --save`` stored."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.table import Table

from comity.analysis.changes import diff_results
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
@db_option
def assessments_diff(old_id: int, new_id: int, output: str, url: str | None) -> None:
    """What changed from stored assessment OLD_ID to NEW_ID, per jurisdiction.

    Tier and scope, and each finding added, removed or changed (date, status), in the
    format comity.result_diff.v1 with --format json.
    """
    old_row, _ = _load(url, old_id)
    new_row, _ = _load(url, new_id)
    diff = diff_results(old_row["result"], new_row["result"])
    if output == "json":
        click.echo(json.dumps({"old_id": old_id, "new_id": new_id, **diff.to_dict()},
                              indent=2, ensure_ascii=False))
        return
    click.echo(f"{old_id} ({old_row['profile_id']}, as of {old_row['as_of']}, rulebook "
               f"{old_row['rulebook_version']}) → {new_id} ({new_row['profile_id']}, as of "
               f"{new_row['as_of']}, rulebook {new_row['rulebook_version']})")
    if diff.empty:
        click.echo("no change")
    for change in diff.jurisdictions:
        if change.empty:
            continue
        click.echo(f"\n{change.jurisdiction}")
        for name, (before, after) in change.headline.items():
            click.echo(f"  {name}: {before} → {after}")
        for finding in change.added:
            click.echo(f"  + {_list_label(finding)}: {finding['citation']} — {finding['title']}")
        for finding in change.removed:
            click.echo(f"  - {_list_label(finding)}: {finding['citation']} — {finding['title']}")
        for finding in change.changed:
            moved = "; ".join(f"{name} {value['before']} → {value['after']}"
                              for name, value in finding["changes"].items())
            click.echo(f"  ~ {finding['citation']} — {finding['title']}: {moved}")


LIST_LABELS = {"prohibitions": "prohibition", "obligations": "duty",
               "expectations": "expectation", "defences": "defence",
               "undetermined": "open point", "classifications": "classification",
               "addressed_to_states": "addressed to the state", "pending": "pending bill"}


def _list_label(finding: dict[str, Any]) -> str:
    name = str(finding["list"])
    return LIST_LABELS.get(name, name)
