"""``comity watch``: what changed in the rules, and which saved systems it affects."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import click
from rich.console import Console

from comity.cli.db import db_option, open_store
from comity.rulebook.loader import default_rulebook, load_rulebook


def _day(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


@click.command()
@click.option("--since", callback=_day, metavar="YYYY-MM-DD", help="Default: today.")
@click.option("--until", callback=_day, metavar="YYYY-MM-DD",
              help="Default: 365 days after --since.")
@click.option("--previous-rules", type=click.Path(file_okay=False, exists=True,
                                                  path_type=Path),
              help="An older rulebook folder to compare the current rules with.")
@click.option("--rules", "rules_folder", type=click.Path(file_okay=False, exists=True,
                                                        path_type=Path),
              help="Use a rulebook folder instead of the shipped one.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@db_option
def watch(since: date | None, until: date | None, previous_rules: Path | None,
          rules_folder: Path | None, output: str, url: str | None) -> None:
    """List rule changes (added, removed, re-dated, reworded; by regime), the provisions
    that start or stop applying between two dates, and the saved systems whose results
    change, with the diff per system.

        comity watch --until 2027-12-31
    """
    from comity.api.watch import watch_report
    from comity.knowledge.store.registry import Registry

    start = since or date.today()
    end = until or start + timedelta(days=365)
    if end < start:
        raise click.BadParameter("--until is before --since")
    rulebook = load_rulebook(rules_folder) if rules_folder else default_rulebook()
    previous = load_rulebook(previous_rules) if previous_rules else None
    with open_store(url) as store:
        report = watch_report(rulebook, Registry(store), start, end, previous).to_dict()
    if output == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    console = Console(width=None if sys.stdout.isatty() else 120, highlight=False)
    if previous is not None:
        console.print(f"[bold]Rule changes[/] {report['previous_rulebook']} -> "
                      f"{report['rulebook']}")
        _print_changes(console, report["rule_changes"])
    console.print(f"[bold]Dated changes[/] {report['since']} to {report['until']}")
    _print_changes(console, report["dated_changes"])
    console.print("[bold]Saved systems[/]")
    if not report["systems"]:
        console.print("  none saved")
    for system in report["systems"]:
        verdict = "results change" if system["changed"] else "no change"
        console.print(f"  {system['key']}: {verdict}")
        for regime in system["diff"]["jurisdictions"]:
            for name, change in regime["headline"].items():
                console.print(f"    {regime['jurisdiction']} {name}: {change['before']} -> "
                              f"{change['after']}")
            for kind in ("added", "removed"):
                for finding in regime[kind]:
                    console.print(f"    {regime['jurisdiction']} {kind} {finding['citation']}"
                                  f" ({finding['list']})")
            for finding in regime["changed"]:
                what = ", ".join(f"{k} {v['before']} -> {v['after']}"
                                 for k, v in finding["changes"].items())
                console.print(f"    {regime['jurisdiction']} {finding['citation']}: {what}")


def _print_changes(console: Console, grouped: dict[str, list[dict[str, object]]]) -> None:
    if not grouped:
        console.print("  none")
    for regime, changes in grouped.items():
        console.print(f"  {regime} ({len(changes)})")
        for change in changes:
            details = change["details"]
            assert isinstance(details, dict)
            if change["change"] == "dated":
                what = ", ".join(f"{name.replace('_', ' ')} {day}"
                                 for name, day in details["events"].items())
            else:
                what = ", ".join(f"{name}: {value}" for name, value in details.items())
            console.print(f"    {change['change']}: {change['citation']} ({what})")
