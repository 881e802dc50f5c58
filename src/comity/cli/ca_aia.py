"""``comity ca-aia``: score a completed Canadian Algorithmic Impact Assessment."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from comity.analysis.ca_aia import (
    LEVEL_NUMERALS,
    AiaScore,
    known_versions,
    requirements_for_level,
    score_file,
)
from comity.cli.errors import ErrorReportingGroup

DIRECTIVE = "Directive on Automated Decision-Making, Appendix C"
DIRECTIVE_FR = "Directive sur la prise de décisions automatisée, annexe C"






@click.group(name="ca-aia", cls=ErrorReportingGroup,
             context_settings={"help_option_names": ["-h", "--help"]})
def ca_aia() -> None:
    """Canada: Algorithmic Impact Assessment (AIA) of the Directive on Automated
    Decision-Making."""


@ca_aia.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--questionnaire-version", "version", metavar="VERSION",
              help="Score under this questionnaire version instead of the one the file "
                   f"names. Known: {', '.join(known_versions())}.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@click.option("--language", type=click.Choice(["en", "fr"]), default="en", show_default=True,
              help="Language of the requirements listed in the table.")
def score(file: Path, version: str | None, output: str, language: str) -> None:
    """Score the completed AIA in FILE as the official tool does.

    FILE is the JSON the official AIA tool saves ({version, currentPage, data,
    translationsOnResult}), or {version, answers}, or bare answers with
    --questionnaire-version. An unknown questionnaire version is an error (exit code 2),
    never scored under another version.
    """
    result = score_file(file, version=version)
    if output == "json":
        click.echo(json.dumps(_as_json(result), indent=2, ensure_ascii=False))
        return
    _print_table(result, language)


def _as_json(result: AiaScore) -> dict[str, Any]:
    data = result.to_dict()
    english = requirements_for_level(result.impact_level, "en")
    french = requirements_for_level(result.impact_level, "fr")
    data["requirements"] = [
        {"key": en.key, "section": en.section, "title_en": en.title, "text_en": en.text,
         "title_fr": fr.title, "text_fr": fr.text}
        for en, fr in zip(english, french, strict=True)
    ]
    return data


def _print_table(result: AiaScore, language: str) -> None:
    console = Console() if sys.stdout.isatty() else Console(width=120)
    numeral = LEVEL_NUMERALS[result.impact_level]
    scores = Table(title=f"Algorithmic Impact Assessment: impact level {numeral}",
                   show_header=False)
    scores.add_column("", style="bold")
    scores.add_column("")
    rows = [
        ("Questionnaire version", result.questionnaire_version),
        ("Impact level", f"{result.impact_level} (Level {numeral})"),
        ("Raw impact score", f"{result.raw_score} of {result.max_raw_score}"),
        ("Mitigation score", f"{result.mitigation_score} of {result.max_mitigation_score}"),
        ("Final score", f"{result.final_score}"
         + (" (raw score less 15 %: mitigation score reached "
            f"{result.mitigation_threshold:g})" if result.mitigation_deduction_applied
            else f" (no deduction: mitigation below {result.mitigation_threshold:g})")),
    ]
    for name, value in rows:
        scores.add_row(name, Text(value))
    console.print(scores)
    for warning in result.warnings:
        console.print(Text.assemble(("warning: ", "yellow"), warning))
    title = (f"{DIRECTIVE}: requirements for level {numeral}" if language == "en"
             else f"{DIRECTIVE_FR} : exigences du niveau {numeral}")
    requirements = Table(title=title, show_lines=True)
    requirements.add_column("Section" if language == "en" else "Disposition", no_wrap=True)
    requirements.add_column("Requirement" if language == "en" else "Exigence")
    requirements.add_column(f"Level {numeral}" if language == "en" else f"Niveau {numeral}",
                            overflow="fold")
    for requirement in requirements_for_level(result.impact_level, language):
        requirements.add_row(Text(requirement.section), Text(requirement.title),
                             Text(requirement.text))
    console.print(requirements)
