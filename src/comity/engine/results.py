"""What an assessment returns: per jurisdiction, findings with citations and a trace."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from comity.rulebook.conditions import (
    ANSWERED_UNKNOWN,
    Check,
    Truth,
    facts_among,
    questions_among,
    truth_label,
)
from comity.rulebook.status import Enforcement

TRACE_FORMAT = "comity.trace.v1"
RESULT_FORMAT = "comity.result.v1"
QUESTION_SUFFIX = " (not in profile)"


def need_text(need: str) -> str:
    """A missing element as a reader sees it: the question, or the profile field."""
    if need.endswith(QUESTION_SUFFIX):
        return need.removesuffix(QUESTION_SUFFIX)
    return f"profile field {need}"


def need_dict(need: str, questions: tuple[OpenQuestion, ...] = ()) -> dict[str, str]:
    """A missing element as data: ``{"question": text, "id": id}`` or ``{"fact": name}``.

    The question's id (``answers:`` key) is added where the open point knows it.
    """
    if need.endswith(QUESTION_SUFFIX):
        text = need.removesuffix(QUESTION_SUFFIX)
        ids = [question.id for question in questions if question.text == text]
        return {"question": text, **({"id": ids[0]} if ids else {})}
    if need.endswith(ANSWERED_UNKNOWN):
        return {"fact": need.removesuffix(ANSWERED_UNKNOWN), "answered": "unknown"}
    return {"fact": need}


def need_from_dict(item: dict[str, str]) -> str:
    """The inverse of :func:`need_dict` (reading a saved result back)."""
    if "question" in item:
        return item["question"] + QUESTION_SUFFIX
    return item["fact"] + (ANSWERED_UNKNOWN if item.get("answered") == "unknown" else "")


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    """A question whose answer (``answers:`` in the profile) would settle a finding."""

    id: str
    text: str

    @property
    def need(self) -> str:
        """The question as one of a finding's ``needs`` (its text, marked as a question)."""
        return self.text + QUESTION_SUFFIX

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True, slots=True)
class OpenPoint:
    """What keeps a finding undetermined, and whose condition it is.

    ``part`` is ``condition`` when the provision's own condition is open (it may or
    may not apply), or ``exception`` when the provision applies unless an exception
    (``rule_id``) lifts it, and that exception is open. Reading the second as the
    first turns the law upside down, so every output keeps them apart.
    """

    part: str  # "condition" | "exception"
    needs: tuple[str, ...]
    rule_id: str | None = None
    citation: str | None = None
    title: str | None = None
    # The questions among ``needs``, with the ids to answer them under ``answers:``.
    questions: tuple[OpenQuestion, ...] = ()

    def describe(self) -> str:
        """One line: ``applies unless … : open (needs …)`` or ``open: needs …``."""
        needs = "; ".join(need_text(n) for n in self.needs) or "a judgement"
        if self.part == "exception":
            return f"applies unless {self.title} ({self.citation}) — open: {needs}"
        return f"whether it applies — open: {needs}"

    def brief(self) -> str:
        """A few words for a matrix cell: ``applies unless … : open`` or ``may not apply``."""
        if self.part == "exception":
            return f"applies unless {self.title} ({self.citation}): open"
        return "open: may not apply"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"part": self.part,
                                "needs": [need_dict(n, self.questions) for n in self.needs]}
        if self.part == "exception":
            data.update(exception=self.rule_id, citation=self.citation, title=self.title)
        return data


@dataclass(frozen=True, slots=True)
class ScopeReason:
    """Why a jurisdiction is out of scope: a scope rule that failed, or an exclusion that held."""

    rule_id: str
    citation: str
    title: str
    held: bool  # True for an exclusion that held, False for a scope rule that failed

    def describe(self) -> str:
        verb = "applies" if self.held else "not met"
        return f"{self.title} ({self.citation}): {verb}"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule_id, "citation": self.citation, "title": self.title,
                "result": "holds" if self.held else "does_not_hold"}


@dataclass(slots=True)  # not frozen: one per rule per assessment, on the hot path
class RuleTrace:
    """How one rule was evaluated: its own condition, and the exceptions that bear on it."""

    rule_id: str
    citation: str
    result: Truth
    check: Check
    defeated_by: tuple[str, ...] = ()
    exceptions: tuple[RuleTrace, ...] = ()

    def open_points(self) -> list[str]:
        """Facts and questions (``question:<id>``) that would settle this rule."""
        found = self.check.open_points()
        for exception in self.exceptions:
            if exception.result is None:
                found += [name for name in exception.open_points() if name not in found]
        return found

    def missing_facts(self) -> list[str]:
        return facts_among(self.open_points())

    def missing_questions(self) -> list[str]:
        return questions_among(self.open_points())

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule_id,
            "citation": self.citation,
            "result": truth_label(self.result),
            "condition": self.check.to_dict(),
        }
        if self.defeated_by:
            data["defeated_by"] = list(self.defeated_by)
        if self.exceptions:
            data["exceptions"] = [exception.to_dict() for exception in self.exceptions]
        return data


