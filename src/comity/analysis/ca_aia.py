"""Canada's Algorithmic Impact Assessment (AIA): score a completed questionnaire.

The Treasury Board's *Directive on Automated Decision-Making* sorts automated decision
systems into impact levels I to IV with the AIA, a questionnaire published as the
official tool ``canada-ca/aia-eia-js``. This module re-computes the tool's scores from
the answers it saves, for every questionnaire version shipped in
``comity/data/ca-aia`` (sources and checks: ``comity/data/ca-aia/SOURCE.md``).

The scoring follows ``calculateFinalScore`` in the tool's ``src/store.ts`` exactly:

- A question is scored when it is a radio group, checkbox or dropdown whose name ends in
  ``-RS`` (raw impact score) or ``-MS`` (mitigation score); a question whose own name
  has no such suffix takes it from its parent panel (or page); ``-NS`` means not scored.
  All questions of the questionnaire count, whether or not they were visible.
- A choice value ``item<n>-<weight>`` scores the number after its last hyphen (parsed
  like JavaScript's ``Number``; anything else scores 0). A checkbox answer scores the
  sum of its ticked values; its maximum is the sum of all its choices. A radio group's
  or dropdown's maximum is its largest choice value (at least 0).
- raw score = sum of the raw-impact answers; mitigation score = sum of the mitigation
  answers. If the mitigation score reaches 80 % of *half* the maximum mitigation score
  (the tool halves it because the mitigation pages fork into design and
  implementation), the final score is the raw score reduced by 15 % and rounded like
  JavaScript's ``Math.round`` (halves up); otherwise the final score is the raw score.
- impact level = 1 if final <= 25 % of the maximum raw score, 2 if <= 50 %, 3 if
  <= 75 %, else 4.

No guessing: an unknown questionnaire version is an :class:`~comity.errors.InputError`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from comity.errors import InputError, Problem, read_input_text
from comity.json_input import load_json

Number = int | float
ScoreType = Literal["raw", "mitigation"]
Language = Literal["en", "fr"]

#: Constants of ``calculateFinalScore`` (canada-ca/aia-eia-js, src/store.ts).
MITIGATION_SHARE = 0.8
DEDUCTION = 0.15
LEVEL_THRESHOLDS = (0.25, 0.5, 0.75)

SCORED_TYPES = ("radiogroup", "checkbox", "dropdown")
LEVEL_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}
LANGUAGES: tuple[Language, ...] = ("en", "fr")
PROFILE_PATH = "impact_assessments.ca_aia"

#: The rows of Appendix C of the Directive, in the order of the tool's ``requirements``
#: text, with the section of the Directive each row implements (2025 text).
REQUIREMENT_ROWS: tuple[tuple[str, str, str], ...] = (
    ("notice", "Notice", "6.2.1-6.2.2"),
    ("explanation", "Explanation", "6.2.3"),
    ("peer_review", "Peer review", "6.3.7"),
    ("gba_plus", "Gender-based Analysis Plus", "6.3.8"),
    ("training", "Training", "6.3.9"),
    ("human_involvement", "Ensuring human involvement", "6.3.13"),
    ("approval", "Approval for the system to operate", "6.3.14"),
)

_DATA = "ca-aia"
_SURVEY_FILE = re.compile(r"^survey-enfr\.(?P<version>.+)\.json$")
# JavaScript's Number(): decimal literals (with exponent), Infinity, 0x/0o/0b integers.
_JS_DECIMAL = re.compile(r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_JS_RADIX = re.compile(r"^0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)$")
_JS_SPACE = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_HTML_LINK = re.compile(r'<a\s+[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.S)
_HTML_TAG = re.compile(r"<[^>]+>")


# --- Questionnaires -------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One scored question: its name, SurveyJS type, score type and maximum score."""

    name: str
    type: str
    score_type: ScoreType
    max_score: float


@dataclass(frozen=True)
class Questionnaire:
    """The scored questions of one published version of the AIA questionnaire."""

    version: str
    questions: tuple[Question, ...]
    element_names: frozenset[str]

    @property
    def max_raw_score(self) -> Number:
        return _tidy(_fsum(q.max_score for q in self.questions if q.score_type == "raw"))

    @property
    def max_mitigation_score(self) -> Number:
        return _tidy(_fsum(q.max_score for q in self.questions
                           if q.score_type == "mitigation"))


def _data_dir() -> Path:
    return Path(str(resources.files("comity").joinpath("data", _DATA)))


