"""Escaping text from profiles (and other inputs) for each output format.

A profile's name, description or party names are written by whoever sent the profile.
In a report they must read as the words they are, never as structure: no new Markdown
section, no HTML comment that hides the results, no script, no link, no terminal escape
sequence, no Rich markup. Each renderer passes such text through the function for its
format here. HTML is escaped by the templates themselves (Jinja2 autoescaping); CSV
cells by ``comity.knowledge.entities.csv_cell``.
"""

from __future__ import annotations

import re

from rich.text import Text

# C0 and C1 control characters (ESC starts terminal sequences) and the bidirectional
# overrides that make text display in another order than it reads.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The ASCII punctuation that can open or close a CommonMark or GFM construct inside a
# line: emphasis, code, links and images (no link without "["), raw HTML and autolinks
# (no tag or comment without "<"), entities, table cells, strikethrough, a heading's
# closing "#", and "$" (maths on GitHub). Text is always put inside a line, never at its
# start, so list and block markers ("-", "+", "1.", ">") cannot arise; a backslash
# makes any of these literal.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#$])")


def plain_line(text: str) -> str:
    """``text`` on one line, without control characters (tabs and line ends: a space)."""
    return " ".join(_CONTROL.sub("", text).split())


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown inline text, safe in a heading or a table cell."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", plain_line(text))


def rich_text(text: str, style: str = "") -> Text:
    """``text`` for a Rich console: shown as written, never parsed as markup."""
    return Text(plain_line(text), style=style)
