from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from comity.errors import InputError
from comity.rulebook.loader import default_rulebook, default_rules_folder, load_rulebook


def test_shipped_rulebook_loads_with_a_version() -> None:
    rulebook = default_rulebook()
    assert "EU" in rulebook.jurisdictions
    assert rulebook.version_id.startswith(rulebook.version + "+")
    assert len(rulebook.rules()) > 100


def test_every_rule_has_a_rendered_citation_and_summary() -> None:
    for rule in default_rulebook().rules():
        assert rule.citation.startswith(rule.instrument.short_title + ", ")
        assert len(rule.spec.summary) > 20, rule.id


def test_citation_rendering() -> None:
    rulebook = default_rulebook()
    assert rulebook.rule("eu.ai_act.art5.1.f").citation == "AI Act, Art. 5(1)(f)"
    assert rulebook.rule("eu.ai_act.annex3.5.b").citation == "AI Act, Annex III, point 5(b)"
    assert rulebook.rule("eu.ai_act.art6.3.profiling").citation == (
        "AI Act, Art. 6(3), third subparagraph"
    )
    assert rulebook.rule("eu.ai_act.art5.1.ba.provider").citation == (
        "AI Act, Art. 5(1)(ba), as amended by Regulation (EU) 2026/1744, Art. 1(7)(a)"
    )


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), target)
    return target


def _break(folder: Path, file: str, old: str, new: str) -> None:
    path = folder / "eu" / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("prohibitions.yaml", "    kind: prohibition\n", "    kind: prohibition\n    colour: red\n",
         "Extra inputs are not permitted"),
        ("prohibitions.yaml", "exception_of: [eu.ai_act.art5.1.f]",
         "exception_of: [eu.ai_act.art5.1.z]", "exception_of names unknown rule"),
        ("high_risk_obligations.yaml", "duty: risk_management", "duty: paperwork",
         "unknown duty type"),
        ("high_risk_classification.yaml", "when: {established: annex_iii}",
         "when: {established: annex_iiii}", "no rule establishes 'annex_iiii'"),
        ("prohibitions.yaml", "has: social_scoring", "has: social_scorin",
         "not in the vocabulary"),
        ("high_risk_classification.yaml", "applies_from: annex_i_high_risk",
         "applies_from: someday", "unknown date parameter"),
        ("scope.yaml", "in_set: eu_member_states_and_union", "in_set: europe",
         "unknown set 'europe'"),
        ("high_risk_classification.yaml",
         "establishes: [high_risk, high_risk_requirements, high_risk_annex_iii]",
         "establishes: [high_risk, high_risk_requirements, high_risk_annex_iii, annex_iii]",
         "circular dependency"),
        ("gpai.yaml", "citation: {instrument: eu-ai-act, article: \"52\"",
         "citation: {instrument: eu-ai-law, article: \"52\"", "unknown instrument"),
    ],
)
def test_defects_are_reported_with_the_file(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    folder = _copy_rules(tmp_path)
    _break(folder, file, old, new)
    with pytest.raises(InputError) as caught:
        load_rulebook(folder)
    assert message in str(caught.value)


def test_digest_changes_with_content(tmp_path: Path) -> None:
    folder = _copy_rules(tmp_path)
    before = load_rulebook(folder).digest
    _break(folder, "prohibitions.yaml", "title: Social scoring", "title: Social scoring (edited)")
    assert load_rulebook(folder).digest != before
