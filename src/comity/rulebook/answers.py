"""A profile's ``answers:``, checked against the rulebook's questions and read for rules.

>>> from comity import parse_profiles
>>> [profile] = parse_profiles({"profile": 1, "id": "x", "name": "X",
...                             "answers": {"common.publicly_accessible_space": "yes"}})
>>> answer_values(profile.answers)
{'common.publicly_accessible_space': True}
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from comity.rulebook.loader import Rulebook, default_rulebook
from comity.rulebook.questions import Answer, AnswerError, Question, answer_label, parse_answer


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
