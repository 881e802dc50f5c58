"""The register on each database: tokens, systems with history, append-only audit log."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy

from comity import assess_profile, parse_profiles
from comity.knowledge.entities import EntityRecord
from comity.knowledge.store.database import connect, migrate
from comity.knowledge.store.registry import Registry, token_hash
from comity.knowledge.store.repository import KnowledgeBase
from tests.conftest import minimal_profile


@pytest.fixture
def registry(store_url: str) -> Registry:
    engine = connect(store_url)
    migrate(engine)
    return Registry(KnowledgeBase(engine))


def test_tokens_are_stored_as_hashes_only(registry: Registry) -> None:
    token = registry.create_token("editor", "eddie")
    with registry.engine.connect() as connection:
        stored = connection.execute(sqlalchemy.text("SELECT token_hash FROM api_tokens")
                                    ).scalars().all()
    assert stored == [token_hash(token)] and token not in stored
    principal = registry.principal(token)
    assert principal is not None and principal.role == "editor" and principal.may("reader")
    assert not principal.may("admin")
    assert registry.principal(token + "x") is None
    with pytest.raises(ValueError, match="allowed: reader, editor, admin"):
        registry.create_token("owner", "x")


def test_history_keeps_every_save_and_the_audit_log_cannot_be_rewritten(
        registry: Registry) -> None:
    [profile] = parse_profiles(minimal_profile(uses=["employment.recruitment"]))
    for day in (date(2026, 12, 4), date(2028, 1, 1), date(2028, 1, 1)):
        registry.save_system(assess_profile(profile, jurisdictions=["EU"], as_of=day),
                             profile.model_dump(mode="json"), "token:eddie")
    history = registry.system("test-system")
    assert history is not None
    assert [e["as_of"] for e in history["history"]] == ["2026-12-04", "2028-01-01", "2028-01-01"]
    # the same pinned result is stored once, however often it is saved
    assert len({e["assessment"] for e in history["history"]}) == 2
    saves = [e for e in registry.audit_entries() if e["action"] == "system.save"]
    assert len(saves) == 3
    assert saves[0]["before_hash"] == saves[1]["after_hash"]
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), \
                registry.engine.begin() as connection:
            connection.execute(sqlalchemy.text(statement))
    assert len(registry.audit_entries()) == 3


def test_entity_edits_record_before_and_after(registry: Registry) -> None:
    record = EntityRecord(type="term", key="t", title="T", text="first")
    assert registry.edit_entity(record, "token:eddie") == "added"
    changed = record.model_copy(update={"text": "second"})
    assert registry.edit_entity(changed, "token:eddie") == "updated"
    [second, first] = registry.audit_entries()
    assert first["before_hash"] is None and second["before_hash"] is not None
    assert second["before_hash"] == first["after_hash"] != second["after_hash"]
    [stored] = registry.store.records(["term"])
    assert stored.text == "second"
