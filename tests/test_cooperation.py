"""Cooperation analytics: readiness, transfer screen, project score, agenda, and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from comity.cli.app import main
from comity.cooperation import (
    dialogue_agenda,
    parse_proposal,
    rate,
    score_project,
    screen_transfer,
)
from comity.cooperation.parties import load_party
from comity.cooperation.projects import bundled_project_scores
from comity.cooperation.regulatory import scenario_profiles
from comity.cooperation.settings import (
    ReadinessSettings,
    issues,
    parse_settings,
    project_criteria,
    readiness_settings,
    transfer_settings,
)
from comity.errors import InputError
from comity.profile.files import load_profiles, parse_profiles
from comity.profile.vocabulary import vocabulary
from comity.rulebook.loader import default_rulebook, load_rulebook
from comity.yaml12 import load_yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "cooperation"
STUDY_ISSUES = ["drug_discovery", "ai_principles", "deepfakes", "affect_recognition",
                "facial_recognition"]


# --- data files ------------------------------------------------------------------------

def test_issue_data_refers_to_known_redlines_uses_and_sets() -> None:
    book = default_rulebook()
    for issue in issues().values():
        assert set(issue.redlines) <= set(book.redlines), issue.id
        assert len(scenario_profiles(issue, ["US"])) == len(issue.scenarios)
    settings = readiness_settings()
    for forum in settings.forums.values():
        for code, names in forum.rulebook_sets.items():
            assert set(names) <= set(book.jurisdictions[code].sets), (code, names)
    transfer = transfer_settings()
    uses = set(vocabulary().uses)
    tagged = {*transfer.sdg_links, *transfer.dual_use.uses,
              *(u for c in transfer.human_rights_conflict.categories.values() for u in c.uses)}
    assert tagged <= uses, tagged - uses
    redlines = {r for c in transfer.human_rights_conflict.categories.values() for r in c.redlines}
    assert redlines <= set(book.redlines)


def test_the_five_study_cases_are_shipped_with_the_study_ratings() -> None:
    shipped = {i: issues()[i].study_rating for i in STUDY_ISSUES}
    assert shipped == {"drug_discovery": "green_turning_yellow", "ai_principles": "yellow",
                       "deepfakes": "yellow", "affect_recognition": "red",
                       "facial_recognition": "red"}


def test_weights_file_errors_name_the_field() -> None:
    text = (ROOT / "src/comity/cooperation/data/readiness.yaml").read_text(encoding="utf-8")
    broken = text.replace("weight: 0.20\n    family: political",
                          "weight: 2\n    family: politics", 1)
    with pytest.raises(InputError) as caught:
        parse_settings(ReadinessSettings, broken, "mine.yaml")
    message = str(caught.value)
    assert "mine.yaml" in message and "factors.regulatory_alignment.weight" in message
    assert "factors.regulatory_alignment.family" in message


# --- readiness -------------------------------------------------------------------------

def test_us_china_facial_recognition_is_red_with_cited_barriers() -> None:
    result = rate("US", "CN", "facial_recognition")
    assert result.rating == "red" and result.score is not None
    assert result.score < readiness_settings().thresholds.yellow
    # The only US national principles document in the knowledge base is archived.
    assert [f.id for f in result.missing] == ["principle_overlap"]
    texts = [b.text for b in result.barriers]
    assert any("government_biometric_identification" in t for t in texts)
    redline = next(b for b in result.barriers if "government_biometric" in b.text)
    assert "552.054" in redline.source  # the Texas provision that bans it
    assert {f.id for f in result.factors} == set(readiness_settings().factors)


def test_family_emphasis_applies_to_the_issue_families() -> None:
    result = rate("US", "CN", "deepfakes")  # political family only
    weights = {f.id: f.weight for f in result.factors}
    base = readiness_settings().factors
    assert weights["unga_agreement"] == pytest.approx(2 * base["unga_agreement"].weight)
    assert weights["democracy_distance"] == pytest.approx(base["democracy_distance"].weight)


def test_missing_data_is_marked_missing_never_zero() -> None:
    result = rate("US", "AD", "ai_principles")  # Andorra has no V-Dem index
    democracy = next(f for f in result.factors if f.id == "democracy_distance")
    assert democracy.status == "missing" and democracy.value is None
    assert "AD" in democracy.explanation
    assert democracy in result.missing and result.coverage < 1
    assert result.to_dict()["missing"] == [f.id for f in result.missing]


def test_archived_principles_count_only_when_the_settings_say_so() -> None:
    settings = readiness_settings().model_copy(
        update={"principle_document_statuses": ["adopted", "revised", "archived"]})
    result = rate("US", "CN", "ai_principles", settings=settings)
    overlap = next(f for f in result.factors if f.id == "principle_overlap")
    assert overlap.status == "present" and "us-blueprint" in overlap.explanation
    default = rate("US", "CN", "ai_principles")
    assert default.score is not None and result.score is not None
    assert result.score > default.score


def test_too_little_data_gives_undetermined() -> None:
    result = rate("EU", "IN", "hiring")  # no EU V-Dem or UN vote, no Indian rulebook
    assert result.rating == "undetermined"
    assert result.coverage < readiness_settings().minimum_coverage


def test_unknown_party_and_issue_list_close_matches() -> None:
    with pytest.raises(InputError, match="did you mean US"):
        rate("USS", "CN", "deepfakes")
    with pytest.raises(InputError, match="did you mean facial_recognition"):
        rate("US", "CN", "facial_recog")
    with pytest.raises(InputError, match="two different parties"):
        rate("US", "US", "deepfakes")


def test_a_party_maps_to_its_own_jurisdictions() -> None:
    book = default_rulebook()
    assert load_party("DE", book).jurisdictions == ("EU",)
    assert set(load_party("US", book).jurisdictions) == {
        code for code in book.jurisdictions if code.startswith("US-")}
    assert load_party("CN", book).jurisdictions == ("CN",)
    assert load_party("KE", book).jurisdictions == ()


def test_adding_a_shared_prohibition_raises_the_score(tmp_path: Path) -> None:
    """A real rulebook change: China also bans social scoring (the US bans it in Texas)."""
    folder = tmp_path / "rules"
    shutil.copytree(default_rulebook().folder, folder)
    (folder / "cn" / "hypothetical_ban.yaml").write_text("""\
