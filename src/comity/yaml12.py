"""YAML reading with YAML 1.2 scalars.

PyYAML follows YAML 1.1, where ``NO`` (Norway) and ``on`` are booleans and ``3.8e25``
is a string. Profiles are full of country codes and FLOP counts, so Comity reads YAML
with the 1.2 core schema's booleans (only true/false) and floats.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

# libyaml's parser when PyYAML has it (several times faster on the rulebook); the
# resolver, which decides what a plain scalar means, is Python in both.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class Yaml12Loader(_SafeLoader):
    """SafeLoader with YAML 1.2 booleans and floats (libyaml parser when available)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool",
                                                             "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


def load_yaml(text: str) -> Any:
    """Parse YAML text (or JSON, a subset) with YAML 1.2 scalars."""
    return yaml.load(text, Loader=Yaml12Loader)  # noqa: S506 - SafeLoader subclass
