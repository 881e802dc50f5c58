"""``comity token`` and ``comity audit``: who may write, and what was written."""

from __future__ import annotations

import json
import sys

import click
from rich.console import Console
from rich.table import Table

from comity.cli.db import db_option, open_store


@click.group()
def token() -> None:
    """Create API tokens (reader, editor, admin)."""


@token.command("create")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), required=True,
              help="reader: read when reading is closed; editor: save systems, edit the "
                   "knowledge base; admin: also read the audit log.")
@click.option("--name", default=None, help="Who the token is for (shown in the audit log).")
@db_option
def token_create(role: str, name: str | None, url: str | None) -> None:
    """Print a new token once; only its hash is stored.

        comity token create --role editor --name alice
    """
    from comity.knowledge.store.registry import Registry

    with open_store(url) as store:
        registry = Registry(store)
        label = name or f"{role}-{registry.audit_count() + 1}"
        value = registry.create_token(role, label)
    click.echo(value)
    click.echo(f"token {label!r} ({role}) created; it is shown only now", err=True)


@click.command()
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
@db_option
def audit(limit: int, output: str, url: str | None) -> None:
    """Show the append-only audit log of writes, newest first."""
    from comity.knowledge.store.registry import Registry

    with open_store(url) as store:
        entries = Registry(store).audit_entries(limit)
    if output == "json":
        click.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"audit log: {len(entries)} newest entries", title_justify="left")
    for column in ("at", "actor", "action", "target", "before", "after"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(entry["at"], entry["actor"], entry["action"], entry["target"],
                      (entry["before_hash"] or "—")[:12], (entry["after_hash"] or "—")[:12])
    Console(width=None if sys.stdout.isatty() else 140).print(table)
