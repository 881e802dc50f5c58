"""Assessment: one profile against each jurisdiction's rules, as of a date.

Evaluation follows default logic: a rule holds when its condition holds and none of
the rules that are ``exception_of`` it holds. Conclusions (``prohibited``,
``high_risk``, ...) are established by any rule naming them; tiers and scope are
conditions over conclusions. All of it is three-valued: a missing fact leaves a rule
*undetermined* and the finding says which fact it needs.

>>> from comity import assess_profile, parse_profiles
>>> [profile] = parse_profiles({"profile": 1, "id": "x", "name": "X", "markets": ["US"]})
>>> assess_profile(profile, jurisdictions=["EU"]).result("EU").in_scope
False
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from comity.engine.results import (
    Assessment,
    Finding,
    JurisdictionResult,
    OpenPoint,
    OpenQuestion,
    RuleTrace,
    ScopeReason,
)
from comity.engine.roles import duty_addressees, roles_of
from comity.errors import ComityError
from comity.profile.model import DontKnow, Profile
from comity.rulebook.answers import answer_records, answer_values
from comity.rulebook.conditions import (
    QUESTION_PREFIX,
    AllOf,
    AnyOf,
    Check,
    Condition,
    Established,
    Not,
    Truth,
)
from comity.rulebook.loader import Jurisdiction, Rule, Rulebook, default_rulebook

ADDITIVE_FIELDS = ("answers", "roles", "provider.annual_revenue", "provider.employees",
                   "deployer.annual_revenue", "deployer.employees",
                   "deployer.government_level", "system.monthly_users",
                   # issue #16, item 7
                   "unknown", "use_areas", "provider.established_in_union",
                   "lifecycle.placed_on_market", "lifecycle.put_into_service",
                   "lifecycle.significant_change")
"""Profile fields (dotted paths) added after v1 shipped: left out of the input hash when
empty, so that a stored assessment of an older profile still matches it."""
EMPTY_VALUES: tuple[object, ...] = (None, [], {})
ADDITIVE_FLAGS = ("system.open_source", "flags.exclusively_national_security")
"""Booleans added after v1 shipped (issue #16): left out of the hash when false."""


class UnknownJurisdictionError(ComityError):
    """A jurisdiction code the rulebook has no rules for."""


class _Evaluation:
    """One profile in one jurisdiction on one date; memoises rules and conclusions."""

    def __init__(self, jurisdiction: Jurisdiction, facts: Mapping[str, Any], as_of: date,
                 with_pending: bool = False, answers: Mapping[str, Any] | None = None) -> None:
        self.jurisdiction = jurisdiction
        self.facts = facts
        self.answers: Mapping[str, Any] = answers or {}
        self.as_of = as_of
        self.rules, self._exceptions, self._establishers = _rules_in_force(
            jurisdiction, as_of, with_pending)
        self._traces: dict[str, RuleTrace] = {}
        self._conclusions: dict[str, tuple[Truth, Check]] = {}
        self._applies: dict[str, date] = {}

    def applies_from(self, rule: Rule) -> date:
        """When the rule bites: its own date, and never before the conclusions it relies on.

        An obligation of high-risk providers cannot apply before the classification
        that makes the system high-risk applies (e.g. Annex III from the deferred date).
        """
        if rule.id not in self._applies:
            own = rule.applies_from(self.as_of, self.jurisdiction.parameters)
            for name in rule.relies_on:
                rules = [r for r in self._establishers.get(name, [])
                         if self.rule_trace(r).result is not False]
                if rules:
                    own = max(own, min(self.applies_from(r) for r in rules))
            self._applies[rule.id] = own
        return self._applies[rule.id]

    def named_set(self, name: str) -> frozenset[Any]:
        return self.jurisdiction.sets[name]

    def establishers(self, name: str) -> list[Rule]:
        """The rules in force that may establish a conclusion."""
        return self._establishers.get(name, [])

    def conclusion(self, name: str) -> tuple[Truth, Check]:
        if name not in self._conclusions:
            traces = [self.rule_trace(rule) for rule in self._establishers.get(name, [])]
            results = [trace.result for trace in traces]
            result: Truth = True if True in results else (None if None in results else False)
            children = tuple(
                Check(f"rule {trace.rule_id} ({trace.citation})", trace.result,
                      saw=tuple(trace.open_points()) if trace.result is None else None,
                      kind="rule")
                for trace in traces
                if trace.result is not False
            ) if result is not False else ()
            self._conclusions[name] = (result, Check(f"{name} by any rule", result,
                                                     children=children, kind="conclusion"))
        return self._conclusions[name]

    def rule_trace(self, rule: Rule) -> RuleTrace:
        trace = self._traces.get(rule.id)
        if trace is not None:
            return trace
        check = rule.condition.evaluate(self)
        result = check.result
        exception_rules = self._exceptions.get(rule.id)
        if exception_rules:  # most rules have none: keep the common path short
            exceptions = tuple(self.rule_trace(e) for e in exception_rules)
            # An exception only matters where the rule would otherwise hold (or might).
            defeated_by = tuple(
                e.rule_id for e in exceptions if e.result is True and result is not False
            )
            if defeated_by:
                result = False
            elif result is True and any(e.result is None for e in exceptions):
                result = None
            trace = RuleTrace(rule.id, rule.citation, result, check, defeated_by, exceptions)
        else:
            trace = RuleTrace(rule.id, rule.citation, result, check)
        self._traces[rule.id] = trace
        return trace


@lru_cache(maxsize=64)
def _rules_in_force(
    jurisdiction: Jurisdiction, day: date, with_pending: bool = False
) -> tuple[list[Rule], dict[str, list[Rule]], dict[str, list[Rule]]]:
    """The rules in force on a day, indexed by the rule they except and what they establish."""
    rules = [rule for rule in jurisdiction.rules
             if rule.in_force_on(day, with_pending=with_pending)]
    exceptions: dict[str, list[Rule]] = {}
    establishers: dict[str, list[Rule]] = {}
    for rule in rules:
        for target in rule.spec.exception_of:
            exceptions.setdefault(target, []).append(rule)
        for name in rule.establishes():
            establishers.setdefault(name, []).append(rule)
    return rules, exceptions, establishers


def assess_profile(
    profile: Profile,
    rulebook: Rulebook | None = None,
    *,
    as_of: date | None = None,
    jurisdictions: Iterable[str] | None = None,
    role: str | Iterable[str] | None = None,
) -> Assessment:
    """Assess one profile in each jurisdiction of the rulebook (or those named).

    ``as_of`` (default: today) selects the provisions in force; each finding says
    whether it already applies on that date. ``role`` keeps only the obligations of
    that operator role (or roles; ``mine``: the profile's ``roles:``), with the
    provider's where the rules conclude ``deemed_provider`` (see ``engine.roles``).
    """
    book = rulebook or default_rulebook()
    day = as_of or date.today()
    codes = (resolve_codes(jurisdictions, book) if jurisdictions is not None
             else list(book.jurisdictions))
    codes = with_bases(codes, book)
    roles = roles_of(role, profile)
    profile_facts = profile.facts()
    answers = answer_values(profile.answers, book)
    assessment = Assessment(profile.id, profile.name, day, book.version_id, input_hash(profile),
                            answers=answer_records(profile.answers, book))
    for code in codes:
        jurisdiction = book.jurisdictions[code]
        facts, market_note = _market_facts(jurisdiction, profile_facts)
        result = _jurisdiction_result(_Evaluation(jurisdiction, facts, day, answers=answers),
                                      book, roles)
        result.market_note = market_note
        if jurisdiction.has_pending:
            result.pending = _pending_findings(
                _Evaluation(jurisdiction, facts, day, True, answers), roles)
        assessment.results.append(result)
    return assessment


def with_bases(codes: list[str], book: Rulebook) -> list[str]:
    """The codes asked for, each national layer preceded by the regime it sits on.

    A layer (e.g. Italy's AI law on the EU AI Act) adds duties to its base and is never
    reported without it.
    """
    result: list[str] = []
    for code in codes:
        base = book.jurisdictions[code].layer_of
        if base is not None and base not in result:
            result.append(base)
        if code not in result:
            result.append(code)
    return result
def resolve_codes(codes: Iterable[str], rulebook: Rulebook) -> list[str]:
    """Jurisdiction codes as the rulebook spells them (any letter case accepted).

    Raises :class:`UnknownJurisdictionError` listing the known codes.
    """
    resolved = [(code, rulebook.code(code)) for code in codes]
    unknown = [given for given, found in resolved if found is None]
    if unknown:
        raise UnknownJurisdictionError(
            f"unknown jurisdiction {', '.join(unknown)}; known: "
            f"{', '.join(rulebook.jurisdictions)}"
        )
    return [found for _, found in resolved if found is not None]


def market_reach(jurisdiction: Jurisdiction, markets: Iterable[str]) -> tuple[bool, str | None]:
    """Whether a profile's markets reach the jurisdiction, and how if not by its own code.

    Its own code, or a code inside it (a member state for the EU), reaches it for
    certain; a broader market (``US`` for a state) reaches it if the system is used
    there, and the note says so. The containment is data in ``jurisdiction.yaml``.
    """
    given = set(markets)
    if jurisdiction.code in given:
        return True, None
    parts_set = jurisdiction.markets.parts_in_set
    parts = sorted(given & jurisdiction.sets[parts_set]) if parts_set else []
    if parts:
        return True, f"market {', '.join(parts)} lies in {jurisdiction.name}"
    within = [code for code in jurisdiction.markets.within if code in given]
    if within:
        condition = jurisdiction.markets.if_used or f"used in {jurisdiction.name}"
        return True, f"applies if {condition} (market {', '.join(within)} covers it)"
    return False, None


def _market_facts(jurisdiction: Jurisdiction, facts: Mapping[str, Any]
                  ) -> tuple[Mapping[str, Any], str | None]:
    """The facts as this jurisdiction reads them: a market that covers it counts as its code."""
    reached, note = market_reach(jurisdiction, facts["markets"])
    if not reached or note is None:
        return facts, None
    widened = dict(facts)
    widened["markets"] = facts["markets"] | {jurisdiction.code}
    return widened, note


def evaluate_rule(profile: Profile, rule_id: str, rulebook: Rulebook | None = None, *,
                  as_of: date | None = None, with_pending: bool = False) -> RuleTrace:
    """Evaluate one rule on its own (scope aside), e.g. to test a bill's scope rules."""
    book = rulebook or default_rulebook()
    rule = book.rule(rule_id)
    jurisdiction = book.jurisdictions[rule.jurisdiction]
    facts, _ = _market_facts(jurisdiction, profile.facts())
    evaluation = _Evaluation(jurisdiction, facts, as_of or date.today(), with_pending,
                             answer_values(profile.answers, book))
    return evaluation.rule_trace(rule)


def evaluate_scope(profile: Profile, code: str, rulebook: Rulebook | None = None, *,
                   as_of: date | None = None, with_pending: bool = False) -> Truth:
    """Whether the profile is in a jurisdiction's scope (pending bills counted if asked)."""
    book = rulebook or default_rulebook()
    evaluation = _Evaluation(book.jurisdictions[code], profile.facts(), as_of or date.today(),
                             with_pending, answer_values(profile.answers, book))
    return evaluation.jurisdiction.scope.evaluate(evaluation).result


def _pending_findings(evaluation: _Evaluation, roles: tuple[str, ...] | None
                      ) -> list[Finding]:
    """What pending bills would add if enacted as they stand (never counted in the tier)."""
    if evaluation.jurisdiction.scope.evaluate(evaluation).result is False:
        return []
    addressees = duty_addressees(roles, lambda name: evaluation.conclusion(name)[0])
    found = []
    for rule in evaluation.rules:
        if rule.spec.status != "pending" or rule.spec.kind in ("scope", "exclusion",
                                                                 "exception"):
            continue
        trace = evaluation.rule_trace(rule)
        if trace.result is False:
            continue
        # As for the law in force (``_file``): the role keeps only its own duties;
        # prohibitions and classifications concern every role.
        if (addressees is not None and rule.spec.kind in ("obligation", "expectation")
                and not addressees & set(rule.spec.addressees)):
            continue
        found.append(_finding(rule, trace, evaluation))
    return found


def input_hash(profile: Profile) -> str:
    """A stable hash of the profile's content, to pin stored assessments to their input."""
    data = profile.model_dump(mode="json")
    for path in ADDITIVE_FIELDS:  # absent or empty: the hash a profile had before them
        *parents, name = path.split(".")
        block: Any = data
        for parent in parents:
            block = block.get(parent) if isinstance(block, dict) else None
        if isinstance(block, dict) and block.get(name) in EMPTY_VALUES:
            block.pop(name, None)
    for path in ADDITIVE_FLAGS:
        parent, name = path.split(".")
        if isinstance(data.get(parent), dict) and data[parent].get(name) is False:
            data[parent].pop(name)
    if data.get("lifecycle") == {}:
        del data["lifecycle"]
    canonical = json.dumps(data, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _jurisdiction_result(
    evaluation: _Evaluation, book: Rulebook, roles: tuple[str, ...] | None
) -> JurisdictionResult:
    jurisdiction = evaluation.jurisdiction
    scope_check = jurisdiction.scope.evaluate(evaluation)
    in_scope = scope_check.result
    result = JurisdictionResult(
        jurisdiction=jurisdiction.code, name=jurisdiction.name, in_scope=in_scope,
        tier="out_of_scope", common_tier="out_of_scope", labels=[], prohibitions=[],
        obligations=[], classifications=[], exceptions=[], expectations=[], undetermined=[],
        scope=[], trace=[], rulebook_version=book.version_id, as_of=evaluation.as_of,
        coverage=coverage_of(jurisdiction, evaluation.as_of),
        enforcement=list(jurisdiction.enforcement_on(evaluation.as_of)),
        layer_of=jurisdiction.layer_of,
    )
    audience = _Audience(book, evaluation.facts)
    scope_kinds = ("scope", "exclusion")
    for rule in evaluation.rules:
        if rule.spec.kind in scope_kinds or in_scope is not False:
            result.trace.append(evaluation.rule_trace(rule))
    defeaters = {name for trace in result.trace for name in trace.defeated_by}
    addressees = duty_addressees(roles, lambda name: evaluation.conclusion(name)[0])
    for trace in result.trace:
        rule = jurisdiction.rule(trace.rule_id)
        if trace.result is False or (rule.spec.kind == "exception" and trace.rule_id
                                     not in defeaters and trace.result is True):
            continue
        if rule.spec.kind not in scope_kinds and not audience.addressed(rule):
            continue
        finding = _finding(rule, trace, evaluation)
        if rule.spec.kind in scope_kinds:
            result.scope.append(finding)
        elif trace.result is None:
            # An undetermined exception shows up through the rule it may defeat.
            if rule.spec.kind != "exception":
                result.undetermined.append(finding)
        else:
            _file(result, finding, rule, addressees, audience)
    if in_scope is not False:
        _classify(result, evaluation)
    if in_scope is None:
        result.undetermined.insert(0, _scope_finding(jurisdiction, scope_check, evaluation.as_of))
    if in_scope is False:
        result.out_of_scope_because = _scope_reasons(evaluation, jurisdiction.scope, scope_check)
    return result


class _Audience:
    """Who reads the result: provisions addressed only to states reach a public deployer."""

    def __init__(self, book: Rulebook, facts: Mapping[str, Any]) -> None:
        self.state_addressees = book.state_addressees
        self.public = facts.get("deployer.kind") in book.public_deployer_kinds

    def to_states_only(self, rule: Rule) -> bool:
        addressees = set(rule.spec.addressees)
        return bool(addressees) and addressees <= self.state_addressees

    def addressed(self, rule: Rule) -> bool:
        """False for a provision only states owe, unless the deployer is a public body."""
        return self.public or not self.to_states_only(rule)


def _file(result: JurisdictionResult, finding: Finding, rule: Rule,
          addressees: frozenset[str] | None,
          audience: _Audience) -> None:
    kind = rule.spec.kind
    if rule.spec.label and rule.spec.label not in result.labels:
        result.labels.append(rule.spec.label)
    if kind == "prohibition":
        result.prohibitions.append(finding)
    elif kind in ("obligation", "expectation") and audience.to_states_only(rule):
        result.addressed_to_states.append(finding)
    elif kind in ("obligation", "expectation"):
        if addressees is None or addressees & set(rule.spec.addressees):
            (result.obligations if kind == "obligation" else result.expectations).append(finding)
    elif kind == "defence":
        result.defences.append(finding)
    elif kind == "exception":
        result.exceptions.append(finding)
    else:
        result.classifications.append(finding)


def coverage_of(jurisdiction: Jurisdiction, as_of: date) -> dict[str, Any]:
    """Which instruments the rulebook checked here on the day, and what it does not cover.

    Computed once per jurisdiction and day (it reads every rule); each caller gets its
    own copy of the lists.

    ``checked``: instruments with provisions encoded and in force on the day;
    ``not_in_force``: encoded, but not (or no longer) in force on the day; ``pending``:
    bills and treaties encoded as if enacted; ``not_covered``: instruments listed but
    not encoded, and the jurisdiction's ``not_covered`` list. ``see`` points to the
    full list (generated from the same data).
    """
    return {key: list(value) if isinstance(value, list) else value
            for key, value in _coverage(jurisdiction, as_of).items()}


@lru_cache(maxsize=256)
def _coverage(jurisdiction: Jurisdiction, as_of: date) -> dict[str, Any]:
    in_force = {cited for rule in jurisdiction.rules if rule.in_force_on(as_of)
                for cited in _instruments_cited(rule)}
    encoded = {cited for rule in jurisdiction.rules for cited in _instruments_cited(rule)}
    instruments = jurisdiction.instruments.values()
    name = instrument_names(jurisdiction)
    return {
        "checked": [name[i.id] for i in instruments if i.id in in_force],
        "not_in_force": [name[i.id] for i in instruments
                         if i.id in encoded and i.id not in in_force and i.status != "pending"],
        "pending": [name[i.id] for i in instruments
                    if i.id in encoded and i.status == "pending"],
        "not_covered": [*(name[i.id] for i in instruments if i.id not in encoded),
                        *(item.title for item in jurisdiction.not_covered)],
        "see": f"{COVERAGE_DOC}#{jurisdiction.code.lower()}",
    }


COVERAGE_DOC = "docs/coverage.md"


def _instruments_cited(rule: Rule) -> set[str]:
    """The rule's own instrument and those of its related provisions (e.g. a standard)."""
    return {rule.instrument.id, *(c.instrument for c in rule.spec.related)}


def instrument_names(jurisdiction: Jurisdiction) -> dict[str, str]:
    """A name per instrument that tells it apart: the short title where it is unique
    in the jurisdiction, else the title up to its first comma (several California acts
    share the short title of the code they amend)."""
    shorts = [i.short_title for i in jurisdiction.instruments.values()]
    return {i.id: i.short_title if shorts.count(i.short_title) == 1
            else i.title.split(",", 1)[0].strip()
            for i in jurisdiction.instruments.values()}


def _scope_reasons(evaluation: _Evaluation, condition: Condition, check: Check,
                   result: bool = False) -> list[ScopeReason]:
    """Why a scope test came out ``result``: for False, the scope rules that failed and
    the exclusions that held (under ``not``); for True, the rules that held."""
    if check.result is not result:
        return []
    if isinstance(condition, AllOf | AnyOf):
        return [reason for item, child in zip(condition.items, check.children, strict=True)
                for reason in _scope_reasons(evaluation, item, child, result)]
    if isinstance(condition, Not):
        return _scope_reasons(evaluation, condition.item, check.children[0], not result)
    if isinstance(condition, Established):
        return [ScopeReason(rule.id, rule.citation, rule.spec.title, result)
                for rule in evaluation.establishers(condition.name)
                if not result or evaluation.rule_trace(rule).result is True]
    return []


def _classify(result: JurisdictionResult, evaluation: _Evaluation) -> None:
    for tier in evaluation.jurisdiction.tiers:
        check = tier.condition.evaluate(evaluation)
        if check.result is True:
            result.tier, result.common_tier = tier.name, tier.common
            return


def _finding(rule: Rule, trace: RuleTrace, evaluation: _Evaluation) -> Finding:
    spec = rule.spec
    applies_from = evaluation.applies_from(rule)
    needs, questions = (_needs(trace.open_points(), evaluation.jurisdiction)
                        if trace.result is None else ((), ()))
    return Finding(
        rule_id=rule.id,
        kind=spec.kind,
        title=spec.title,
        summary=spec.summary,
        citation=rule.citation,
        citation_parts=rule.citation_parts,
        related=rule.related,
        addressees=tuple(spec.addressees),
        duty=spec.duty,
        duty_relation=spec.duty_relation,
        applies_from=applies_from,
        applicable=applies_from <= evaluation.as_of,
        status="holds" if trace.result else "undetermined",
        facts=_facts_seen(trace.check),
        needs=needs,
        questions=questions,
        interpretation=spec.interpretation,
        transitional=rule.transitional,
        open_points=_open_points(trace, evaluation.jurisdiction),
        enforcement=rule.enforcement_on(evaluation.as_of),
    )


def _needs(points: Iterable[str], jurisdiction: Jurisdiction
           ) -> tuple[tuple[str, ...], tuple[OpenQuestion, ...]]:
    """Open points as needs (fact names, and questions by their text) and the questions
    with their ids, which the profile answers under ``answers:``."""
    questions = tuple(OpenQuestion(key, jurisdiction.questions[key].text)
                      for point in points if point.startswith(QUESTION_PREFIX)
                      for key in [point.removeprefix(QUESTION_PREFIX)])
    facts = tuple(point for point in points if not point.startswith(QUESTION_PREFIX))
    return (*facts, *(question.need for question in questions)), questions


def _open_points(trace: RuleTrace, jurisdiction: Jurisdiction) -> tuple[OpenPoint, ...]:
    """Split what is open into the provision's own condition and each open exception."""
    if trace.result is not None:
        return ()
    points = []
    if trace.check.result is None:
        needs, questions = _needs(trace.check.open_points(), jurisdiction)
        points.append(OpenPoint("condition", needs, questions=questions))
    for exception in trace.exceptions:
        if exception.result is None:
            needs, questions = _needs(exception.open_points(), jurisdiction)
            points.append(OpenPoint("exception", needs, exception.rule_id, exception.citation,
                                    jurisdiction.rule(exception.rule_id).spec.title,
                                    questions))
    return tuple(points)


def _scope_finding(jurisdiction: Jurisdiction, check: Check, as_of: date) -> Finding:
    needs, questions = _needs(check.open_points(), jurisdiction)
    return Finding(
        rule_id=f"{jurisdiction.code.lower()}.scope", kind="scope",
        title=f"Whether the system is in scope in {jurisdiction.name}",
        summary="The profile lacks facts the scope test needs.", citation="",
        citation_parts={}, addressees=(), duty=None, duty_relation="equal", applies_from=as_of,
        applicable=True,
        status="undetermined", facts=_facts_seen(check), needs=needs, questions=questions,
        open_points=(OpenPoint("condition", needs, questions=questions),),
    )


def _facts_seen(check: Check) -> dict[str, Any]:
    """The leaf facts a rule looked at, with the values it saw: the 'because'."""
    seen: dict[str, Any] = {}
    stack = [check]
    while stack:
        node = stack.pop()
        if node.children:
            stack.extend(node.children)
        elif node.kind == "fact":
            seen[node.test.split(" ", 1)[0]] = node.to_dict()["saw"]
        elif node.kind == "question" and (node.result is not None
                                          or isinstance(node.saw, DontKnow)):
            seen["answers." + node.test.split(" ", 2)[1]] = node.to_dict()["saw"]
    return dict(sorted(seen.items()))
