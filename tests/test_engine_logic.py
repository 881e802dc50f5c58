"""Pinned logic of the engine: Kleene tables, operator boundaries, the earliest
applicable classification, the role filter on pending bills, portfolio divergence by
hand, and determinism across processes."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from comity import assess_profile, parse_profiles
from comity.analysis.compare import compare_portfolio, duty_types_of
from comity.engine.assess import ROLE_ADDRESSEES
from comity.render.comparison import portfolio_markdown, print_portfolio
from comity.render.html import portfolio_html
from comity.rulebook.conditions import Truth, parse_condition
from tests.conftest import minimal_profile
from tests.test_conditions import FakeContext, facts

TODAY = date(2026, 11, 22)
VALUES: tuple[Truth, ...] = (True, False, None)


def _and(a: Truth, b: Truth) -> Truth:
    """Kleene's strong conjunction, written as its table rather than as code under test."""
    return {(True, True): True, (True, None): None, (None, True): None,
            (None, None): None}.get((a, b), False)


def _or(a: Truth, b: Truth) -> Truth:
    return {(False, False): False, (False, None): None, (None, False): None,
            (None, None): None}.get((a, b), True)


@pytest.mark.parametrize(("a", "b"), list(itertools.product(VALUES, VALUES)))
def test_kleene_and_or_tables(a: Truth, b: Truth) -> None:
    context = FakeContext(facts(), {"a": a, "b": b})
    pair = [{"established": "a"}, {"established": "b"}]
    assert parse_condition({"all": pair}).evaluate(context).result is _and(a, b)
    assert parse_condition({"any": pair}).evaluate(context).result is _or(a, b)


@pytest.mark.parametrize(("a", "expected"), [(True, False), (False, True), (None, None)])
def test_kleene_not_table(a: Truth, expected: Truth) -> None:
    context = FakeContext(facts(), {"a": a})
    assert parse_condition({"not": {"established": "a"}}).evaluate(context).result is expected


@pytest.mark.parametrize(("operator", "below", "equal", "above"), [
    ("gt", False, False, True),
    ("gte", False, True, True),
    ("lt", True, False, False),
    ("lte", True, True, False),
])
def test_comparison_operators_at_their_boundary(operator: str, below: bool, equal: bool,
                                                above: bool) -> None:
    condition = parse_condition({"fact": "gpai.training_compute_flop", operator: 1e25})
    seen = {below: 1e25 - 1e20, equal: 1e25, above: 1e25 + 1e20}
    for expected, value in zip((below, equal, above), (1e25 - 1e20, 1e25, 1e25 + 1e20),
                               strict=True):
        context = FakeContext(facts(gpai__training_compute_flop=value))
        assert condition.evaluate(context).result is expected, (operator, value, seen)


def test_equality_and_membership_operators() -> None:
    context = FakeContext(facts(decision_role="sole", uses=frozenset({"chatbot"})))
    assert parse_condition({"fact": "decision_role", "equals": "sole"}) \
        .evaluate(context).result is True
    assert parse_condition({"fact": "decision_role", "equals": "none"}) \
        .evaluate(context).result is False
    assert parse_condition({"fact": "decision_role", "in": ["sole", "none"]}) \
        .evaluate(context).result is True
    assert parse_condition({"fact": "uses", "has": "chatbot"}).evaluate(context).result is True
    assert parse_condition({"fact": "uses", "has": "social_scoring"}) \
        .evaluate(context).result is False


def test_annex_iii_and_annex_i_system_takes_the_earliest_date() -> None:
    """Annex III high-risk duties apply from 2 December 2027, Annex I from 2 August 2028
    (Art. 113 as amended by Regulation (EU) 2026/1744): a system that is both gets the
    provider duties from the earlier date."""
    both = minimal_profile(
        uses=["employment.recruitment"], decision_role="substantial_factor",
        safety_component_of={"legislation": "medical_devices", "third_party_conformity": True})
    annex_i_only = minimal_profile(
        safety_component_of={"legislation": "medical_devices", "third_party_conformity": True})
    dates = {}
    for name, data in (("both", both), ("annex_i", annex_i_only)):
        [profile] = parse_profiles(data)
        result = assess_profile(profile, as_of=TODAY, jurisdictions=["EU"]).result("EU")
        found = [f for f in [*result.obligations, *result.undetermined]
                 if f.rule_id == "eu.ai_act.art9"]
        assert found, name
        dates[name] = found[0].applies_from
    assert dates == {"both": date(2027, 12, 2), "annex_i": date(2028, 8, 2)}


