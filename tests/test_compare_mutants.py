"""The comparison pinned where a mutation run found it loose (docs/testing.md): which
findings enter the duty matrix, its row order, the plan's order, the rulebook and
markets used, and the rounding of the divergence index in JSON."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from comity import parse_profiles
from comity.analysis.compare import (
    Comparison,
    PortfolioComparison,
    Provision,
    _provision,
    addresses_the_firm,
    compare_portfolio,
    compare_profile,
    comparison_of,
    duty_types_of,
    markets_of,
)
from comity.profile.files import load_profiles
from comity.profile.model import Profile
from comity.rulebook.loader import Rulebook, default_rulebook
from tests.conftest import minimal_profile

LATER = date(2028, 1, 1)


# Function-scoped on purpose: a mutation run gives each function the tests that call it,
# and a fixture cached for the module would be computed in one test only.
@pytest.fixture
def cv_screener(examples: Path) -> Profile:
    [profile] = load_profiles(examples / "cv-screener.yaml")
    return profile


@pytest.fixture
def examples() -> Path:
    return Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture
def comparison(cv_screener: Profile) -> Comparison:
    return compare_profile(cv_screener, as_of=LATER)


def _marked_book() -> Rulebook:
    """The shipped rulebook under another digest, to tell it from the default one."""
    return dataclasses.replace(default_rulebook(), digest="0" * 64)


def test_provision_to_dict_adds_open_and_enforcement_only_when_set() -> None:
    plain = Provision("EU", "eu.x", "Art. 1", "Title", date(2026, 8, 2), True, "equal")
    assert plain.to_dict() == {"jurisdiction": "EU", "id": "eu.x", "citation": "Art. 1",
                               "title": "Title", "applies_from": "2026-08-02",
                               "binding": True, "relation": "equal"}
    marked = dataclasses.replace(plain, open_point="open: needs x", enforcement="STAYED")
    assert marked.to_dict() == {**plain.to_dict(), "open": "open: needs x",
                                "enforcement": "STAYED"}


def test_divergence_is_rounded_to_four_places_in_json(comparison: Comparison) -> None:
    single = dataclasses.replace(comparison, divergence={("A", "B"): 1 / 3})
    assert single.to_dict()["divergence"] == [{"a": "A", "b": "B", "index": 0.3333}]
    portfolio = PortfolioComparison([], {("A", "B"): 2 / 3})
    assert portfolio.to_dict()["divergence"] == [{"a": "A", "b": "B", "index": 0.6667}]


def _expected_cells(comparison: Comparison) -> set[tuple[str, str, str]]:
    expected = set()
    for result in comparison.assessment.results:
        open_duties = [f for f in result.undetermined
                       if f.kind in ("obligation", "expectation")]
        for finding in [*result.obligations, *result.expectations, *open_duties]:
            if finding.duty is not None and addresses_the_firm(finding):
                expected.add((finding.duty, result.jurisdiction, finding.rule_id))
    return expected


def _cells(comparison: Comparison) -> set[tuple[str, str, str]]:
    return {(duty, code, provision.rule_id) for duty, row in comparison.matrix.items()
             for code, cells in row.items() for provision in cells}


def test_matrix_holds_every_duty_finding_addressed_to_the_firm_and_nothing_else(
        comparison: Comparison) -> None:
    assert _cells(comparison) == _expected_cells(comparison)
    # Meaningful only if the profile has an open duty, which the matrix shows as open.
    [open_cell] = [p for row in comparison.matrix.values() for cells in row.values()
                   for p in cells if p.open_point is not None]
    assert (open_cell.rule_id, open_cell.open_point) == ("eu.ai_act.art27.1",
                                                          "open: may not apply")
    assert all(open_cell not in step.provisions for step in comparison.plan)


def test_matrix_rows_follow_the_rulebook_order_of_duty_types(comparison: Comparison) -> None:
    order = list(default_rulebook().duty_types)
    rows = list(comparison.matrix)
    assert len(rows) > 5
    assert rows == sorted(rows, key=order.index)
    assert rows != sorted(rows)  # the rulebook's order, not the alphabet


def test_plan_puts_earliest_first_then_the_step_that_satisfies_most(
        comparison: Comparison) -> None:
    keys = [(step.first_due, len(step.provisions), step.duty) for step in comparison.plan]
    assert keys[:4] == [(date(2023, 1, 1), 7, "transparency_to_users"),
                        (date(2023, 1, 1), 6, "consumer_notice_and_appeal"),
                        (date(2023, 1, 1), 3, "bias_audit"),
                        (date(2023, 1, 1), 2, "public_disclosure")]
    same_day = [key for key in keys if key[0] == date(2027, 12, 2)]
    assert same_day == sorted(same_day, key=lambda key: (-key[1], key[2]))


def test_comparisons_use_the_rulebook_they_are_given(cv_screener: Profile) -> None:
    book = _marked_book()
    single = compare_profile(cv_screener, book, as_of=LATER, jurisdictions=["EU"])
    assert single.assessment.rulebook_version.endswith("+000000000000")
    portfolio = compare_portfolio([cv_screener], book, as_of=LATER, jurisdictions=["EU"])
    assert portfolio.comparisons[0].assessment.rulebook_version.endswith("+000000000000")


def test_a_portfolio_without_jurisdictions_is_compared_in_its_markets() -> None:
    profiles = parse_profiles({"profiles": [
        minimal_profile(id="a", markets=["EU"]),
        minimal_profile(id="b", markets=["US-NYC"]),
    ]})
    portfolio = compare_portfolio(profiles, as_of=LATER)
    assert [c.jurisdictions for c in portfolio.comparisons] == [["EU", "US-NYC"]] * 2
    assert list(portfolio.divergence) == [("EU", "US-NYC")]


def test_open_expectations_enter_the_matrix_as_open_cells() -> None:
    [vague] = parse_profiles(minimal_profile(markets=["US"], system={"machine_based": True}))
    comparison = compare_profile(vague, as_of=LATER, jurisdictions=["INT-OECD", "US-FED"])
    assert _cells(comparison) == _expected_cells(comparison)
    open_cells = {(code, p.binding) for row in comparison.matrix.values()
                  for code, cells in row.items() for p in cells if p.open_point}
    assert open_cells == {("INT-OECD", False), ("US-FED", True)}


def test_a_provision_carries_the_finding_citation_title_and_open_point(
        comparison: Comparison) -> None:
    eu = comparison.assessment.result("EU")
    held = eu.obligations[0]
    provision = _provision(eu, held)
    assert (provision.citation, provision.title, provision.open_point) == (
        held.citation, held.title, None)
    [open_duty] = [f for f in eu.undetermined if f.kind == "obligation"]
    assert _provision(eu, open_duty).open_point == "open: may not apply"
    bare = dataclasses.replace(open_duty, open_points=())
    assert _provision(eu, bare).open_point == "open"


def test_duties_owed_only_by_states_are_not_the_firm_s(comparison: Comparison) -> None:
    eu = comparison.assessment.result("EU")
    duty = eu.obligations[0]
    assert addresses_the_firm(duty)
    assert not addresses_the_firm(dataclasses.replace(duty, addressees=("state_party",)))
    assert addresses_the_firm(dataclasses.replace(duty, addressees=("state_party",
                                                                    "provider")))
    no_duty = dataclasses.replace(duty, duty=None)
    states_only = dataclasses.replace(duty, addressees=("state_party",), duty="logging")
    mixed = dataclasses.replace(eu, obligations=[no_duty, states_only])
    assert duty_types_of(mixed) == set()


def test_side_by_side_lists_each_prohibition_by_id_and_citation(examples: Path) -> None:
    [profile] = load_profiles(examples / "workplace-emotion.yaml")
    side = compare_profile(profile, as_of=LATER, jurisdictions=["EU"]).to_dict()["side_by_side"]
    assert {"id": "eu.ai_act.art5.1.f", "citation": "AI Act, Art. 5(1)(f)"} in (
        side[0]["prohibitions"])


def test_markets_that_reach_no_jurisdiction_compare_in_all_of_them() -> None:
    [elsewhere] = parse_profiles(minimal_profile(markets=["AU"]))
    book = default_rulebook()
    assert markets_of([elsewhere], book) == list(book.jurisdictions)


def test_a_portfolio_is_compared_on_its_as_of_date(cv_screener: Profile) -> None:
    portfolio = compare_portfolio([cv_screener], as_of=LATER, jurisdictions=["EU"])
    assert portfolio.comparisons[0].assessment.as_of == LATER


def test_a_duty_owed_only_by_states_never_enters_the_matrix_wherever_it_stands(
        comparison: Comparison) -> None:
    # The engine files such duties apart (addressed_to_states); an assessment read back
    # from elsewhere may not, so the comparison checks again, for every finding.
    eu = comparison.assessment.result("EU")
    states_only = dataclasses.replace(eu.obligations[0], rule_id="eu.states_only",
                                      addressees=("state_party",))
    eu.obligations.insert(0, states_only)
    again = comparison_of(comparison.assessment, default_rulebook().duty_types)
    assert _cells(again) == _cells(comparison)
