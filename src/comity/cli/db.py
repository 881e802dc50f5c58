"""``comity db`` and ``comity search``: the knowledge-base store from the command line."""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from rich.text import Text

from comity.cli.dates import parse_date_option
from comity.errors import InputError, Problem, read_input_text
from comity.knowledge.entities import (
    EntityType,
    parse_records,
    records_to_csv,
    records_to_json,
    stale_records,
)
from comity.knowledge.store import DB_ENVIRONMENT_VARIABLE
from comity.output_files import write_text_atomically
from comity.rulebook.loader import default_rulebook

if TYPE_CHECKING:
    from comity.knowledge.store.repository import KnowledgeBase

# The store (SQLAlchemy, Alembic) is imported when a command uses it, so that commands
# without a database, such as `comity assess`, start faster.

db_option = click.option(
    "--db", "url", envvar=DB_ENVIRONMENT_VARIABLE, metavar="URL",
    help=f"SQLAlchemy URL (sqlite:///kb.db, postgresql://...). Default: ${DB_ENVIRONMENT_VARIABLE}"
         " or a SQLite file in the user data directory.")


def open_store(url: str | None) -> KnowledgeBase:
    """Connect and migrate, so every command works on a fresh or older database."""
    from comity.knowledge.store.database import connect, migrate
    from comity.knowledge.store.repository import KnowledgeBase

    engine = connect(url)
    migrate(engine)
    return KnowledgeBase(engine)


def store_label(url: str | None) -> str:
    """The URL a command used: the one given, or the default."""
    from comity.knowledge.store.database import default_url

    return url or default_url()


#: How many stale entries ``db status`` names before it only counts the rest.
STALE_SHOWN = 20


@click.group()
def db() -> None:
    """Create, load, import into and export from the knowledge-base store."""


@db.command("init")
@db_option
def db_init(url: str | None) -> None:
    """Create the store and load the shipped content (safe to run again)."""
    from comity.knowledge.store.content import shipped_records

    records = shipped_records(default_rulebook())
    with open_store(url) as store, _progress("loading", len(records)) as advance:
        inserted, updated = store.upsert(records, advance)
        total = sum(store.counts().values())
    click.echo(f"{store_label(url)}: {inserted} added, {updated} updated; {total} entities")


@db.command("status")
@click.option("--stale-after", "stale_days", type=click.IntRange(min=0), default=365,
              show_default=True, metavar="DAYS",
              help="Report entries whose facts were last checked more than DAYS ago.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", callback=parse_date_option,
              help="Count the days up to this date.  [default: today]")
@db_option
def db_status(stale_days: int, as_of: date | None, url: str | None) -> None:
    """Show what the store holds, by entity type, and the entries not checked recently.

    Knowledge-base entries carry the day their facts were last checked (``checked``);
    entries derived from the rulebook or the ISO 3166 list have none and are counted
    apart.
    """
    today = as_of or date.today()
    with open_store(url) as store:
        counts = store.counts()
        stored = len(store.stored_assessments())
        records = store.records()
    for kind, count in sorted(counts.items()):
        click.echo(f"{kind:20} {count}")
    click.echo(f"{'assessments':20} {stored}")
    stale = stale_records(records, today, stale_days)
    undated = Counter(record.type for record in records if record.checked is None)
    click.echo(f"not checked for over {stale_days} days (as of {today}): {len(stale)}")
    for record in stale[:STALE_SHOWN]:
        click.echo(f"  {record.uid}  last checked {record.checked}")
    if len(stale) > STALE_SHOWN:
        click.echo(f"  … and {len(stale) - STALE_SHOWN} more (each entry's body.checked is in "
                   "'comity db export')")
    if undated:
        click.echo("no check date (rulebook and ISO 3166 entries): " + ", ".join(
            f"{kind} {count}" for kind, count in sorted(undated.items())))


