"""The published JSON Schemas match the models and accept what Comity accepts."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from comity.json_schemas import SCHEMAS, schema_text
from comity.knowledge.entities import records_to_json
from comity.knowledge.store.content import shipped_records
from comity.rulebook.loader import default_rulebook
from comity.yaml12 import load_yaml

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "src" / "comity" / "rulebook" / "rules"


def _validator(name: str) -> Draft202012Validator:
    schema = json.loads(schema_text(name))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _json_ready(data: Any) -> Any:
    # YAML gives dates; JSON documents carry them as ISO strings.
    return json.loads(json.dumps(data, default=lambda v: v.isoformat()))


def _errors(name: str, data: Any) -> list[str]:
    return [error.message for error in _validator(name).iter_errors(_json_ready(data))]


@pytest.mark.parametrize("name", SCHEMAS)
def test_published_schema_files_are_current(name: str) -> None:
    published = ROOT / "schemas" / f"{name}.schema.json"
    assert published.read_text(encoding="utf-8") == schema_text(name), (
        "regenerate with: python -m comity.json_schemas schemas")


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.yaml")), ids=str)
def test_example_profiles_are_valid(path: Path) -> None:
    assert _errors("profile", load_yaml(path.read_text(encoding="utf-8"))) == []


@pytest.mark.parametrize("change", [
    {"colour": "blue"},
    {"uses": ["employment.recruitment", "not.a.tag"]},
    {"markets": ["eu"]},
    {"profile": 2},
])
def test_invalid_profiles_are_rejected(change: dict[str, Any]) -> None:
    profile = {"profile": 1, "id": "x", "name": "X", "markets": ["EU"]}
    assert _errors("profile", profile) == []
    assert _errors("profile", {**profile, **change})


def test_profile_list_form() -> None:
    one = {"profile": 1, "id": "x", "name": "X"}
    assert _errors("profile", {"profiles": [one, {**one, "id": "y"}]}) == []
    assert _errors("profile", {"profiles": []})


def test_every_shipped_rule_and_jurisdiction_file_is_valid() -> None:
    checked = 0
    for path in sorted(RULES.glob("*/*.yaml")):
        if path.name.endswith(".cases.yaml"):
            continue
        name = {"jurisdiction.yaml": "jurisdiction",
                "questions.yaml": "questions"}.get(path.name, "rules")
        assert _errors(name, load_yaml(path.read_text(encoding="utf-8"))) == [], path
        checked += 1
    assert checked >= 40


@pytest.mark.parametrize("when", [
    {"fact": "uses", "has": "employment.recruitment", "equals": 1},
    {"fact": "no.such.fact"},
    {"all": []},
    {"needs": 3},
    {"maybe": True},
])
def test_bad_conditions_are_rejected(when: dict[str, Any]) -> None:
    rule = {"id": "xx.rule", "kind": "obligation", "title": "T", "summary": "S",
            "citation": {"instrument": "xx", "article": "1"},
            "in_force": {"from": "2026-01-01"}}
    assert _errors("rules", {"instrument": "xx", "rules": [rule]}) == []
    assert _errors("rules", {"instrument": "xx", "rules": [{**rule, "when": when}]})


def test_export_of_the_shipped_content_is_valid() -> None:
    export = json.loads(records_to_json(shipped_records(default_rulebook(), date(2026, 11, 30))))
    assert _errors("export", export) == []
    assert _errors("export", {**export, "format": "comity.export.v0"})
    assert _errors("export", {"format": export["format"],
                              "entities": [{"type": "provision", "key": "k"}]})
