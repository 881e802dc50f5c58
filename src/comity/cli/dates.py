"""The ``--as-of`` option's date: exactly YYYY-MM-DD, as its help says."""

from __future__ import annotations

import re
from datetime import date

import click

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str) -> date:
    """A calendar day written YYYY-MM-DD; ``ValueError`` for anything else.

    ``date.fromisoformat`` also takes ``20261122`` and ``2026-W47-1``; the documented
    form is the only one accepted, so that a typo is not read as another date.
    """
    if not _ISO_DAY.match(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def parse_date_option(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    """Click callback for ``--as-of``."""
    if value is None:
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from None
