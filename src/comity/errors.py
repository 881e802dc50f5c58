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


def read_input_text(path: str | Path, encoding: str = "utf-8") -> str:
    """The text of an input file, or an :class:`InputError` naming the file."""
    try:
        return Path(path).read_text(encoding=encoding)
    except OSError as error:
        raise InputError(str(path), [Problem("", f"cannot read file: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise InputError(str(path), [Problem("", "file is not UTF-8 text")]) from None
