"""Roles in the value chain: "my duties", and provider duties moved by AI Act Art. 25."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from comity.cli.app import main
from comity.engine.assess import assess_profile
from comity.engine.roles import RoleError
from comity.profile.files import parse_profiles
from tests.conftest import minimal_profile

DAY = date(2026, 11, 22)


def _eu_duties(role: str, **fields: object) -> set[str]:
    [profile] = parse_profiles(minimal_profile(
        uses=["employment.recruitment"], decision_role="substantial_factor",
        deployer={"country": "DE", "kind": "private"}, **fields))
    result = assess_profile(profile, as_of=DAY, jurisdictions=["EU"], role=role).result("EU")
    return {finding.rule_id for finding in result.obligations}


def test_a_deployers_duties_are_its_own() -> None:
    duties = _eu_duties("mine", roles=["deployer"])
    assert "eu.ai_act.art26.1" in duties
    assert "eu.ai_act.art9" not in duties  # the provider's risk management


def test_a_deployer_that_rebrands_the_system_also_bears_the_providers_duties() -> None:
    duties = _eu_duties("mine", roles=["deployer"],
                        answers={"eu.own_name_or_trademark": "yes"})
    assert {"eu.ai_act.art26.1", "eu.ai_act.art9", "eu.ai_act.art16.b"} <= duties


def test_an_undetermined_shift_does_not_move_duties() -> None:
    duties = _eu_duties("mine", roles=["importer"])
    assert "eu.ai_act.art9" not in duties


def test_a_named_role_filters_without_the_profiles_roles() -> None:
    assert _eu_duties("provider") >= {"eu.ai_act.art9"}
    assert "eu.ai_act.art9" not in _eu_duties("deployer")
    assert _eu_duties("deployer") == _eu_duties("mine", roles=["deployer"])


def test_mine_needs_roles_in_the_profile() -> None:
    with pytest.raises(RoleError, match="states no roles"):
        _eu_duties("mine")


def test_roles_are_a_closed_vocabulary() -> None:
    with pytest.raises(Exception, match="not a known operator role"):
        parse_profiles(minimal_profile(roles=["reseller"]))


def test_cli_role_mine(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(minimal_profile(
        uses=["employment.recruitment"], decision_role="substantial_factor", roles=["deployer"],
        deployer={"country": "DE", "kind": "private"},
        answers={"eu.substantial_modification": "yes"})), encoding="utf-8")
    result = CliRunner().invoke(main, ["assess", str(path), "-j", "EU", "--role", "mine",
                                       "--format", "json", "--no-trace", "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    ids = {o["id"] for o in json.loads(result.output)["results"][0]["obligations"]}
    assert {"eu.ai_act.art9", "eu.ai_act.art26.1"} <= ids
    path.write_text(json.dumps(minimal_profile()), encoding="utf-8")
    result = CliRunner().invoke(main, ["assess", str(path), "--role", "mine"])
    assert result.exit_code == 2 and "states no roles" in result.output