@db.command("show")
@click.argument("entity_id", metavar="TYPE:KEY")
@db_option
def db_show(entity_id: str, url: str | None) -> None:
    """Print one entity as JSON; an old key of a renamed entity finds it under its new key."""
    kind, _, key = entity_id.partition(":")
    if kind not in get_args(EntityType) or not key:
        raise InputError("TYPE:KEY", [Problem("", f"{entity_id!r} is not TYPE:KEY with a "
                                              "known type", get_args(EntityType))])
    with open_store(url) as store:
        record = store.entity(kind, key)
    if record is None:
        raise InputError(entity_id, [Problem("", f"no {kind} {key!r} in {store_label(url)}")])
    if record.key != key:
        click.echo(f"{entity_id} is now {record.uid}", err=True)
    click.echo(json.dumps(record.model_dump(mode="json"), indent=2, ensure_ascii=False))


@db.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "kind", type=click.Choice(["json", "csv"]),
              help="Default: from the file name.")
@db_option
def db_import(path: Path, kind: str | None, url: str | None) -> None:
    """Import a JSON or CSV export; all or nothing (one transaction)."""
    kind = kind or ("csv" if path.suffix.lower() == ".csv" else "json")
    content = read_input_text(path, keep_newlines=True)  # keep \r inside CSV fields
    records = parse_records(content, str(path), "csv" if kind == "csv" else "json")
    with open_store(url) as store, _progress("importing", len(records)) as advance:
        inserted, updated = store.upsert(records, advance)
    click.echo(f"{path}: {inserted} added, {updated} updated")


@db.command("export")
@click.option("--type", "types", multiple=True, type=click.Choice(get_args(EntityType)),
              help="Only this entity type (repeatable).")
@click.option("--jurisdiction", "-j", help="Only this jurisdiction.")
@click.option("--format", "kind", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
@db_option
def db_export(types: tuple[str, ...], jurisdiction: str | None, kind: str,
              output: Path | None, url: str | None) -> None:
    """Export entities as JSON or CSV (the format ``db import`` reads)."""
    with open_store(url) as store:
        records = store.records(types or None, jurisdiction)
    text = records_to_csv(records) if kind == "csv" else records_to_json(records)
    if output is None:
        click.echo(text, nl=False)
        return
    write_text_atomically(output, text, newline="")
    click.echo(f"wrote {len(records)} entities to {output}")


@click.command()
@click.argument("query")
@click.option("--type", "types", multiple=True, type=click.Choice(get_args(EntityType)),
              help="Only this entity type (repeatable).")
@click.option("--jurisdiction", "-j", help="Only this jurisdiction.")
@click.option("--status", help="Only this status (in_force, published, ...).")
@click.option("--from", "date_from", metavar="YYYY[-MM[-DD]]", help="Dated on or after.")
@click.option("--to", "date_to", metavar="YYYY[-MM[-DD]]", help="Dated on or before.")
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@db_option
def search(query: str, types: tuple[str, ...], jurisdiction: str | None, status: str | None,
           date_from: str | None, date_to: str | None, limit: int, output: str,
           url: str | None) -> None:
    """Full-text search across provisions, standards, sandboxes, glossary and more."""
    with open_store(url) as store:
        if not store.counts():
            raise InputError(store_label(url), [Problem(
                "", "the store is empty: run 'comity db init' first")])
        hits = store.search(query, types=types or None, jurisdiction=jurisdiction,
                            status=status, date_from=date_from, date_to=date_to, limit=limit)
    if output == "json":
        click.echo(json.dumps([hit.to_dict() for hit in hits], indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(hits)} hit(s) for {query!r}", title_justify="left")
    for column in ("id", "jurisdiction", "citation", "snippet"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        # Text, not markup: snippets mark matches with [brackets].
        table.add_row(Text(hit.id), hit.jurisdiction or "—", Text(hit.citation or hit.title),
                      Text(hit.snippet))
    Console(width=None if sys.stdout.isatty() else 140).print(table)


class _progress:
    """A progress bar on standard error for long loads (quiet when not a terminal)."""

    def __init__(self, label: str, total: int) -> None:
        self.bar = Progress(console=Console(stderr=True), transient=True,
                            disable=not sys.stderr.isatty())
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Any:
        self.bar.start()
        return lambda done: self.bar.advance(self.task, done)

    def __exit__(self, *_: object) -> None:
        self.bar.stop()
