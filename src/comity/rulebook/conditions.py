"""Condition trees over profile facts, evaluated in three-valued (Kleene) logic.

A condition is data, never code: ``all`` / ``any`` / ``not`` over leaf tests of one
fact, or ``established`` to refer to a conclusion that other rules establish. A fact
the profile does not give makes its test *undetermined* (``None``), and the rule that
needs it reports which fact is missing instead of guessing.

Leaf forms (exactly one operator per leaf)::

    {fact: system.deepfake}                       # the fact is true
    {fact: deployer.kind, known: true}            # the profile gives the fact (never undetermined)
    {fact: deployer.kind, equals: public_authority}
    {fact: deployer.kind, in: [law_enforcement, migration_authority]}
    {fact: deployer.country, in_set: eu_member_states}
    {fact: uses, has: employment.recruitment}
    {fact: uses, has_any: [credit.scoring, finance.lending]}
    {fact: markets, has_any_in_set: oecd_adherents}   # a list fact meets a named set
    {fact: gpai.training_compute_flop, gt: 1.0e25}
    {needs: common.publicly_accessible_space}     # a question (questions.yaml), yes/no
    {needs: eu.some_question, equals: option_a}   # typed questions take one operator

A ``needs`` leaf reads the profile's ``answers``: unanswered (or answered "unknown")
leaves it undetermined, and the finding lists the question to ask.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any, Protocol

from comity.profile.model import DATE_FACTS, FACT_NAMES, UNKNOWN, DontKnow, Unknown
from comity.profile.vocabulary import vocabulary
from comity.rulebook.questions import answer_label

Truth = bool | None
"""True, False, or None for undetermined."""

QUESTION_PREFIX = "question:"
"""Open points name facts (``deployer.kind``) or questions (``question:<id>``)."""

ANSWERED_UNKNOWN = " (answered unknown)"
"""Marks an open fact the profile states as unknown (``unknown:``), unlike one omitted."""

LEAF_OPERATORS = ("is_true", "known", "equals", "in", "in_set", "has", "has_any", "has_all",
                  "has_any_in_set",
                  "gt", "gte", "lt", "lte")


def facts_among(open_points: list[str]) -> list[str]:
    """The profile facts among open points (the rest are questions)."""
    return [point for point in open_points if not point.startswith(QUESTION_PREFIX)]


def questions_among(open_points: list[str]) -> list[str]:
    """The question ids among open points."""
    return [point.removeprefix(QUESTION_PREFIX) for point in open_points
            if point.startswith(QUESTION_PREFIX)]


@dataclass(slots=True)  # not frozen: created hundreds of times per assessment
class Check:
    """The trace of one evaluated condition: what it asked, what it saw, what it found."""

    test: str
    result: Truth
    saw: Any = None
    children: tuple[Check, ...] = ()
    kind: str = "fact"  # fact question all any not established conclusion rule always

    def open_points(self) -> list[str]:
        """Facts and questions (``question:<id>``) whose absence left this undetermined."""
        if self.result is not None:
            return []
        if self.kind == "rule":  # a conclusion's rule: it carries its own open points
            return list(self.saw or ())
        if self.kind == "question":
            return [QUESTION_PREFIX + self.test.split(" ", 2)[1]]
        if isinstance(self.saw, DontKnow):
            return [self.test.split(" ", 1)[0] + ANSWERED_UNKNOWN]
        if isinstance(self.saw, Unknown):
            return [self.test.split(" ", 1)[0]]
        found: list[str] = []
        for child in self.children:
            found += [name for name in child.open_points() if name not in found]
        return found

    def missing_facts(self) -> list[str]:
        """Profile facts whose absence left this check undetermined."""
        return facts_among(self.open_points())

    def missing_questions(self) -> list[str]:
        """Ids of the questions whose answer would settle this check."""
        return questions_among(self.open_points())

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"test": self.test, "result": truth_label(self.result)}
        if self.kind in ("fact", "question"):
            data["saw"] = _jsonable(self.saw)
        if self.children:
            data["children"] = [child.to_dict() for child in self.children]
        return data


class Context(Protocol):
    """What a condition needs to evaluate: facts, named sets and conclusions."""

    facts: Mapping[str, Any]
    @property
    def answers(self) -> Mapping[str, Any]:
        """Question id -> normalised answer; a missing id is unanswered."""

    def named_set(self, name: str) -> frozenset[Any]: ...

    def conclusion(self, name: str) -> tuple[Truth, Check]: ...


class Condition(Protocol):
    def evaluate(self, context: Context) -> Check: ...

    def facts_used(self) -> set[str]: ...

    def conclusions_used(self) -> set[str]: ...


@dataclass(frozen=True)
class FactTest:
    fact: str
    operator: str
    value: Any = None

    def evaluate(self, context: Context) -> Check:
        seen = context.facts[self.fact]
        label = self.label
        if self.operator == "known":
            # "Tested only when the profile gives it" guards read an explicit "I don't
            # know" as open: the author knows the fact matters and cannot say.
            if isinstance(seen, DontKnow):
                return Check(label, None, seen)
            return Check(label, (not isinstance(seen, Unknown)) == self.value, seen)
        if isinstance(seen, Unknown):
            return Check(label, None, seen)
        expected = (context.named_set(self.value)
                    if self.operator in ("in_set", "has_any_in_set") else self.value)
        result: Truth = _OPERATIONS[self.operator](seen, expected)
        if result is False and self.fact == "uses" and self._in_unsure_area(
                seen, context.facts.get("use_areas", frozenset())):
            return Check(label, None, UNKNOWN_USE)
        return Check(label, result, seen)

    def _in_unsure_area(self, seen: frozenset[str], areas: frozenset[str]) -> bool:
        """Whether a use this test looks for may hold: its area is among ``use_areas``
        (the profile says some use of the area applies, not which)."""
        if not areas or self.operator not in ("has", "has_any", "has_all"):
            return False
        tested = {self.value} if self.operator == "has" else set(self.value)
        missing = tested - seen
        in_area = [vocabulary().area_of(tag) in areas for tag in missing]
        return all(in_area) if self.operator == "has_all" else any(in_area)

    @cached_property
    def label(self) -> str:
        return self.describe()

    def describe(self) -> str:
        if self.operator == "is_true":
            return f"{self.fact} is true"
        shown = self.value if isinstance(self.value, str) else _jsonable(self.value)
        return f"{self.fact} {self.operator} {shown}"

    def facts_used(self) -> set[str]:
        return {self.fact}

    def conclusions_used(self) -> set[str]:
        return set()


@dataclass(frozen=True, slots=True)
class Established:
    name: str

    def evaluate(self, context: Context) -> Check:
        result, because = context.conclusion(self.name)
        return Check(f"established {self.name}", result, children=(because,), kind="established")

    def facts_used(self) -> set[str]:
        return set()

    def conclusions_used(self) -> set[str]:
        return {self.name}


@dataclass(frozen=True, slots=True)
class _Compound:
    items: tuple[Condition, ...]

    def facts_used(self) -> set[str]:
        return set().union(*(item.facts_used() for item in self.items))

    def conclusions_used(self) -> set[str]:
        return set().union(*(item.conclusions_used() for item in self.items))


@dataclass(frozen=True, slots=True)
class AllOf(_Compound):
    def evaluate(self, context: Context) -> Check:
        checks = tuple(item.evaluate(context) for item in self.items)
        results = [check.result for check in checks]
        result: Truth = False if False in results else (None if None in results else True)
        return Check("all of", result, children=checks, kind="all")


@dataclass(frozen=True, slots=True)
class AnyOf(_Compound):
    def evaluate(self, context: Context) -> Check:
        checks = tuple(item.evaluate(context) for item in self.items)
        results = [check.result for check in checks]
        result: Truth = True if True in results else (None if None in results else False)
        return Check("any of", result, children=checks, kind="any")


@dataclass(frozen=True, slots=True)
class Not:
    item: Condition

    def evaluate(self, context: Context) -> Check:
        check = self.item.evaluate(context)
        result = None if check.result is None else not check.result
        return Check("not", result, children=(check,), kind="not")

    def facts_used(self) -> set[str]:
        return self.item.facts_used()

    def conclusions_used(self) -> set[str]:
        return self.item.conclusions_used()


@dataclass(frozen=True)
class QuestionTest:
    """A legal element the profile's fields cannot express, asked as a question.

    ``{needs: common.publicly_accessible_space}`` holds when the profile answers yes;
    unanswered or answered "unknown", it is undetermined and names the question.
    """

    question: str
    operator: str = "is_true"
    value: Any = None

    def evaluate(self, context: Context) -> Check:
        seen = context.answers.get(self.question, UNKNOWN)
        if isinstance(seen, DontKnow):
            return Check(f"question {self.question} answered unknown", None, seen,
                         kind="question")
        if isinstance(seen, Unknown):
            return Check(f"question {self.question} unanswered", None, seen, kind="question")
        result = _OPERATIONS[self.operator](seen, self.value)
        return Check(f"answered {self.question} = {answer_label(seen)}", result, seen,
                     kind="question")

    def facts_used(self) -> set[str]:
        return set()

    def conclusions_used(self) -> set[str]:
        return set()


@dataclass(frozen=True, slots=True)
class Always:
    """The condition of a rule with no ``when``: it holds whenever the rule is in force."""

    def evaluate(self, context: Context) -> Check:
        return Check("always", True, kind="always")

    def facts_used(self) -> set[str]:
        return set()

    def conclusions_used(self) -> set[str]:
        return set()


def _has(seen: Any, value: Any) -> bool:
    return value in seen


def _compare(method: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(seen: Any, value: Any) -> bool:
        return seen is not None and method(seen, value)

    return compare


_OPERATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "is_true": lambda seen, _: seen is True,
    "equals": lambda seen, value: bool(seen == value),
    "in": lambda seen, value: seen in value,
    "in_set": lambda seen, value: seen in value,
    "has": _has,
    "has_any": lambda seen, value: not seen.isdisjoint(value),
    "has_all": lambda seen, value: seen.issuperset(value),
    "has_any_in_set": lambda seen, value: not seen.isdisjoint(value),
    "gt": _compare(lambda seen, value: seen > value),
    "gte": _compare(lambda seen, value: seen >= value),
    "lt": _compare(lambda seen, value: seen < value),
    "lte": _compare(lambda seen, value: seen <= value),
}

_SET_FACTS = frozenset({"markets", "uses", "affected", "data", "system.outputs", "roles",
                        "use_areas"})

UNKNOWN_USE = UNKNOWN
"""What an open use test saw: the profile names the use's area, not the use."""


