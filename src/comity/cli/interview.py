"""``comity interview``: build or complete a profile by answering questions in a terminal."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from comity.analysis.compare import markets_of
from comity.cli.dates import parse_date_option
from comity.cli.errors import fail
from comity.engine.open_questions import OpenQuestionReport
from comity.intake.interview import (
    FieldStep,
    check_field,
    field_steps,
    missing_fields,
    next_fact,
    next_question,
    profile_of,
    record_answer,
    running_result,
    save_profile,
    set_field,
    slug,
    typed_field,
)
from comity.profile.files import load_profiles
from comity.rulebook.loader import default_rulebook
from comity.rulebook.questions import DONT_KNOW, AnswerError, answer_value

if TYPE_CHECKING:
    import questionary

STOP = "__stop__"


class _Quit(Exception):
    """The person quit (Ctrl-C or "stop"): save and leave."""


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False,
                                                        path_type=Path))
@click.option("--out", "-o", "destination", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write the profile here (after every answer).")
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, metavar="CODE",
              help="Only questions of these jurisdictions. Default: the profile's markets.")
@click.option("--as-of", "as_of", callback=parse_date_option, metavar="YYYY-MM-DD",
              help="The law as it stood on this date. Default: today.")
def interview(path: Path | None, destination: Path, jurisdictions: tuple[str, ...],
              as_of: date | None) -> None:
    """Describe a system by answering questions in the terminal.

    Starts from nothing or from the profile in PATH; asks the fields it lacks (the
    vocabulary is searchable, with definitions), then only the questions that can still
    settle a finding in its markets, tier-changing first, re-assessing after each answer
    and showing the result per jurisdiction. Progress is saved to --out after every
    answer; Ctrl-C or "stop" keeps what was answered.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("comity interview needs a terminal; to answer in a file, use "
             "'comity questions PATH --format yaml' and paste the answers: block")

    data = _starting_data(path)
    book = default_rulebook()
    unknown = [code for code in jurisdictions if code not in book.jurisdictions]
    if unknown:
        fail(f"unknown jurisdiction {', '.join(unknown)}; known: {', '.join(book.jurisdictions)}")
    try:
        for step in missing_fields(data, field_steps(book)):
            if missing_fields(data, [step]):  # an earlier answer may settle it (unless=)
                set_field(data, step.path, _ask_field(step, data))
            save_profile(data, destination)
        codes = list(jurisdictions) or markets_of([profile_of(data)], book)
        _ask_questions(data, codes, destination, as_of)
    except _Quit:
        save_profile(data, destination)
        click.echo(f"Stopped. Progress saved to {destination}.")
        return
    save_profile(data, destination)
    click.echo(f"No open questions left. Profile saved to {destination}.")


