"""How the command-line interface reports errors: a message and exit code 2."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from comity.errors import ComityError


def fail(error: ComityError | str) -> NoReturn:
    """Print ``error:`` and the message on stderr, and exit with code 2."""
    # Plain click output: rich would re-wrap long file paths in the message.
    click.echo(f"{click.style('error:', fg='red', bold=True)} {error}", err=True)
    sys.exit(2)


class ErrorReportingGroup(click.Group):
    """Turns Comity's own errors into a message and exit code 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ComityError as error:
            fail(error)
