"""Limits on untrusted input: file size, nesting depth, YAML aliases and their expansion.

Profiles, imports and saved assessments come from people Comity does not know. These
bounds keep a small hostile file from taking the memory or the stack of the process
(docs/security.md). Each limit has a default and an environment variable that changes it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from comity.errors import ComityError

#: Environment variables that override the defaults, by limit.
ENVIRONMENT = {
    "max_bytes": "COMITY_MAX_INPUT_BYTES",
    "max_depth": "COMITY_MAX_INPUT_DEPTH",
    "max_aliases": "COMITY_MAX_YAML_ALIASES",
    "max_nodes": "COMITY_MAX_INPUT_NODES",
}


@dataclass(frozen=True)
class InputLimits:
    """How large and how deep one input file may be."""

    #: Size of one input file in bytes (32 MiB).
    max_bytes: int = 32 * 1024 * 1024
    #: Nesting of mappings and lists (a profile needs 5; a rule condition about 12).
    max_depth: int = 64
    #: YAML aliases (``*name``) in one file.
    max_aliases: int = 1000
    #: Values in one file once every alias is expanded (what validation and hashing see).
    max_nodes: int = 2_000_000


def current_limits() -> InputLimits:
    """The defaults, overridden by any ``COMITY_MAX_*`` environment variable."""
    values: dict[str, int] = {}
    for name, variable in ENVIRONMENT.items():
        raw = os.environ.get(variable)
        if raw is None or raw.strip() == "":
            continue
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ComityError(f"{variable}={raw!r}: expected a positive whole number")
        values[name] = value
    return InputLimits(**values)


def nesting_depth(data: Any) -> int:
    """How deeply mappings and lists nest in ``data`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    seen: set[int] = set()
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if id(value) in seen:  # a shared (aliased) value counts once
                continue
            seen.add(id(value))
            depth += 1
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, depth) for child in children)
    return deepest
