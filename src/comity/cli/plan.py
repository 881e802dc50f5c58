"""``comity plan`` (audit plan against a standard) and ``comity oscal`` (catalog export)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from comity.analysis.audit_plan import audit_plan
from comity.analysis.compare import markets_of
from comity.analysis.oscal import oscal_catalog
from comity.cli.dates import parse_date_option
from comity.engine.assess import assess_profile
from comity.output_files import write_text_atomically
from comity.profile.files import load_profiles
from comity.rulebook.loader import default_rulebook

_parse_date = parse_date_option


def _codes(_: click.Context, __: click.Parameter, values: tuple[str, ...]) -> list[str] | None:
    codes = [c.strip() for v in values for c in v.split(",") if c.strip()]
    return codes or None


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--standard", default="iso42001", show_default=True,
              help="Framework of the crosswalks (iso42001, nist-ai-rmf), or the id of its "
                   "standard in the knowledge base (iso-iec-42001-2023, nist-ai-100-1).")
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, callback=_codes,
              metavar="CODE", help="Default: the profile's markets.")
@click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def plan(path: Path, standard: str, jurisdictions: list[str] | None, as_of: date | None,
         output: str) -> None:
    """Audit plan: each control of a standard, the provisions it helps satisfy in every
    in-scope jurisdiction, and the obligations no control covers."""
    rulebook = default_rulebook()
    plans = []
    for profile in load_profiles(path):
        codes = jurisdictions or markets_of([profile], rulebook)
        plans.append((profile.id, audit_plan(
            assess_profile(profile, rulebook, as_of=as_of, jurisdictions=codes), standard)))
    if output == "json":
        data = [{"id": pid, **p.to_dict()} for pid, p in plans]
        click.echo(json.dumps(data[0] if len(data) == 1 else data, indent=2,
                              ensure_ascii=False))
        return
    console = Console(width=None if sys.stdout.isatty() else 140)
    for profile_id, audit in plans:
        table = Table(title=f"{profile_id}: audit plan against {audit.title}",
                      title_justify="left", show_lines=True)
        table.add_column("control", style="bold")
        table.add_column("topic")
        table.add_column("helps satisfy", overflow="fold")
        for control in audit.controls:
            if control.covers:
                table.add_row(control.id, control.topic, Text("\n".join(
                    f"{c.jurisdiction} {c.citation} ({c.relation})" for c in control.covers)))
        console.print(table)
        if audit.gaps:
            console.print(Text("Not covered by any control: " + "; ".join(
                f"{code} {f.citation}" for code, f in audit.gaps), style="yellow"))


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, callback=_codes,
              metavar="CODE", help="Default: the profiles' markets.")
@click.option("--as-of", "as_of", callback=_parse_date, metavar="YYYY-MM-DD")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def oscal(path: Path, jurisdictions: list[str] | None, as_of: date | None,
          output: Path | None) -> None:
    """Export the obligations and prohibitions for PATH as an OSCAL 1.1 catalog (JSON)."""
    rulebook = default_rulebook()
    profiles = load_profiles(path)
    codes = jurisdictions or markets_of(profiles, rulebook)
    assessments = [assess_profile(p, rulebook, as_of=as_of, jurisdictions=codes)
                   for p in profiles]
    text = json.dumps(oscal_catalog(assessments), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    write_text_atomically(output, text)
    click.echo(f"wrote {output}")
