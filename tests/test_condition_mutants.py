"""Exact behaviour of the condition parser and its trace, pinned so that a changed
message, field path, label or trace key is noticed (mutation testing, docs/testing.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from comity.profile.model import DONT_KNOW, UNKNOWN
from comity.rulebook.conditions import (
    AllOf,
    Always,
    AnyOf,
    Check,
    Condition,
    ConditionError,
    Established,
    FactTest,
    Not,
    QuestionTest,
    _compare,
    parse_condition,
    positive_conclusions,
    question_tests,
    truth_label,
)
from tests.test_conditions import FakeContext, facts

OPERATORS = ("('is_true', 'known', 'equals', 'in', 'in_set', 'has', 'has_any', 'has_all', "
             "'has_any_in_set', 'gt', 'gte', 'lt', 'lte')")


def _error(data: Any, path: str = "when") -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        parse_condition(data, path)
    return caught.value


@pytest.mark.parametrize(("data", "path", "message"), [
    ("text", "when", "a condition is a mapping"),
    ({}, "when", "a condition is a mapping"),
    ({"all": []}, "when.all", "expected a non-empty list of conditions"),
    ({"any": "x"}, "when.any", "expected a non-empty list of conditions"),
    ({"established": 3}, "when.established", "expected a conclusion name"),
    ({"eval": "1", "x": 2}, "when",
     "unknown condition keys ['eval', 'x']; use all, any, not, established, needs or fact"),
    ({"all": [{"fact": "flags.profiling"}, {"not": {"fact": "nope"}}]},
     "when.all[1].not.fact", None),
    ({"fact": "uses", "has": "chatbot", "equals": "x"}, "when",
     f"expected one operator of {OPERATORS}, got ['has', 'equals']"),
    ({"fact": "uses", "contains": "chatbot"}, "when",
     f"expected one operator of {OPERATORS}, got ['contains']"),
    ({"fact": "flags.profiling", "has_any_in_set": "eu"}, "when",
     "has_any_in_set needs a list fact; flags.profiling is not one"),
    ({"fact": "uses", "in_set": "eu"}, "when",
     "in_set tests one value; uses is a list: use has, has_any or has_all"),
    ({"fact": "roles", "equals": "provider"}, "when",
     "equals tests one value; roles is a list: use has, has_any or has_all"),
    ({"fact": "decision_role", "in": "sole"}, "when.in", "expected a list"),
    ({"fact": "uses", "has_all": "chatbot"}, "when.has_all", "expected a list"),
    ({"fact": "gpai.training_compute_flop", "lte": "1e25"}, "when.lte", "expected a number"),
    ({"fact": "deployer.kind", "known": "yes"}, "when.known", "expected true or false"),
    ({"fact": "deployer.kind", "equals": "pirate"}, "when.equals",
     "'pirate' is not in the vocabulary of deployer.kind"),
    ({"fact": "uses", "has_any": ["chatbot", "chatbott"]}, "when.has_any",
     "'chatbott' is not in the vocabulary of uses"),
    ({"fact": "markets", "has": "ATLANTIS"}, "when.has", "'ATLANTIS' is not a market code"),
    ({"needs": "two words"}, "when.needs",
     "expected a question id (defined in a questions.yaml file), got 'two words'"),
    ({"needs": 7}, "when.needs",
     "expected a question id (defined in a questions.yaml file), got 7"),
    ({"needs": "xx.q", "gt": 1, "lt": 3}, "when",
     f"expected one operator of {OPERATORS}, got ['gt', 'lt']"),
    ({"needs": "xx.q", "like": 1}, "when", f"expected one operator of {OPERATORS}, got ['like']"),
    ({"needs": "xx.q", "in": "a"}, "when.in", "expected a list"),
])
def test_parse_errors_give_field_path_and_message(data: Any, path: str,
                                                  message: str | None) -> None:
    error = _error(data)
    assert error.path == path
    if message is not None:
        assert str(error) == f"{path}: {message}"


def test_unknown_fact_lists_the_known_facts() -> None:
    error = _error({"fact": "no.such"}, "rules[3].when")
    assert error.path == "rules[3].when.fact"
    assert str(error).startswith("rules[3].when.fact: unknown fact 'no.such'; known: ['")
    assert "'deployer.kind'" in str(error) and "'uses'" in str(error)


def test_parsed_forms() -> None:
    assert parse_condition(None) == Always()
    assert parse_condition({"fact": "flags.profiling"}) == FactTest("flags.profiling", "is_true")
    assert parse_condition({"fact": "decision_role", "in": ["sole", "none"]}) == FactTest(
        "decision_role", "in", ("sole", "none"))
    assert parse_condition({"fact": "uses", "has_all": ["chatbot"]}) == FactTest(
        "uses", "has_all", frozenset({"chatbot"}))
    assert parse_condition({"fact": "uses", "has_any": ["chatbot"]}) == FactTest(
        "uses", "has_any", frozenset({"chatbot"}))
    assert parse_condition({"fact": "deployer.country", "in_set": "eu"}) == FactTest(
        "deployer.country", "in_set", "eu")
    assert parse_condition({"fact": "markets", "has_any_in_set": "eu"}) == FactTest(
        "markets", "has_any_in_set", "eu")
    assert parse_condition({"fact": "deployer.kind", "known": False}) == FactTest(
        "deployer.kind", "known", False)
    assert parse_condition({"needs": "xx.q"}) == QuestionTest("xx.q")
    assert parse_condition({"needs": "xx.q", "in": ["a", "b"]}) == QuestionTest(
        "xx.q", "in", ("a", "b"))
    assert parse_condition({"needs": "xx.q", "has_any": ["a"]}) == QuestionTest(
        "xx.q", "has_any", frozenset({"a"}))
    assert parse_condition({"needs": "xx.q", "has_all": ["a"]}) == QuestionTest(
        "xx.q", "has_all", frozenset({"a"}))
    assert parse_condition({"needs": "xx.q", "equals": "a"}) == QuestionTest("xx.q", "equals", "a")
    leaf = {"fact": "flags.profiling"}
    assert parse_condition({"all": [leaf]}) == AllOf((FactTest("flags.profiling", "is_true"),))
    assert parse_condition({"any": [leaf]}) == AnyOf((FactTest("flags.profiling", "is_true"),))
    assert parse_condition({"not": leaf}) == Not(FactTest("flags.profiling", "is_true"))
    assert parse_condition({"established": "x"}) == Established("x")


def test_labels_describe_each_leaf() -> None:
    assert FactTest("flags.profiling", "is_true").label == "flags.profiling is true"
    assert FactTest("deployer.kind", "equals", "private").label == "deployer.kind equals private"
    assert FactTest("uses", "has_any", frozenset({"b", "a"})).label == "uses has_any ['a', 'b']"
    assert FactTest("decision_role", "in", ("sole", "none")).label \
        == "decision_role in ['none', 'sole']"
    assert FactTest("gpai.training_compute_flop", "gt", 10).label \
        == "gpai.training_compute_flop gt 10"


def test_trace_of_each_kind_of_check() -> None:
    context = FakeContext(facts(flags__profiling=True, deployer__kind=UNKNOWN,
                                uses=frozenset({"chatbot"})), {"c": True})
    context.answers = {"xx.q": False}
    tree = parse_condition({"all": [
        {"fact": "flags.profiling"},
        {"not": {"fact": "deployer.kind", "equals": "private"}},
        {"any": [{"established": "c"}, {"needs": "xx.q"}, {"needs": "xx.other"}]},
        {"fact": "uses", "has_any": ["chatbot"]},
    ]})
    check = tree.evaluate(context)
    assert check.to_dict() == {"test": "all of", "result": "undetermined", "children": [
        {"test": "flags.profiling is true", "result": "holds", "saw": True},
        {"test": "not", "result": "undetermined", "children": [
            {"test": "deployer.kind equals private", "result": "undetermined",
             "saw": "unknown"}]},
        {"test": "any of", "result": "holds", "children": [
            {"test": "established c", "result": "holds",
             "children": [{"test": "c", "result": "holds", "saw": None}]},
            {"test": "answered xx.q = no", "result": "does_not_hold", "saw": False},
            {"test": "question xx.other unanswered", "result": "undetermined",
             "saw": "unknown"}]},
        {"test": "uses has_any ['chatbot']", "result": "holds", "saw": ["chatbot"]},
    ]}
    assert [c.kind for c in check.children] == ["fact", "not", "any", "fact"]
    assert check.kind == "all"
    assert [c.kind for c in check.children[2].children] == ["established", "question", "question"]
    assert check.missing_facts() == ["deployer.kind"]
    assert check.missing_questions() == []  # the any-of holds: its open question does not count
    assert Always().evaluate(context) == Check("always", True, kind="always")


def test_open_points_are_deduplicated_and_ordered() -> None:
    context = FakeContext(facts(deployer__kind=UNKNOWN, decision_role=UNKNOWN))
    check = parse_condition({"all": [
        {"fact": "deployer.kind", "equals": "private"},
        {"needs": "xx.q"},
        {"any": [{"fact": "decision_role", "equals": "sole"},
                 {"fact": "deployer.kind", "equals": "public_authority"},
                 {"needs": "xx.q"}]},
    ]}).evaluate(context)
    assert check.open_points() == ["deployer.kind", "question:xx.q", "decision_role"]
    assert check.missing_facts() == ["deployer.kind", "decision_role"]
    assert check.missing_questions() == ["xx.q"]
    rule = Check("rule x", None, ["uses", "question:yy.z"], kind="rule")
    assert rule.open_points() == ["uses", "question:yy.z"]
    assert Check("rule x", None, None, kind="rule").open_points() == []
    assert Check("x", True, UNKNOWN).open_points() == []
    assert Check("x", False, UNKNOWN).open_points() == []


def test_check_to_dict_for_dates_and_rules() -> None:
    assert Check("d", True, date(2026, 8, 2)).to_dict() == {
        "test": "d", "result": "holds", "saw": "2026-08-02"}
    assert Check("r", False, ("b", "a"), kind="rule").to_dict() == {
        "test": "r", "result": "does_not_hold"}
    assert truth_label(True) == "holds"
    assert truth_label(False) == "does_not_hold"
    assert truth_label(None) == "undetermined"


def test_operators_on_values() -> None:
    context = FakeContext(facts(flags__profiling=False, markets=frozenset({"DE", "US"}),
                                deployer__country="US", uses=frozenset({"chatbot"}),
                                gpai__training_compute_flop=None))
    def result(data: dict[str, Any]) -> Any:
        return parse_condition(data).evaluate(context).result
    assert result({"fact": "flags.profiling"}) is False
    assert result({"fact": "markets", "has_any_in_set": "eu"}) is True
    assert result({"fact": "deployer.country", "in_set": "eu"}) is False
    assert result({"fact": "uses", "has_all": ["chatbot"]}) is True
    assert result({"fact": "uses", "has_any": ["social_scoring"]}) is False
    assert result({"fact": "deployer.country", "in": ["US"]}) is True
    assert result({"fact": "deployer.country", "in": ["DE"]}) is False
    for operator in ("gt", "gte", "lt", "lte"):
        assert result({"fact": "gpai.training_compute_flop", operator: 0}) is False
    assert result({"fact": "deployer.country", "known": True}) is True
    assert result({"fact": "deployer.country", "known": False}) is False
    context.answers = {"xx.n": 3, "xx.s": "a"}
    assert result({"needs": "xx.n", "gte": 3}) is True
    assert result({"needs": "xx.n", "lt": 3}) is False
    assert result({"needs": "xx.s", "in": ["a"]}) is True
    assert result({"needs": "xx.s", "equals": "b"}) is False
    truthy = FakeContext(facts(flags__profiling=1))
    assert parse_condition({"fact": "flags.profiling"}).evaluate(truthy).result is False


def test_facts_conclusions_and_questions_used() -> None:
    tree = parse_condition({"any": [
        {"all": [{"fact": "uses", "has": "chatbot"}, {"established": "a"}]},
        {"not": {"all": [{"fact": "deployer.kind", "equals": "private"},
                         {"established": "b"}, {"needs": "xx.q"}]}},
        {"needs": "xx.r"},
    ]})
    assert tree.facts_used() == {"uses", "deployer.kind"}
    assert tree.conclusions_used() == {"a", "b"}
    assert positive_conclusions(tree) == {"a"}
    assert positive_conclusions(Established("z")) == {"z"}
    assert positive_conclusions(Not(Established("z"))) == set()
    assert [q.question for q in question_tests(tree)] == ["xx.q", "xx.r"]
    assert question_tests(Established("z")) == []
    leaves: tuple[Condition, ...] = (Always(), QuestionTest("xx.q"), Established("a"))
    assert [leaf.facts_used() for leaf in leaves] == [set(), set(), set()]
    leaves = (Always(), QuestionTest("xx.q"), FactTest("uses", "has", "chatbot"))
    assert [leaf.conclusions_used() for leaf in leaves] == [set(), set(), set()]
    assert Not(FactTest("uses", "has", "chatbot")).facts_used() == {"uses"}


@pytest.mark.parametrize("operator", ["has", "has_any", "has_all", "has_any_in_set"])
def test_every_list_operator_needs_a_list_fact(operator: str) -> None:
    error = _error({"fact": "deployer.country", operator: ["DE"]})
    assert str(error) == f"when: {operator} needs a list fact; deployer.country is not one"


@pytest.mark.parametrize("operator", ["equals", "in", "in_set"])
def test_every_single_value_operator_rejects_a_list_fact(operator: str) -> None:
    error = _error({"fact": "uses", operator: ["chatbot"]})
    assert str(error) == (f"when: {operator} tests one value; uses is a list: use has, "
                          "has_any or has_all")


@pytest.mark.parametrize("operator", ["gt", "gte", "lt", "lte"])
def test_every_comparison_needs_a_number(operator: str) -> None:
    assert str(_error({"fact": "gpai.training_compute_flop", operator: "x"})) == (
        f"when.{operator}: expected a number")


@pytest.mark.parametrize(("fact", "operator"), [
    ("affected", "has"), ("data", "has"), ("system.outputs", "has"),
    ("decision_role", "equals"), ("system.autonomy", "equals"),
    ("safety_component_of.legislation", "equals"),
    ("flags.law_enforcement_exception", "equals"), ("roles", "has"),
    ("use_areas", "has"),
])
def test_every_closed_vocabulary_is_checked(fact: str, operator: str) -> None:
    assert str(_error({"fact": fact, operator: "zzz_not_a_word"})) == (
        f"when.{operator}: 'zzz_not_a_word' is not in the vocabulary of {fact}")


@pytest.mark.parametrize("operator", ["gt", "gte", "lt", "lte"])
def test_a_lifecycle_date_in_a_rule_is_read_from_text_or_refused_with_its_path(
        operator: str) -> None:
    parsed = parse_condition({"fact": "lifecycle.placed_on_market", operator: "2026-08-02"})
    assert parsed == FactTest("lifecycle.placed_on_market", operator, date(2026, 8, 2))
    assert str(_error({"fact": "lifecycle.placed_on_market", operator: "August 2026"})) == (
        f"when.{operator}: expected a date (YYYY-MM-DD), got 'August 2026'")


def test_comparisons_are_false_for_a_missing_value_and_strict_or_not_as_named() -> None:
    # The operator table is built at import; its builder is tested here directly, since a
    # mutation run switches mutants on only after import (docs/testing.md).
    greater = _compare(lambda seen, value: seen > value)
    assert [greater(None, 1), greater(2, 1), greater(1, 1), greater(0, 1)] == [
        False, True, False, False]


def test_a_condition_error_path_starts_at_when_by_default() -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition({"fact": "nope"})
    assert caught.value.path == "when.fact"


@pytest.mark.parametrize(("operator", "value", "uses", "result"), [
    ("has", "employment.recruitment", set(), None),  # a use of the unsure area may hold
    ("has", "education.admission", set(), False),  # another area: it does not
    ("has_any", ["education.admission", "employment.recruitment"], set(), None),
    ("has_any", ["education.admission", "education.assessment"], set(), False),
    ("has_all", ["education.admission", "employment.recruitment"], set(), False),
    ("has_all", ["education.admission", "employment.recruitment"],
     {"education.admission"}, None),
])
def test_a_use_in_an_unsure_area_is_undetermined(operator: str, value: Any, uses: set[str],
                                                 result: bool | None) -> None:
    test = parse_condition({"fact": "uses", operator: value})
    unsure = FakeContext(facts(uses=frozenset(uses), use_areas=frozenset({"employment"})))
    assert test.evaluate(unsure).result is result
    sure = FakeContext(facts(uses=frozenset(uses), use_areas=frozenset()))
    assert test.evaluate(sure).result is False


def test_an_answer_of_unknown_is_kept_as_seen_and_named_as_answered() -> None:
    context = FakeContext(facts())
    context.answers = {"common.publicly_accessible_space": DONT_KNOW}
    check = QuestionTest("common.publicly_accessible_space").evaluate(context)
    assert (check.result, check.saw, check.kind) == (None, DONT_KNOW, "question")
    assert check.test == "question common.publicly_accessible_space answered unknown"
