"""Errors raised for bad input: each names the file, the field path and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located by a dotted field path."""

    path: str
    message: str
    allowed: tuple[str, ...] = ()

    def describe(self) -> str:
        text = f"{self.path or '(top level)'}: {self.message}"
        if self.allowed:
            shown = ", ".join(self.allowed[:80])
            more = f", ... ({len(self.allowed) - 80} more)" if len(self.allowed) > 80 else ""
            text += f"\n    allowed: {shown}{more}"
        return text


class ComityError(Exception):
    """Base class of every error Comity raises on purpose."""


@dataclass
class InputError(ComityError):
    """Input that does not meet its contract (profile, rule file, case file)."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.source}: {len(self.problems)} problem(s)"]
        lines += [f"  - {p.describe()}" for p in self.problems]
        return "\n".join(lines)


def read_input_text(path: str | Path, encoding: str = "utf-8", *,
                    max_bytes: int | None = None, keep_newlines: bool = False) -> str:
    """The text of an input file, or an :class:`InputError` naming the file.

    ``max_bytes`` (default: the configured input limit, see ``comity.input_limits``) is
    checked while reading, so that neither a huge file nor an endless device is read whole.
    ``keep_newlines`` keeps ``\\r\\n`` as written (CSV needs that).
    """
    from comity.input_limits import current_limits  # local: input_limits imports errors

    limit = current_limits().max_bytes if max_bytes is None else max_bytes
    try:
        with open(path, "rb") as file:
            data = file.read(limit + 1)
    except OSError as error:
        raise InputError(str(path), [Problem("", f"cannot read file: {error.strerror}")]) from None
    if len(data) > limit:
        raise InputError(str(path), [Problem(
            "", f"file is larger than the input limit of {limit:,} bytes "
                "(COMITY_MAX_INPUT_BYTES)")])
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise InputError(str(path), [Problem(
            "", f"file is not UTF-8 text (byte {error.start + 1} cannot be decoded)")]) from None
    if keep_newlines:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")