@dataclass(frozen=True)
class Finding:
    """One conclusion that applies (or may apply) to the profile, with its source."""

    rule_id: str
    kind: str
    title: str
    summary: str
    citation: str
    citation_parts: dict[str, str]
    addressees: tuple[str, ...]
    duty: str | None
    duty_relation: str
    applies_from: date
    applicable: bool
    status: str  # "holds" or "undetermined"
    facts: dict[str, Any]
    needs: tuple[str, ...] = ()
    questions: tuple[OpenQuestion, ...] = ()
    related: tuple[str, ...] = ()
    interpretation: str | None = None
    transitional: tuple[dict[str, str], ...] = ()
    open_points: tuple[OpenPoint, ...] = ()
    # Court stays, injunctions or sanctions grace periods in effect on the as-of date:
    # the duty is law, but its enforcement is restricted.
    enforcement: tuple[Enforcement, ...] = ()

    @property
    def enforcement_marker(self) -> str:
        """Short marker for tables (empty when enforcement is unrestricted)."""
        return "; ".join(restriction.marker for restriction in self.enforcement)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.rule_id,
            "kind": self.kind,
            "title": self.title,
            "summary": self.summary,
            "citation": self.citation,
            "citation_parts": self.citation_parts,
            "addressees": list(self.addressees),
            "applies_from": self.applies_from.isoformat(),
            "applicable": self.applicable,
            "status": self.status,
            "facts": self.facts,
        }
        if self.duty:
            data["duty"] = self.duty
            data["duty_relation"] = self.duty_relation
        if self.needs:
            data["needs"] = list(self.needs)
        if self.questions:
            data["questions"] = [question.to_dict() for question in self.questions]
        if self.open_points:
            data["open_points"] = [point.to_dict() for point in self.open_points]
        if self.related:
            data["related"] = list(self.related)
        if self.interpretation:
            data["interpretation"] = self.interpretation
        if self.transitional:
            data["transitional"] = list(self.transitional)
        if self.enforcement:
            data["enforcement"] = [restriction.to_dict() for restriction in self.enforcement]
        return data


@dataclass
class JurisdictionResult:
    """The outcome for one jurisdiction."""

    jurisdiction: str
    name: str
    in_scope: bool | None
    tier: str
    common_tier: str
    labels: list[str]
    prohibitions: list[Finding]
    obligations: list[Finding]
    classifications: list[Finding]
    exceptions: list[Finding]
    expectations: list[Finding]
    undetermined: list[Finding]
    scope: list[Finding]
    trace: list[RuleTrace]
    rulebook_version: str
    as_of: date
    pending: list[Finding] = field(default_factory=list)
    # Restrictions on enforcing the jurisdiction's instruments in effect on ``as_of``.
    enforcement: list[Enforcement] = field(default_factory=list)
    # For a national layer: the regime it adds to (its result is reported too).
    layer_of: str | None = None
    # Provisions addressed only to states or public bodies: kept apart from the duties
    # of the system's provider and deployer (shown to them only if the deployer is one).
    addressed_to_states: list[Finding] = field(default_factory=list)
    # Defences (e.g. Colorado § 6-1-1706(3)): what earns one, never a duty.
    defences: list[Finding] = field(default_factory=list)
    # Why out of scope: the scope rules that failed and the exclusions that held.
    out_of_scope_because: list[ScopeReason] = field(default_factory=list)
    # How a market code reached this jurisdiction, e.g. "applies if used in Colorado".
    market_note: str | None = None
    # Which instruments were checked, and where the list of what is not covered is.
    coverage: dict[str, Any] = field(default_factory=dict)

    def findings(self) -> list[Finding]:
        return [*self.prohibitions, *self.classifications, *self.exceptions,
                *self.obligations, *self.expectations, *self.defences,
                *self.addressed_to_states]

    @property
    def open_points(self) -> int:
        """How many findings (or the scope itself) stay undetermined."""
        return len(self.undetermined)

    @property
    def tier_label(self) -> str:
        """The tier as a reader should see it: never settled-looking while points are open."""
        label = self.tier.replace("_", " ")
        if self.in_scope is None:
            label = "scope undetermined"
        count = self.open_points
        if count and self.in_scope is not False:
            label += f" — {count} open point{'' if count == 1 else 's'}"
        return label

    def next_date(self) -> date | None:
        """The next date on which a prohibition, duty or open point starts to apply."""
        later = [f.applies_from for f in [*self.prohibitions, *self.obligations,
                                          *self.expectations, *self.undetermined]
                 if f.applies_from > self.as_of]
        return min(later) if later else None

    def to_dict(self, with_trace: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "jurisdiction": self.jurisdiction,
            "name": self.name,
            "in_scope": self.in_scope,
            "tier": self.tier,
            "common_tier": self.common_tier,
            "labels": self.labels,
            "enforcement": [restriction.to_dict() for restriction in self.enforcement],
            "layer_of": self.layer_of,
            "prohibitions": [f.to_dict() for f in self.prohibitions],
            "obligations": [f.to_dict() for f in self.obligations],
            "classifications": [f.to_dict() for f in self.classifications],
            "exceptions": [f.to_dict() for f in self.exceptions],
            "expectations": [f.to_dict() for f in self.expectations],
            "scope": [f.to_dict() for f in self.scope],
            "undetermined": [f.to_dict() for f in self.undetermined],
            "open_points": self.open_points,
            "pending": [f.to_dict() for f in self.pending],
            "defences": [f.to_dict() for f in self.defences],
            "addressed_to_states": [f.to_dict() for f in self.addressed_to_states],
            "coverage": self.coverage,
        }
        if self.in_scope is False:
            data["out_of_scope_because"] = [r.to_dict() for r in self.out_of_scope_because]
        if self.market_note:
            data["market_note"] = self.market_note
        if with_trace:
            data["trace"] = {
                "format": TRACE_FORMAT,
                "rulebook": self.rulebook_version,
                "as_of": self.as_of.isoformat(),
                "rules": [rule.to_dict() for rule in self.trace],
            }
        return data


