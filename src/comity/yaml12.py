"""YAML reading with YAML 1.2 scalars.

PyYAML follows YAML 1.1, where ``NO`` (Norway) and ``on`` are booleans and ``3.8e25``
is a string. Profiles are full of country codes and FLOP counts, so Comity reads YAML
with the 1.2 core schema's booleans (only true/false) and floats.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from comity.errors import InputError, Problem
from comity.input_limits import InputLimits, current_limits

# libyaml's parser when PyYAML has it (several times faster on the rulebook); the
# resolver, which decides what a plain scalar means, is Python in both.
try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class Yaml12Loader(_SafeLoader):
    """SafeLoader with YAML 1.2 booleans and floats (libyaml parser when available).

    Scalars that Python cannot hold (an impossible date, an integer of thousands of
    digits, a float beyond the double range) are construction errors at their line,
    never a ``ValueError`` from deep inside PyYAML.
    """

    def construct_yaml_int(self, node: ScalarNode) -> int:
        try:
            return int(super().construct_yaml_int(node))
        except ValueError:
            raise ConstructorError(None, None, "integer too long (more than 4,300 digits)",
                                   node.start_mark) from None

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = float(super().construct_yaml_float(node))
        if not math.isfinite(value):
            what = "not a number (.nan)" if math.isnan(value) else "infinite or out of range"
            raise ConstructorError(None, None, f"number {node.value!r} is {what}: only "
                                   "finite numbers are accepted", node.start_mark)
        return value

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as error:
            raise ConstructorError(None, None, f"{node.value!r} is not a valid date or time "
                                   f"({error})", node.start_mark) from None


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", Yaml12Loader.construct_yaml_int)
Yaml12Loader.add_constructor("tag:yaml.org,2002:float", Yaml12Loader.construct_yaml_float)
Yaml12Loader.add_constructor("tag:yaml.org,2002:timestamp",
                             Yaml12Loader.construct_yaml_timestamp)


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


class JsonDataLoader(Yaml12Loader):
    """For data that must also be JSON (profiles): YAML 1.2's core schema exactly.

    Dates stay text (YAML 1.2 has no timestamp type), and the YAML-only types
    (``!!binary``, ``!!set``, ``!!omap``, ``!!pairs``, ``!!timestamp``) are errors.
    """


JsonDataLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Yaml12Loader.yaml_implicit_resolvers.items()
}
JsonDataLoader.yaml_constructors = dict(Yaml12Loader.yaml_constructors)
for _tag in ("binary", "set", "omap", "pairs", "timestamp"):
    del JsonDataLoader.yaml_constructors[f"tag:yaml.org,2002:{_tag}"]


class _Rejected(Exception):
    """A limit or rule the node graph breaks, found before anything is constructed."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def load_yaml(text: str, source: str = "<input>", *, json_data: bool = False,
              limits: InputLimits | None = None) -> Any:
    """Parse YAML text (or JSON, a subset) with YAML 1.2 scalars.

    The document is checked before it is built: at most ``limits.max_aliases`` aliases,
    ``limits.max_nodes`` values once aliases are expanded, ``limits.max_depth`` levels of
    nesting, no alias cycle and no key given twice in one mapping. ``json_data`` reads
    the YAML 1.2 core schema only, with text keys, as JSON can hold it (for profiles).
    Any problem is an :class:`InputError` naming ``source`` and the line.
    """
    bounds = limits or current_limits()
    if len(text) > bounds.max_bytes:
        raise InputError(source, [Problem("", f"input is larger than the limit of "
                                          f"{bounds.max_bytes:,} bytes (COMITY_MAX_INPUT_BYTES)")])
    loader = (JsonDataLoader if json_data else Yaml12Loader)(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None
        _check_graph(root, bounds, text_keys=json_data)
        return loader.construct_document(root)
    except _Rejected as error:
        raise InputError(source, [Problem("", f"{error} (line {error.node.start_mark.line + 1})"
                                          )]) from None
    except yaml.YAMLError as error:
        raise InputError(source, [Problem("", _yaml_message(error))]) from None
    except RecursionError:  # pragma: no cover - the depth check comes first
        raise InputError(source, [Problem("", "nested too deeply")]) from None
    finally:
        loader.dispose()


def _yaml_message(error: yaml.YAMLError) -> str:
    where = getattr(error, "problem_mark", None)
    line = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
    problem = getattr(error, "problem", None) or str(error)
    if isinstance(error, ConstructorError) and "could not determine a constructor" in problem:
        problem = problem.replace("could not determine a constructor for the tag",
                                  "this tag is not allowed here:")
    return f"not valid YAML or JSON{line}: {problem}"


def _check_graph(root: Node, limits: InputLimits, *, text_keys: bool) -> None:
    """Depth, aliases, expanded size, cycles and duplicate keys of a composed document.

    Iterative (no recursion), and each distinct node is visited once: an alias is a
    second reference to a node already seen, whose expanded size is known by then.
    """
    size: dict[int, int] = {}
    aliases = 0
    on_path: set[int] = set()
    # (node, depth, children done?)
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            if size[key] > limits.max_nodes:
                raise _Rejected(node, f"more than {limits.max_nodes:,} values once aliases "
                                "are expanded (COMITY_MAX_INPUT_NODES)")
            continue
        if key in on_path:
            raise _Rejected(node, "an alias refers to a value that contains it")
        if key in size:
            aliases += 1
            if aliases > limits.max_aliases:
                raise _Rejected(node, f"more than {limits.max_aliases:,} aliases "
                                "(COMITY_MAX_YAML_ALIASES)")
            continue
        if depth > limits.max_depth:
            raise _Rejected(node, f"nested more than {limits.max_depth} levels deep "
                            "(COMITY_MAX_INPUT_DEPTH)")
        if isinstance(node, MappingNode):
            _check_keys(node, text_keys=text_keys)
        on_path.add(key)
        size[key] = 0  # seen; the real size is set when its children are done
        stack.append((node, depth, True))
        for child in reversed(_children(node)):
            if id(child) in size and id(child) not in on_path:
                aliases += 1
                if aliases > limits.max_aliases:
                    raise _Rejected(child, f"more than {limits.max_aliases:,} aliases "
                                    "(COMITY_MAX_YAML_ALIASES)")
                continue
            stack.append((child, depth + 1, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_keys(node: MappingNode, *, text_keys: bool) -> None:
    seen: set[tuple[str, str]] = set()
    for key, _ in node.value:
        if not isinstance(key, ScalarNode):
            if text_keys:
                raise _Rejected(key, "a key must be text, not a list or mapping")
            continue
        if key.tag == "tag:yaml.org,2002:merge":
            continue
        if text_keys and key.tag not in ("tag:yaml.org,2002:str",):
            raise _Rejected(key, f"key {key.value!r} must be text: quote it")
        if (key.tag, key.value) in seen:
            raise _Rejected(key, f"key {key.value!r} is given twice in this mapping")
        seen.add((key.tag, key.value))
