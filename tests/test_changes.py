"""What changed: results of one system, and two rulebooks rule by rule."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from comity import assess_profile, load_profiles
from comity.analysis.changes import dated_changes, diff_results, diff_rulebooks
from comity.rulebook.loader import default_rulebook, default_rules_folder, load_rulebook
from tests.conftest import EXAMPLES

OBLIGATIONS = Path("eu") / "high_risk_obligations.yaml"


def test_a_result_diffed_with_itself_is_empty() -> None:
    [profile] = load_profiles(EXAMPLES / "cv-screener.yaml")
    result = assess_profile(profile, as_of=date(2026, 12, 4)).to_dict()
    assert diff_results(result, result).empty


def test_the_eu_annex_iii_duties_start_on_2_december_2027() -> None:
    [profile] = load_profiles(EXAMPLES / "cv-screener.yaml")
    before = assess_profile(profile, jurisdictions=["EU"], as_of=date(2027, 12, 1)).to_dict()
    after = assess_profile(profile, jurisdictions=["EU"], as_of=date(2027, 12, 2)).to_dict()
    [eu] = diff_results(before, after).jurisdictions
    started = {c["id"] for c in eu.changed if c["changes"].get("applicable")}
    assert {"eu.ai_act.art9", "eu.ai_act.art10"} <= started
    dated = dated_changes(default_rulebook(), date(2027, 12, 1), date(2027, 12, 2))
    assert "eu.ai_act.annex3.4.a" in {c.rule_id for c in dated}
    assert all(c.details["date"] == "2027-12-02" for c in dated)


def test_rulebook_diff_finds_redated_and_reworded_rules(tmp_path: Path) -> None:
    new = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), new)
    path = new / OBLIGATIONS
    text = path.read_text(encoding="utf-8")
    text = text.replace('title: "Risk management system"', 'title: "Risk management"', 1)
    text = text.replace("in_force: {from: 2024-08-01}\n    applies_from: 2026-08-02",
                        "in_force: {from: 2024-08-01}\n    applies_from: 2026-09-01", 1)
    path.write_text(text, encoding="utf-8")
    changes = diff_rulebooks(default_rulebook(), load_rulebook(new), date(2026, 12, 4))
    kinds = {(c.rule_id, c.change) for c in changes}
    assert ("eu.ai_act.art9", "reworded") in kinds
    assert ("eu.ai_act.art9", "redated") in kinds
    assert all(c.rule_id == "eu.ai_act.art9" for c in changes)
    reverse = diff_rulebooks(load_rulebook(new), default_rulebook(), date(2026, 12, 4))
    assert {c.change for c in reverse} == {"reworded", "redated"}
    assert diff_rulebooks(default_rulebook(), default_rulebook(), date(2026, 12, 4)) == []
