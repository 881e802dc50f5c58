"""``comity questions`` and answers in profiles, through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from comity.analysis.compare import markets_of
from comity.cli.app import main
from comity.engine.assess import assess_profile
from comity.engine.open_questions import open_questions
from comity.profile.files import load_profiles, parse_profiles
from comity.rulebook.loader import default_rulebook
from comity.yaml12 import load_yaml
from tests.conftest import minimal_profile

TODAY = "2026-11-22"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_questions_table_puts_tier_changing_questions_first(examples: Path) -> None:
    code, out = run("questions", str(examples / "face-swap-app.yaml"), "--as-of", TODAY)
    assert code == 0
    assert "face-swap-app: 4 open question(s)" in out
    assert out.index("fake news") < out.index("online content platform")
    assert "CN: yes → prohibited" in out


def test_questions_json_lists_type_citation_and_what_it_settles(examples: Path) -> None:
    code, out = run("questions", str(examples / "face-swap-app.yaml"), "-j", "CN",
                    "--format", "json", "--as-of", TODAY)
    assert code == 0
    data = json.loads(out)
    assert data["id"] == "face-swap-app"
    first = data["questions"][0]
    assert first["id"] == "cn.fake_news" and first["type"] == "yes_no"
    assert first["citation"] == "Deep Synthesis Provisions, Art. 6(2)"
    assert first["can_change_tier"] is True and first["tier_changes"] == {
        "CN": {"yes": "prohibited"}}
    assert first["settles"][0]["rule"] == "cn.deep_synthesis.art6.2"
    assert {q["id"] for q in data["questions"]} <= set(default_rulebook().questions)
    assert all(s["jurisdiction"] == "CN" for q in data["questions"] for s in q["settles"])


def test_questions_yaml_is_an_answers_block_to_paste(examples: Path, tmp_path: Path) -> None:
    code, out = run("questions", str(examples / "face-swap-app.yaml"), "--format", "yaml",
                    "--as-of", TODAY)
    assert code == 0
    block = load_yaml(out)["answers"]
    assert block["cn.fake_news"] == {"value": "unknown", "version": "2026.12.04"}
    profile = load_yaml((examples / "face-swap-app.yaml").read_text(encoding="utf-8"))
    profile["answers"] = {key: {**value, "value": "no"} for key, value in block.items()}
    path = tmp_path / "answered.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    code, out = run("questions", str(path), "--format", "json", "--as-of", TODAY)
    assert code == 0 and json.loads(out)["questions"] == []


def test_questions_rejects_an_unknown_jurisdiction(examples: Path) -> None:
    code, out = run("questions", str(examples / "cv-screener.yaml"), "-j", "XX")
    assert code == 2 and "unknown jurisdiction XX" in out


@pytest.mark.parametrize("word", ["yes", "no"])
def test_answering_every_listed_question_leaves_nothing_undetermined(examples: Path,
                                                                      word: str) -> None:
    """For each bundled example and its markets, answering (all yes, or all no) every
    question ``comity questions`` lists, round after round, settles every finding."""
    book = default_rulebook()
    checked = 0
    for path in sorted(examples.glob("*.yaml")):
        for profile in load_profiles(path):
            codes = markets_of([profile], book)
            for _ in range(5):
                reports = open_questions(profile, book, jurisdictions=codes)
                if not reports:
                    break
                answers = {**profile.answers, **{r.question.id: word for r in reports}}
                profile = profile.model_copy(update={"answers": answers})
            result = assess_profile(profile, book, jurisdictions=codes)
            left = [(r.jurisdiction, f.rule_id) for r in result.results for f in r.undetermined]
            assert left == [], (path.name, left)
            checked += 1
    assert checked >= 7


def test_an_assessment_records_each_answer_and_its_wording_version() -> None:
    [profile] = parse_profiles(minimal_profile(answers={
        "common.publicly_accessible_space": {"value": "yes", "version": "2026.01.01"},
        "eu.international_cooperation": "unknown"}))
    data = assess_profile(profile, jurisdictions=["EU"]).to_dict(with_trace=False)
    assert data["answers"]["common.publicly_accessible_space"] == {
        "value": "yes", "question_version": "2026.12.04", "answered_version": "2026.01.01",
        "reworded": True}
    assert data["answers"]["eu.international_cooperation"]["value"] == "unknown"


def test_a_bad_answer_fails_validation_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(minimal_profile(answers={"common.publicly_accessible_space":
                                                        "perhaps"})), encoding="utf-8")
    code, out = run("validate", str(path))
    assert code == 2
    assert "answers" in out and "common.publicly_accessible_space" in out
    assert "allowed: yes, no, unknown" in out


def test_questions_names_the_profile_fields_open_findings_wait_for(examples: Path) -> None:
    """The CV screener leaves Colorado's small-deployer exemption open on the deployer's
    headcount: a field to give in the profile, not a question; listed in every format."""
    path = str(examples / "cv-screener.yaml")
    code, out = run("questions", path, "-j", "US-CO", "--as-of", TODAY)
    assert code == 0 and "Profile fields that would settle findings" in out
    assert "deployer.employees" in out and "6-1-1703(3)" in out
    code, out = run("questions", path, "-j", "US-CO", "--format", "json", "--as-of", TODAY)
    [field] = json.loads(out)["missing_facts"]
    assert field["fact"] == "deployer.employees" and field["jurisdictions"] == ["US-CO"]
    assert {rule["id"] for rule in field["rules"]} >= {"us-co.caia.6-1-1703.3"}
    code, out = run("questions", path, "-j", "US-CO", "--format", "yaml", "--as-of", TODAY)
    assert "#   deployer.employees: settles 3 finding(s) in US-CO" in out
    assert "deployer.employees" not in str(load_yaml(out, "questions"))  # comments only


def test_a_field_given_or_stated_unknown_is_no_longer_listed(examples: Path,
                                                             tmp_path: Path) -> None:
    [profile] = load_profiles(examples / "cv-screener.yaml")
    data = profile.model_dump(mode="json", exclude_defaults=True)
    for change, listed in (({}, True), ({"unknown": ["deployer.employees"]}, False)):
        path = tmp_path / "p.json"
        path.write_text(json.dumps({**data, **change}), encoding="utf-8")
        out = json.loads(run("questions", str(path), "-j", "US-CO", "--format", "json",
                             "--as-of", TODAY)[1])
        assert ("deployer.employees" in [f["fact"] for f in out["missing_facts"]]) is listed
    data["deployer"]["employees"] = 120
    path.write_text(json.dumps(data), encoding="utf-8")
    out = json.loads(run("questions", str(path), "-j", "US-CO", "--format", "json",
                         "--as-of", TODAY)[1])
    assert out["missing_facts"] == [] and out["questions"] == []
