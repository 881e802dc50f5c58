from __future__ import annotations

import json
from pathlib import Path

import pytest

from comity.errors import InputError
from comity.profile.files import load_profiles, parse_profiles
from tests.conftest import minimal_profile


def test_single_profile_and_list_forms(tmp_path: Path) -> None:
    single = tmp_path / "one.json"
    single.write_text(json.dumps(minimal_profile()))
    assert [p.id for p in load_profiles(single)] == ["test-system"]
    batch = tmp_path / "many.yaml"
    batch.write_text(
        "profiles:\n"
        "  - {profile: 1, id: a, name: A}\n"
        "  - {profile: 1, id: b, name: B}\n"
    )
    assert [p.id for p in load_profiles(batch)] == ["a", "b"]


def test_errors_name_file_path_and_allowed_values(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "profiles:\n"
        "  - {profile: 1, id: a, name: A, uses: [employment.recruitmnt]}\n"
        "  - {profile: 1, id: b, name: B, system: {colour: red}}\n"
    )
    with pytest.raises(InputError) as caught:
        load_profiles(path)
    text = str(caught.value)
    assert str(path) in text
    assert "profiles[0].uses[0]" in text
    assert "did you mean 'employment.recruitment'" in text
    assert "profiles[1].system.colour: unknown field 'colour'" in text
    assert "allowed: machine_based" in text


def test_duplicate_ids_in_a_batch_are_rejected() -> None:
    with pytest.raises(InputError, match="duplicate id 'a'"):
        parse_profiles({"profiles": [{"profile": 1, "id": "a", "name": "A"},
                                     {"profile": 1, "id": "a", "name": "B"}]})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("profile: [1", "not valid YAML or JSON (line"),
        ("- just\n- a list of strings", "profiles[0]"),
        ("42", "expected a profile"),
        ("profiles: []", "expected a non-empty list"),
        ("profiles: [{profile: 1, id: a, name: A}]\nextra: 1", "unknown field next to"),
    ],
)
def test_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content)
    with pytest.raises(InputError, match=message.replace("[", r"\[").replace("(", r"\(")):
        load_profiles(path)


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read file"):
        load_profiles(tmp_path / "absent.yaml")


def test_every_example_is_valid(examples: Path) -> None:
    for path in sorted(examples.glob("*.yaml")):
        assert load_profiles(path)