def _starting_data(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    profiles = load_profiles(path)
    if len(profiles) != 1:
        fail(f"{path}: holds {len(profiles)} profiles; the interview completes one")
    data = profiles[0].model_dump(mode="json", exclude_defaults=True, exclude_none=True)
    data.pop("profile", None)
    return data


def _ask(question: questionary.Question) -> Any:
    answer = question.ask()  # None when the person presses Ctrl-C
    if answer is None or answer == STOP:
        raise _Quit
    return answer


def _ask_field(step: FieldStep, data: dict[str, Any]) -> Any:
    import questionary  # here: the prompt library would slow every command's start
    from questionary import Choice

    if step.kind in ("text", "date", "number", "whole_number"):
        default = slug(data.get("name", "")) if step.path == "id" else ""
        return typed_field(step, _ask(questionary.text(
            step.prompt, default=default, validate=lambda v: check_field(step, v) or True)))
    if step.kind == "yes_no":
        return _ask(questionary.select(step.prompt, choices=[
            Choice("yes", value=True, shortcut_key="y"),
            Choice("no", value=False, shortcut_key="n"),
            Choice("I don't know", value=DONT_KNOW, shortcut_key="u")], use_shortcuts=True))
    definitions = step.definitions()
    choices = [Choice(value, value=value, description=definitions.get(value))
               for value in step.choices]
    if step.kind == "one_of":
        if step.may_be_unknown:
            choices.append(Choice("I don't know", value=DONT_KNOW))
        return _ask(questionary.select(step.prompt, choices=choices, use_search_filter=True,
                                       use_jk_keys=False))
    if step.may_be_unknown:
        choices.append(Choice("I don't know", value=DONT_KNOW))
    return _picked(_ask(questionary.checkbox(step.prompt, choices=choices,
                                             use_search_filter=True, use_jk_keys=False)))


def _picked(values: list[Any]) -> Any:
    """The values ticked in a list, or "I don't know" if that was ticked (with or without
    others: a partial list would read as complete)."""
    return DONT_KNOW if DONT_KNOW in values else list(values)


def _ask_questions(data: dict[str, Any], codes: list[str], destination: Path,
                   day: date | None) -> None:
    """Ask what can still settle a finding, re-assessing after each answer: first the
    profile fields findings wait for (facts the person knows about their organisation),
    then the rulebook's questions."""
    skipped: set[str] = set()
    asked_fields: set[str] = set()
    while True:
        _show_result(data, codes, day)
        wanted = next_fact(data, codes, asked_fields, as_of=day)
        if wanted is not None:
            step, field_report = wanted
            asked_fields.add(step.path)
            click.echo(f"\nSettles {len(field_report.settles)} finding(s) in "
                       f"{', '.join(field_report.jurisdictions)}: " + "; ".join(
                           settled.citation or settled.title
                           for settled in field_report.settles))
            set_field(data, step.path, _ask_field(step, data))
            save_profile(data, destination)
            continue
        report = next_question(data, codes, skipped, as_of=day)
        if report is None:
            return
        value = _ask_question(report)
        if value == DONT_KNOW:
            skipped.add(report.question.id)
        record_answer(data, report, value)
        save_profile(data, destination)


def _show_result(data: dict[str, Any], codes: list[str], day: date | None) -> None:
    lines = [f"  {code}: {tier}" + (f", {open_} open" if open_ else "")
             for code, tier, open_ in running_result(data, codes, as_of=day)]
    click.echo("Result so far:\n" + "\n".join(lines))


def _ask_question(report: OpenQuestionReport) -> Any:
    import questionary
    from questionary import Choice

    question = report.question
    tier = " It can change the tier." if report.can_change_tier else ""
    click.echo(f"\n{question.spec.help}\n[{question.spec.citation}] Settles "
               f"{len(report.settles)} finding(s) in {', '.join(report.jurisdictions)}.{tier}")
    stop = Choice("Stop here (progress is saved)", value=STOP)
    unknown = Choice("I don't know", value=DONT_KNOW)
    if question.type == "yes_no":
        return _ask(questionary.select(question.text, choices=[
            Choice("yes", value="yes"), Choice("no", value="no"), unknown, stop]))
    if question.type == "one_of":
        return _ask(questionary.select(question.text, choices=[
            *question.options, unknown, stop], use_search_filter=True, use_jk_keys=False))
    if question.type == "some_of":
        return _picked(_ask(questionary.checkbox(question.text, choices=[
            *question.options, unknown])))

    def valid(text: str) -> bool | str:
        try:
            answer_value(question, _typed(question.type, text))
        except AnswerError as error:
            return str(error)
        return True

    return _typed(question.type, _ask(questionary.text(
        f"{question.text} ({' | '.join(question.allowed())})", validate=valid)))


def _typed(kind: str, text: str) -> Any:
    """A typed-in number stays a number; dates and 'unknown' stay text."""
    if kind == "number" and text.strip() != DONT_KNOW:
        try:
            return float(text) if "." in text or "e" in text.lower() else int(text)
        except ValueError:
            return text
    return text.strip()
