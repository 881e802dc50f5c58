from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from comity.cli.app import main
from comity.rulebook.loader import default_rulebook

TODAY = "2026-11-22"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_assess_table(examples: Path) -> None:
    code, out = run("assess", str(examples / "cv-screener.yaml"), "--as-of", TODAY)
    assert code == 0
    assert "tier: high" in out
    assert "AI Act, Annex III, point 4(a)" in out
    assert "2027-12-02" in out


def test_assess_json_single_profile_is_an_object(examples: Path) -> None:
    code, out = run("assess", str(examples / "credit-model.yaml"), "--format", "json",
                    "--as-of", TODAY)
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "credit-model"
    eu = next(r for r in data["results"] if r["jurisdiction"] == "EU")
    assert eu["tier"] == "high" and eu["common_tier"] == "high"
    assert "eu.ai_act.art27.1" in {o["id"] for o in eu["obligations"]}


def test_assess_folder_gives_json_lines(examples: Path) -> None:
    code, out = run("assess", str(examples), "--format", "json", "--no-trace",
                    "--as-of", TODAY)
    assert code == 0
    data = [json.loads(line) for line in out.splitlines()]
    assert len(data) == len(list(examples.glob("*.yaml")))
    assert all("trace" not in r for item in data for r in item["results"])


def test_a_file_of_many_profiles_gives_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "batch.yaml"
    path.write_text("profiles:\n  - {profile: 1, id: a, name: A}\n"
                    "  - {profile: 1, id: b, name: B}\n")
    code, out = run("assess", str(path), "--format", "json")
    assert code == 0 and [json.loads(line)["id"] for line in out.splitlines()] == ["a", "b"]
    saved = tmp_path / "out.jsonl"
    code, _ = run("assess", str(path), "--format", "json", "-o", str(saved))
    assert code == 0 and saved.read_text() == out


def test_assess_markdown_and_role(examples: Path) -> None:
    code, out = run("assess", str(examples / "cv-screener.yaml"), "--format", "markdown",
                    "--role", "deployer", "--as-of", TODAY)
    assert code == 0
    assert out.startswith("# CV screening assistant")
    assert "AI Act, Art. 26(1)" in out and "AI Act, Art. 9 " not in out


def test_explain_prints_the_tree(examples: Path) -> None:
    code, out = run("explain", str(examples / "workplace-emotion.yaml"), "-j", "EU",
                    "--rule", "eu.ai_act.art5.1.f")
    assert code == 0
    assert "eu.ai_act.art5.1.f" in out and "uses has workplace" in out


def test_validate(examples: Path) -> None:
    code, out = run("validate", str(examples / "cv-screener.yaml"))
    assert code == 0 and "1 valid profile(s): cv-screener" in out


def test_rules_list_show_and_test() -> None:
    code, out = run("rules", "list", "--kind", "prohibition", "--format", "json")
    assert code == 0
    assert "eu.ai_act.art5.1.a" in {r["id"] for r in json.loads(out)}
    code, out = run("rules", "list")
    regimes = len(default_rulebook().jurisdictions)
    assert code == 0 and f"rules in {regimes} regimes" in out
    code, out = run("rules", "list", "-j", "EU")
    assert code == 0 and "rules in 1 regime" in out and "in 1 regimes" not in out
    code, out = run("rules", "show", "eu.ai_act.art50.4.deepfake")
    assert code == 0 and "AI Act, Art. 50(4), first subparagraph" in out
    code, out = run("rules", "test")
    assert code == 0, out
    assert " passed, 0 failed" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", "{bad}"], "deployer.kind: 'company' is not a known deployer kind"),
        (["assess", "{good}", "--as-of", "22/11/2026"], "is not a date in the form YYYY-MM-DD"),
        (["assess", "{good}", "-j", "EU,XX"], "unknown jurisdiction XX"),
        (["assess", "{good}", "--format", "pdf"], "Invalid value for '--format'"),
        (["assess", "{good}", "--role", "reseller"], "Invalid value for '--role'"),
        (["assess", "{missing}"], "does not exist"),
        (["validate", "{bad}"], "bad.yaml: 1 problem(s)"),
        (["assess", "{empty_dir}"], "folder holds no .yaml"),
        (["rules", "show", "eu.nothing"], "no rule 'eu.nothing'"),
    ],
)
def test_errors_exit_2_with_a_message(tmp_path: Path, examples: Path, args: list[str],
                                      message: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("profile: 1\nid: x\nname: X\ndeployer: {kind: company}\n")
    (tmp_path / "empty").mkdir()
    paths = {"bad": str(bad), "good": str(examples / "cv-screener.yaml"),
             "missing": str(tmp_path / "absent.yaml"), "empty_dir": str(tmp_path / "empty")}
    code, out = run(*(arg.format(**paths) for arg in args))
    assert code == 2
    assert message in out
    assert "Traceback" not in out


def test_vocab_lists_tags() -> None:
    code, out = run("vocab", "uses")
    assert code == 0 and "employment.recruitment" in out


def test_compare_formats(tmp_path: Path, examples: Path) -> None:
    profile = str(examples / "cv-screener.yaml")
    code, out = run("compare", profile, "-j", "EU", "--as-of", TODAY)
    assert code == 0 and "Duty matrix" in out and "One plan" in out
    code, out = run("compare", profile, "-j", "EU", "--format", "json", "--as-of", TODAY)
    assert code == 0 and json.loads(out)["format"] == "comity.comparison.v1"
    code, out = run("compare", profile, "-j", "EU", "--format", "markdown")
    assert code == 0 and "## Duty matrix" in out
    target = tmp_path / "report.html"
    code, out = run("compare", str(examples), "-j", "EU", "--format", "html", "-o",
                    str(target))
    assert code == 0 and target.read_text().startswith("<!doctype html>")
    code, out = run("compare", profile, "-o", str(tmp_path / "x.txt"))
    assert code == 2 and "--output needs --format" in out


def test_redlines_command() -> None:
    code, out = run("redlines", "-j", "EU", "--format", "json", "--as-of", TODAY)
    assert code == 0
    data = json.loads(out)
    assert data["jurisdictions"] == ["EU"]
    assert any(r["id"] == "social_scoring" and r["shared_by"] == "all"
               for r in data["redlines"])
    code, out = run("redlines", "-j", "XX")
    assert code == 2 and "unknown jurisdiction XX" in out


def test_the_command_line_starts_without_the_heavy_libraries() -> None:
    """Every command pays for what the command line imports at start: the data-frame,
    prompt, database, web and learning libraries are imported by the commands that use
    them (a regression here cost 0.3 s per call; docs/benchmarks.md)."""
    heavy = ("polars", "pyarrow", "questionary", "prompt_toolkit", "sqlalchemy", "alembic",
             "fastapi", "uvicorn", "dask", "sklearn", "numpy")
    code = ("import sys, comity.cli.app; "
            f"print(','.join(m for m in {heavy!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == ""
