"""``comity mcp``: Comity's tools for AI assistants over the Model Context Protocol."""

from __future__ import annotations

import click

from comity.cli.db import db_option


@click.command("mcp")
@db_option
def mcp_command(url: str | None) -> None:
    """Serve assess, explain, questions, compare, rules and search as MCP tools on
    standard input and output (configure your assistant to run ``comity mcp``)."""
    from comity.api.mcp_server import build_server
    from comity.api.settings import ApiSettings

    build_server(ApiSettings(db_url=url)).run("stdio")
