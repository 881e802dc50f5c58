"""The profile guide (docs/profile.md) documents every field, and stays generated."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from comity.cli.app import main
from comity.json_schemas import profile_schema
from comity.profile.fields import field_docs, field_paths
from comity.profile.files import parse_profiles
from comity.render.profile_doc import controlled_lists, example_profile_text, profile_markdown
from comity.yaml12 import load_yaml

ROOT = Path(__file__).resolve().parents[1]


def test_every_field_is_documented_and_every_entry_is_a_field() -> None:
    paths, documented = field_paths(), set(field_docs())
    missing = [path for path in paths if path not in documented]
    assert not missing, f"document these fields in data/profile-fields.yaml: {missing}"
    stale = sorted(documented - set(paths))
    assert not stale, f"entries naming no field of the profile: {stale}"
    for path, doc in field_docs().items():
        assert doc.description and doc.example is not None or path == "description", path


def test_guide_is_current_and_linked_from_the_readme() -> None:
    text = (ROOT / "docs" / "profile.md").read_text(encoding="utf-8")
    assert text == profile_markdown(), (
        "regenerate: python -m comity.render.profile_doc > docs/profile.md")
    for path in field_paths():
        assert f"| `{path}` |" in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Describe a system", 1)[1].split("\n## ", 1)[0]
    assert "(docs/profile.md)" in section


def test_the_guide_example_is_a_valid_profile() -> None:
    [profile] = parse_profiles(load_yaml(example_profile_text()))
    assert profile.system.machine_based is True


def test_schema_describes_every_field() -> None:
    schema = profile_schema()
    defs = schema["$defs"]

    def described(node: dict[str, object], prefix: str) -> list[str]:
        found = []
        for name, prop in node.get("properties", {}).items():  # type: ignore[attr-defined]
            if prop.get("description"):
                found.append(prefix + name)
            refs = [prop.get("$ref"), *(i.get("$ref") for i in prop.get("anyOf", []))]
            for ref in filter(None, refs):
                found += described(defs[ref.rsplit("/", 1)[1]], f"{prefix}{name}.")
        return found

    assert sorted(described(defs["Profile"], "")) == sorted(field_paths())


def test_vocab_lists_every_controlled_list() -> None:
    result = CliRunner().invoke(main, ["vocab", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert set(data) == set(controlled_lists())
    assert "medical_devices" in data["safety_legislation"]
    assert "public_service" in data["flags"]
    assert CliRunner().invoke(main, ["vocab", "nonsense"]).exit_code == 2
