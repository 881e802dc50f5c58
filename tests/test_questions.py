"""Questions as data: every ``needs`` names a question, every question is asked once."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from comity.engine.assess import assess_profile
from comity.errors import InputError
from comity.profile.files import parse_profiles
from comity.rulebook.cases import case_files, load_cases
from comity.rulebook.conditions import Check, question_tests
from comity.rulebook.loader import Rulebook, default_rulebook, default_rules_folder, load_rulebook
from comity.yaml12 import load_yaml
from tests.conftest import minimal_profile


def _asked(rulebook: Rulebook) -> set[str]:
    asked = set()
    for jurisdiction in rulebook.jurisdictions.values():
        conditions = [rule.condition for rule in jurisdiction.rules]
        conditions += [jurisdiction.scope, *(tier.condition for tier in jurisdiction.tiers)]
        asked |= {leaf.question for c in conditions for leaf in question_tests(c)}
    return asked


def test_every_question_is_asked_by_some_rule() -> None:
    rulebook = default_rulebook()
    assert sorted(set(rulebook.questions) - _asked(rulebook)) == []


def test_no_two_questions_have_the_same_text() -> None:
    seen: dict[str, str] = {}
    for question in default_rulebook().questions.values():
        text = " ".join(question.text.lower().split())
        assert text not in seen, f"{question.id} repeats {seen[text]}"
        seen[text] = question.id


def test_rule_files_hold_no_free_text_needs() -> None:
    """Every ``needs:`` in a rule file is a question id, not a sentence."""
    pattern = re.compile(r"""["']?needs["']?:\s*["']?([^"'}\n]*)""")
    for path in default_rules_folder().rglob("*.yaml"):
        if path.name.endswith(".cases.yaml") or path.name == "questions.yaml":
            continue
        for value in pattern.findall(path.read_text(encoding="utf-8")):
            assert re.fullmatch(r"[a-z0-9-]+\.[a-z0-9_.-]+", value.strip()), (path, value)


def test_questions_are_sentences_with_help_and_citation() -> None:
    for question in default_rulebook().questions.values():
        assert question.text.endswith("?") and question.text[0].isupper(), question.id
        assert question.spec.citation and len(question.spec.help) > 20, question.id
        assert question.version <= default_rulebook().version, question.id


def test_a_shared_question_serves_several_regimes() -> None:
    rulebook = default_rulebook()
    holders = [code for code, j in rulebook.jurisdictions.items()
               if "common.publicly_accessible_space" in j.questions
               and any(leaf.question == "common.publicly_accessible_space"
                       for rule in j.rules for leaf in question_tests(rule.condition))]
    assert sorted(holders) == ["BR", "EU", "US-FED"]


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), target)
    return target


@pytest.mark.parametrize(("old", "new", "message"), [
    ("needs: br.autonomous_weapon", "needs: br.no_such_question",
     "unknown question 'br.no_such_question'"),
    ("needs: br.autonomous_weapon", "needs: us-ca.companion_chatbot",
     "belongs to another regime"),
    ("needs: br.autonomous_weapon", "needs: br.autonomous_weapon, equals: x",
     "is yes_no"),
])
def test_a_needs_must_name_a_question_of_its_regime(tmp_path: Path, old: str, new: str,
                                                     message: str) -> None:
    rules = _copy_rules(tmp_path)
    path = rules / "br" / "pl2338.yaml"
    text = path.read_text(encoding="utf-8")
    if "equals" in new:
        text = text.replace(f"- {old}", "- {" + new + "}")
    else:
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)):
        load_rulebook(rules)


def test_a_question_file_is_validated(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    path = rules / "br" / "questions.yaml"
    data = load_yaml(path.read_text(encoding="utf-8"))
    data["questions"][0]["text"] = "Autonomous weapon system."
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="ending in '\\?'"):
        load_rulebook(rules)


def test_a_question_id_carries_its_folder(tmp_path: Path) -> None:
    rules = _copy_rules(tmp_path)
    path = rules / "br" / "questions.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "id: br.autonomous_weapon", "id: eu.autonomous_weapon"), encoding="utf-8")
    with pytest.raises(InputError, match="must start with 'br.'"):
        load_rulebook(rules)


def _eu_profile(**answers: object) -> dict[str, object]:
    return minimal_profile(
        uses=["biometric.remote_identification_realtime"],
        deployer={"kind": "law_enforcement", "country": "DE"},
        answers={key.replace("__", "."): value for key, value in answers.items()},
    )


@pytest.mark.parametrize(("answer", "status"), [
    ("yes", "holds"), (True, "holds"), ("no", "does_not_hold"), (False, "does_not_hold"),
    ("unknown", "undetermined"), (None, "undetermined"),
])
def test_an_answer_settles_the_rule_and_shows_in_the_trace(answer: object, status: str) -> None:
    [profile] = parse_profiles(_eu_profile(common__publicly_accessible_space=answer))
    result = assess_profile(profile, jurisdictions=["EU"]).result("EU")
    [trace] = [t for t in result.trace if t.rule_id == "eu.ai_act.art5.1.h"]
    [check] = [c for c in _question_checks(trace.check)
               if c.test.split(" ", 2)[1] == "common.publicly_accessible_space"]
    assert {True: "holds", False: "does_not_hold", None: "undetermined"}[check.result] == status
    if status != "undetermined":
        assert check.test == f"answered common.publicly_accessible_space = {answer_word(answer)}"


def _question_checks(check: Check) -> list[Check]:
    found = [check] if check.kind == "question" else []
    for child in check.children:
        found += _question_checks(child)
    return found


def answer_word(answer: object) -> str:
    return "yes" if answer in ("yes", True) else "no"


def test_an_unanswered_question_is_listed_on_the_finding() -> None:
    [profile] = parse_profiles(_eu_profile())
    result = assess_profile(profile, jurisdictions=["EU"]).result("EU")
    finding = next(f for f in result.undetermined if f.rule_id == "eu.ai_act.art5.1.h")
    assert "common.publicly_accessible_space" in [q.id for q in finding.questions]
    assert finding.to_dict()["questions"][0]["text"].endswith("?")


@pytest.mark.parametrize(("answers", "expected"), [
    ({"eu.no_such_question": "yes"}, "unknown question 'eu.no_such_question'"),
    ({"common.publicly_accessible_space": "maybe"}, "'maybe' is not a valid answer"),
    ({"common.publicly_accessible_space": 3}, "allowed: yes, no, unknown"),
])
def test_a_bad_answer_names_the_question_and_allowed_values(answers: dict[str, object],
                                                             expected: str) -> None:
    with pytest.raises(InputError) as error:
        parse_profiles(minimal_profile(answers=answers))
    assert "answers" in str(error.value) and expected in str(error.value)
    assert next(iter(answers)) in str(error.value)


def test_every_question_has_cases_answering_it_both_ways() -> None:
    """A question whose answer no case exercises could be wired the wrong way round."""
    answered: dict[str, set[str]] = {}
    for path in case_files(default_rulebook()):
        for case in load_cases(path):
            for key, value in case.profile.get("answers", {}).items():
                answered.setdefault(key, set()).add(str(value))
    for question in default_rulebook().questions.values():
        given = answered.get(question.id, set())
        if question.spec.type == "one_of":
            # A choice: at least two of its options, so a rule testing one is pinned.
            assert len(given & set(question.spec.options)) >= 2, question.id
        else:
            assert {"yes", "no"} <= given, question.id
