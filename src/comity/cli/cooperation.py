"""``comity cooperation``, ``transfer``, ``project score`` and ``agenda``: cooperation
analytics (docs/cooperation.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from comity.cooperation.agenda import dialogue_agenda
from comity.cooperation.projects import bundled_project_scores, parse_proposal, score_project
from comity.cooperation.readiness import Readiness, rate_matrix
from comity.cooperation.settings import (
    ReadinessSettings,
    TransferSettings,
    issues,
    load_settings,
)
from comity.cooperation.transfer import screen_transfer
from comity.errors import InputError, Problem, read_input_text
from comity.profile.files import load_profiles
from comity.render.cooperation import (
    agenda_text,
    project_text,
    readiness_html,
    readiness_markdown,
    readiness_text,
    transfer_text,
)
from comity.yaml12 import load_yaml

FORMATS = click.Choice(["text", "json", "markdown", "html"])
TEXT_FORMATS = click.Choice(["text", "json", "markdown"])


def _codes(_: click.Context, __: click.Parameter, value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [code.strip() for code in value.split(",") if code.strip()]


def _date(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def _emit(text: str, destination: Path | None) -> None:
    if destination is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    temporary = destination.with_name(destination.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(destination)
    click.echo(f"wrote {destination}")


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


OUTPUT = click.option("--output", "-o", "destination",
                      type=click.Path(dir_okay=False, path_type=Path),
                      help="Write to this file instead of standard output.")
AS_OF = click.option("--as-of", "as_of", callback=_date, metavar="YYYY-MM-DD",
                     help="Law in force on this date. Default: today.")


@click.command()
@click.argument("parties", nargs=-1)
@click.option("--issue", "-i", "issue_list", multiple=True, metavar="ID",
              help="Issue id (repeat), or 'all'. Default: all.")
@click.option("--countries", callback=_codes, metavar="A,B,...",
              help="Matrix form: every pair of these parties.")
@click.option("--issues", "issues_csv", callback=_codes, metavar="ID,...|all",
              help="Matrix form: these issues (same as --issue).")
@click.option("--weights", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your own readiness.yaml (weights, thresholds), same schema.")
@AS_OF
@click.option("--format", "output", type=FORMATS, default="text", show_default=True)
@OUTPUT
def cooperation(parties: tuple[str, ...], issue_list: tuple[str, ...],
                countries: list[str] | None, issues_csv: list[str] | None,
                weights: Path | None, as_of: date | None, output: str,
                destination: Path | None) -> None:
    """Readiness of two parties to cooperate on AI issues: green, yellow or red, with the
    enablers and barriers found and their sources.

    \b
    comity cooperation US CN --issue facial_recognition
    comity cooperation --countries US,CN,EU,GB --issues all --format html -o matrix.html
    """
    if countries is not None and parties:
        raise InputError("arguments", [Problem(
            "parties", "give either two parties (A B) or --countries, not both")])
    codes = [c.strip().upper() for c in (countries or list(parties))]
    if len(codes) < 2 or (countries is None and len(codes) != 2):
        raise InputError("arguments", [Problem(
            "parties", "give two parties (A B) or --countries with at least two")])
    chosen = [*issue_list, *(issues_csv or [])]
    issue_ids = list(issues()) if not chosen or "all" in chosen else chosen
    settings = load_settings(ReadinessSettings, weights) if weights else None
    ratings = rate_matrix(codes, issue_ids, settings=settings, as_of=as_of)
    _emit(_readiness_output(ratings, output), destination)


def _readiness_output(ratings: list[Readiness], output: str) -> str:
    if output == "json":
        data = [r.to_dict() for r in ratings]
        return _json(data[0] if len(data) == 1 else {"format": "comity.cooperation.matrix.v1",
                                                     "ratings": data})
    if output == "markdown":
        return readiness_markdown(ratings)
    if output == "html":
        return readiness_html(ratings)
    return readiness_text(ratings)


@click.command()
@click.option("--technology", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Profile file (ai-system-profile-v1) of the technology.")
@click.option("--from", "exporter", required=True, metavar="CODE", help="Exporting party.")
@click.option("--to", "recipient", required=True, metavar="CODE", help="Receiving country.")
@click.option("--end-user", metavar="KIND", help="e.g. health_ministry, police.")
@click.option("--dual-use/--not-dual-use", default=None,
              help="Override the dual-use finding from the profile's uses.")
@click.option("--settings", "settings_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your own transfer.yaml, same schema.")
@AS_OF
@click.option("--format", "output", type=TEXT_FORMATS, default="text", show_default=True)
@OUTPUT
def transfer(technology: Path, exporter: str, recipient: str, end_user: str | None,
             dual_use: bool | None, settings_path: Path | None, as_of: date | None,
             output: str, destination: Path | None) -> None:
    """Proportionality screen of a technology transfer: encourage, permit, permit with
    named safeguards, or do not transfer; with the reasoning and a sensitivity table."""
    settings = load_settings(TransferSettings, settings_path) if settings_path else None
    screens = [screen_transfer(p, exporter.upper(), recipient.upper(), end_user=end_user,
                               dual_use=dual_use, settings=settings, as_of=as_of)
               for p in load_profiles(technology)]
    if output == "json":
        data = [s.to_dict() for s in screens]
        _emit(_json(data[0] if len(data) == 1 else data), destination)
    else:
        _emit("\n".join(transfer_text(s, markdown=output == "markdown") for s in screens),
              destination)


@click.group()
def project() -> None:
    """Joint R&D projects: score proposals on the six FCAI criteria."""


@project.command("score")
@click.argument("path", required=False,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--bundled", is_flag=True,
              help="Score the knowledge base's projects as examples.")
@click.option("--format", "output", type=TEXT_FORMATS, default="text", show_default=True)
@OUTPUT
def project_score(path: Path | None, bundled: bool, output: str,
                  destination: Path | None) -> None:
    """Score the proposal in PATH (YAML or JSON) on the six criteria, with the gaps and
    suggested test beds and audit standards from the knowledge base."""
    if (path is None) == (not bundled):
        raise InputError("arguments", [Problem("path", "give a proposal file or --bundled")])
    if path is not None:
        scores = [score_project(parse_proposal(load_yaml(read_input_text(path)), str(path)))]
    else:
        scores = bundled_project_scores()
    if output == "json":
        data = [s.to_dict() for s in scores]
        _emit(_json(data[0] if len(data) == 1 else data), destination)
    else:
        _emit(project_text(scores, markdown=output == "markdown"), destination)


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--top", default=2, show_default=True, type=click.IntRange(min=1),
              help="How many most- and least-ready issues to detail.")
@AS_OF
@click.option("--format", "output", type=TEXT_FORMATS, default="text", show_default=True)
@OUTPUT
def agenda(a: str, b: str, top: int, as_of: date | None, output: str,
           destination: Path | None) -> None:
    """Dialogue agenda for A and B: issue areas ranked by readiness, shared ground to
    start from, and the barriers of the least ready."""
    result = dialogue_agenda(a.upper(), b.upper(), top=top, as_of=as_of)
    if output == "json":
        _emit(_json(result.to_dict()), destination)
    else:
        _emit(agenda_text(result, markdown=output == "markdown"), destination)


COMMANDS = (cooperation, transfer, project, agenda)
