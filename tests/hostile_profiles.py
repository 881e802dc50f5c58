"""Malformed and hostile profile files, made from the valid examples (issue 9).

Each mutation takes a valid profile and a random source and returns a :class:`Case`: the
file's bytes, its suffix, and whether Comity must refuse it. Used by the hypothesis fuzz
test (tests/test_fuzz_profiles.py) and by the campaign script (scripts/fuzz_campaign.py).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: Strings that mean something in an output format or a terminal.
HOSTILE_STRINGS = (
    "Name\n\n## EU\n\nNo obligations.\n", "<!-- hidden", "<script>alert(1)</script>",
    "[click](javascript:alert(1))", "[/]", "[link=https://evil.example]x[/link]",
    "[bold red]x", "=HYPERLINK(\"https://evil.example\",\"x\")", "+cmd|' /C calc'!A0",
    "@SUM(1+1)", "|a|b|\n|---|---|", "\u202egnp.exe", "\x1b[31mred\x1b[0m", "{{7*7}}",
    "${jndi:ldap://x}", "'; DROP TABLE entities; --", "\\", "`code`", "*" * 50, "x" * 70_000,
    "\u0000", "\ud7ff\ue000\U0010ffff", " ", "",
)
#: Values of the wrong type or out of range, as Python data.
WRONG_VALUES: tuple[Any, ...] = (
    None, True, False, 0, -1, 1.5, 2**63, -(2**63), 1e308, "", "x", [], {}, [None], {"a": 1},
    [[[]]], ["EU", 1], {"1": 2}, "1e400", "nan", "inf", "-0",
)
#: Scalars as YAML text that Python cannot hold, or that JSON has no form for.
BAD_SCALARS = (
    ".inf", "-.inf", ".nan", "1e400", "-1e400", "9" * 4400, "0x" + "f" * 400,
    "2026-02-30", "2026-13-01", "2026-01-01 25:00:00", "!!binary aGVsbG8=", "!!set {a, b}",
    "!!timestamp 2026-01-01", "!!python/object/apply:os.system [echo]", "!!float nan",
    "!!int 99999999999999999999", "*undefined", "&a [*a]",
)


@dataclass(frozen=True)
class Case:
    """One malformed input: its bytes, suffix (.yaml or .json), and what must happen."""

    name: str
    content: bytes
    suffix: str
    must_reject: bool

    def as_json_if_needed(self) -> Case:
        """The case, rewritten as JSON when its suffix says .json (built as YAML)."""
        if self.suffix != ".json":
            return self
        data = yaml.safe_load(self.content.decode("utf-8", "surrogatepass"))
        text = json.dumps(data, ensure_ascii=False)
        return Case(self.name, text.encode("utf-8", "surrogatepass"), ".json", self.must_reject)


def seeds() -> list[dict[str, Any]]:
    """The valid example profiles (one per file)."""
    found = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "profiles" not in data:
            found.append(data)
    return found


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _set(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(data)
    target: Any = result
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return result


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def _case(name: str, text: str | bytes, must_reject: bool, suffix: str = ".yaml") -> Case:
    content = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return Case(name, content, suffix, must_reject)


def wrong_value(profile: dict[str, Any], rnd: random.Random) -> Case:
    """A field (anywhere, opaque ones included) given a value of another type or size."""
    path = rnd.choice(_paths(profile))
    value = rnd.choice(WRONG_VALUES + HOSTILE_STRINGS)
    return _case(f"wrong value at {'.'.join(map(str, path))}", _yaml(_set(profile, path, value)),
                 False, rnd.choice([".yaml", ".json"])).as_json_if_needed()


def hostile_string(profile: dict[str, Any], rnd: random.Random) -> Case:
    """A free-text field (name, description, parties' names) set to a hostile string."""
    field = rnd.choice([("name",), ("description",), ("provider", "name"),
                        ("deployer", "name")])
    data = copy.deepcopy(profile)
    for part in field[:-1]:
        data.setdefault(part, {})
    value = rnd.choice(HOSTILE_STRINGS)
    must_reject = field == ("name",) and value == ""
    return _case(f"hostile {'.'.join(field)}", _yaml(_set(data, field, value)), must_reject,
                 rnd.choice([".yaml", ".json"])).as_json_if_needed()


def unknown_field(profile: dict[str, Any], rnd: random.Random) -> Case:
    """A key the format does not have, at the top or in a block."""
    where = rnd.choice([(), ("system",), ("gpai",), ("flags",), ("provider",)])
    data = copy.deepcopy(profile)
    target = data
    for part in where:
        target = target.setdefault(part, {})
    target[rnd.choice(["colour", "Name", "uses ", "profile_v2", "__proto__"])] = 1
    return _case(f"unknown field in {'.'.join(where) or 'top level'}", _yaml(data), True)


def bad_scalar(profile: dict[str, Any], rnd: random.Random) -> Case:
    """A field written as a YAML scalar Python or JSON cannot hold."""
    text = _yaml(profile)
    scalar = rnd.choice(BAD_SCALARS)
    field = rnd.choice(["name", "description", "impact_assessments", "gpai",
                        "training_compute_flop"])
    if field == "training_compute_flop":
        line = f"gpai: {{training_compute_flop: {scalar}}}\n"
        text = "\n".join(x for x in text.splitlines() if not x.startswith("gpai")) + "\n"
    elif field in ("impact_assessments", "gpai"):
        line = f"{field}: {{x: {scalar}}}\n"
        text = "\n".join(x for x in text.splitlines() if not x.startswith(field)) + "\n"
    else:
        line = f"{field}: {scalar}\n"
        text = "\n".join(x for x in text.splitlines() if not x.startswith(field + ":")) + "\n"
    # Dates are text in a profile; every other scalar here is refused.
    harmless = scalar.startswith("2026-") and field in ("name", "description",
                                                        "impact_assessments")
    return _case(f"{field}: {scalar[:30]}", text + line, not harmless)


def duplicate_key(profile: dict[str, Any], rnd: random.Random) -> Case:
    key = rnd.choice(list(profile))
    return _case(f"duplicate key {key}", _yaml(profile) + _yaml({key: profile[key]}), True)


def format_version(profile: dict[str, Any], rnd: random.Random) -> Case:
    value = rnd.choice(["true", "1.0", "'1'", "2", "0", "null", "[1]", "01"])
    text = _yaml(profile).replace("profile: 1\n", f"profile: {value}\n", 1)
    return _case(f"profile: {value}", text, value != "01")  # 01 is the integer 1 in YAML 1.2


def non_utf8(profile: dict[str, Any], rnd: random.Random) -> Case:
    content = _yaml(profile).encode("utf-8")
    spot = rnd.randrange(len(content))
    bad = rnd.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"])
    return _case("not UTF-8", content[:spot] + bad + content[spot:], True)


def deep_nesting(profile: dict[str, Any], rnd: random.Random) -> Case:
    depth = rnd.choice([70, 500, 990, 5000])
    if rnd.random() < 0.5:
        body = json.dumps(profile)[:-1] + ', "impact_assessments": {"x": ' + "[" * depth + \
            "]" * depth + "}}"
        return _case(f"JSON nested {depth} deep", body, True, ".json")
    return _case(f"YAML nested {depth} deep",
                 _yaml(profile) + "x: " + "[" * depth + "]" * depth + "\n", True)


def alias_bomb(profile: dict[str, Any], rnd: random.Random) -> Case:
    levels, width = rnd.choice([(9, 9), (12, 6), (30, 2)])
    lines = ["impact_assessments:", "  l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for level in range(1, levels):
        lines.append(f"  l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]")
    data = {k: v for k, v in profile.items() if k != "impact_assessments"}
    return _case(f"alias bomb {width}^{levels}", _yaml(data) + "\n".join(lines) + "\n", True)


def aia_numbers(profile: dict[str, Any], rnd: random.Random) -> Case:
    answer = rnd.choice(["1e400", ".nan", ".inf", "9" * 401, "'item1-0x" + "f" * 300 + "'",
                         "['item1-1e400']", "[1e308, 1e308]", "{7: item1-3}"])
    key = "impact1" if not answer.startswith("{") else "ignored"
    payload = f"  ca_aia:\n    version: v0.9.1\n    answers: {{{key}: {answer}}}\n"
    if answer.startswith("{"):
        payload = "  ca_aia:\n    version: v0.9.1\n    answers: {7: item1-3}\n"
    data = {k: v for k, v in profile.items() if k != "impact_assessments"}
    return _case(f"AIA answer {answer[:20]}", _yaml(data) + "impact_assessments:\n" + payload,
                 True)


def truncated(profile: dict[str, Any], rnd: random.Random) -> Case:
    text = _yaml(profile) if rnd.random() < 0.5 else json.dumps(profile)
    suffix = ".yaml" if text.startswith("profile") else ".json"
    return _case("truncated", text[:rnd.randrange(len(text))], False, suffix)


def flipped(profile: dict[str, Any], rnd: random.Random) -> Case:
    content = bytearray(_yaml(profile).encode("utf-8"))
    for _ in range(rnd.randint(1, 4)):
        content[rnd.randrange(len(content))] = rnd.randrange(32, 127)
    return _case("bytes changed", bytes(content), False)


def portfolio(profile: dict[str, Any], rnd: random.Random) -> Case:
    shape = rnd.choice(["empty list", "scalar", "same id twice", "profiles: {}", "extra"])
    text = {"empty list": "profiles: []\n", "scalar": "42\n",
            "same id twice": _yaml({"profiles": [profile, profile]}),
            "profiles: {}": "profiles: {}\n",
            "extra": _yaml({"profiles": [profile], "other": 1})}[shape]
    return _case(f"portfolio {shape}", text, True)


MUTATIONS: tuple[Callable[[dict[str, Any], random.Random], Case], ...] = (
    wrong_value, hostile_string, unknown_field, bad_scalar, duplicate_key, format_version,
    non_utf8, deep_nesting, alias_bomb, aia_numbers, truncated, flipped, portfolio,
)
