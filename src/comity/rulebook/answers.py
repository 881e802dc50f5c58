"""A profile's ``answers:``, checked against the rulebook's questions and read for rules.

>>> from comity import parse_profiles
>>> [profile] = parse_profiles({"profile": 1, "id": "x", "name": "X",
...                             "answers": {"common.publicly_accessible_space": "yes"}})
>>> answer_values(profile.answers)
{'common.publicly_accessible_space': True}
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from comity.profile.model import Unknown
from comity.rulebook.conditions import Condition, parse_condition
from comity.rulebook.loader import Rulebook, default_rulebook
from comity.rulebook.questions import (
    Answer,
    AnswerError,
    Question,
    answer_label,
    answer_value,
    parse_answer,
)


def parse_answers(answers: Mapping[str, Any], rulebook: Rulebook | None = None
                  ) -> dict[str, Answer]:
    """Every answer read against its question; :class:`AnswerError` on the first misfit."""
    questions = (rulebook or default_rulebook()).questions
    parsed = {}
    for question_id, raw in answers.items():
        question = questions.get(question_id)
        if question is None:
            close = difflib.get_close_matches(question_id, list(questions), n=1, cutoff=0.7)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise AnswerError(question_id, f"unknown question {question_id!r}{hint}",
                              _near(question_id, questions))
        parsed[question_id] = parse_answer(question, raw)
    return parsed


def check_answers(answers: Mapping[str, Any], rulebook: Rulebook | None = None) -> None:
    """Raise ``ValueError`` naming the question and its allowed values (profile validation)."""
    try:
        parse_answers(answers, rulebook)
    except AnswerError as error:
        raise ValueError(f"{error.question_id}: {error}; allowed: "
                         f"{', '.join(error.allowed[:40])}") from None


def check_derived_answers(answers: Mapping[str, Any], facts: Mapping[str, Any],
                          rulebook: Rulebook | None = None) -> None:
    """Raise ``ValueError`` naming ``answers.<id>`` when an answer contradicts a profile
    fact that settles it (the question's ``derived:``); "unknown" never contradicts."""
    book = rulebook or default_rulebook()
    for key, answer in parse_answers(answers, book).items():
        question = book.questions[key]
        for derived in question.spec.derived:
            expected = answer_value(question, derived.answer)
            if (isinstance(answer.value, Unknown) or answer.value == expected
                    or _derived_condition(key, derived.when).evaluate(
                        _FactsOnly(facts)).result is not True):
                continue
            raise ValueError(
                f"answers.{key}: answered {answer_label(answer.value)}, but {derived.because}, "
                f"so the answer is {answer_label(expected)}; correct the answer or the fact")


class _FactsOnly:
    """A condition context with facts only (derived answers test facts, nothing else)."""

    answers: Mapping[str, Any] = {}

    def __init__(self, facts: Mapping[str, Any]) -> None:
        self.facts = facts

    def named_set(self, name: str) -> frozenset[Any]:
        raise ValueError(f"a derived answer cannot use the named set {name!r}; list values")

    def conclusion(self, name: str) -> Any:
        raise ValueError(f"a derived answer cannot use the conclusion {name!r}")


@lru_cache(maxsize=256)
def _parse_cached(key: str, text: str) -> Condition:
    return parse_condition(json.loads(text), f"{key}.derived.when")


def _derived_condition(key: str, when: dict[str, Any]) -> Condition:
    return _parse_cached(key, json.dumps(when, sort_keys=True))


def answer_values(answers: Mapping[str, Any], rulebook: Rulebook | None = None
                  ) -> dict[str, Any]:
    """Question id -> the value rules test (``UNKNOWN`` for an explicit "I don't know")."""
    return {key: answer.value for key, answer in parse_answers(answers, rulebook).items()}


def answer_records(answers: Mapping[str, Any], rulebook: Rulebook | None = None
                   ) -> dict[str, dict[str, Any]]:
    """What an assessment records of each answer: the value, the question's current
    wording version, the version answered (if the profile gives it), and whether the
    wording changed since (the answer should then be reviewed)."""
    book = rulebook or default_rulebook()
    records = {}
    for key, answer in parse_answers(answers, book).items():
        current = book.questions[key].version
        records[key] = {"value": answer_label(answer.value), "question_version": current,
                        "answered_version": answer.version,
                        "reworded": answer.version is not None and answer.version != current}
    return records


def _near(question_id: str, questions: Mapping[str, Question]) -> tuple[str, ...]:
    """The questions of the same namespace (or all ids when the namespace is unknown)."""
    namespace = question_id.split(".", 1)[0] + "."
    same = tuple(sorted(key for key in questions if key.startswith(namespace)))
    return same or tuple(sorted(questions))
