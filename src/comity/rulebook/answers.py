"""A profile's ``answers:``, checked against the rulebook's questions and read for rules.

>>> from comity import parse_profiles
>>> [profile] = parse_profiles({"profile": 1, "id": "x", "name": "X",
...                             "answers": {"common.publicly_accessible_space": "yes"}})
>>> answer_values(profile.answers)
{'common.publicly_accessible_space': True}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from comity.rulebook.loader import Rulebook, default_rulebook
from comity.rulebook.questions import Answer, AnswerError, Question, parse_answer


def parse_answers(answers: Mapping[str, Any], rulebook: Rulebook | None = None
                  ) -> dict[str, Answer]:
    """Every answer read against its question; :class:`AnswerError` on the first misfit."""
    questions = (rulebook or default_rulebook()).questions
    parsed = {}
    for question_id, raw in answers.items():
        question = questions.get(question_id)
        if question is None:
            raise AnswerError(question_id, f"unknown question {question_id!r}",
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


def answer_values(answers: Mapping[str, Any], rulebook: Rulebook | None = None
                  ) -> dict[str, Any]:
    """Question id -> the value rules test (``UNKNOWN`` for an explicit "I don't know")."""
    return {key: answer.value for key, answer in parse_answers(answers, rulebook).items()}


def reworded_since_answered(answers: Mapping[str, Any], rulebook: Rulebook | None = None
                            ) -> dict[str, tuple[str, str]]:
    """Answers recorded against an older wording: id -> (answered version, current)."""
    book = rulebook or default_rulebook()
    found = {}
    for key, answer in parse_answers(answers, book).items():
        current = book.questions[key].version
        if answer.version is not None and answer.version != current:
            found[key] = (answer.version, current)
    return found


def _near(question_id: str, questions: Mapping[str, Question]) -> tuple[str, ...]:
    """The questions of the same namespace (or all ids when the namespace is unknown)."""
    namespace = question_id.split(".", 1)[0] + "."
    same = tuple(sorted(key for key in questions if key.startswith(namespace)))
    return same or tuple(sorted(questions))