@dataclass
class Assessment:
    """All jurisdictions' results for one profile."""

    profile_id: str
    profile_name: str
    as_of: date
    rulebook_version: str
    input_hash: str
    results: list[JurisdictionResult] = field(default_factory=list)
    # The profile's answers to questions, with the wording version each answered.
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def result(self, jurisdiction: str) -> JurisdictionResult:
        for result in self.results:
            if result.jurisdiction == jurisdiction:
                return result
        raise KeyError(jurisdiction)

    def to_dict(self, with_trace: bool = True) -> dict[str, Any]:
        return {
            "format": RESULT_FORMAT,
            "id": self.profile_id,
            "name": self.profile_name,
            "as_of": self.as_of.isoformat(),
            "rulebook": self.rulebook_version,
            "input_hash": self.input_hash,
            **({"answers": self.answers} if self.answers else {}),
            "results": [result.to_dict(with_trace) for result in self.results],
        }


def _open_point_from_dict(data: dict[str, Any]) -> OpenPoint:
    needs = tuple(need_from_dict(item) for item in data.get("needs", []))
    questions = tuple(OpenQuestion(item["id"], item["question"])
                      for item in data.get("needs", []) if "id" in item)
    return OpenPoint(data["part"], needs, data.get("exception"), data.get("citation"),
                     data.get("title"), questions=questions)


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """A finding read back from its JSON form (``comity.result.v1``)."""
    return Finding(
        rule_id=data["id"], kind=data["kind"], title=data["title"], summary=data["summary"],
        citation=data["citation"], citation_parts=data.get("citation_parts", {}),
        addressees=tuple(data.get("addressees", [])), duty=data.get("duty"),
        duty_relation=data.get("duty_relation", "equal"),
        applies_from=date.fromisoformat(data["applies_from"]),
        applicable=data["applicable"], status=data["status"], facts=data.get("facts", {}),
        needs=tuple(data.get("needs", [])), related=tuple(data.get("related", [])),
        interpretation=data.get("interpretation"),
        transitional=tuple(data.get("transitional", [])),
        open_points=tuple(_open_point_from_dict(p) for p in data.get("open_points", [])),
        questions=tuple(OpenQuestion(q["id"], q["text"]) for q in data.get("questions", [])),
        enforcement=tuple(_enforcement_from_dict(e) for e in data.get("enforcement", [])),
    )


def _enforcement_from_dict(data: dict[str, Any]) -> Enforcement:
    """A restriction read back from ``Enforcement.to_dict`` (its label is derived)."""
    return Enforcement.model_validate({k: v for k, v in data.items() if k != "label"})


def assessment_from_dict(data: dict[str, Any]) -> Assessment:
    """An assessment read back from its JSON form, e.g. one stored with ``--save``.

    The trace is not rebuilt (reports do not need it). Results stored before a field
    existed read it as empty.
    """
    assessment = Assessment(data["id"], data["name"], date.fromisoformat(data["as_of"]),
                            data["rulebook"], data["input_hash"])
    as_of = assessment.as_of
    for item in data["results"]:
        def findings(key: str, item: dict[str, Any] = item) -> list[Finding]:
            return [finding_from_dict(f) for f in item.get(key, [])]

        assessment.results.append(JurisdictionResult(
            jurisdiction=item["jurisdiction"], name=item["name"], in_scope=item["in_scope"],
            tier=item["tier"], common_tier=item["common_tier"], labels=list(item["labels"]),
            prohibitions=findings("prohibitions"), obligations=findings("obligations"),
            classifications=findings("classifications"), exceptions=findings("exceptions"),
            expectations=findings("expectations"), undetermined=findings("undetermined"),
            scope=findings("scope"), trace=[], rulebook_version=data["rulebook"],
            as_of=as_of, pending=findings("pending"),
            addressed_to_states=findings("addressed_to_states"),
            defences=findings("defences"),
            out_of_scope_because=[ScopeReason(r["rule"], r["citation"], r["title"],
                                              r["result"] == "holds")
                                  for r in item.get("out_of_scope_because", [])],
            market_note=item.get("market_note"), coverage=item.get("coverage", {}),
            enforcement=[_enforcement_from_dict(e) for e in item.get("enforcement", [])],
            layer_of=item.get("layer_of"),
        ))
    return assessment
