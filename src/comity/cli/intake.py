"""``comity intake``: inventory rows (CSV, JSON Lines, Parquet) to v1 profiles with evidence."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress

from comity.intake.cues import load_cues
from comity.intake.evidence import Inference, IntakeRecord
from comity.intake.mapping import SHIPPED
from comity.intake.review import Decision, apply_decision, needs_review
from comity.intake.run import IntakeRun, intake_file, sidecar_path, write_outputs
from comity.intake.text_model import load_text_model


@click.command()
@click.argument("input_path", metavar="INPUT",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--map", "mapping", required=True, metavar="MAPPING",
              help=f"A mapping file, or a shipped mapping: {', '.join(SHIPPED)}.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Profiles as JSON Lines (NAME.jsonl), or as one document that "
                   "'comity assess' reads (NAME.json); the evidence goes beside it "
                   "(NAME.evidence.jsonl).")
@click.option("--encoding", help="Text encoding of INPUT (default: the mapping's, else "
                                 "detected: UTF-8, else Windows-1252).")
@click.option("--format", "input_format", type=click.Choice(["csv", "jsonl", "parquet"]),
              help="Default: from the mapping, else the file suffix.")
@click.option("--cues", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A cue file instead of the shipped one.")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False,
                                                       path_type=Path),
              help="A principal-basis model file instead of the shipped one.")
@click.option("--no-model", is_flag=True, help="Cues and mapping only; no learned model.")
@click.option("--review", is_flag=True,
              help="Go through the flagged rows one by one before writing.")
def intake(input_path: Path, mapping: str, out: Path, encoding: str | None,
           input_format: str | None, cues: Path | None, model_path: Path | None,
           no_model: bool, review: bool) -> None:
    """Turn each row of an inventory into a v1 profile, with the evidence of every value.

    A value below the review threshold is flagged; a field without evidence stays unset,
    so the rules report what depends on it as undetermined. A bad row gets an error in
    the evidence file and the run goes on.
    """
    model: Any = False if no_model else (load_text_model(model_path) if model_path else True)
    run = intake_file(input_path, mapping, cues=load_cues(cues) if cues else None,
                      model=model, encoding=encoding, input_format=input_format,
                      progress=_progress if sys.stderr.isatty() and not review else None)
    if review:
        _review(run)
    evidence = sidecar_path(out)
    with out.open("w", encoding="utf-8") as profiles, \
            evidence.open("w", encoding="utf-8") as sidecar:
        write_outputs(run, profiles, sidecar, as_document=out.suffix.lower() == ".json")
    _summary(run, out, evidence)


def _progress(items: Iterable[int], total: int) -> Iterator[int]:
    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("intake", total=total)
        for item in items:
            yield item
            bar.advance(task)


def _summary(run: IntakeRun, out: Path, evidence: Path) -> None:
    click.echo(f"{run.source}: {len(run.records)} rows read"
               + (f" ({run.encoding})" if run.encoding else ""))
    click.echo(f"  {run.profiles} profiles -> {out}")
    click.echo(f"  {run.flagged} rows with flagged values or problems, "
               f"{run.errors} rows without a profile -> {evidence}")
    if run.missing_columns:
        click.echo(f"  mapped columns missing from the input: {', '.join(run.missing_columns)}")


def _review(run: IntakeRun) -> None:
    pending = [record for record in run.records if needs_review(record)]
    click.echo(f"{len(pending)} rows to review. For each flagged value: "
               "[a]ccept, [r]eject, [e]dit, [s]kip the row, [q]uit reviewing.")
    for number, record in enumerate(pending, start=1):
        if not _review_record(record, number, len(pending)):
            break


def _review_record(record: IntakeRecord, number: int, total: int) -> bool:
    """Review one row; False when the reviewer quits."""
    assert record.profile is not None
    click.echo("")
    click.secho(f"[{number}/{total}] row {record.row}: {record.profile['name']}", bold=True)
    click.echo(f"  id: {record.profile_id}")
    description = record.profile.get("description") or "(no description)"
    click.echo("  " + description[:400].replace("\n", " "))
    for problem in record.problems:
        click.secho(f"  problem: {problem}", fg="yellow")
    for item in record.flagged:
        if item.field == "description":
            continue
        _show(item)
        while True:
            answer = click.prompt("  decision", type=click.Choice(["a", "r", "e", "s", "q"]),
                                  default="a", show_choices=True)
            if answer == "q":
                return False
            if answer == "s":
                return True
            invalid = apply_decision(record, item, _decision(answer, item))
            if invalid is None:
                break
            click.secho(f"  not valid: {invalid}", fg="red")
    return True


def _show(item: Inference) -> None:
    state = "set" if item.applied else "not set"
    click.echo(f"  {item.field} = {json.dumps(item.value)} ({state}; {item.method}, "
               f"confidence {item.confidence:.2f})" + (f" - {item.note}" if item.note else ""))
    for evidence in item.evidence[:3]:
        click.echo(f"      {evidence.source}: {evidence.text[:200]}")


def _decision(answer: str, item: Inference) -> Decision:
    if answer == "a":
        return Decision("accept")
    if answer == "r":
        return Decision("reject")
    raw = click.prompt(f"  new value for {item.field} (JSON or text)",
                       default=json.dumps(item.value))
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    return Decision("edit", value)
