"""``comity serve``: the HTTP API and the web application under uvicorn."""

from __future__ import annotations

from pathlib import Path

import click

from comity.cli.db import db_option


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default: only this machine).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@db_option
@click.option("--rules", "rules_folder", type=click.Path(file_okay=False, exists=True,
                                                        path_type=Path),
              help="Use a rulebook folder instead of the shipped one.")
@click.option("--closed", is_flag=True,
              help="Reading needs a token too (default: reading is open, writes need one).")
@click.option("--cors-origin", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Allow browser calls from this origin (repeatable). Default: CORS off.")
@click.option("--max-body", default=1024 * 1024, show_default=True, metavar="BYTES",
              type=click.IntRange(1024), help="Largest request body accepted.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 16),
              help="Worker processes (each loads the rulebook once).")
def serve(host: str, port: int, url: str | None, rules_folder: Path | None, closed: bool,
          cors_origins: tuple[str, ...], max_body: int, workers: int) -> None:
    """Serve the web application and the HTTP API (OpenAPI at /openapi.json).

        comity serve              # then open http://127.0.0.1:8000/

    The store is created and loaded with the shipped content on first use.
    """
    import os

    import uvicorn

    from comity.api.server import SETTINGS_VARIABLE, encode_settings
    from comity.api.settings import ApiSettings

    settings = ApiSettings(db_url=url, rules_folder=rules_folder, open_reading=not closed,
                           cors_origins=cors_origins, max_body_bytes=max_body)
    os.environ[SETTINGS_VARIABLE] = encode_settings(settings)
    click.echo(f"Comity on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    uvicorn.run("comity.api.server:app_from_environment", factory=True, host=host,
                port=port, workers=workers, log_level="warning")