@cache
def _survey_files() -> dict[str, Path]:
    found = {}
    for path in sorted(_data_dir().glob("survey-enfr.*.json")):
        match = _SURVEY_FILE.match(path.name)
        if match:
            found[match["version"]] = path
    return found


def known_versions() -> tuple[str, ...]:
    """The questionnaire versions that can be scored, oldest first (e.g. ``v0.10.0``)."""
    return tuple(sorted(_survey_files(), key=_version_order))


def _version_order(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(part), "") if part.isdigit() else (-1, part)
                 for part in re.split(r"[.]", _version_key(version)))


def _version_key(version: str) -> str:
    """``v0.10.0``, ``0.10.0`` and ``V0.10.0`` name the same version; so do
    ``v.0.8a1`` (the file's own spelling) and ``v0.8a1``."""
    key = version.strip().lower()
    key = key.removeprefix("version").strip().removeprefix("v").strip()
    return key.removeprefix(".")


def canonical_version(version: Any, *, source: str = "<input>", path: str = "version") -> str:
    """The shipped version ``version`` names; :class:`InputError` if there is none.

    Versions are matched exactly (up to a leading ``v`` and letter case): ``v0.9`` is not
    taken to mean ``v0.9.1``.
    """
    if not isinstance(version, str) or not version.strip():
        raise InputError(source, [Problem(path, "expected the questionnaire version as text, "
                                          "e.g. 'v1.0.1'", known_versions())])
    wanted = _version_key(version)
    for known in known_versions():
        if _version_key(known) == wanted:
            return known
    raise InputError(source, [Problem(
        path,
        f"unknown AIA questionnaire version {version!r} (known: "
        f"{', '.join(known_versions())}); it is not scored under another version",
        known_versions(),
    )])


@cache
def questionnaire(version: str) -> Questionnaire:
    """The scored questions of a shipped questionnaire version (see :func:`known_versions`)."""
    canonical = canonical_version(version)
    survey = json.loads(_survey_files()[canonical].read_text(encoding="utf-8"))
    found: list[tuple[dict[str, Any], str]] = []
    for page in survey.get("pages") or []:
        _walk(page.get("elements") or [], str(page.get("name") or ""), found)
    names: set[str] = set()
    first: dict[str, tuple[dict[str, Any], str]] = {}
    for element, parent in found:
        name = str(element.get("name") or "")
        names.add(name)
        first.setdefault(name, (element, parent))
    questions = []
    for element, parent in found:
        # As the tool does: select the scored questions by name, then read each name's
        # first question (SurveyJS getQuestionByName).
        if element.get("type") not in SCORED_TYPES:
            continue
        if _score_type(str(element.get("name") or ""), parent) is None:
            continue
        question, its_parent = first[str(element.get("name") or "")]
        score_type = _score_type(str(question.get("name") or ""), its_parent)
        if score_type is None:
            continue
        questions.append(Question(str(question.get("name") or ""),
                                  str(question.get("type") or ""), score_type,
                                  _max_score(question)))
    return Questionnaire(canonical, tuple(questions), frozenset(names))


def _walk(elements: list[Any], parent: str, found: list[tuple[dict[str, Any], str]]) -> None:
    """Every question with the name of its parent panel (or page), as SurveyJS sees it."""
    for element in elements:
        if not isinstance(element, dict):
            continue
        if element.get("type") == "panel":
            _walk(element.get("elements") or [], str(element.get("name") or ""), found)
        else:
            found.append((element, parent))


def _suffix_type(name: str) -> ScoreType | Literal["none"] | None:
    if name.endswith("-RS"):
        return "raw"
    if name.endswith("-MS"):
        return "mitigation"
    if name.endswith("-NS"):
        return "none"
    return None


def _score_type(name: str, parent: str) -> ScoreType | None:
    """``getScoreType``: the question's own suffix, else its parent's; none is unscored."""
    found = _suffix_type(name)
    if found is None:
        found = _suffix_type(parent)
    if found == "raw" or found == "mitigation":
        return found
    return None


def _max_score(question: dict[str, Any]) -> float:
    """``getMaxScoreForQuestion``: a checkbox's choices summed, else the best choice."""
    values = [js_value(_choice_value(choice)) for choice in question.get("choices") or []]
    if question.get("type") == "checkbox":
        return _fsum(values)
    if question.get("type") not in ("radiogroup", "dropdown"):
        return 0.0
    best = 0.0
    for value in values:
        if best < value:
            best = value
    return best


