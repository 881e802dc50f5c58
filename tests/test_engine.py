from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from comity import assess_profile, load_profiles, parse_profiles
from comity.engine.assess import UnknownJurisdictionError
from comity.engine.results import JurisdictionResult
from tests.conftest import minimal_profile

TODAY = date(2026, 11, 22)


def eu(profile: dict[str, Any], as_of: date = TODAY, role: str | None = None
       ) -> JurisdictionResult:
    [parsed] = parse_profiles(profile)
    return assess_profile(parsed, as_of=as_of, jurisdictions=["EU"], role=role).result("EU")


def example(examples: Path, name: str, as_of: date = TODAY) -> JurisdictionResult:
    [profile] = load_profiles(examples / f"{name}.yaml")
    return assess_profile(profile, as_of=as_of, jurisdictions=["EU"]).result("EU")


@pytest.mark.parametrize(
    ("name", "tier", "labels"),
    [
        ("cv-screener", "high", []),
        ("credit-model", "high", []),
        ("customer-chatbot", "limited", ["transparency"]),
        ("face-swap-app", "limited", ["transparency"]),
        ("workplace-emotion", "prohibited", ["transparency"]),
        ("frontier-model", "limited", ["gpai", "gpai_systemic", "transparency"]),
    ],
)
def test_examples_get_their_eu_tier(examples: Path, name: str, tier: str,
                                    labels: list[str]) -> None:
    result = example(examples, name)
    assert result.in_scope is True
    assert (result.tier, sorted(result.labels)) == (tier, labels)


def test_cv_screener_duties_carry_citations_and_deferred_dates(examples: Path) -> None:
    result = example(examples, "cv-screener")
    by_id = {f.rule_id: f for f in result.obligations}
    assert by_id["eu.ai_act.art9"].citation == "AI Act, Art. 9"
    assert by_id["eu.ai_act.art9"].applies_from == date(2027, 12, 2)
    assert by_id["eu.ai_act.art9"].applicable is False
    assert by_id["eu.ai_act.art26.11"].addressees == ("deployer",)
    assert by_id["eu.ai_act.art4.amended"].applicable is True
    assert [f.rule_id for f in result.classifications] == [
        "eu.ai_act.annex3.4.a", "eu.ai_act.art6.2"]
    assert by_id["eu.ai_act.art9"].facts == {}
    annex = result.classifications[0]
    assert annex.facts == {"uses": ["employment.recruitment"]}


def test_as_of_before_the_omnibus_reads_the_original_dates(examples: Path) -> None:
    result = example(examples, "cv-screener", as_of=date(2026, 1, 1))
    by_id = {f.rule_id: f for f in result.obligations}
    assert by_id["eu.ai_act.art9"].applies_from == date(2026, 8, 2)
    assert "eu.ai_act.art4" in by_id and "eu.ai_act.art4.amended" not in by_id


def test_before_entry_into_force_nothing_applies(examples: Path) -> None:
    result = example(examples, "cv-screener", as_of=date(2024, 7, 1))
    assert result.in_scope is False
    assert result.tier == "out_of_scope" and not result.obligations


def test_new_intimate_imagery_ban_has_its_own_dates() -> None:
    profile = minimal_profile(uses=["content.intimate_imagery"])
    assert eu(profile, as_of=date(2026, 7, 1)).prohibitions == []
    [provider, deployer] = eu(profile).prohibitions
    assert provider.applies_from == date(2026, 12, 2) and not provider.applicable
    assert eu(profile, as_of=date(2026, 12, 2)).prohibitions[0].applicable


def test_derogation_and_profiling_override() -> None:
    narrow = minimal_profile(uses=["employment.recruitment"],
                             flags={"narrow_procedural_task": True})
    result = eu(narrow)
    assert result.tier == "minimal"
    assert [f.rule_id for f in result.exceptions] == ["eu.ai_act.art6.3"]
    assert {f.rule_id for f in result.obligations} >= {"eu.ai_act.art6.4", "eu.ai_act.art49.2"}
    narrow["flags"]["profiling"] = True
    assert eu(narrow).tier == "high"


def test_role_filter_keeps_only_that_role() -> None:
    profile = minimal_profile(uses=["credit.scoring"], deployer={"kind": "private",
                                                                 "country": "DE"})
    providers = eu(profile, role="provider").obligations
    deployers = eu(profile, role="deployer").obligations
    assert providers and all("provider" in f.addressees for f in providers)
    assert deployers and all("deployer" in f.addressees for f in deployers)
    assert "eu.ai_act.art27.1" in {f.rule_id for f in deployers}


def test_missing_fact_is_undetermined_not_guessed() -> None:
    profile = minimal_profile()
    del profile["system"]["autonomy"]
    result = eu(profile)
    assert result.in_scope is None
    assert result.undetermined[0].needs == ("system.autonomy",)


def test_third_country_police_use_leaves_provider_duties_and_asks_about_deployer() -> None:
    profile = minimal_profile(uses=["law_enforcement.evidence_reliability"],
                              deployer={"kind": "law_enforcement", "country": "US"})
    result = eu(profile)
    assert result.in_scope is True and result.tier == "high"
    assert "eu.ai_act.art9" in {f.rule_id for f in result.obligations}
    deployer_duty = next(f for f in result.undetermined if f.rule_id == "eu.ai_act.art26.1")
    assert [q.id for q in deployer_duty.questions] == ["eu.international_cooperation"]
    assert "international cooperation" in deployer_duty.questions[0].text


def test_json_result_contract(examples: Path) -> None:
    [profile] = load_profiles(examples / "cv-screener.yaml")
    data = assess_profile(profile, as_of=TODAY).to_dict()
    assert data["id"] == "cv-screener"
    eu_result = next(r for r in data["results"] if r["jurisdiction"] == "EU")
    for key in ("jurisdiction", "in_scope", "tier", "common_tier", "labels", "obligations",
                "prohibitions"):
        assert key in eu_result
    assert all({"id", "citation"} <= set(o) for o in eu_result["obligations"])
    assert eu_result["trace"]["format"] == "comity.trace.v1"
    assert eu_result["trace"]["rulebook"] == data["rulebook"]


def test_unknown_jurisdiction_is_an_error() -> None:
    [profile] = parse_profiles(minimal_profile())
    with pytest.raises(UnknownJurisdictionError, match="known: .*EU"):
        assess_profile(profile, jurisdictions=["XX"])


def test_pending_bill_rules_are_listed_but_never_set_the_tier(tmp_path: Path) -> None:
    import shutil

    from comity.rulebook.loader import default_rules_folder, load_rulebook

    folder = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), folder)
    for extra in folder.iterdir():
        if extra.is_dir() and extra.name != "eu":
            shutil.rmtree(extra)
    (folder / "eu" / "pending.yaml").write_text(
        "instrument: eu-ai-act\n"
        "rules:\n"
        "  - id: eu.test.pending_ban\n"
        "    kind: prohibition\n"
        "    title: A proposed ban\n"
        "    summary: A ban proposed in a bill that has not been adopted.\n"
        "    citation: {instrument: eu-ai-act, article: '999'}\n"
        "    in_force: {from: 2030-01-01}\n"
        "    status: pending\n"
        "    addressees: [provider]\n"
        "    when: {fact: uses, has: chatbot}\n"
    )
    book = load_rulebook(folder)
    [profile] = parse_profiles(minimal_profile(uses=["chatbot"]))
    result = assess_profile(profile, book, as_of=TODAY).result("EU")
    assert result.tier == "limited" and not result.prohibitions
    assert [f.rule_id for f in result.pending] == ["eu.test.pending_ban"]
