"""``comity assessments list/show/diff`` read back what ``assess --save`` stored (SQLite)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from comity import assess_profile
from comity.cli.app import main
from comity.engine.results import assessment_from_dict
from comity.profile.files import load_profiles

PROFILE = Path(__file__).parent / "data" / "profiles" / "er-triage.yaml"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def store(tmp_path: Path) -> dict[str, str]:
    return {"COMITY_DB": f"sqlite:///{tmp_path / 'kb.db'}", "NO_COLOR": "1"}


def run(env: dict[str, str], *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.stdout if code == 0 else result.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_a_result_reads_back_as_it_was_written(example: Path) -> None:
    for profile in load_profiles(example):
        assessment = assess_profile(profile, as_of=date(2026, 11, 22))
        again = assessment_from_dict(json.loads(json.dumps(assessment.to_dict())))
        assert again.to_dict(with_trace=False) == assessment.to_dict(with_trace=False)


def test_list_show_and_diff(store: dict[str, str]) -> None:
    for day in ("2026-06-01", "2027-06-01"):
        run(store, "assess", str(PROFILE), "-j", "US-CO,EU", "--as-of", day, "--save")
    listed = json.loads(run(store, "assessments", "list", "--format", "json"))
    assert [(row["id"], row["as_of"]) for row in listed] == [(1, "2026-06-01"),
                                                             (2, "2027-06-01")]
    shown = json.loads(run(store, "assessments", "show", "1", "--format", "json"))
    assert shown["as_of"] == "2026-06-01" and shown["id"] == "er-triage"
    markdown = run(store, "assessments", "show", "2", "--format", "markdown")
    assert markdown.startswith("# Emergency triage model") and "| Jurisdiction | Tier |" in markdown
    html = run(store, "assessments", "show", "2", "--format", "html")
    assert "<h2>Summary</h2>" in html
    diff = json.loads(run(store, "assessments", "diff", "1", "2", "--format", "json"))
    assert diff["format"] == "comity.result_diff.v1" and diff["changed"]
    colorado = next(j for j in diff["jurisdictions"] if j["jurisdiction"] == "US-CO")
    assert colorado["headline"]["tier"] == {"before": "high_risk", "after": "covered_admt"}
    assert "us-co.caia.6-1-1703.1" in {f["id"] for f in colorado["removed"]}
    union = next(j for j in diff["jurisdictions"] if j["jurisdiction"] == "EU")
    art9 = next(f for f in union["changed"] if f["id"] == "eu.ai_act.art9")
    assert art9["changes"]["applies_from"] == {"before": "2026-08-02", "after": "2027-12-02"}
    text = run(store, "assessments", "diff", "1", "2")
    assert "tier: high_risk → covered_admt" in text
    assert "- duty: Colo. AI Act, § 6-1-1703(4)(a)" in text
    assert run(store, "assessments", "diff", "2", "2").endswith("no change\n")


def test_unknown_id_is_an_error(store: dict[str, str]) -> None:
    error = run(store, "assessments", "show", "42", code=2)
    assert "no stored assessment 42" in error
