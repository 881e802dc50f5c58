"""Assess, explain, questions, compare, plan, export: results and problem+json errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from comity import assess_profile, parse_profiles
from comity.api import ApiSettings, create_app
from tests.api.conftest import example
from tests.conftest import minimal_profile

PROBLEM = "application/problem+json"


def test_assess_gives_the_library_result(seeded: TestClient) -> None:
    reply = seeded.post("/api/assess", params={"jurisdiction": ["EU", "US-NYC"],
                                               "as_of": "2026-12-04"}, json=example())
    assert reply.status_code == 200
    [profile] = parse_profiles(example())
    expected = assess_profile(profile, jurisdictions=["EU", "US-NYC"], as_of=date(2026, 12, 4))
    assert reply.json() == json.loads(json.dumps(expected.to_dict()))
    eu = reply.json()["results"][0]
    assert eu["tier"] == "high"
    assert "AI Act, Annex III, point 4(a)" in [f["citation"] for f in eu["classifications"]]


def test_assess_accepts_yaml_and_portfolios(seeded: TestClient) -> None:
    text = ("profiles:\n  - " + json.dumps(example()) + "\n  - "
             + json.dumps(minimal_profile()) + "\n")
    reply = seeded.post("/api/assess?jurisdiction=EU&trace=false", content=text,
                        headers={"Content-Type": "application/yaml"})
    assert reply.status_code == 200
    assert [a["id"] for a in reply.json()] == ["cv-screener", "test-system"]
    assert "trace" not in reply.json()[0]["results"][0]


def test_invalid_profile_is_problem_json_with_the_field_path(seeded: TestClient) -> None:
    reply = seeded.post("/api/assess", json={**example(), "markets": ["EU", "XX"],
                                             "uses": ["employment.recruiting"]})
    assert reply.status_code == 422
    assert reply.headers["content-type"] == PROBLEM
    body = reply.json()
    assert body["status"] == 422 and body["type"].endswith("invalid-input")
    paths = {e["path"]: e for e in body["errors"]}
    assert set(paths) == {"$.markets[1]", "$.uses[0]"}
    assert "employment.recruitment" in paths["$.uses[0]"]["allowed"]
    assert "did you mean 'employment.recruitment'" in paths["$.uses[0]"]["message"]


def test_unknown_field_names_allowed_fields(seeded: TestClient) -> None:
    reply = seeded.post("/api/assess", json={**example(), "system": {"autonomus": "full"}})
    [error] = reply.json()["errors"]
    assert error["path"] == "$.system.autonomus"
    assert "autonomy" in error["allowed"]


def test_bad_bodies_are_refused_clearly(seeded: TestClient) -> None:
    for content, status in ((b"", 422), (b"{not json", 422), (b"\xff\xfe", 400),
                            (b"[1, 2]", 422)):
        reply = seeded.post("/api/assess", content=content,
                            headers={"Content-Type": "application/json"})
        assert reply.status_code == status, content
        assert reply.headers["content-type"] == PROBLEM


def test_unknown_jurisdiction_lists_the_known_ones(seeded: TestClient) -> None:
    reply = seeded.post("/api/assess?jurisdiction=XX", json=example())
    assert reply.status_code == 422
    [error] = reply.json()["errors"]
    assert error["path"] == "query:$.jurisdiction" and "EU" in error["allowed"]


def test_bad_query_parameter_is_problem_json(seeded: TestClient) -> None:
    reply = seeded.post("/api/assess?as_of=yesterday", json=example())
    assert reply.status_code == 422 and reply.headers["content-type"] == PROBLEM
    assert reply.json()["errors"][0]["path"] == "query:$.as_of"


def test_request_size_limit(tmp_path: Path) -> None:
    app = create_app(ApiSettings(db_url=f"sqlite:///{tmp_path / 'kb.db'}", max_body_bytes=2048,
                                 seed_empty_store=False))
    with TestClient(app) as client:
        big = {**example(), "description": "x" * 4096}
        reply = client.post("/api/assess", json=big)
        assert reply.status_code == 413
        assert reply.headers["content-type"] == PROBLEM
        assert client.post("/api/assess", json=example()).status_code == 200


def test_explain_questions_compare_plan_export(seeded: TestClient) -> None:
    explained = seeded.post("/api/explain?jurisdiction=EU&rule=eu.ai_act.annex3.4.a",
                            json=example()).json()
    [trace] = explained["traces"][0]["rules"]
    assert trace["rule"] == "eu.ai_act.annex3.4.a" and trace["result"] == "holds"
    profile = minimal_profile(markets=["EU"], uses=["employment.recruitment"])
    questions = seeded.post("/api/questions?jurisdiction=EU", json=profile).json()
    facts = [q["fact"] for q in questions["missing_facts"]]
    assert isinstance(questions["questions"], list)
    assert facts, "a profile without decision_role leaves questions open"
    compared = seeded.post("/api/compare", json=example()).json()
    assert compared["format"] == "comity.comparison.v1"
    assert {s["jurisdiction"] for s in compared["side_by_side"]} == {"EU", "US-CO", "US-NYC"}
    plan = seeded.post("/api/plan?standard=iso42001", json=example()).json()
    assert plan["format"] == "comity.audit_plan.v1"
    markdown = seeded.post("/api/export/markdown?jurisdiction=EU", json=example())
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "Annex III" in markdown.text
    oscal = seeded.post("/api/export/oscal?jurisdiction=EU", json=example()).json()
    assert "catalog" in oscal


def test_rulebook_is_loaded_once_per_process(seeded: TestClient) -> None:
    context = seeded.app.state.comity  # type: ignore[attr-defined]
    first = context.rulebook
    seeded.post("/api/assess", json=example())
    assert context.rulebook is first


def test_questions_are_the_rulebooks_typed_questions(seeded: TestClient) -> None:
    reply = seeded.post("/api/questions?jurisdiction=US-CO", json=example()).json()
    ids = [q["id"] for q in reply["questions"]]
    assert "us-co.deployer_trains_with_own_data" in ids
    question = reply["questions"][ids.index("us-co.deployer_trains_with_own_data")]
    assert question["text"] and question["type"] and question["settles"]
