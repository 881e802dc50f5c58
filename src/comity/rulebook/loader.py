"""The rulebook: jurisdictions, instruments and rules, loaded from data files.

Layout (one folder per jurisdiction under ``comity/rules``)::

    rules/rulebook.yaml            version of the whole rulebook, common tiers, duty types
    rules/eu/jurisdiction.yaml     scope test, tiers, named sets, instruments
    rules/eu/<chapter>.yaml        rules of one instrument or chapter
    rules/eu/<chapter>.cases.yaml  positive and negative test cases of those rules
    rules/questions.yaml           questions several regimes ask (``needs``; see questions.py)
    rules/eu/questions.yaml        the questions of one regime

Every file is validated against a schema that rejects unknown keys; cross references
(instruments, exceptions, conclusions, sets, duty types) are checked on load.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from comity.errors import InputError, Problem, read_input_text
from comity.profile.vocabulary import vocabulary
from comity.rulebook.conditions import (
    Condition,
    ConditionError,
    QuestionTest,
    parse_condition,
    positive_conclusions,
    question_tests,
)
from comity.rulebook.questions import (
    OPERATORS_BY_TYPE,
    SHARED_NAMESPACE,
    AnswerError,
    Question,
    QuestionFileSpec,
    QuestionSpec,
    answer_value,
    namespace_of,
    question_files,
)
from comity.rulebook.status import Enforcement, active
from comity.yaml12 import load_yaml

RuleKind = Literal[
    "scope", "exclusion", "exception", "prohibition", "classification", "label",
    "obligation", "expectation", "defence",
]
Addressee = Literal[
    "provider", "deployer", "importer", "distributor", "authorised_representative",
    "product_manufacturer", "developer", "operator", "state_party", "public_body",
]
Status = Literal["in_force", "pending", "repealed"]
# Rule kinds an authority enforces, which a court stay or grace period can restrict.
ENFORCED_KINDS = frozenset({"obligation", "prohibition"})
ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"
M = TypeVar("M", bound=BaseModel)


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Schema):
    """Where a rule comes from, to the finest unit the text has."""

    instrument: str
    article: str | None = None
    paragraph: str | None = None
    subparagraph: str | None = None
    point: str | None = None
    annex: str | None = None
    appendix: str | None = None
    section: str | None = None
    # Rules made under an Act (India's IT Rules): the whole pinpoint, e.g. "3(3)(a)(ii)".
    rule: str | None = None
    amended_by: str | None = None

    def render(self, short_title: str) -> str:
        """Human form, e.g. ``AI Act, Art. 5(1)(f)`` or ``AI Act, Annex III, point 4(a)``."""
        parts = [short_title]
        if self.article:
            text = f"Art. {self.article}" + (f"({self.paragraph})" if self.paragraph else "")
            if self.subparagraph:
                text += f", {_ordinal(self.subparagraph)} subparagraph"
            if self.point and not self.annex:
                text += f", point ({self.point})" if self.subparagraph else f"({self.point})"
            parts.append(text)
        if self.annex:
            parts.append(f"Annex {self.annex}")
            if self.section:
                parts.append(f"Section {self.section}")
            if self.point:
                parts.append(f"point {self.point}")
        elif self.appendix:
            parts.append(f"Appendix {self.appendix}")
            if self.section:
                parts.append(f"section {self.section}")
            if self.point:
                parts.append(f"point {self.point}")
        elif self.rule and not self.article:
            parts.append(f"Rule {self.rule}")
        elif self.section and not self.article:
            parts.append(f"§ {self.section}")
        if self.amended_by:
            parts.append(f"as amended by {self.amended_by}")
        return ", ".join(parts)


def _ordinal(number: str) -> str:
    words = {"1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth"}
    return words.get(number, f"subparagraph {number} of the")


class InForce(_Schema):
    start: date = Field(alias="from")
    until: date | None = None


class Transitional(_Schema):
    """A transitional arrangement the profile cannot decide (e.g. date placed on market)."""

    citation: Citation
    applies_from: date
    note: str


class DatedValue(_Schema):
    """One value of a date parameter, in force from ``since`` (e.g. an amendment's date)."""

    since: date
    value: date
    citation: Citation
    note: str | None = None


class DateParameter(_Schema):
    """A date that the law itself changed over time (OpenFisca-style dated values)."""

    description: str
    values: list[DatedValue] = Field(min_length=1)

    def value_on(self, day: date) -> date | None:
        """The value in force on ``day``, or None before the first value."""
        current = None
        for dated in sorted(self.values, key=lambda v: v.since):
            if dated.since <= day:
                current = dated.value
        return current


class RuleSpec(_Schema):
    id: str = Field(pattern=ID_PATTERN)
    kind: RuleKind
    title: str
    summary: str
    citation: Citation
    in_force: InForce
    # A date, or the name of a date parameter of the jurisdiction.
    applies_from: date | str | None = None
    status: Status = "in_force"
    related: list[Citation] = Field(default_factory=list)
    addressees: list[Addressee] = Field(default_factory=list)
    establishes: list[str] = Field(default_factory=list)
    label: str | None = None
    duty: str | None = None
    # How the provision relates to its common duty type: the provision asks exactly
    # that (equal), part of it (subset), more than it (superset), or overlaps (intersect).
    duty_relation: Literal["equal", "subset", "superset", "intersect"] = "equal"
    # Prohibitions: the common redline (rulebook.yaml) the ban belongs to.
    redline: str | None = None
    exception_of: list[str] = Field(default_factory=list)
    when: Any = None
    interpretation: str | None = None
    transitional: list[Transitional] = Field(default_factory=list)
    # Why no case can tell this rule's condition from "always" within the jurisdiction's
    # scope (e.g. the condition restates the scope in other words). The rule-mutation
    # check accepts a surviving mutant only with this note, and rejects a stale one.
    unpinned: str | None = None
    # Restrictions on enforcing this provision alone (court orders, grace periods).
    enforcement: list[Enforcement] = Field(default_factory=list)

    @field_validator("exception_of", "establishes", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class TierSpec(_Schema):
    name: str
    common: Literal["unacceptable", "high", "limited", "minimal"]
    when: Any = None


class InstrumentSpec(_Schema):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    short_title: str
    kind: Literal["law", "regulation", "bill", "guideline", "standard", "treaty", "principles",
                  "directive", "decree", "memorandum", "framework"]
    status: Status
    adopted: date | None = None
    in_force: InForce | None = None
    source_url: str
    amendments: list[str] = Field(default_factory=list)
    notes: str | None = None
    # Restrictions on enforcing every provision of the instrument (see rulebook.status).
    enforcement: list[Enforcement] = Field(default_factory=list)

    def in_force_on(self, day: date) -> bool:
        """Whether the instrument is law on ``day`` (a pending bill never is)."""
        if self.status == "pending":
            return False
        window = self.in_force
        return window is None or (window.start <= day
                                  and (window.until is None or day < window.until))


class MarketReach(_Schema):
    """Market codes other than the jurisdiction's own that reach it.

    ``within``: broader markets that contain the jurisdiction (``US`` for a state); a
    profile with such a market is assessed as if used here, and the result says
    "applies if used in …". ``parts_in_set``: a named set of codes that lie inside the
    jurisdiction (the EU's member states); a market there is a market here.
    """

    within: list[str] = Field(default_factory=list)
    parts_in_set: str | None = None
    # How the condition reads, e.g. "used by a US federal agency" (default: "used in <name>").
    if_used: str | None = None


class NotCovered(_Schema):
    """An instrument of the jurisdiction that bears on AI systems but is not encoded."""

    title: str
    note: str


class JurisdictionSpec(_Schema):
    code: str
    name: str
    # A national layer on a supranational regime (Italy's AI law on the EU AI Act): the
    # layer adds its own rules, never copies the base's; the two are assessed together.
    layer_of: str | None = None
    scope: Any
    tiers: list[TierSpec]
    sets: dict[str, list[str]] = Field(default_factory=dict)
    parameters: dict[str, DateParameter] = Field(default_factory=dict)
    instruments: list[InstrumentSpec]
    markets: MarketReach = Field(default_factory=MarketReach)
    not_covered: list[NotCovered] = Field(default_factory=list)


class RuleFileSpec(_Schema):
    instrument: str
    rules: list[RuleSpec]


class RulebookSpec(_Schema):
    version: str
    common_tiers: list[str]
    duty_types: dict[str, str]
    redlines: dict[str, str] = Field(default_factory=dict)
    # Addressees that are states or their bodies, and the deployer kinds that are
    # public bodies: provisions addressed only to the former are shown only to the latter.
    state_addressees: list[Addressee] = Field(default_factory=list)
    public_deployer_kinds: list[str] = Field(default_factory=list)


@dataclass(frozen=True, eq=False)
class Rule:
    """A validated rule with its parsed condition."""

    spec: RuleSpec
    jurisdiction: str
    instrument: InstrumentSpec
    condition: Condition
    source: str
    # Short titles of the jurisdiction's instruments, to cite related provisions of
    # other instruments under their own names.
    short_titles: dict[str, str] = field(default_factory=dict)

    def _render(self, citation: Citation) -> str:
        title = self.short_titles.get(citation.instrument, self.instrument.short_title)
        return citation.render(title)

    @cached_property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def citation(self) -> str:
        return self.spec.citation.render(self.instrument.short_title)

    @cached_property
    def citation_parts(self) -> dict[str, str]:
        return self.spec.citation.model_dump(exclude_none=True)

    @cached_property
    def related(self) -> tuple[str, ...]:
        return tuple(self._render(c) for c in self.spec.related)

    @cached_property
    def transitional(self) -> tuple[dict[str, str], ...]:
        return tuple(
            {
                "citation": self._render(t.citation),
                "applies_from": t.applies_from.isoformat(),
                "note": t.note,
            }
            for t in self.spec.transitional
        )

    def applies_from(self, day: date, parameters: dict[str, DateParameter]) -> date:
        """The date the rule's own text applies from, read as the law stood on ``day``."""
        value = self.spec.applies_from
        if isinstance(value, str):
            return parameters[value].value_on(day) or self.spec.in_force.start
        return value or self.spec.in_force.start

    def in_force_on(self, day: date, *, with_pending: bool = False) -> bool:
        """Whether the provision is part of the law on ``day`` (entered into force, not lapsed).

        ``with_pending`` also counts provisions of pending bills, as if enacted: their
        dates are only proposals, so they count whatever the day.
        """
        if self.spec.status == "pending":
            return with_pending
        window = self.spec.in_force
        return window.start <= day and (window.until is None or day < window.until)

    @cached_property
    def relies_on(self) -> frozenset[str]:
        """Conclusions the condition needs established (read once, not per assessment)."""
        return frozenset(positive_conclusions(self.condition))
    def enforcement_on(self, day: date) -> tuple[Enforcement, ...]:
        """Restrictions on enforcing this provision in effect on ``day``: its own and its
        instrument's. They never change whether the rule holds or when it applies.

        Only duties and bans are enforced; a scope or classification rule carries none.
        """
        if self.spec.kind not in ENFORCED_KINDS:
            return ()
        return active([*self.instrument.enforcement, *self.spec.enforcement], day)

    def establishes(self) -> list[str]:
        if self.spec.establishes:
            return self.spec.establishes
        return ["prohibited"] if self.spec.kind == "prohibition" else []


@dataclass(frozen=True)
class Tier:
    name: str
    common: str
    condition: Condition


@dataclass(eq=False)
class Jurisdiction:
    """One jurisdiction's scope test, tiers, named sets, instruments and rules."""

    code: str
    name: str
    scope: Condition
    tiers: list[Tier]
    sets: dict[str, frozenset[str]]
    parameters: dict[str, DateParameter]
    instruments: dict[str, InstrumentSpec]
    folder: Path
    layer_of: str | None = None
    markets: MarketReach = field(default_factory=MarketReach)
    not_covered: tuple[NotCovered, ...] = ()
    rules: list[Rule] = field(default_factory=list)
    # The questions its rules may ask: its own and the shared ones.
    questions: dict[str, Question] = field(default_factory=dict)
    _rules_by_id: dict[str, Rule] = field(default_factory=dict, repr=False)
    _pending: tuple[int, bool] = field(default=(-1, False), repr=False)

    def rule(self, rule_id: str) -> Rule:
        return self._index()[rule_id]

    def enforcement_on(self, day: date) -> tuple[Enforcement, ...]:
        """Restrictions in effect on ``day`` on instruments that are law on that day."""
        return active([restriction for instrument in self.instruments.values()
                       if instrument.in_force_on(day)
                       for restriction in instrument.enforcement], day)

    @property
    def has_pending(self) -> bool:
        """Whether any rule is of a pending bill (counted once per set of rules)."""
        counted, pending = self._pending
        if counted != len(self.rules):
            pending = any(rule.spec.status == "pending" for rule in self.rules)
            self._pending = (len(self.rules), pending)
        return pending

    def _index(self) -> dict[str, Rule]:
        if len(self._rules_by_id) != len(self.rules):
            self._rules_by_id = {rule.id: rule for rule in self.rules}
        return self._rules_by_id


@dataclass
class Rulebook:
    """All jurisdictions' rules, with the version id every result records."""

    version: str
    digest: str
    duty_types: dict[str, str]
    redlines: dict[str, str]
    jurisdictions: dict[str, Jurisdiction]
    folder: Path
    questions: dict[str, Question] = field(default_factory=dict)
    state_addressees: frozenset[str] = frozenset()
    public_deployer_kinds: frozenset[str] = frozenset()

    def code(self, text: str) -> str | None:
        """The jurisdiction code ``text`` names, in any letter case (None if none)."""
        wanted = text.strip().upper()
        return next((code for code in self.jurisdictions if code.upper() == wanted), None)

    @property
    def version_id(self) -> str:
        return f"{self.version}+{self.digest[:12]}"

    def rules(self) -> list[Rule]:
        return [rule for j in self.jurisdictions.values() for rule in j.rules]

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules():
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


RULES_ENVIRONMENT_VARIABLE = "COMITY_RULES"


def default_rules_folder() -> Path:
    """The shipped rulebook, or the folder named by ``$COMITY_RULES``."""
    configured = os.environ.get(RULES_ENVIRONMENT_VARIABLE)
    if configured:
        return Path(configured)
    return Path(str(resources.files("comity").joinpath("rulebook", "rules")))


@cache
def default_rulebook() -> Rulebook:
    """The rulebook shipped with Comity (loaded and validated once per process)."""
    return load_rulebook(default_rules_folder())


def load_rulebook(folder: str | Path) -> Rulebook:
    """Load and validate a rulebook folder; raise :class:`InputError` on any defect."""
    root = Path(folder)
    digest = hashlib.sha256()
    files = sorted(path for path in root.rglob("*.yaml") if path.is_file())
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    book = _validated(RulebookSpec, _read(root / "rulebook.yaml"), root / "rulebook.yaml")
    questions = _load_questions(root)
    kinds = vocabulary().deployer_kinds
    wrong = [kind for kind in book.public_deployer_kinds if kind not in kinds]
    if wrong:
        raise InputError(str(root / "rulebook.yaml"), [
            Problem("public_deployer_kinds", f"not deployer kinds: {wrong}", kinds)])
    jurisdictions = {}
    for spec_path in sorted(root.glob("*/jurisdiction.yaml")):
        jurisdiction = _load_jurisdiction(spec_path, book, questions)
        jurisdictions[jurisdiction.code] = jurisdiction
    for jurisdiction in jurisdictions.values():
        base = jurisdiction.layer_of
        if base is not None and (base not in jurisdictions
                                 or jurisdictions[base].layer_of is not None):
            raise InputError(str(jurisdiction.folder / "jurisdiction.yaml"), [Problem(
                "jurisdiction.layer_of", f"{base!r} is not a base jurisdiction",
                tuple(code for code, j in jurisdictions.items() if j.layer_of is None))])
    return Rulebook(book.version, digest.hexdigest(), book.duty_types, book.redlines,
                    jurisdictions, root, questions, frozenset(book.state_addressees),
                    frozenset(book.public_deployer_kinds))


def _load_questions(root: Path) -> dict[str, Question]:
    """Every question file; each id carries its file's namespace and is defined once."""
    questions: dict[str, Question] = {}
    for path in question_files(root):
        spec = _validated(QuestionFileSpec, _read(path), path)
        namespace = namespace_of(path, root)
        for index, question in enumerate(spec.questions):
            if question.id.split(".", 1)[0] != namespace:
                raise InputError(str(path), [Problem(f"questions[{index}].id",
                                                     f"{question.id!r} must start with "
                                                     f"{namespace + '.'!r}")])
            if question.id in questions:
                raise InputError(str(path), [Problem(f"questions[{index}].id",
                                                     f"duplicate question id {question.id!r}")])
            _check_derived(question, index, path)
            questions[question.id] = Question(question, str(path))
    return questions


def _check_derived(question: QuestionSpec, index: int, path: Path) -> None:
    """A question's ``derived:`` entries name real facts and give a valid answer."""
    for number, derived in enumerate(question.derived):
        where = f"questions[{index}].derived[{number}]"
        try:
            parse_condition(derived.when, f"{where}.when")
            answer_value(Question(question, str(path)), derived.answer)
        except (ConditionError, AnswerError) as error:
            raise InputError(str(path), [Problem(where, str(error))]) from None


def _load_jurisdiction(spec_path: Path, book: RulebookSpec,
                       questions: dict[str, Question]) -> Jurisdiction:
    data = _read(spec_path)
    spec = _validated(JurisdictionSpec, data.get("jurisdiction") if isinstance(data, dict)
                      else None, spec_path, "jurisdiction")
    jurisdiction = Jurisdiction(
        code=spec.code,
        name=spec.name,
        scope=_condition(spec.scope, spec_path, "jurisdiction.scope"),
        tiers=[
            Tier(t.name, t.common, _condition(t.when, spec_path, f"jurisdiction.tiers[{i}].when"))
            for i, t in enumerate(spec.tiers)
        ],
        sets={name: frozenset(values) for name, values in spec.sets.items()},
        parameters=dict(spec.parameters),
        instruments={instrument.id: instrument for instrument in spec.instruments},
        folder=spec_path.parent,
        questions={key: question for key, question in questions.items()
                   if key.split(".", 1)[0] in (spec_path.parent.name, SHARED_NAMESPACE)},
        layer_of=spec.layer_of,
        markets=spec.markets,
        not_covered=tuple(spec.not_covered),
    )
    for rule_path in sorted(spec_path.parent.glob("*.yaml")):
        if rule_path.name in ("jurisdiction.yaml", "questions.yaml") or (
            rule_path.name.endswith(".cases.yaml")
        ):
            continue
        jurisdiction.rules += _load_rule_file(rule_path, jurisdiction)
    _check_references(jurisdiction, book, spec_path.parent, questions)
    return jurisdiction


def _load_rule_file(path: Path, jurisdiction: Jurisdiction) -> list[Rule]:
    spec = _validated(RuleFileSpec, _read(path), path)
    if spec.instrument not in jurisdiction.instruments:
        raise InputError(str(path), [Problem("instrument", "unknown instrument",
                                             tuple(jurisdiction.instruments))])
    rules = []
    for index, rule in enumerate(spec.rules):
        instrument = jurisdiction.instruments.get(rule.citation.instrument)
        if instrument is None:
            raise InputError(str(path), [Problem(f"rules[{index}].citation.instrument",
                                                 "unknown instrument",
                                                 tuple(jurisdiction.instruments))])
        condition = _condition(rule.when, path, f"rules[{index}].when")
        for other in [*rule.related, *(t.citation for t in rule.transitional)]:
            if other.instrument not in jurisdiction.instruments:
                raise InputError(str(path), [Problem(f"rules[{index}]: related citation",
                                                     f"unknown instrument {other.instrument!r}",
                                                     tuple(jurisdiction.instruments))])
        short_titles = {key: value.short_title for key, value in jurisdiction.instruments.items()}
        rules.append(Rule(rule, jurisdiction.code, instrument, condition, str(path),
                          short_titles))
    return rules


def _check_references(jurisdiction: Jurisdiction, book: RulebookSpec, folder: Path,
                      questions: dict[str, Question]) -> None:
    problems: list[Problem] = []
    ids = [rule.id for rule in jurisdiction.rules]
    established = {name for rule in jurisdiction.rules for name in rule.establishes()}
    for rule in jurisdiction.rules:
        where = f"{Path(rule.source).name}: rule {rule.id}"
        if ids.count(rule.id) > 1:
            problems.append(Problem(where, "duplicate rule id"))
        for target in rule.spec.exception_of:
            if target not in ids:
                problems.append(Problem(where, f"exception_of names unknown rule {target!r}"))
        if rule.spec.duty is not None and rule.spec.duty not in book.duty_types:
            problems.append(Problem(where, f"unknown duty type {rule.spec.duty!r}",
                                    tuple(book.duty_types)))
        if rule.spec.kind in ("obligation", "expectation") and rule.spec.duty is None:
            problems.append(Problem(where, "an obligation needs a duty type",
                                    tuple(book.duty_types)))
        if rule.spec.redline is not None and rule.spec.redline not in book.redlines:
            problems.append(Problem(where, f"unknown redline {rule.spec.redline!r}",
                                    tuple(book.redlines)))
        if rule.spec.redline is not None and rule.spec.kind != "prohibition":
            problems.append(Problem(where, "only a prohibition can name a redline"))
        if rule.spec.kind in ("obligation", "prohibition") and not rule.spec.addressees:
            problems.append(Problem(where, "an obligation or prohibition needs addressees"))
        if rule.spec.kind == "exception" and not rule.spec.exception_of:
            problems.append(Problem(where, "an exception needs exception_of"))
        if isinstance(rule.spec.applies_from, str) and (
            rule.spec.applies_from not in jurisdiction.parameters
        ):
            problems.append(Problem(where, f"unknown date parameter {rule.spec.applies_from!r}",
                                    tuple(jurisdiction.parameters)))
        window = rule.spec.in_force
        if window.until is not None and window.until <= window.start:
            problems.append(Problem(where, "in_force.until must be after in_force.from"))
    conditions = [(f"rule {r.id}", r.condition) for r in jurisdiction.rules]
    conditions += [("scope", jurisdiction.scope)]
    conditions += [(f"tier {t.name}", t.condition) for t in jurisdiction.tiers]
    for where, condition in conditions:
        for name in sorted(condition.conclusions_used() - established):
            problems.append(Problem(where, f"no rule establishes {name!r}",
                                    tuple(sorted(established))))
        for leaf in question_tests(condition):
            problems += _question_problems(where, leaf, questions, folder.name)
    for rule in jurisdiction.rules:
        for name in _sets_used(rule.spec.when) - set(jurisdiction.sets):
            problems.append(Problem(f"rule {rule.id}", f"unknown set {name!r}",
                                    tuple(jurisdiction.sets)))
    problems += _market_problems(jurisdiction)
    problems += _cycles(jurisdiction)
    if problems:
        raise InputError(str(folder), problems)


def _question_problems(where: str, leaf: QuestionTest, questions: dict[str, Question],
                       namespace: str) -> list[Problem]:
    """A ``needs`` leaf must name a question of its regime (or a shared one) and test
    its answer with an operator, and values, that fit the question's type."""
    question = questions.get(leaf.question)
    own = tuple(sorted(q for q in questions
                       if q.split(".", 1)[0] in (namespace, SHARED_NAMESPACE)))
    if question is None:
        return [Problem(where, f"needs names unknown question {leaf.question!r}", own)]
    if leaf.question.split(".", 1)[0] not in (namespace, SHARED_NAMESPACE):
        return [Problem(where, f"question {leaf.question!r} belongs to another regime; "
                               "move it to questions.yaml at the top to share it", own)]
    allowed = OPERATORS_BY_TYPE[question.type]
    if (leaf.operator == "is_true") != (question.type == "yes_no") or (
        leaf.operator != "is_true" and leaf.operator not in allowed
    ):
        return [Problem(where, f"question {leaf.question!r} is {question.type}; test it with "
                               "no operator" if question.type == "yes_no" else
                               f"question {leaf.question!r} is {question.type}; test it "
                               f"with one of {sorted(allowed)}")]
    values = leaf.value if isinstance(leaf.value, tuple | frozenset) else (leaf.value,)
    if question.options and not set(values) <= set(question.options):
        return [Problem(where, f"value not among the options of {leaf.question!r}",
                        question.options)]
    return []


def _market_problems(jurisdiction: Jurisdiction) -> list[Problem]:
    words = vocabulary()
    problems = [Problem("jurisdiction.markets.within", f"{code!r} is not a market code")
                for code in jurisdiction.markets.within if not words.is_market(code)]
    named = jurisdiction.markets.parts_in_set
    if named is not None and named not in jurisdiction.sets:
        problems.append(Problem("jurisdiction.markets.parts_in_set", f"unknown set {named!r}",
                                tuple(jurisdiction.sets)))
    return problems


def _cycles(jurisdiction: Jurisdiction) -> list[Problem]:
    """Rules must not depend on themselves through conclusions or exceptions.

    Checked once at load, so evaluation needs no recursion guard.
    """
    establishers: dict[str, list[str]] = {}
    for rule in jurisdiction.rules:
        for name in rule.establishes():
            establishers.setdefault(name, []).append(rule.id)
    depends: dict[str, set[str]] = {}
    for rule in jurisdiction.rules:
        needed = depends.setdefault(rule.id, set())
        for name in rule.condition.conclusions_used():
            needed.update(establishers.get(name, []))
    for rule in jurisdiction.rules:
        for target in rule.spec.exception_of:
            depends.setdefault(target, set()).add(rule.id)
    done: set[str] = set()
    for start in depends:
        path: list[str] = []
        if _visit(start, depends, path, set(), done):
            return [Problem(f"rule {start}", "circular dependency: " + " -> ".join(path))]
    return []


def _visit(node: str, depends: dict[str, set[str]], path: list[str], active: set[str],
           done: set[str]) -> bool:
    if node in active:
        path.append(node)
        return True
    if node in done:
        return False
    active.add(node)
    path.append(node)
    for child in sorted(depends.get(node, ())):
        if _visit(child, depends, path, active, done):
            return True
    path.pop()
    active.discard(node)
    done.add(node)
    return False


def _sets_used(data: Any) -> set[str]:
    if isinstance(data, dict):
        found = {data[key] for key in ("in_set", "has_any_in_set") if key in data}
        for value in data.values():
            found |= _sets_used(value)
        return found
    if isinstance(data, list):
        return set().union(*(_sets_used(item) for item in data)) if data else set()
    return set()


def _read(path: Path) -> Any:
    """A YAML file's data; both calls raise :class:`InputError` naming the file."""
    return load_yaml(read_input_text(path), str(path))


def _validated(model: type[M], data: Any, path: Path, prefix: str = "") -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(".".join([prefix, *(str(p) for p in e["loc"])]).strip("."), e["msg"])
            for e in error.errors(include_url=False)
        ]
        raise InputError(str(path), problems) from None


def _condition(data: Any, path: Path, where: str) -> Condition:
    try:
        return parse_condition(data, where)
    except ConditionError as error:
        raise InputError(str(path), [Problem(error.path, str(error).split(": ", 1)[1])]) from None
