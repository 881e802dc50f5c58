from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from comity import assess_profile, load_profiles, parse_profiles
from comity.analysis.audit_plan import audit_plan
from comity.errors import InputError
from comity.knowledge.content import Crosswalks
from tests.conftest import minimal_profile

WALKS = Crosswalks.model_validate({
    "provenance": {"added_by": "test", "checked": "2026-11-22"},
    "frameworks": {"iso42001": {
        "title": "ISO/IEC 42001:2023 Annex A",
        "source_url": "https://www.iso.org/standard/81230.html",
        "items": [
            {"id": "A.5.2", "topic": "impact assessment process",
             "duty_types": ["impact_assessment"]},
            {"id": "A.6.2.8", "topic": "event logs", "duty_types": ["logging"]},
        ]}},
    "relations": [
        {"from": {"framework": "eu-ai-act", "id": "eu.ai_act.art9"},
         "to": {"framework": "iso42001", "id": "A.5.2"}, "relation": "intersect",
         "rationale": "both ask for assessing risks to people"},
    ],
})


def test_controls_cover_provisions_and_gaps_are_listed() -> None:
    [profile] = parse_profiles(minimal_profile(uses=["employment.recruitment"]))
    assessment = assess_profile(profile, as_of=date(2026, 11, 22), jurisdictions=["EU"])
    plan = audit_plan(assessment, "iso42001", WALKS)
    covers = {c.id: {x.rule_id: x.via for x in c.covers} for c in plan.controls}
    assert covers["A.5.2"]["eu.ai_act.art9"] == "crosswalk"
    assert covers["A.6.2.8"]["eu.ai_act.art12"] == "duty type"
    gaps = {finding.rule_id for _, finding in plan.gaps}
    assert "eu.ai_act.art15" in gaps and "eu.ai_act.art12" not in gaps
    assert plan.to_dict()["format"] == "comity.audit_plan.v1"


def test_unknown_standard_is_a_clear_error() -> None:
    [profile] = parse_profiles(minimal_profile())
    assessment = assess_profile(profile, as_of=date(2026, 11, 22), jurisdictions=["EU"])
    with pytest.raises(InputError, match="no crosswalk"):
        audit_plan(assessment, "iso9001", WALKS)


@pytest.mark.parametrize("framework", ["iso42001", "nist-ai-rmf"])
def test_plan_with_the_shipped_crosswalks(framework: str) -> None:
    """The CV screener's EU duties map onto the standard; duties that no management
    standard addresses (CE marking, EU authorised representative) remain gaps."""
    [profile] = load_profiles(Path(__file__).parents[1] / "examples" / "cv-screener.yaml")
    assessment = assess_profile(profile, as_of=date(2026, 11, 30),
                                jurisdictions=["EU", "US-CO", "US-NYC"])
    plan = audit_plan(assessment, framework)
    covered = {c.rule_id: c.via for control in plan.controls for c in control.covers}
    assert covered["eu.ai_act.art9"] == "crosswalk"
    assert covered["eu.ai_act.art12"] == "crosswalk"
    assert any(rule.startswith("us-nyc.") for rule in covered)
    gaps = {finding.rule_id for _, finding in plan.gaps}
    assert {"eu.ai_act.art48", "eu.ai_act.art22"} <= gaps
    assert not gaps & set(covered)
    obligations = {f.rule_id for r in assessment.results for f in r.obligations}
    assert gaps | set(covered) == obligations


def test_a_framework_is_also_named_by_its_standards_id_or_alias(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Crosswalk frameworks point at their knowledge-base standard; its id and any old id
    (alias) select the framework, so a renamed standard does not break plans."""
    from comity.knowledge import content
    from comity.knowledge.content import Standard, framework_named, load_crosswalks, load_items

    walks = load_crosswalks()
    assert walks is not None
    ids = {s.id for s in load_items("standards.yaml")}
    assert all(f.standard in ids for f in walks.frameworks.values())
    assert framework_named(walks, "iso-iec-42001-2023") == "iso42001"
    assert framework_named(walks, "nist-ai-100-1") == "nist-ai-rmf"
    assert framework_named(walks, "iso-iec-tr-29119-11-2020") is None  # no crosswalk
    renamed = [s.model_copy(update={"aliases": ["iso-iec-42001"]})
               if s.id == "iso-iec-42001-2023" else s for s in load_items("standards.yaml")]
    monkeypatch.setattr(content, "load_items", lambda name: tuple(renamed))
    assert isinstance(renamed[0], Standard)
    assert framework_named(walks, "iso-iec-42001") == "iso42001"
    [profile] = parse_profiles(minimal_profile(uses=["employment.recruitment"]))
    assessment = assess_profile(profile, as_of=date(2026, 11, 22), jurisdictions=["EU"])
    assert audit_plan(assessment, "iso-iec-42001").framework == "iso42001"
