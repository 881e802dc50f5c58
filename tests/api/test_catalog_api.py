"""Rules, vocabulary, search and the knowledge base over HTTP; OpenAPI; CORS."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from comity.api import ApiSettings, create_app
from comity.api.bodies import profile_components
from comity.json_schemas import profile_schema
from comity.rulebook.loader import default_rulebook
from tests.conftest import ROOT

OPENAPI_FILE = ROOT / "docs" / "openapi.json"


def test_rules_are_paged(seeded: TestClient) -> None:
    first = seeded.get("/api/rules?jurisdiction=EU&limit=5").json()
    total = len(default_rulebook().jurisdictions["EU"].rules)
    assert first["total"] == total and len(first["items"]) == 5 and first["next_offset"] == 5
    last = seeded.get(f"/api/rules?jurisdiction=EU&limit=5&offset={total - 2}").json()
    assert len(last["items"]) == 2 and last["next_offset"] is None
    assert seeded.get("/api/rules?limit=0").status_code == 422
    assert seeded.get("/api/rules?limit=501").status_code == 422


def test_one_rule_and_a_missing_one(seeded: TestClient) -> None:
    rule = seeded.get("/api/rules/eu.ai_act.art5.1.f").json()
    assert rule["citation_text"].startswith("AI Act, Art. 5(1)")
    missing = seeded.get("/api/rules/no.such.rule")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


def test_search_ranks_as_the_store_does(seeded: TestClient) -> None:
    store = seeded.app.state.comity.store  # type: ignore[attr-defined]
    expected = [hit.to_dict() for hit in store.search("emotion recognition", limit=10)]
    page_one = seeded.get("/api/search", params={"q": "emotion recognition", "limit": 5})
    page_two = seeded.get("/api/search", params={"q": "emotion recognition", "limit": 5,
                                                 "offset": 5})
    assert page_one.json()["items"] + page_two.json()["items"] == expected
    assert "provision:eu.ai_act.art5.1.f" in [h["id"] for h in expected]


def test_knowledge_base_browse(seeded: TestClient) -> None:
    counts = seeded.get("/api/knowledge").json()["types"]
    assert counts["term"] > 0 and counts["sandbox"] > 0
    terms = seeded.get("/api/knowledge/term?limit=3").json()
    assert terms["total"] == counts["term"] and len(terms["items"]) == 3
    key = terms["items"][0]["key"]
    assert seeded.get(f"/api/knowledge/term/{key}").json()["key"] == key
    assert seeded.get("/api/knowledge/nonsense").status_code == 404
    assert seeded.get("/api/vocabulary").json()["uses"]["employment.recruitment"]


def test_openapi_document_is_committed_and_current(seeded: TestClient) -> None:
    served = seeded.get("/openapi.json").json()
    assert json.loads(OPENAPI_FILE.read_text(encoding="utf-8")) == served, (
        "regenerate: python -m comity.api.openapi > docs/openapi.json")


def test_openapi_profile_body_is_the_project_schema(seeded: TestClient) -> None:
    served = seeded.get("/openapi.json").json()
    schemas = served["components"]["schemas"]
    project = profile_schema()
    assert len(schemas["ProfileFile"]["oneOf"]) == len(project["oneOf"])
    for name in project["$defs"]:
        assert schemas[name] == profile_components()[name]
    assert schemas["Profile"]["properties"]["uses"] == json.loads(json.dumps(
        project["$defs"]["Profile"]["properties"]["uses"]))
    body = served["paths"]["/api/assess"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/ProfileFile"}


def test_cors_is_off_unless_configured(tmp_path: Path) -> None:
    preflight = {"Origin": "https://tool.example", "Access-Control-Request-Method": "POST"}
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    with TestClient(create_app(ApiSettings(db_url=url, seed_empty_store=False))) as client:
        reply = client.options("/api/assess", headers=preflight)
        assert "access-control-allow-origin" not in reply.headers
    settings = ApiSettings(db_url=url, seed_empty_store=False,
                           cors_origins=("https://tool.example",))
    with TestClient(create_app(settings)) as client:
        reply = client.options("/api/assess", headers=preflight)
        assert reply.headers["access-control-allow-origin"] == "https://tool.example"


def test_offsets_past_any_list_are_refused_not_crashing(seeded: TestClient) -> None:
    for path in ("/api/search?q=ai&offset=9223372036854775806", "/api/rules?offset=10000000",
                 "/api/systems?offset=10000000"):
        reply = seeded.get(path)
        assert reply.status_code == 422, path
        assert reply.json()["errors"][0]["path"] == "query:$.offset"


def test_an_old_key_finds_the_renamed_entity_over_http(seeded: TestClient) -> None:
    old, new = "iso-iec-ieee-tr-29119-11-2020", "iso-iec-tr-29119-11-2020"
    entity = seeded.get(f"/api/knowledge/standard/{old}").json()
    assert entity["key"] == new and entity["body"]["aliases"] == [old]
    assert entity["body"]["checked"] == "2026-12-04"
    page = seeded.get(f"/knowledge/standard/{old}", follow_redirects=False)
    assert page.status_code == 301 and page.headers["location"] == f"/knowledge/standard/{new}"
    assert seeded.get(f"/knowledge/standard/{old}").status_code == 200
    assert seeded.get("/api/knowledge/standard/no-such-key").status_code == 404