class ConditionError(ValueError):
    """A condition tree that does not follow the format; ``path`` locates it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


def parse_condition(data: Any, path: str = "when") -> Condition:
    """Build a condition from its YAML form, rejecting unknown keys and facts."""
    if data is None:
        return Always()
    if not isinstance(data, dict) or len(data) == 0:
        raise ConditionError(path, "a condition is a mapping")
    keys = set(data)
    if keys == {"all"} or keys == {"any"}:
        (key, items), = data.items()
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{path}.{key}", "expected a non-empty list of conditions")
        parsed = tuple(parse_condition(item, f"{path}.{key}[{i}]") for i, item in enumerate(items))
        return AllOf(parsed) if key == "all" else AnyOf(parsed)
    if keys == {"not"}:
        return Not(parse_condition(data["not"], f"{path}.not"))
    if "needs" in keys:
        return _parse_question(data, path)
    if keys == {"established"}:
        if not isinstance(data["established"], str):
            raise ConditionError(f"{path}.established", "expected a conclusion name")
        return Established(data["established"])
    if "fact" in keys:
        return _parse_leaf(data, path)
    raise ConditionError(
        path,
        f"unknown condition keys {sorted(keys)}; use all, any, not, established, needs or fact",
    )


def _parse_leaf(data: dict[str, Any], path: str) -> FactTest:
    fact = data["fact"]
    if fact not in FACT_NAMES:
        raise ConditionError(f"{path}.fact", f"unknown fact {fact!r}; known: {sorted(FACT_NAMES)}")
    operators = [key for key in data if key != "fact"]
    if not operators:
        return FactTest(fact, "is_true")
    if len(operators) > 1 or operators[0] not in LEAF_OPERATORS:
        raise ConditionError(path, f"expected one operator of {LEAF_OPERATORS}, got {operators}")
    operator = operators[0]
    value = data[operator]
    is_set_fact = fact in _SET_FACTS
    if operator in ("has", "has_any", "has_all", "has_any_in_set") and not is_set_fact:
        raise ConditionError(path, f"{operator} needs a list fact; {fact} is not one")
    if operator in ("equals", "in", "in_set") and is_set_fact:
        raise ConditionError(path, f"{operator} tests one value; {fact} is a list: use "
                                   "has, has_any or has_all")
    if operator in ("in", "has_any", "has_all"):
        if not isinstance(value, list):
            raise ConditionError(f"{path}.{operator}", "expected a list")
        value = frozenset(value) if operator != "in" else tuple(value)
    if operator in ("gt", "gte", "lt", "lte") and fact in DATE_FACTS:
        value = _date_value(value, f"{path}.{operator}")
    elif operator in ("gt", "gte", "lt", "lte") and not isinstance(value, int | float):
        raise ConditionError(f"{path}.{operator}", "expected a number")
    if operator == "known" and not isinstance(value, bool):
        raise ConditionError(f"{path}.known", "expected true or false")
    if operator not in ("in_set", "has_any_in_set", "known"):
        _check_vocabulary(fact, value, f"{path}.{operator}")
    return FactTest(fact, operator, value)


def _date_value(value: Any, path: str) -> date:
    """A date in a rule (YAML 1.2 reads ``2026-08-02`` as text)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConditionError(path, f"expected a date (YYYY-MM-DD), got {value!r}") from None


