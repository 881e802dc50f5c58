"""``comity batch``: assess a portfolio (CSV, JSON Lines, Parquet, folder) into a table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from comity.batch import DEFAULT_CHUNK_SIZE
from comity.cli.dates import parse_date_option
from comity.cli.errors import fail
from comity.cli.progress import progress_bar
from comity.output_files import write_text_atomically
from comity.rulebook.loader import default_rulebook, load_rulebook

ENGINES = ("local", "dask")


@click.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Results file: .parquet (default) or .csv. Errors go beside it in "
                   "<name>.errors.csv.")
@click.option("--template", type=click.Choice(["csv"]),
              help="Write an empty CSV with every column (to --out or standard output).")
@click.option("--jurisdiction", "-j", "jurisdictions", multiple=True, metavar="CODE",
              help="Jurisdiction code (repeat or comma-separate). Default: all.")
@click.option("--as-of", "as_of", callback=parse_date_option, metavar="YYYY-MM-DD",
              help="The law as it stood on this date. Default: today (a resumed run keeps "
                   "its date).")
@click.option("--rules", "rules_folder", type=click.Path(file_okay=False, exists=True,
                                                          path_type=Path),
              help="Use a rulebook folder instead of the shipped one.")
@click.option("--chunk-size", default=DEFAULT_CHUNK_SIZE, show_default=True,
              type=click.IntRange(min=1), help="Rows per chunk (the unit of resuming).")
@click.option("--encoding", default="utf-8", show_default=True,
              help="Text encoding of CSV and JSON Lines input (e.g. cp1252).")
@click.option("--engine", type=click.Choice(ENGINES), default="local", show_default=True,
              help="local: this process; dask: a Dask cluster (docs/scale.md).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler, e.g. tcp://host:8786. Default: a local cluster.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Workers of the local Dask cluster.")
@click.option("--restart", is_flag=True,
              help="Discard the parts of an unfinished run instead of resuming it.")
def batch(source: Path | None, out: Path | None, template: str | None,
          jurisdictions: tuple[str, ...], as_of: date | None, rules_folder: Path | None,
          chunk_size: int, encoding: str, engine: str, scheduler: str | None, workers: int,
          restart: bool) -> None:
    """Assess every profile in SOURCE: one result row per profile and jurisdiction.

    SOURCE is a CSV, JSON Lines (.jsonl) or Parquet file, or a folder of profile files.
    Flat files use one column per profile field (docs/scale.md; `--template csv`).
    Invalid rows do not stop the run: each goes to the errors file with its row
    number, field and message. An interrupted run resumes when rerun.

        comity batch portfolio.csv --out results.parquet
    """
    # Imported here: polars and pyarrow would slow every other command's start.
    from comity.batch.chunks import BatchSettings
    from comity.batch.readers import open_input
    from comity.batch.run import Engine, local_engine, resume_settings, run_batch

    if template is not None:
        _write_template(out)
        return
    if source is None or out is None:
        fail("give SOURCE and --out (or --template csv)")
    if not source.exists():
        fail(f"{source}: no such file or folder")
    codes = tuple(code.strip() for value in jurisdictions for code in value.split(",")
                  if code.strip()) or None
    rulebook = load_rulebook(rules_folder) if rules_folder else default_rulebook()
    unknown = [code for code in codes or () if code not in rulebook.jurisdictions]
    if unknown:
        fail(f"unknown jurisdiction {', '.join(unknown)}; known: "
             f"{', '.join(rulebook.jurisdictions)}")
    if as_of is None:
        previous = None if restart else resume_settings(out)
        as_of = date.fromisoformat(previous["as_of"]) if previous else date.today()
    if scheduler is not None and engine != "dask":
        fail("--scheduler needs --engine dask")
    settings = BatchSettings(as_of, codes, str(rules_folder.resolve()) if rules_folder else None)
    reader = open_input(source, encoding)
    runner: Engine = local_engine
    if engine == "dask":
        from comity.batch.dask_engine import DaskEngine

        runner = DaskEngine(scheduler, workers)
    with progress_bar("assessing", reader.expected_rows()) as advance:
        summary = run_batch(reader, out, settings, chunk_size=chunk_size, engine=runner,
                            restart=restart, progress=advance)
    click.echo(summary.describe(), err=True)


def _write_template(out: Path | None) -> None:
    from comity.batch.columns import template_csv

    if out is None:
        click.echo(template_csv(), nl=False)
        return
    write_text_atomically(out, template_csv())
    click.echo(f"wrote {out}", err=True)