instrument: cn-pipl
rules:
  - id: cn.test.social-scoring-ban
    kind: prohibition
    redline: social_scoring
    title: Hypothetical ban on social scoring (test only)
    summary: A test-only ban used to check that a shared prohibition raises readiness.
    citation: {instrument: cn-pipl, article: "99"}
    in_force: {from: 2020-01-01}
    addressees: [deployer]
    when:
      fact: uses
      has_any: [social_scoring]
""", encoding="utf-8")
    before = rate("US", "CN", "social_scoring")
    after = rate("US", "CN", "social_scoring", rulebook=load_rulebook(folder))
    assert before.score is not None and after.score is not None
    assert after.score > before.score
    assert any("both ban social_scoring" in e.text for e in after.enablers)


# --- transfer --------------------------------------------------------------------------

def test_surveillance_to_an_autocracy_is_not_transferred() -> None:
    [profile] = load_profiles(EXAMPLES / "face-id-system.yaml")
    screen = screen_transfer(profile, "US", "CN")
    assert screen.outcome == "do_not_transfer" and not screen.provisional
    assert "complicity" in [r.id for r in screen.fired]
    flips = {(f.input, f.alternative): f.outcome for f in screen.sensitivity}
    assert flips[("human_rights_conflict", "no")] == "permit_with_safeguards"


def test_health_ai_to_a_developing_country_is_encouraged() -> None:
    [profile] = load_profiles(EXAMPLES / "tb-xray-reader.yaml")
    screen = screen_transfer(profile, "US", "KE", end_user="health_ministry")
    assert screen.outcome == "encourage"
    assert any(f.input == "development_need" and f.alternative == "low"
               for f in screen.sensitivity)


def test_surveillance_to_a_democracy_needs_due_diligence() -> None:
    [profile] = load_profiles(EXAMPLES / "face-id-system.yaml")
    screen = screen_transfer(profile, "US", "DE", end_user="police")
    assert screen.outcome == "permit_with_safeguards"
    assert {"human_rights_due_diligence", "end_use_monitoring",
            "use_domain_guarantees"} <= set(screen.safeguards)


def test_missing_political_data_makes_the_screen_provisional() -> None:
    [profile] = load_profiles(EXAMPLES / "face-id-system.yaml")
    screen = screen_transfer(profile, "US", "AD")  # Andorra: no V-Dem index
    risk = next(i for i in screen.inputs if i.id == "political_risk")
    assert risk.missing and screen.provisional
    assert screen.outcome == "do_not_transfer"  # the most restrictive possible


def test_unknown_end_user_lists_close_matches() -> None:
    [profile] = load_profiles(EXAMPLES / "tb-xray-reader.yaml")
    with pytest.raises(InputError, match="health_ministry"):
        screen_transfer(profile, "US", "KE", end_user="health_minstry")


# --- projects --------------------------------------------------------------------------

def test_example_proposal_scores_with_gaps_and_suggestions() -> None:
    data = load_yaml((EXAMPLES / "tb-screening-project.yaml").read_text(encoding="utf-8"))
    result = score_project(parse_proposal(data, "tb"))
    scores = {c.criterion.id: c.score for c in result.criteria}
    assert scores == {"global_significance": 2, "global_scale": 2, "public_good": 2,
                      "collaborative_test_bed": 2, "assessable_impact": 1,
                      "multistakeholder": 2}
    impact = next(c for c in result.criteria if c.criterion.id == "assessable_impact")
    assert any("broader_impact_assessment" in gap for gap in impact.gaps)
    assert any(t["id"] == "gb-mhra-ai-airlock" for t in result.test_beds)
    assert any(s["number"].startswith("ISO/IEC 42001") for s in result.audit_standards)


def test_unstated_criteria_are_missing_not_zero() -> None:
    result = score_project(parse_proposal({"id": "bare", "name": "Bare"}, "bare"))
    assert all(c.score is None for c in result.criteria)
    assert result.scored_maximum == 0 and len(result.missing) == 6
    stated = score_project(parse_proposal({"id": "x", "name": "X", "transnational": False},
                                          "x"))
    assert stated.criteria[0].score == 0


def test_bundled_projects_are_scored_from_what_the_knowledge_base_records() -> None:
    scores = bundled_project_scores()
    assert scores and all(s.criteria[1].score is not None for s in scores)  # partners known
    assert all("public_good" in s.missing for s in scores)


def test_bad_proposal_names_the_field() -> None:
    with pytest.raises(InputError, match="stakeholders.0"):
        parse_proposal({"id": "x", "name": "X", "stakeholders": ["lobbyists"]}, "p.yaml")
    assert len(project_criteria().criteria) == 6


# --- agenda ----------------------------------------------------------------------------

def test_agenda_ranks_issues_and_gives_shared_ground_and_barriers() -> None:
    agenda = dialogue_agenda("US", "CN", top=2)
    scores = [i.readiness.score or 0 for i in agenda.items
              if i.readiness.rating != "undetermined"]
    assert scores == sorted(scores, reverse=True)
    assert agenda.items[0].shared_ground is not None
    assert "G20 (AI Principles of 2019)" in agenda.items[0].shared_ground.forums
    assert agenda.items[-1].barriers


# --- CLI -------------------------------------------------------------------------------

@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_cooperation_text_and_json(runner: CliRunner) -> None:
    result = runner.invoke(main, ["cooperation", "US", "CN", "--issue", "facial_recognition"])
    assert result.exit_code == 0, result.output
    assert "RED" in result.output and "Barriers:" in result.output
    assert "green >= 0.6667" in result.output
    result = runner.invoke(main, ["cooperation", "us", "cn", "-i", "deepfakes",
                                  "--format", "json"])
    data = json.loads(result.output)
    assert data["a"] == "US" and data["rating"] in ("green", "yellow", "red")


def test_cli_matrix_html_is_offline(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "matrix.html"
    result = runner.invoke(main, ["cooperation", "--countries", "US,CN,EU", "--issues", "all",
                                  "--format", "html", "-o", str(target)])
    assert result.exit_code == 0, result.output
    page = target.read_text(encoding="utf-8")
    assert page.count('<td class="v"') == 3 * len(issues())
    assert "<script" not in page and "http" not in page
    assert 'id="US-CN-facial_recognition"' in page and "Barriers" in page


def test_cli_bad_input_exits_2_with_close_matches(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["cooperation", "US", "CX", "-i", "deepfakes"])
    assert result.exit_code == 2 and "did you mean" in result.output
    result = runner.invoke(main, ["cooperation", "US", "CN", "-i", "deep_fakes"])
    assert result.exit_code == 2 and "deepfakes" in result.output
    result = runner.invoke(main, ["cooperation", "US"])
    assert result.exit_code == 2
    result = runner.invoke(main, ["cooperation", "US", "CN", "--countries", "GB,JP"])
    assert result.exit_code == 2 and "not both" in result.output
    weights = tmp_path / "w.yaml"
    weights.write_text("version: 1\nfactors: {}\n", encoding="utf-8")
    result = runner.invoke(main, ["cooperation", "US", "CN", "--weights", str(weights)])
    assert result.exit_code == 2 and str(weights) in result.output


def test_cli_transfer_project_and_agenda(runner: CliRunner) -> None:
    result = runner.invoke(main, ["transfer", "--technology",
                                  str(EXAMPLES / "tb-xray-reader.yaml"), "--from", "US",
                                  "--to", "KE", "--end-user", "health_ministry"])
    assert result.exit_code == 0, result.output
    assert "ENCOURAGE" in result.output and "Sensitivity" in result.output
    result = runner.invoke(main, ["project", "score", str(EXAMPLES / "tb-screening-project.yaml"),
                                  "--format", "json"])
    assert json.loads(result.output)["total"] == 11
    result = runner.invoke(main, ["project", "score", "--bundled"])
    assert result.exit_code == 0 and "no evidence for" in result.output
    result = runner.invoke(main, ["agenda", "US", "GB", "--format", "markdown"])
    assert result.exit_code == 0 and "Start from:" in result.output


def test_transfer_of_a_profile_file_with_a_bad_profile_exits_2(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("profile: 1\nid: x\nname: X\nuses: [face_search]\n", encoding="utf-8")
    result = runner.invoke(main, ["transfer", "--technology", str(bad), "--from", "US",
                                  "--to", "KE"])
    assert result.exit_code == 2 and "uses" in result.output


def test_scenarios_are_valid_profiles() -> None:
    for issue in issues().values():
        for scenario in issue.scenarios:
            parse_profiles({"profile": 1, "id": "x", "name": "x", **scenario})


def test_the_documented_asia_society_comparison_is_current() -> None:
    """docs/cooperation.md's comparison table shows what Comity computes today."""
    text = (ROOT / "docs" / "cooperation.md").read_text(encoding="utf-8")
    titles = {issue.title.split(" (")[0]: issue.id for issue in issues().values()}
    rows = [line.split("|")[1:-1] for line in text.splitlines()
            if line.startswith("| ") and line.split("|")[1].strip() in
            {"Deep learning in drug discovery", "AI principles", "Deepfakes",
             "Affect recognition", "Facial recognition"}]
    assert len(rows) == 5
    for case, _study, rating, score, _first in rows:
        key = {"Affect recognition": "affect_recognition"}.get(case.strip(),
                                                                titles.get(case.strip(), ""))
        result = rate("US", "CN", key)
        assert rating.strip().strip("*") == result.rating, case
        assert float(score) == pytest.approx(result.score, abs=0.0005), case
