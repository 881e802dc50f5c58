"""``comity interview`` driven through a pseudo-terminal, as a person would use it."""

from __future__ import annotations

import copy
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pexpect
import pytest
from click.testing import CliRunner

from comity.cli.app import main
from comity.engine.assess import assess_profile
from comity.engine.open_questions import open_fields
from comity.intake.interview import next_fact, profile_of
from comity.profile.files import load_profiles, parse_profiles
from comity.rulebook.loader import default_rulebook

AS_OF = "2026-11-22"
DOWN, ENTER = "\x1b[B", "\r"
PARTIAL = {
    "profile": 1, "id": "police-cameras", "name": "Police live cameras", "markets": ["EU"],
    "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
    "uses": ["biometric.remote_identification_realtime"], "affected": ["general_public"],
    "data": ["biometric"], "deployer": {"country": "DE"}, "roles": ["deployer"],
}
# What the scripted person answers; any other question gets "no".
SCRIPT = {"common.publicly_accessible_space": "yes"}


def _spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    comity = str(Path(sys.executable).with_name("comity"))
    return pexpect.spawn(comity, list(args), cwd=str(tmp_path), encoding="utf-8",
                         dimensions=(60, 400), timeout=60,
                         env={"PATH": str(Path(sys.executable).parent), "TERM": "xterm",
                              "NO_COLOR": "1", "LANG": "C.UTF-8"})


def _start(tmp_path: Path, partial: dict[str, Any]) -> tuple[pexpect.spawn, Path]:
    """Start the interview on a partial profile; past its first prompt (use areas: none)."""
    start = tmp_path / "partial.json"
    start.write_text(json.dumps(partial), encoding="utf-8")
    out = tmp_path / "out.yaml"
    child = _spawn(tmp_path, "interview", str(start), "--out", str(out), "--as-of", AS_OF)
    child.expect("area where it has a use you cannot pin down")
    child.send(ENTER)  # none
    return child, out


def _interview(tmp_path: Path, stop_after: int | None = None) -> tuple[Path, list[str]]:
    """Run the interview on PARTIAL; return the saved profile and the questions asked."""
    child, out = _start(tmp_path, PARTIAL)
    child.expect("What role does its output play")
    child.send("none")  # the searchable list narrows to the typed value
    child.send(ENTER)
    child.expect("Country where the provider is established")
    child.send("US" + ENTER)
    child.expect("What kind of organisation")
    child.send("law_enforcement")
    child.send(ENTER)
    child.expect("first placed on the market")
    child.send(ENTER)  # not yet: left out
    questions = {q.text: q.id for q in default_rulebook().questions.values()}
    patterns = [re.escape(text) for text in questions]
    asked: list[str] = []
    while True:
        index = child.expect([*patterns, "No open questions left", "Stopped"])
        if index >= len(patterns):
            break
        question_id = questions[list(questions)[index]]
        asked.append(question_id)
        if stop_after is not None and len(asked) > stop_after:
            child.sendcontrol("c")
            continue
        answer = SCRIPT.get(question_id, "no")
        child.send(ENTER if answer == "yes" else DOWN + ENTER)
        child.expect("Result so far")  # re-assessed: the next prompt is a new question
    child.expect(pexpect.EOF)
    return out, asked


def test_interview_produces_the_profile_a_person_would_write(tmp_path: Path) -> None:
    out, asked = _interview(tmp_path)
    assert asked[0] == "common.publicly_accessible_space"  # tier-changing first
    assert len(asked) == len(set(asked))  # each question asked once
    [interviewed] = load_profiles(out)
    by_hand = dict(PARTIAL, decision_role="none", provider={"country": "US"},
                   deployer={"country": "DE", "kind": "law_enforcement"},
                   answers={key: SCRIPT.get(key, "no") for key in asked})
    [written] = parse_profiles(by_hand)
    day = date.fromisoformat(AS_OF)
    results = [assess_profile(p, as_of=day).to_dict()["results"] for p in (interviewed, written)]
    assert results[0] == results[1]
    eu = assess_profile(interviewed, as_of=day, jurisdictions=["EU"]).results[0]
    assert eu.tier == "prohibited" and eu.undetermined == []


def test_ctrl_c_keeps_the_answers_given_so_far(tmp_path: Path) -> None:
    out, asked = _interview(tmp_path, stop_after=1)
    [saved] = load_profiles(out)
    assert saved.decision_role == "none" and saved.deployer is not None
    assert list(saved.answers) == asked[:1]
    assert saved.answers[asked[0]]["version"] == default_rulebook().questions[asked[0]].version


def test_interview_refuses_without_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["interview", "--out", str(tmp_path / "p.yaml")])
    assert result.exit_code == 2
    assert "needs a terminal" in result.output
    assert not (tmp_path / "p.yaml").exists()


@pytest.mark.parametrize("missing", ["--out"])
def test_interview_needs_an_output_file(missing: str) -> None:
    result = CliRunner().invoke(main, ["interview"])
    assert result.exit_code == 2 and missing in result.output


