"""Auth, the register of systems (history, diff), the audit log, the watch."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy
from fastapi.testclient import TestClient

from comity.api import ApiSettings, create_app
from tests.api.conftest import bearer, example, registry_of


def test_writes_without_the_right_token_are_refused_and_change_nothing(
        fresh: TestClient) -> None:
    registry = registry_of(fresh)
    reader = registry.create_token("reader", "rita")
    before = registry.audit_count()
    for headers, status in (({}, 401), (bearer("comity_wrong"), 401), (bearer(reader), 403)):
        reply = fresh.post("/api/systems", json=example(), headers=headers)
        assert reply.status_code == status
        assert reply.headers["content-type"] == "application/problem+json"
        entity = fresh.put("/api/knowledge/term/ai-system", headers=headers,
                           json={"title": "x"})
        assert entity.status_code == status
    assert fresh.get("/api/systems").json()["total"] == 0
    assert registry.audit_count() == before
    assert fresh.post("/api/systems", json=example(),
                      headers=bearer(reader)).headers.get("www-authenticate") is None
    assert fresh.post("/api/systems", json=example()).headers["www-authenticate"] == "Bearer"


def test_editor_saves_and_every_write_is_audited(fresh: TestClient) -> None:
    registry = registry_of(fresh)
    editor = registry.create_token("editor", "eddie")
    admin = registry.create_token("admin", "ada")
    saved = fresh.post("/api/systems?jurisdiction=EU", json=example(), headers=bearer(editor))
    assert saved.status_code == 201
    [entry] = saved.json()["saved"]
    assert entry["system"] == "cv-screener" and entry["saved_by"] == "token:eddie"
    edit = fresh.put("/api/knowledge/term/test-term", headers=bearer(editor),
                     json={"title": "Test term", "text": "a term added over the API"})
    assert edit.json() == {"result": "added", "entity": "term:test-term"}
    assert fresh.get("/api/audit", headers=bearer(editor)).status_code == 403
    log = fresh.get("/api/audit", headers=bearer(admin)).json()
    actions = [(e["action"], e["actor"], e["target"]) for e in log["items"]]
    assert actions[:2] == [("entity.edit", "token:eddie", "term:test-term"),
                           ("system.save", "token:eddie", "system:cv-screener")]
    assert {a for a, _, _ in actions} >= {"token.create"}
    save = log["items"][1]
    assert save["before_hash"] is None and len(save["after_hash"]) == 64


def test_the_audit_log_is_append_only(fresh: TestClient) -> None:
    registry = registry_of(fresh)
    registry.create_token("editor", "eddie")
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), \
            registry.engine.begin() as connection:
        connection.execute(sqlalchemy.text("UPDATE audit_log SET actor = 'someone else'"))
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), \
            registry.engine.begin() as connection:
        connection.execute(sqlalchemy.text("DELETE FROM audit_log"))
    assert registry.audit_entries()[0]["actor"] == "cli"


def test_history_and_diff_between_two_assessments(fresh: TestClient) -> None:
    editor = registry_of(fresh).create_token("editor", "eddie")
    for day in ("2026-12-04", "2028-01-01"):
        reply = fresh.post(f"/api/systems?jurisdiction=EU&as_of={day}", json=example(),
                           headers=bearer(editor))
        assert reply.status_code == 201
    system = fresh.get("/api/systems/cv-screener").json()
    assert [e["as_of"] for e in system["history"]] == ["2026-12-04", "2028-01-01"]
    assert all(e["rulebook"] and len(e["input_hash"]) == 64 for e in system["history"])
    diff = fresh.get("/api/systems/cv-screener/diff").json()
    assert diff["changed"] is True
    [eu] = diff["jurisdictions"]
    art9 = next(c for c in eu["changed"] if c["id"] == "eu.ai_act.art9")
    assert art9["changes"]["applicable"] == {"before": False, "after": True}
    same = fresh.get(f"/api/systems/cv-screener/diff?from={diff['to']}&to={diff['to']}")
    assert same.json()["changed"] is False
    assert fresh.get("/api/systems/unknown").status_code == 404
    entry = fresh.get(f"/api/systems/cv-screener/entries/{diff['from']}").json()
    assert entry["profile"]["id"] == "cv-screener" and entry["result"]["as_of"] == "2026-12-04"


def test_watch_flags_the_saved_system_that_gains_duties(fresh: TestClient) -> None:
    editor = registry_of(fresh).create_token("editor", "eddie")
    fresh.post("/api/systems?as_of=2026-12-04", json=example(), headers=bearer(editor))
    report = fresh.get("/api/watch?since=2026-12-04&until=2028-01-01").json()
    eu_dates = {c["id"]: c["details"]["date"] for c in report["dated_changes"]["EU"]}
    assert eu_dates["eu.ai_act.annex3.4.a"] == "2027-12-02"
    [system] = report["systems"]
    assert system["key"] == "cv-screener" and system["changed"] is True
    eu = next(j for j in system["diff"]["jurisdictions"] if j["jurisdiction"] == "EU")
    gained = {c["id"] for c in eu["changed"] if c["changes"].get("applicable")}
    assert "eu.ai_act.art9" in gained
    nothing = fresh.get("/api/watch?since=2026-12-04&until=2026-12-05").json()
    assert not any(s["changed"] for s in nothing["systems"])
    assert fresh.get("/api/watch?since=2027-01-01&until=2026-01-01").status_code == 422


def test_closed_reading_needs_a_token(tmp_path: Path) -> None:
    settings = ApiSettings(db_url=f"sqlite:///{tmp_path / 'kb.db'}", open_reading=False,
                           seed_empty_store=False)
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/rules").status_code == 401
        assert client.post("/api/assess", json=example()).status_code == 401
        reader = registry_of(client).create_token("reader", "rita")
        assert client.get("/api/rules", headers=bearer(reader)).status_code == 200
        assert client.get("/").status_code == 401


def test_an_edit_under_an_old_key_updates_the_renamed_entity(fresh: TestClient) -> None:
    editor = registry_of(fresh).create_token("editor", "eddie")
    made = fresh.put("/api/knowledge/term/new-name", headers=bearer(editor),
                     json={"title": "T", "body": {"aliases": ["old-name"]}})
    assert made.json() == {"result": "added", "entity": "term:new-name"}
    edit = fresh.put("/api/knowledge/term/old-name", headers=bearer(editor),
                     json={"title": "T2"})
    assert edit.json() == {"result": "updated", "entity": "term:new-name"}
    assert [r["key"] for r in fresh.get("/api/knowledge/term").json()["items"]] == ["new-name"]
    assert fresh.get("/api/knowledge/term/old-name").json()["title"] == "T2"
