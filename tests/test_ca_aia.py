"""Canada's Algorithmic Impact Assessment: scoring, requirements, profile fact and CLI.

The published AIAs (open.canada.ca, harvested with the scores derived by the
PatLittle/aia-eia-js fork; see ``tests/data/ca-aia/SOURCE.md``) are read from
``tests/data/ca-aia/published-aias.jsonl``, or from the file named by
``$COMITY_CA_AIA_PUBLISHED``: every AIA whose questionnaire version is shipped must score
exactly as recorded.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from comity.analysis import ca_aia
from comity.analysis.ca_aia import (
    canonical_version,
    js_number,
    js_round,
    known_versions,
    questionnaire,
    requirements_for_level,
    score_answers,
    score_document,
    score_file,
)
from comity.cli.ca_aia import ca_aia as ca_aia_cli
from comity.engine.assess import assess_profile
from comity.errors import InputError
from comity.profile.files import parse_profiles
from comity.profile.model import FACT_NAMES, UNKNOWN, Profile
from comity.rulebook.loader import default_rulebook

PUBLISHED = Path(os.environ.get(
    "COMITY_CA_AIA_PUBLISHED",
    Path(__file__).parent / "data" / "ca-aia" / "published-aias.jsonl",
))


def _records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in PUBLISHED.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _is_known(version: Any) -> bool:
    try:
        canonical_version(version)
    except InputError:
        return False
    return True


RECORDS = _records()
SCORABLE = [r for r in RECORDS if _is_known(r["version"])]
UNSCORABLE = [r for r in RECORDS if not _is_known(r["version"])]


# --- Every published AIA scores as recorded --------------------------------------------------


@pytest.mark.parametrize("record", SCORABLE, ids=[r["package_id"][:8] for r in SCORABLE])
def test_published_aia_scores_as_recorded(record: dict[str, Any]) -> None:
    result = score_document(record, source=record["package_id"])
    official = record["derived"]
    assert result.questionnaire_version == canonical_version(record["version"])
    assert result.impact_level == official["impact_level"]
    assert result.raw_score == official["raw_risk_score"]
    assert result.mitigation_score == official["mitigation_score"]
    assert result.final_score == official["final_score"]


def test_all_published_aias_with_a_known_version_match() -> None:
    matched = []
    for record in SCORABLE:
        result = score_document(record)
        official = record["derived"]
        if (result.impact_level, result.raw_score, result.mitigation_score,
                result.final_score) == (official["impact_level"], official["raw_risk_score"],
                                        official["mitigation_score"], official["final_score"]):
            matched.append(record["package_id"])
    print(f"\n{len(matched)} of {len(SCORABLE)} published AIAs with a shipped questionnaire "
          f"version match the recorded scores; {len(UNSCORABLE)} with another version "
          "are refused")
    assert len(matched) == len(SCORABLE)
    # The harvested set as of 2026-08-21: 38 AIAs, one answered under 'v0.9' (no such
    # questionnaire was published) and so not scorable.
    assert len(RECORDS) >= 38
    assert len(SCORABLE) >= 37
    versions = {canonical_version(r["version"]) for r in SCORABLE}
    assert {"v0.9.1", "v0.10.0", "v1.0.1"} <= versions


def test_published_levels_agree_with_the_catalogue_files() -> None:
    folder = PUBLISHED.parent
    by_id = {r["package_id"]: score_document(r).impact_level for r in SCORABLE}
    catalogue = json.loads((folder / "completed-aias.json").read_text(encoding="utf-8"))
    checked = 0
    for entry in catalogue:
        if entry["package_id"] in by_id:
            assert entry["impact_level"] == f"Level {by_id[entry['package_id']]}"
            checked += 1
    with (folder / "aia_report_assessments.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["package_id"] in by_id:
                assert row["impact_level"] == f"Level {by_id[row['package_id']]}"
                checked += 1
    assert checked == 2 * len(by_id)


@pytest.mark.parametrize("record", UNSCORABLE, ids=[r["package_id"][:8] for r in UNSCORABLE])
def test_published_aia_with_unknown_version_is_refused(record: dict[str, Any]) -> None:
    with pytest.raises(InputError) as caught:
        score_document(record, source="published")
    assert caught.value.problems[0].path == "version"
    assert "unknown AIA questionnaire version" in str(caught.value)


def test_published_aia_through_a_profile_gives_the_level_fact() -> None:
    record = next(r for r in SCORABLE if r["derived"]["impact_level"] == 3)
    [profile] = parse_profiles(_profile({"version": record["version"],
                                         "answers": record["data"]}))
    assert profile.facts()["ca_aia.impact_level"] == 3
    result = assess_profile(profile, jurisdictions=["CA"]).results[0]
    assert (result.in_scope, result.tier, result.common_tier) == (True, "level_iii", "high")
    assert "ca.dadm.appc.approval.level_iii" in {f.rule_id for f in result.obligations}


# --- The scoring rules of the official tool ---------------------------------------------------


def _answers(version: str, raw: int = 0, mitigation: int = 0) -> dict[str, Any]:
    """Answers scoring exactly ``raw`` and ``mitigation`` (largest choices first)."""
    form = questionnaire(version)
    survey = json.loads(ca_aia._survey_files()[form.version].read_text(encoding="utf-8"))
    elements: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("type") == "panel":
                walk(item.get("elements", []))
            else:
                elements.setdefault(item["name"], item)

    for page in survey["pages"]:
        walk(page.get("elements", []))
    answers: dict[str, Any] = {}
    for score_type, wanted in (("raw", raw), ("mitigation", mitigation)):
        left = wanted
        for question in form.questions:
            if question.score_type != score_type or left == 0:
                continue
            choices = [c["value"] if isinstance(c, dict) else c
                       for c in elements[question.name]["choices"]]
            weighted = sorted(((ca_aia.js_value(c), c) for c in choices), reverse=True)
            if question.type == "checkbox":
                ticked = []
                for weight, choice in weighted:
                    if 0 < weight <= left:
                        ticked.append(choice)
                        left -= int(weight)
                if ticked:
                    answers[question.name] = ticked
            else:
                pick = next(((w, c) for w, c in weighted if 0 < w <= left), None)
                if pick:
                    answers[question.name] = pick[1]
                    left -= int(pick[0])
        assert left == 0, f"cannot reach {score_type} {wanted} in {version}"
    return answers


def test_max_scores_of_the_shipped_questionnaires() -> None:
    maxima = {v: (questionnaire(v).max_raw_score, questionnaire(v).max_mitigation_score)
              for v in known_versions()}
    assert maxima == {"v.0.8a1": (100, 86), "v0.9.1": (107, 90), "v0.10.0": (126, 92),
                      "v1.0.0": (167, 154), "v1.0.1": (167, 154)}


def test_raw_and_mitigation_are_sums_of_the_answers() -> None:
    result = score_answers(_answers("v1.0.1", raw=40, mitigation=20), "v1.0.1")
    assert (result.raw_score, result.mitigation_score) == (40, 20)


@pytest.mark.parametrize(("mitigation", "deducted", "final"), [(36, False, 50), (37, True, 43)])
def test_mitigation_deduction_needs_80_percent_of_half_the_maximum(
        mitigation: int, deducted: bool, final: int) -> None:
    # v0.10.0: maximum mitigation 92, so the threshold is 0.8 * 46 = 36.8.
    result = score_answers(_answers("v0.10.0", raw=50, mitigation=mitigation), "v0.10.0")
    assert result.mitigation_deduction_applied is deducted
    assert result.final_score == final  # 0.85 * 50 = 42.5, rounded half up: 43


def test_final_score_rounds_halves_up_like_javascript() -> None:
    # 0.85 * 10 = 8.5: JavaScript's Math.round gives 9, Python's round() would give 8.
    result = score_answers(_answers("v1.0.1", raw=10, mitigation=70), "v1.0.1")
    assert result.mitigation_deduction_applied
    assert result.final_score == 9
    assert js_round(8.5) == 9 and js_round(25.5) == 26 and js_round(8.49) == 8


@pytest.mark.parametrize(("raw", "level"), [(0, 1), (25, 1), (26, 2), (50, 2), (51, 3),
                                            (75, 3), (76, 4), (100, 4)])
def test_levels_by_share_of_the_maximum_raw_score(raw: int, level: int) -> None:
    # v.0.8a1: maximum raw score 100, so the boundaries are 25, 50 and 75 inclusive.
    assert score_answers(_answers("v.0.8a1", raw=raw), "v.0.8a1").impact_level == level


def test_mitigation_can_lower_the_level() -> None:
    without = score_answers(_answers("v1.0.1", raw=87), "v1.0.1")
    with_mitigation = score_answers(_answers("v1.0.1", raw=87, mitigation=62), "v1.0.1")
    assert (without.final_score, without.impact_level) == (87, 3)
    assert (with_mitigation.final_score, with_mitigation.impact_level) == (74, 2)


def test_answer_values_are_read_as_the_tool_reads_them() -> None:
    assert ca_aia.js_value("item1-3") == 3
    assert ca_aia.js_value(["item1-1", "item2-2", 4, None]) == 7
    assert ca_aia.js_value("item1") == 0 and ca_aia.js_value(True) == 0
    assert ca_aia.js_value("item3--4") == 4  # the text after the last hyphen
    assert ca_aia.js_value("item-x") == 0 and ca_aia.js_value("item-") == 0
    assert js_number(" 2 ") == 2 and js_number("0x10") == 16 and js_number("1e1") == 10
    assert js_number("\u0663") != js_number("\u0663")  # Arabic-Indic digit: NaN in JS


def test_unknown_answer_names_are_ignored_with_a_warning() -> None:
    result = score_answers({"notAQuestion": "item1-4"}, "v1.0.1")
    assert result.raw_score == 0
    assert "notAQuestion" in result.warnings[0]


# --- Versions ----------------------------------------------------------------------------------


def test_version_spellings() -> None:
    assert canonical_version("v0.10.0") == "v0.10.0"
    assert canonical_version("0.10.0") == "v0.10.0"
    assert canonical_version("V1.0.1") == "v1.0.1"
    assert canonical_version("v0.8a1") == "v.0.8a1"


@pytest.mark.parametrize("version", ["v0.9", "v0.10", "v2.0.0", "", 3])
def test_unknown_version_is_an_error_not_a_guess(version: Any) -> None:
    with pytest.raises(InputError) as caught:
        score_document({"version": version, "data": {}})
    assert caught.value.problems[0].path == "version"


def test_version_option_overrides_the_file_with_a_note() -> None:
    result = score_document({"version": "v0.9", "data": {}}, version="v0.9.1")
    assert result.questionnaire_version == "v0.9.1"
    assert "'v0.9'" in result.warnings[0]


def test_bare_answers_need_a_version() -> None:
    with pytest.raises(InputError) as caught:
        score_document({"impact3": "item1-4"})
    assert [p.path for p in caught.value.problems] == ["version"]
    assert score_document({"impact3": "item1-4"}, version="v1.0.1").raw_score == 4


# --- Requirements ------------------------------------------------------------------------------


def test_requirements_for_each_level_in_english_and_french() -> None:
    for level in (1, 2, 3, 4):
        english = requirements_for_level(level, "en")
        french = requirements_for_level(level, "fr")
        assert [r.key for r in english] == [r.key for r in french] == [
            "notice", "explanation", "peer_review", "gba_plus", "training",
            "human_involvement", "approval"]
        assert all(r.text and "<" not in r.text for r in english + french)
    approval = {level: (requirements_for_level(level, "en")[-1].text,
                        requirements_for_level(level, "fr")[-1].text) for level in (1, 3, 4)}
    assert approval[4] == ("Treasury Board", "Conseil du Trésor")
    assert approval[3][0] == "Deputy Head"
    assert approval[1][0].startswith("Assistant deputy minister")
    assert requirements_for_level(1, "en")[2].text == "None"
    assert requirements_for_level(1, "fr")[2].text == "Aucune"
    assert requirements_for_level(2, "fr")[0].title == "Avis"
    assert requirements_for_level(4, "en")[2].section == "6.3.7"


def test_rules_name_the_french_title_of_their_appendix_c_row() -> None:
    french = {requirement.section.split("-")[0]: requirement.title
              for requirement in requirements_for_level(1, "fr")}
    rules = [r for r in default_rulebook().jurisdictions["CA"].rules
             if r.spec.citation.section in french and r.spec.kind == "obligation"]
    assert len(rules) == 14
    for rule in rules:
        assert f"« {french[rule.spec.citation.section or '']} »" in (
            rule.spec.interpretation or ""), rule.id


@pytest.mark.parametrize(("level", "language"), [(0, "en"), (5, "en"), (2, "de")])
def test_requirements_reject_bad_arguments(level: int, language: str) -> None:
    with pytest.raises(ValueError, match="language" if language == "de" else "impact level"):
        requirements_for_level(level, language)


# --- The profile fact ----------------------------------------------------------------------------


def _profile(ca_aia_payload: Any) -> dict[str, Any]:
    return {
        "profile": 1, "id": "ircc-triage", "name": "Application triage",
        "markets": ["CA"],
        "deployer": {"name": "Example Department", "country": "CA", "kind": "migration_authority"},
        "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
        "decision_role": "substantial_factor",
        "impact_assessments": {"ca_aia": ca_aia_payload},
    }


def test_fact_is_known_to_the_rules() -> None:
    assert "ca_aia.impact_level" in FACT_NAMES
    bare = Profile.model_validate({"profile": 1, "id": "x", "name": "x"})
    assert bare.facts()["ca_aia.impact_level"] is UNKNOWN


def test_profile_fact_is_the_scored_level() -> None:
    [profile] = parse_profiles(_profile({"version": "v1.0.1",
                                         "answers": _answers("v1.0.1", raw=126)}))
    assert profile.facts()["ca_aia.impact_level"] == 4
    result = assess_profile(profile, jurisdictions=["CA"]).results[0]
    assert (result.tier, result.common_tier) == ("level_iv", "high")


@pytest.mark.parametrize(("payload", "path"), [
    ({"version": "v0.9", "answers": {}}, "impact_assessments.ca_aia.version"),
    ({"answers": {}}, "impact_assessments.ca_aia.version"),
    ({"version": "v1.0.1", "answers": ["item1-1"]}, "impact_assessments.ca_aia.answers"),
    ({"version": "v1.0.1", "answers": {}, "score": 3}, "impact_assessments.ca_aia.score"),
    ("level 2", "impact_assessments.ca_aia"),
])
def test_bad_payload_in_a_profile_file_names_the_field(payload: Any, path: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_profiles(_profile(payload), "system.yaml")
    assert [p.path for p in caught.value.problems] == [path]
    assert caught.value.source == "system.yaml"


def test_unvalidated_profile_with_a_bad_payload_raises_input_error_from_facts() -> None:
    [valid] = parse_profiles(_profile({"version": "v1.0.1", "answers": {}}))
    profile = valid.model_copy(  # model_copy does not validate
        update={"impact_assessments": {"ca_aia": {"version": "v9", "answers": {}}}})
    with pytest.raises(InputError) as caught:
        profile.facts()
    assert caught.value.problems[0].path == "impact_assessments.ca_aia.version"


# --- Command line ---------------------------------------------------------------------------


def _saved(tmp_path: Path, document: Any, name: str = "aia.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_cli_json_output(tmp_path: Path) -> None:
    path = _saved(tmp_path, {"version": "v1.0.1", "currentPage": 12, "translationsOnResult": {},
                             "data": _answers("v1.0.1", raw=87, mitigation=62)})
    result = CliRunner().invoke(ca_aia_cli, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {k: data[k] for k in ("impact_level", "raw_score", "mitigation_score",
                                 "final_score", "questionnaire_version")} == {
        "impact_level": 2, "raw_score": 87, "mitigation_score": 62, "final_score": 74,
        "questionnaire_version": "v1.0.1"}
    assert data["requirements"][6]["title_fr"] == "Approbation de l'exploitation du système"


def test_cli_table_lists_the_requirements(tmp_path: Path) -> None:
    path = _saved(tmp_path, {"version": "v1.0.1", "data": _answers("v1.0.1", raw=126)})
    result = CliRunner().invoke(ca_aia_cli, ["score", str(path)])
    assert result.exit_code == 0, result.output
    assert "impact level IV" in result.output
    assert "Treasury Board" in result.output and "Peer review" in result.output
    french = CliRunner().invoke(ca_aia_cli, ["score", str(path), "--language", "fr"])
    assert french.exit_code == 0 and "Conseil du Trésor" in french.output


def test_cli_questionnaire_version_option(tmp_path: Path) -> None:
    path = _saved(tmp_path, {"impact3": "item1-4"})
    result = CliRunner().invoke(ca_aia_cli, ["score", str(path), "--questionnaire-version",
                                             "v0.10.0", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["questionnaire_version"] == "v0.10.0"


@pytest.mark.parametrize(("document", "arguments", "message"), [
    ({"version": "v0.9", "data": {}}, [], "unknown AIA questionnaire version 'v0.9'"),
    ({"version": "v1.0.1", "data": {}}, ["--questionnaire-version", "v3"], "'v3'"),
    ({"impact3": "item1-4"}, [], "--questionnaire-version"),
    ([1, 2], [], "expected a saved AIA"),
])
def test_cli_errors_exit_2(tmp_path: Path, document: Any, arguments: list[str],
                           message: str) -> None:
    path = _saved(tmp_path, document)
    result = CliRunner().invoke(ca_aia_cli, ["score", str(path), *arguments])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_unreadable_or_invalid_file_exits_2(tmp_path: Path) -> None:
    missing = CliRunner().invoke(ca_aia_cli, ["score", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "cannot read file" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    invalid = CliRunner().invoke(ca_aia_cli, ["score", str(broken)])
    assert invalid.exit_code == 2 and "not valid JSON" in invalid.output


def test_score_file_reads_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_text("\ufeff" + json.dumps({"version": "v1.0.1", "data": {}}), encoding="utf-8")
    assert score_file(path).impact_level == 1
