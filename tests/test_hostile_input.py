"""Regression tests for hostile input (issue 9): each ends in a clean error, exit code 2."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from comity.analysis.ca_aia import score_answers, score_file, score_profile_payload
from comity.cli.app import main
from comity.errors import InputError
from comity.input_limits import InputLimits, nesting_depth
from comity.json_input import load_json
from comity.profile.files import load_profiles
from comity.rulebook.loader import default_rules_folder, load_rulebook
from comity.yaml12 import load_yaml
from tests.conftest import EXAMPLES, minimal_profile

AIA_EXAMPLE = EXAMPLES / "ca-aia" / "atip-online-request-service.json"
ALIAS_BOMB = """\
profile: 1
id: bomb
name: bomb
impact_assessments:
  x: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]
  a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
  a2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]
  a3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]
  a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]
  a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]
  a6: &a6 [*a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5, *a5]
  a7: &a7 [*a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6, *a6]
  a8: &a8 [*a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7, *a7]
"""


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    return result.exit_code, result.output


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def profile_yaml(**fields: object) -> str:
    return yaml.safe_dump(minimal_profile(**fields), sort_keys=False)


def problems_of(error: pytest.ExceptionInfo[InputError]) -> str:
    return str(error.value)


# --- 1. Alias bombs, size and opaque fields ------------------------------------------------


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.yaml", ALIAS_BOMB)
    started = time.monotonic()
    code, out = cli("assess", str(path))
    assert code == 2
    assert "aliases are expanded" in out and "bomb.yaml" in out
    assert time.monotonic() - started < 10


def test_few_aliases_within_the_limits_still_work() -> None:
    data = load_yaml("base: &b {x: 1}\nother: *b\n", json_data=True)
    assert data == {"base": {"x": 1}, "other": {"x": 1}}


def test_alias_count_and_cycles_are_bounded() -> None:
    many = "a: &a 1\nb: [" + ", ".join(["*a"] * 11) + "]\n"
    with pytest.raises(InputError, match="more than 10 aliases"):
        load_yaml(many, limits=InputLimits(max_aliases=10))
    with pytest.raises(InputError, match="alias refers to a value that contains it"):
        load_yaml("a: &a [*a]\n")


def test_input_size_limit_is_configurable(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "p.yaml", profile_yaml())
    monkeypatch.setenv("COMITY_MAX_INPUT_BYTES", "50")
    with pytest.raises(InputError, match="larger than the input limit of 50 bytes"):
        load_profiles(path)
    monkeypatch.setenv("COMITY_MAX_INPUT_BYTES", "lots")
    code, out = cli("validate", str(path))
    assert code == 2 and "COMITY_MAX_INPUT_BYTES" in out


def test_opaque_impact_assessments_are_bounded(tmp_path: Path) -> None:
    deep: object = 1
    for _ in range(12):
        deep = [deep]
    path = write(tmp_path, "p.json", json.dumps(minimal_profile(
        impact_assessments={"other": deep})))
    with pytest.raises(InputError, match=r"impact_assessments: nested more than 8"):
        load_profiles(path)


# --- 6. Loader crashes ---------------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-01", "2026-01-01 25:00:00"])
def test_invalid_dates_in_rule_yaml_are_clean_errors(value: str) -> None:
    with pytest.raises(InputError, match=r"line 2.*not a valid date"):
        load_yaml(f"a: 1\nwhen: {value}\n", "rules.yaml")


def test_dates_in_profiles_stay_text(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", profile_yaml(description="x") +
                 "impact_assessments: {review: {on: 2026-02-30, at: 2026-01-01 25:00:00}}\n")
    profile, = load_profiles(path)
    assert profile.impact_assessments == {"review": {"on": "2026-02-30",
                                                     "at": "2026-01-01 25:00:00"}}


def test_huge_integers_are_clean_errors(tmp_path: Path) -> None:
    digits = "9" * 5000
    path = write(tmp_path, "p.yaml", profile_yaml() + f"extra_int: {digits}\n")
    with pytest.raises(InputError, match="integer too long"):
        load_profiles(path)
    path = write(tmp_path, "p.json", json.dumps(minimal_profile())[:-1] + f', "n": {digits}}}')
    with pytest.raises(InputError, match="too long"):
        load_profiles(path)


def test_binary_and_other_yaml_only_tags_are_refused_in_profiles(tmp_path: Path) -> None:
    for tagged in ("!!binary aGVsbG8=", "!!set {a, b}", "!!timestamp 2026-01-01",
                   "!!python/object:os.system x"):
        path = write(tmp_path, "p.yaml", profile_yaml() + f"impact_assessments: {{x: {tagged}}}\n")
        with pytest.raises(InputError, match="line 1?[0-9]"):
            load_profiles(path)


def test_non_utf8_inputs_are_clean_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", b"profile: 1\nname: \xff\xfe\n")
    code, out = cli("validate", str(path))
    assert code == 2 and "not UTF-8" in out
    path = write(tmp_path, "e.csv", b"type,key\n\xff\n")
    code, out = cli("db", "import", str(path), "--db", f"sqlite:///{tmp_path / 'kb.db'}")
    assert code == 2 and "not UTF-8" in out


def test_json_nested_5000_deep_is_a_clean_error_everywhere(tmp_path: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    profile = write(tmp_path, "p.json", deep)
    aia = write(tmp_path, "aia.json", '{"version": "v0.9.1", "data": ' + deep + "}")
    export = write(tmp_path, "export.json", deep)
    for args in (("validate", str(profile)), ("ca-aia", "score", str(aia)),
                 ("db", "import", str(export), "--db", f"sqlite:///{tmp_path / 'kb.db'}")):
        code, out = cli(*args)
        assert code == 2, args
        assert "nested more than" in out


def test_yaml_nested_deeper_than_the_limit_is_refused() -> None:
    text = "a: " + "[" * 100 + "]" * 100 + "\n"
    with pytest.raises(InputError, match="nested more than 64 levels"):
        load_yaml(text)
    assert nesting_depth(load_yaml("a: " + "[" * 60 + "]" * 60)) == 61


def test_deep_rule_condition_in_a_rules_folder_is_a_clean_error(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), folder)
    condition = "{not: " * 990 + "{fact: system.adaptive}" + "}" * 990
    scope = folder / "sg" / "scope.yaml"
    scope.write_text(scope.read_text(encoding="utf-8") + f"deep: {condition}\n",
                     encoding="utf-8")
    with pytest.raises(InputError, match="nested more than"):
        load_rulebook(folder)
    code, out = cli("assess", str(EXAMPLES / "cv-screener.yaml"), "--rules", str(folder))
    assert code == 2 and "scope.yaml" in out


def test_strict_json_reader() -> None:
    for text, message in (("NaN", "NaN is not JSON"), ("[1e400]", "out of range"),
                          ('{"a": 1, "a": 2}', "given twice"), ("{", "line 1")):
        with pytest.raises(InputError, match=message):
            load_json(text)


# --- 7. Canada AIA numbers -----------------------------------------------------------------


def _aia() -> dict[str, object]:
    document = json.loads(AIA_EXAMPLE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


@pytest.mark.parametrize("answer", [10**400, "item1-0x" + "f" * 300, float("nan"),
                                    float("inf"), [1e308, 1e308]])
def test_aia_answers_beyond_finite_numbers_are_refused(answer: object) -> None:
    document = _aia()
    answers = dict(document["answers"])  # type: ignore[call-overload]
    answers["impact1"] = answer
    with pytest.raises(InputError, match=r"impact1: the answer's score is not a finite"):
        score_profile_payload({"version": document["version"], "answers": answers})


def test_aia_numbers_in_files_are_refused(tmp_path: Path) -> None:
    text = AIA_EXAMPLE.read_text(encoding="utf-8").replace('"item1-1"', "1e400", 1)
    path = write(tmp_path, "aia.json", text)
    with pytest.raises(InputError, match="out of range"):
        score_file(path)
    code, out = cli("ca-aia", "score", str(path), "--format", "json")
    assert code == 2


def test_aia_answer_keys_that_are_not_text_do_not_crash(tmp_path: Path) -> None:
    document = _aia()
    answers = dict(document["answers"])  # type: ignore[call-overload]
    answers[7] = "item1-3"
    result = score_answers(answers, str(document["version"]))
    assert "7" in result.warnings[0]
    path = write(tmp_path, "p.yaml", profile_yaml(impact_assessments={
        "ca_aia": {"version": "v0.9.1", "answers": {7: "item1-3"}}}))
    with pytest.raises(InputError, match="key '7' must be text"):
        load_profiles(path)


# --- 8. Lenient acceptance -----------------------------------------------------------------


@pytest.mark.parametrize("version", ["true", "1.0", "'1'"])
def test_format_version_must_be_the_integer_1(tmp_path: Path, version: str) -> None:
    path = write(tmp_path, "p.yaml", profile_yaml().replace("profile: 1", f"profile: {version}"))
    with pytest.raises(InputError, match="profile"):
        load_profiles(path)


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", profile_yaml() + "name: Other name\n")
    with pytest.raises(InputError, match=r"key 'name' is given twice.*line 1[0-9]"):
        load_profiles(path)
    text = json.dumps(minimal_profile())[:-1] + ', "name": "again"}'
    with pytest.raises(InputError, match="given twice"):
        load_profiles(write(tmp_path, "p.json", text))


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "1e400", "'inf'", "'nan'"])
def test_non_finite_compute_is_refused(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "p.yaml", profile_yaml() + f"gpai: {{training_compute_flop: {value}}}\n")
    with pytest.raises(InputError, match="training_compute_flop|finite|out of range"):
        load_profiles(path)


@pytest.mark.parametrize("day", ["20261122", "2026-W47-1", "2026-11-22T00:00", "2026-02-30"])
def test_as_of_takes_only_yyyy_mm_dd(day: str) -> None:
    code, out = cli("assess", str(EXAMPLES / "cv-screener.yaml"), "--as-of", day)
    assert code == 2 and "YYYY-MM-DD" in out


# --- 9. Output files -----------------------------------------------------------------------


def test_a_planted_symlink_at_the_old_temporary_name_is_not_followed(tmp_path: Path) -> None:
    victim = write(tmp_path, "victim.txt", "keep me")
    report = tmp_path / "report.md"
    os.symlink(victim, tmp_path / "report.md.tmp")
    code, out = cli("compare", str(EXAMPLES / "cv-screener.yaml"), "--format", "markdown",
                    "-o", str(report), "--as-of", "2026-11-22")
    assert code == 0, out
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert report.read_text(encoding="utf-8").startswith("#")
    assert not report.is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md", "report.md.tmp",
                                                          "victim.txt"]


def test_output_into_a_missing_folder_is_a_clean_error(tmp_path: Path) -> None:
    code, out = cli("compare", str(EXAMPLES / "cv-screener.yaml"), "--format", "json",
                    "-o", str(tmp_path / "missing" / "out.json"))
    assert code == 2 and "cannot write" in out
