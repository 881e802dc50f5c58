from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from comity.profile.model import UNKNOWN, Profile
from comity.rulebook.conditions import Check, ConditionError, Truth, parse_condition


class FakeContext:
    def __init__(self, facts: Mapping[str, Any], conclusions: dict[str, Truth] | None = None):
        self.facts = facts
        self.answers: dict[str, Any] = {}
        self._conclusions = conclusions or {}

    def named_set(self, name: str) -> frozenset[Any]:
        return frozenset({"DE", "FR"})

    def conclusion(self, name: str) -> tuple[Truth, Check]:
        result = self._conclusions[name]
        return result, Check(name, result)


def facts(**overrides: Any) -> dict[str, Any]:
    base = Profile.model_validate({"profile": 1, "id": "x", "name": "x"}).facts()
    base.update({key.replace("__", "."): value for key, value in overrides.items()})
    return base


def test_kleene_all_and_any() -> None:
    context = FakeContext(facts(flags__profiling=True, decision_role=UNKNOWN))
    unknown = {"fact": "decision_role", "equals": "sole"}
    true = {"fact": "flags.profiling"}
    false = {"fact": "flags.research_only"}
    assert parse_condition({"all": [true, unknown]}).evaluate(context).result is None
    assert parse_condition({"all": [false, unknown]}).evaluate(context).result is False
    assert parse_condition({"any": [true, unknown]}).evaluate(context).result is True
    assert parse_condition({"any": [false, unknown]}).evaluate(context).result is None
    assert parse_condition({"not": unknown}).evaluate(context).result is None


def test_undetermined_checks_name_the_missing_fact_and_question() -> None:
    context = FakeContext(facts())
    check = parse_condition(
        {"all": [{"fact": "deployer.kind", "equals": "private"}, {"needs": "xx.human_answer"}]}
    ).evaluate(context)
    assert check.result is None
    assert check.missing_facts() == ["deployer.kind"]
    assert check.missing_questions() == ["xx.human_answer"]


@pytest.mark.parametrize(("answer", "expected", "label"), [
    (True, True, "answered xx.q = yes"), (False, False, "answered xx.q = no"),
    (UNKNOWN, None, "question xx.q unanswered"),
])
def test_a_question_reads_the_answer(answer: Any, expected: Truth, label: str) -> None:
    context = FakeContext(facts())
    context.answers = {"xx.q": answer}
    check = parse_condition({"needs": "xx.q"}).evaluate(context)
    assert (check.result, check.test) == (expected, label)
    assert check.missing_questions() == ([] if expected is not None else ["xx.q"])


def test_typed_questions_take_an_operator() -> None:
    context = FakeContext(facts())
    context.answers = {"xx.n": 12, "xx.many": frozenset({"a", "b"})}
    assert parse_condition({"needs": "xx.n", "gt": 10}).evaluate(context).result is True
    assert parse_condition({"needs": "xx.many", "has": "c"}).evaluate(context).result is False
    with pytest.raises(ConditionError, match="question id"):
        parse_condition({"needs": "free text is no longer allowed"})


def test_known_never_undetermined() -> None:
    context = FakeContext(facts())
    assert parse_condition({"fact": "deployer.kind", "known": True}).evaluate(context).result \
        is False


@pytest.mark.parametrize(
    ("operator", "value", "seen", "expected"),
    [
        ("gt", 1e25, 1e25, False),
        ("gt", 1e25, 3.8e25, True),
        ("gte", 1e25, 1e25, True),
        ("lt", 1e25, 1e24, True),
        ("lte", 1e25, 2e25, False),
    ],
)
def test_comparisons(operator: str, value: float, seen: float, expected: bool) -> None:
    context = FakeContext(facts(gpai__training_compute_flop=seen))
    condition = parse_condition({"fact": "gpai.training_compute_flop", operator: value})
    assert condition.evaluate(context).result is expected


def test_set_operators_and_named_sets() -> None:
    context = FakeContext(facts(uses=frozenset({"chatbot"}), deployer__country="DE"))
    assert parse_condition({"fact": "uses", "has_any": ["chatbot", "social_scoring"]}) \
        .evaluate(context).result is True
    assert parse_condition({"fact": "uses", "has_all": ["chatbot", "social_scoring"]}) \
        .evaluate(context).result is False
    assert parse_condition({"fact": "deployer.country", "in_set": "eu"}) \
        .evaluate(context).result is True


def test_established_refers_to_conclusions() -> None:
    context = FakeContext(facts(), {"high_risk": True})
    check = parse_condition({"established": "high_risk"}).evaluate(context)
    assert check.result is True and check.kind == "established"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fact": "no.such.fact"}, "unknown fact"),
        ({"fact": "uses", "has": "employment.recruitmnt"}, "not in the vocabulary"),
        ({"fact": "flags.profiling", "has": "x"}, "needs a list fact"),
        ({"fact": "uses", "has_any": "chatbot"}, "expected a list"),
        ({"fact": "gpai.training_compute_flop", "gt": "big"}, "expected a number"),
        ({"fact": "uses", "has": "chatbot", "equals": "x"}, "expected one operator"),
        ({"all": []}, "non-empty list"),
        ({"eval": "1+1"}, "unknown condition keys"),
        ({"fact": "markets", "has": "ATLANTIS"}, "not a market code"),
        ("text", "a condition is a mapping"),
    ],
)
def test_malformed_conditions_are_rejected(data: Any, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        parse_condition(data)
