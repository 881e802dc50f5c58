"""National layers (Italy on the EU AI Act): composed as data, never copied."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from comity import assess_profile, parse_profiles
from comity.errors import InputError
from comity.render.markdown import assessment_markdown
from comity.rulebook.loader import default_rulebook, default_rules_folder, load_rulebook

SCREENER = {
    "profile": 1, "id": "cv", "name": "CV screener",
    "system": {"machine_based": True, "infers_outputs": True, "autonomy": "partial"},
    "uses": ["employment.recruitment"], "decision_role": "sole",
}


def _assess(markets: list[str], codes: list[str] | None) -> dict[str, object]:
    [profile] = parse_profiles({**SCREENER, "markets": markets})
    assessment = assess_profile(profile, as_of=date(2026, 12, 4), jurisdictions=codes)
    return {r.jurisdiction: r for r in assessment.results}


def test_a_layer_is_reported_with_its_base() -> None:
    results = _assess(["EU", "IT"], ["IT"])
    assert list(results) == ["EU", "IT"]
    eu, it = results["EU"], results["IT"]
    assert eu.in_scope and eu.common_tier == "high"  # type: ignore[attr-defined]
    assert it.layer_of == "EU"  # type: ignore[attr-defined]
    # The layer adds its own duty and never repeats the AI Act's.
    duties = {f.rule_id for f in it.obligations}  # type: ignore[attr-defined]
    assert "it.l132.art11.2" in duties
    assert all(rule.startswith("it.") for rule in duties)


def test_market_eu_brings_both() -> None:
    results = _assess(["EU"], None)
    assert results["EU"].in_scope is True  # type: ignore[attr-defined]
    assert results["IT"].in_scope is True  # type: ignore[attr-defined]


def test_another_member_state_does_not_bring_the_italian_layer() -> None:
    results = _assess(["FR"], None)
    assert results["IT"].in_scope is False  # type: ignore[attr-defined]


def test_markdown_names_the_layer() -> None:
    [profile] = parse_profiles({**SCREENER, "markets": ["IT"]})
    text = assessment_markdown(assess_profile(profile, as_of=date(2026, 12, 4),
                                              jurisdictions=["IT"]))
    assert "## Italy (national layer on the EU AI Act) (IT, national layer on EU)" in text


def test_layer_of_must_name_a_base_jurisdiction(tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), folder)
    path = folder / "it" / "jurisdiction.yaml"
    path.write_text(path.read_text().replace("layer_of: EU", "layer_of: EUR"))
    with pytest.raises(InputError) as caught:
        load_rulebook(folder)
    assert "it/jurisdiction.yaml" in str(caught.value)
    assert "'EUR' is not a base jurisdiction" in str(caught.value)


def test_only_the_shipped_layer_is_italy() -> None:
    layers = {j.code: j.layer_of for j in default_rulebook().jurisdictions.values() if j.layer_of}
    assert layers == {"IT": "EU"}