def _choice_value(choice: Any) -> Any:
    return choice.get("value") if isinstance(choice, dict) else choice


# --- Values, as the tool's getValue reads them ------------------------------------------


def js_number(text: str) -> float:
    """JavaScript's ``Number(text)``, with NaN returned as ``math.nan``."""
    stripped = text.strip(_JS_SPACE)
    if stripped == "":
        return 0.0
    if _JS_DECIMAL.match(stripped):
        return float(stripped)
    if stripped in ("Infinity", "+Infinity"):
        return math.inf
    if stripped == "-Infinity":
        return -math.inf
    if _JS_RADIX.match(stripped):
        try:
            return float(int(stripped, 0))
        except OverflowError:  # JavaScript's Number gives Infinity; the caller rejects it
            return math.inf
    return math.nan


def embedded_score(value: str) -> float:
    """The weight after the last hyphen of a choice value (``item1-3`` scores 3), else 0."""
    hyphen = value.rfind("-")
    if hyphen == -1:
        return 0.0
    number = js_number(value[hyphen + 1:])
    return 0.0 if math.isnan(number) else number


def js_value(value: Any) -> float:
    """The score of one saved answer, as ``getValue`` in the tool's ``store.ts``."""
    if isinstance(value, list):
        total = 0.0
        for item in value:
            if isinstance(item, int | float) and not isinstance(item, bool):
                total += _as_float(item)
            elif isinstance(item, str):
                total += embedded_score(item)
        return total
    if isinstance(value, str):
        return embedded_score(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _as_float(value)
    return 0.0


def _as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:  # an integer beyond the double range: Infinity, as in JavaScript
        return math.inf if value > 0 else -math.inf


def js_round(value: float) -> float:
    """JavaScript's ``Math.round``: the nearest integer, halves rounded up."""
    if math.isnan(value) or math.isinf(value):
        return value
    floor = math.floor(value)
    return float(floor + 1 if value - floor >= 0.5 else floor)


def _fsum(values: Any) -> float:
    total = 0.0
    for value in values:  # left to right, as JavaScript adds
        total += value
    return total


def _tidy(value: float) -> Number:
    return int(value) if math.isfinite(value) and float(value).is_integer() else value


# --- Scoring ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AiaScore:
    """The official tool's scores for one completed AIA."""

    questionnaire_version: str
    raw_score: Number
    mitigation_score: Number
    final_score: Number
    impact_level: int
    max_raw_score: Number
    max_mitigation_score: Number
    mitigation_threshold: float
    mitigation_deduction_applied: bool
    warnings: tuple[str, ...] = field(default=())

    @property
    def level_numeral(self) -> str:
        return LEVEL_NUMERALS[self.impact_level]

    def to_dict(self) -> dict[str, Any]:
        return {
            "questionnaire_version": self.questionnaire_version,
            "impact_level": self.impact_level,
            "impact_level_label": f"Level {self.level_numeral}",
            "raw_score": self.raw_score,
            "mitigation_score": self.mitigation_score,
            "final_score": self.final_score,
            "max_raw_score": self.max_raw_score,
            "max_mitigation_score": self.max_mitigation_score,
            "mitigation_threshold": self.mitigation_threshold,
            "mitigation_deduction_applied": self.mitigation_deduction_applied,
            "warnings": list(self.warnings),
        }


def score_answers(answers: Mapping[str, Any], version: str, *, source: str = "<input>",
                  path: str = "answers") -> AiaScore:
    """Score saved answers (the tool's ``data``) under a questionnaire version.

    An answer whose score is not a finite number (``1e400``, ``item1-0x`` with hundreds
    of digits, NaN) is an :class:`InputError` at ``path.<question>``: the official tool
    would put such a system at level IV on the strength of a number nobody chose.
    """
    form = questionnaire(version)
    raw = mitigation = max_raw = max_mitigation = 0.0
    problems: list[Problem] = []
    for question in form.questions:
        value = js_value(answers.get(question.name))
        if not math.isfinite(value):
            where = f"{path}.{question.name}" if path else question.name
            problems.append(Problem(where, "the answer's score is not a "
                                    "finite number (infinite, out of range or NaN)"))
        if question.score_type == "raw":
            raw += value
            max_raw += question.max_score
        else:
            mitigation += value
            max_mitigation += question.max_score
    if not problems and not (math.isfinite(raw) and math.isfinite(mitigation)):
        problems.append(Problem(path, "the scores add up beyond the range of numbers"))
    if problems:
        raise InputError(source, problems)
    threshold = MITIGATION_SHARE * (max_mitigation / 2)
    deducted = mitigation >= threshold
    final = js_round((1 - DEDUCTION) * raw) if deducted else raw
    return AiaScore(
        questionnaire_version=form.version,
        raw_score=_tidy(raw),
        mitigation_score=_tidy(mitigation),
        final_score=_tidy(final),
        impact_level=impact_level_for(final, max_raw),
        max_raw_score=_tidy(max_raw),
        max_mitigation_score=_tidy(max_mitigation),
        mitigation_threshold=threshold,
        mitigation_deduction_applied=deducted,
        warnings=_warnings(answers, form),
    )


def impact_level_for(final_score: float, max_raw_score: float) -> int:
    """The impact level of a final score, by its share of the maximum raw score."""
    for level, share in enumerate(LEVEL_THRESHOLDS, start=1):
        if final_score <= max_raw_score * share:
            return level
    return 4


def _warnings(answers: Mapping[str, Any], form: Questionnaire) -> tuple[str, ...]:
    strays = sorted(str(name) for name in answers if name not in form.element_names
                    and not str(name).endswith(("-Comment", "-other")))
    if not strays:
        return ()
    shown = ", ".join(strays[:10]) + (", ..." if len(strays) > 10 else "")
    return (f"{len(strays)} answer(s) name no question of questionnaire {form.version} and "
            f"were ignored, as the official tool ignores them: {shown}",)


# --- Reading saved assessments -----------------------------------------------------------


@dataclass(frozen=True)
class SavedAssessment:
    """Answers to score and the questionnaire version they were given under."""

    version: str
    answers: Mapping[str, Any]
    notes: tuple[str, ...] = ()
    #: Where the answers are in the document (``data``, ``answers``, or the top level).
    key: str = "answers"


def read_saved_assessment(document: Any, *, source: str = "<input>",
                          version: str | None = None) -> SavedAssessment:
    """The answers in a saved AIA, with the version to score them under.

    ``document`` is what the official tool saves (``{version, currentPage, data,
    translationsOnResult}``), the profile form ``{version, answers}``, or the bare
    answers (then ``version`` must be given). ``version`` overrides the saved version.
    """
    if not isinstance(document, dict):
        raise InputError(source, [Problem("", "expected a saved AIA: a JSON object with "
                                          "'version' and 'data' (or 'answers')")])
    if "data" in document:
        key = "data"
    elif "answers" in document:
        key = "answers"
    else:
        key = ""
    answers = document.get(key) if key else document
    if not isinstance(answers, dict):
        raise InputError(source, [Problem(key, "expected the answers as a JSON object "
                                          "(question name: value)")])
    saved = document.get("version") if key else None
    notes: tuple[str, ...] = ()
    if version is not None:
        chosen = canonical_version(version, source=source, path="--questionnaire-version")
        if saved is not None and (not isinstance(saved, str)
                                  or _version_key(saved) != _version_key(chosen)):
            notes = (f"scored under questionnaire {chosen} as asked; the file says it was "
                     f"answered under {saved!r}",)
    elif key:
        chosen = canonical_version(saved, source=source, path="version")
    else:
        raise InputError(source, [Problem("version", "the file holds bare answers without "
                                          "a questionnaire version; give "
                                          "--questionnaire-version", known_versions())])
    return SavedAssessment(chosen, answers, notes, key)


def score_document(document: Any, *, source: str = "<input>",
                   version: str | None = None) -> AiaScore:
    """Score a saved AIA (see :func:`read_saved_assessment`)."""
    saved = read_saved_assessment(document, source=source, version=version)
    result = score_answers(saved.answers, saved.version, source=source, path=saved.key)
    if saved.notes:
        result = AiaScore(**{**result.__dict__, "warnings": saved.notes + result.warnings})
    return result


def score_file(path: str | Path, *, version: str | None = None) -> AiaScore:
    """Score a saved AIA file (JSON, as the official tool saves it)."""
    source = str(path)
    text = read_input_text(path, encoding="utf-8-sig")  # the tool may save a BOM
    return score_document(load_json(text, source), source=source, version=version)


# --- The profile's impact_assessments.ca_aia ------------------------------------------


def score_profile_payload(payload: Any, *, source: str = "profile") -> AiaScore:
    """Score ``impact_assessments.ca_aia`` = ``{version: ..., answers: {...}}``.

    Raises :class:`InputError` whose problems name the field path under
    ``impact_assessments.ca_aia``.
    """
    if not isinstance(payload, dict):
        raise InputError(source, [Problem(PROFILE_PATH, "expected {version: ..., answers: "
                                          "{...}} (a completed AIA)")])
    extra = sorted(str(key) for key in payload if key not in ("version", "answers"))
    problems = [Problem(f"{PROFILE_PATH}.{key}", f"unknown field {key!r}",
                        ("version", "answers")) for key in extra]
    problems += [Problem(f"{PROFILE_PATH}.{key}", "required field is missing")
                 for key in ("version", "answers") if key not in payload]
    version = None
    if "version" in payload:
        try:
            version = canonical_version(payload["version"], source=source,
                                        path=f"{PROFILE_PATH}.version")
        except InputError as error:
            problems += error.problems
    answers = payload.get("answers")
    if "answers" in payload and not isinstance(answers, dict):
        problems.append(Problem(f"{PROFILE_PATH}.answers", "expected the answers as a mapping "
                                "(question name: value), as the AIA tool saves them"))
    if problems or version is None or not isinstance(answers, dict):
        raise InputError(source, problems)
    return score_answers(answers, version, source=source, path=f"{PROFILE_PATH}.answers")


def impact_level_from_profile(payload: Any, *, source: str = "profile") -> int:
    """The impact level (1-4) of ``impact_assessments.ca_aia`` (see
    :func:`score_profile_payload`)."""
    return score_profile_payload(payload, source=source).impact_level


def validate_profile_payload(payload: Any, model_name: str = "Profile") -> None:
    """For the profile model: raise a pydantic ``ValidationError`` located at
    ``impact_assessments.ca_aia...`` when the payload cannot be scored."""
    from pydantic import ValidationError
    from pydantic_core import InitErrorDetails, PydanticCustomError

    try:
        score_profile_payload(payload)
    except InputError as error:
        details = [
            InitErrorDetails(
                type=PydanticCustomError("ca_aia", "{message}", {"message": problem.message}),
                loc=tuple(problem.path.split(".")),
                input=payload,
            )
            for problem in error.problems
        ]
        raise ValidationError.from_exception_data(model_name, details) from None


# --- Requirements of the Directive by impact level ---------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One row of the Directive's Appendix C, for one impact level, in one language."""

    key: str
    section: str
    title: str
    text: str
    level: int
    language: Language


@cache
def _requirement_rows(language: Language) -> tuple[tuple[str, tuple[str, ...]], ...]:
    path = _data_dir() / f"ui-text-and-requirements.{language}.json"
    rows = json.loads(path.read_text(encoding="utf-8"))["requirements"]["elements"]
    if len(rows) != len(REQUIREMENT_ROWS) or any(len(row["elements"]) != 4 for row in rows):
        raise ValueError(f"{path}: expected {len(REQUIREMENT_ROWS)} requirements x 4 levels")
    if language == "en":
        titles = [str(row["title"]).strip() for row in rows]
        expected = [title for _, title, _ in REQUIREMENT_ROWS]
        if titles != expected:
            raise ValueError(f"{path}: requirement titles {titles} are not {expected}")
    return tuple((str(row["title"]).strip(),
                  tuple(_plain(str(cell["text"])) for cell in row["elements"]))
                 for row in rows)


def _plain(text: str) -> str:
    """The tool's text without HTML: a link keeps its words, with its address after them."""
    text = _HTML_LINK.sub(lambda match: f"{match[2]} ({match[1]})", text)
    text = _HTML_TAG.sub("", text)
    lines = [line.strip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def requirements_for_level(level: int, language: str = "en") -> list[Requirement]:
    """The Directive's Appendix C requirements for an impact level (1-4), in English
    (``en``) or French (``fr``), from the text shipped with the official AIA tool.

    Every row is listed; where the Directive requires nothing at that level the text is
    the tool's own ``None`` / ``Aucune``.
    """
    if level not in LEVEL_NUMERALS:
        raise ValueError(f"impact level must be 1, 2, 3 or 4, not {level!r}")
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    lang: Language = "en" if language == "en" else "fr"
    return [
        Requirement(key, section, title, texts[level - 1], level, lang)
        for (key, _, section), (title, texts) in zip(REQUIREMENT_ROWS,
                                                     _requirement_rows(lang), strict=True)
    ]