def test_interview_from_nothing_asks_the_fields_with_searchable_vocabulary(
        tmp_path: Path) -> None:
    out = tmp_path / "new.yaml"
    child = _spawn(tmp_path, "interview", "--out", str(out), "--as-of", AS_OF)
    steps = [
        ("Name of the system", ["Workplace mood", ENTER]),
        ("Short id", [ENTER]),  # the suggested id, from the name
        ("Where is it placed", ["EU", " ", ENTER]),  # type to search, space to pick
        ("machine-based", ["y", ENTER]),
        ("infer", ["y", ENTER]),
        ("autonomously", ["partial", ENTER]),
        ("used for", ["emotion_recognition", " ", "\x7f" * 19, "workplace", " ", ENTER]),
        ("cannot pin down", [ENTER]),
        ("role does its output", ["supporting", ENTER]),
        ("provider is established", ["DE", ENTER]),
        ("deployer is established", ["unknown", ENTER]),  # I don't know: under unknown:
        ("kind of organisation", ["private", ENTER]),
        ("Who is affected", ["know", " ", ENTER]),  # I don't know: under unknown:
        ("What data", ["biometric", " ", ENTER]),
        ("Which roles", ["deployer", " ", ENTER]),
        ("first placed on the market", ["2025-03-01", ENTER]),
    ]
    for prompt, keys in steps:
        child.expect(prompt)
        for key in keys:
            child.send(key)
    child.expect("Result so far:.*EU: prohibited")
    child.expect(r"\? ")
    child.sendcontrol("c")
    child.expect("Progress saved")
    child.expect(pexpect.EOF)
    [saved] = load_profiles(out)
    assert saved.model_dump(mode="json", exclude_defaults=True) == {
        "profile": 1, "id": "workplace-mood", "name": "Workplace mood", "markets": ["EU"],
        "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
        "uses": ["biometric.emotion_recognition", "workplace"], "decision_role": "supporting",
        "provider": {"country": "DE"}, "deployer": {"kind": "private"},
        "data": ["biometric"], "roles": ["deployer"],
        "unknown": ["deployer.country", "affected"],
        "lifecycle": {"placed_on_market": "2025-03-01"}}


COLORADO: dict[str, Any] = {
    "profile": 1, "id": "cv", "name": "CV", "markets": ["US-CO"],
    "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
    "uses": ["employment.recruitment"], "decision_role": "substantial_factor",
    "affected": ["job_applicants"], "data": ["personal"], "provider": {"country": "US"},
    "deployer": {"country": "US", "kind": "private"}, "roles": ["deployer"],
    "lifecycle": {"placed_on_market": "2025-01-01"},
}
SMALL_DEPLOYER = {"us-co.deployer_trains_with_own_data", "us-co.small_deployer_use_as_intended"}


@pytest.mark.parametrize(("headcount", "questions_left"), [("120", set()),
                                                           ("unknown", SMALL_DEPLOYER)])
def test_interview_asks_an_organisation_fact_when_a_finding_waits_for_it(
        tmp_path: Path, headcount: str, questions_left: set[str]) -> None:
    """Colorado's small-deployer exemption waits for the deployer's headcount: the
    interview asks it; 120 settles the exemption (its questions are then not asked),
    "unknown" lists the field under unknown: and the exemption's questions follow."""
    child, out = _start(tmp_path, COLORADO)
    child.expect(r"Settles 3 finding\(s\) in US-CO: Colo\. AI Act, § 6-1-1703\(2\)\(a\)")
    child.expect("deployer.employees: Full-time-equivalent headcount")
    child.send("12.5" + ENTER)  # refused: a headcount is a whole number
    child.expect("not a whole number")
    child.send("\x7f" * 4 + headcount + ENTER)
    questions = {q.text: q.id for q in default_rulebook().questions.values()}
    patterns = [re.escape(text) for text in questions]
    asked = set()
    while (index := child.expect([*patterns, "No open questions left"])) < len(patterns):
        asked.add(questions[list(questions)[index]])
        child.send(DOWN + ENTER)  # no
        child.expect("Result so far")
    child.expect(pexpect.EOF)
    assert asked == questions_left
    [saved] = load_profiles(out)
    if headcount == "unknown":
        assert saved.unknown == ["deployer.employees"] and saved.deployer is not None
        assert saved.deployer.employees is None
    else:
        assert saved.deployer is not None and saved.deployer.employees == 120
    result = assess_profile(saved, as_of=date.fromisoformat(AS_OF), jurisdictions=["US-CO"])
    assert result.results[0].undetermined == []


def test_a_field_the_profile_gives_is_never_asked_again() -> None:
    """A use area leaves findings waiting for the precise use, but the profile gives
    ``uses``: asking it again would replace the list, so the interview does not."""
    data: dict[str, Any] = {**copy.deepcopy(COLORADO), "use_areas": ["essential_services"]}
    data.pop("profile")
    wanted = [next_fact(data, ["US-CO"], set(), as_of=date.fromisoformat(AS_OF))]
    data["deployer"]["employees"] = 120
    wanted.append(next_fact(data, ["US-CO"], set(), as_of=date.fromisoformat(AS_OF)))
    assert [w[0].path if w else None for w in wanted] == ["deployer.employees", None]
    assert open_fields(assess_profile(profile_of(data), as_of=date.fromisoformat(AS_OF),
                                      jurisdictions=["US-CO"]))[0].fact == "uses"