def test_role_filter_on_pending_bills_keeps_bans_and_drops_other_roles_duties() -> None:
    """Pending findings are filtered like the law in force: a role keeps every pending
    ban and classification, and only the duties addressed to it."""
    [brazil] = parse_profiles(minimal_profile(
        markets=["BR"], decision_role="substantial_factor",
        uses=["manipulation.subliminal", "employment.recruitment"]))
    everyone = assess_profile(brazil, as_of=TODAY, jurisdictions=["BR"]).result("BR")
    provider = assess_profile(brazil, as_of=TODAY, jurisdictions=["BR"],
                              role="provider").result("BR")
    kinds = {f.kind for f in everyone.pending}
    assert {"prohibition", "classification"} <= kinds
    assert [f.rule_id for f in provider.pending] == [f.rule_id for f in everyone.pending]

    [treaty] = parse_profiles(minimal_profile(
        markets=["FR"], deployer={"name": "Ville", "country": "FR",
                                  "kind": "public_authority"}))
    everyone = assess_profile(treaty, as_of=TODAY, jurisdictions=["INT-COE"]).result("INT-COE")
    duties = [f for f in everyone.pending if f.kind == "obligation"]
    assert duties and all(f.addressees == ("state_party",) for f in duties)
    for role in ROLE_ADDRESSEES:
        only = assess_profile(treaty, as_of=TODAY, jurisdictions=["INT-COE"],
                              role=role).result("INT-COE")
        assert not [f for f in only.pending if f.kind == "obligation"], role


def test_portfolio_divergence_is_the_mean_of_a_hand_calculation() -> None:
    """Two profiles in two jurisdictions. A chatbot placed in the EU only: EU 'limited'
    with duties, New York City out of scope with none, so D = 0.5 * (1 - 0) + 0.5 *
    (2 / 4) = 0.75. A spam filter in the EU only: EU 'minimal' (AI literacy only), NYC
    out of scope: D = 0.5 + 0.5 * (1 / 4) = 0.625. Mean: 0.6875."""
    profiles = parse_profiles({"profiles": [
        minimal_profile(id="chat", uses=["chatbot"],
                        system={"machine_based": True, "infers_outputs": True,
                                "autonomy": "partial", "interacts_with_people": True}),
        minimal_profile(id="spam", uses=["utility.spam_filter"]),
    ]})
    portfolio = compare_portfolio(profiles, as_of=TODAY, jurisdictions=["EU", "US-NYC"])
    chat, spam = (c.assessment for c in portfolio.comparisons)
    assert [chat.result("EU").common_tier, spam.result("EU").common_tier] == [
        "limited", "minimal"]
    for assessment in (chat, spam):
        nyc = assessment.result("US-NYC")
        assert nyc.common_tier == "out_of_scope" and not duty_types_of(nyc)
        assert duty_types_of(assessment.result("EU"))
    assert [c.divergence[("EU", "US-NYC")] for c in portfolio.comparisons] == [0.75, 0.625]
    assert portfolio.divergence == {("EU", "US-NYC"): pytest.approx(0.6875)}

    console = Console(record=True, width=160)
    print_portfolio(portfolio, console)
    table = console.export_text()
    markdown = portfolio_markdown(portfolio)
    page = portfolio_html(portfolio)
    for text in (table, markdown, page):
        assert "chat" in text and "spam" in text and "US-NYC" in text
        assert "0.69" in text  # the portfolio mean, rounded to two places
    assert "## Portfolio: mean divergence index" in markdown
    assert "Mean divergence index" in page


def test_same_input_gives_byte_identical_json_in_fresh_processes(examples: Path) -> None:
    outputs = []
    for seed in ("1", "4242"):
        done = subprocess.run(
            [sys.executable, "-m", "comity", "assess", str(examples / "cv-screener.yaml"),
             "--format", "json", "--as-of", "2026-11-22"],
            capture_output=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    data: Any = json.loads(outputs[0])
    assert data["id"] == "cv-screener"