def _parse_question(data: dict[str, Any], path: str) -> QuestionTest:
    question = data["needs"]
    if not isinstance(question, str) or " " in question:
        raise ConditionError(f"{path}.needs", "expected a question id (defined in a "
                             f"questions.yaml file), got {question!r}")
    operators = [key for key in data if key != "needs"]
    if not operators:
        return QuestionTest(question)
    if len(operators) > 1 or operators[0] not in LEAF_OPERATORS:
        raise ConditionError(path, f"expected one operator of {LEAF_OPERATORS}, got {operators}")
    operator = operators[0]
    value = data[operator]
    if operator in ("in", "has_any", "has_all"):
        if not isinstance(value, list):
            raise ConditionError(f"{path}.{operator}", "expected a list")
        value = frozenset(value) if operator != "in" else tuple(value)
    return QuestionTest(question, operator, value)


def question_tests(condition: Condition) -> list[QuestionTest]:
    """Every question leaf of a condition tree, in order."""
    if isinstance(condition, QuestionTest):
        return [condition]
    if isinstance(condition, AllOf | AnyOf):
        return [leaf for item in condition.items for leaf in question_tests(item)]
    if isinstance(condition, Not):
        return question_tests(condition.item)
    return []


def _check_vocabulary(fact: str, value: Any, path: str) -> None:
    """A misspelt tag in a rule would silently never match: reject it when loading."""
    words = vocabulary()
    closed: dict[str, Any] = {
        "uses": words.uses,
        "affected": words.affected,
        "data": words.data,
        "system.outputs": words.outputs,
        "decision_role": words.decision_roles,
        "deployer.kind": words.deployer_kinds,
        "system.autonomy": words.autonomy,
        "safety_component_of.legislation": words.safety_legislation,
        "flags.law_enforcement_exception": words.law_enforcement_exceptions,
        "roles": words.operator_roles,
        "use_areas": tuple(words.use_areas),
    }
    values = value if isinstance(value, tuple | frozenset) else (value,)
    for item in values:
        if fact in closed and item not in closed[fact]:
            raise ConditionError(path, f"{item!r} is not in the vocabulary of {fact}")
        if fact == "markets" and not words.is_market(str(item)):
            raise ConditionError(path, f"{item!r} is not a market code")


def positive_conclusions(condition: Condition) -> set[str]:
    """Conclusions a condition relies on being established (those not under ``not``)."""
    if isinstance(condition, Established):
        return {condition.name}
    if isinstance(condition, AllOf | AnyOf):
        return set().union(*(positive_conclusions(item) for item in condition.items))
    return set()


def truth_label(result: Truth) -> str:
    """``holds`` / ``does_not_hold`` / ``undetermined``."""
    return {True: "holds", False: "does_not_hold", None: "undetermined"}[result]


def _jsonable(value: Any) -> Any:
    if isinstance(value, frozenset | set | tuple):
        return sorted(value, key=str)
    if isinstance(value, DontKnow):
        return "unknown (answered)"
    if isinstance(value, Unknown):
        return "unknown"
    if isinstance(value, date):
        return value.isoformat()
    return value
