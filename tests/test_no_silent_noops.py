"""An unknown type, rule, kind, jurisdiction or list is an error (exit 2), never empty output."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from comity.cli.app import main

PROFILE = str(Path(__file__).parent / "data" / "profiles" / "er-triage.yaml")


@pytest.mark.parametrize(("args", "says"), [
    (["search", "ai", "--type", "nonsense"], "'nonsense' is not one of"),
    (["db", "export", "--type", "nonsense"], "'nonsense' is not one of"),
    (["rules", "list", "--kind", "duty"], "'duty' is not one of"),
    (["rules", "list", "-j", "XX"], "unknown jurisdiction XX"),
    (["rules", "test", "-j", "XX"], "unknown jurisdiction XX"),
    (["explain", PROFILE, "--rule", "eu.no.such.rule"], "unknown rule eu.no.such.rule"),
    (["compare", PROFILE, "-j", "XX"], "unknown jurisdiction XX"),
    (["redlines", "-j", "XX"], "unknown jurisdiction XX"),
    (["vocab", "colours"], "'colours' is not one of"),
    (["rules", "show", "no.such.rule"], "no rule 'no.such.rule'"),
])
def test_unknown_values_exit_2_with_the_allowed_ones(args: list[str], says: str,
                                                      tmp_path: Path) -> None:
    env = {"COMITY_DB": f"sqlite:///{tmp_path / 'kb.db'}", "NO_COLOR": "1"}
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_jurisdiction_codes_are_case_insensitive() -> None:
    result = CliRunner().invoke(main, ["assess", PROFILE, "-j", "eu,us-co", "--format", "json",
                                       "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert '"jurisdiction": "US-CO"' in result.output and '"jurisdiction": "EU"' in result.output
