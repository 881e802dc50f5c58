"""Renamed entities: their old keys (``body.aliases``) resolve everywhere a key is given,
and a store made before the rename upgrades without a duplicate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from click.testing import CliRunner
from sqlalchemy import insert, inspect

from comity.cli.app import main
from comity.knowledge.entities import EntityRecord, parse_records, records_to_json
from comity.knowledge.store.content import shipped_records
from comity.knowledge.store.database import MIGRATIONS, connect, migrate, write_transaction
from comity.knowledge.store.repository import KnowledgeBase, _row
from comity.knowledge.store.schema import entities
from comity.rulebook.loader import default_rulebook

OLD, NEW = "iso-iec-ieee-tr-29119-11-2020", "iso-iec-tr-29119-11-2020"


@pytest.fixture(scope="module")
def shipped() -> list[EntityRecord]:
    return shipped_records(default_rulebook())


@pytest.fixture
def store(store_url: str) -> Iterator[KnowledgeBase]:
    engine = connect(store_url)
    migrate(engine)
    yield KnowledgeBase(engine)
    engine.dispose()


def as_before_the_rename(records: list[EntityRecord]) -> list[EntityRecord]:
    """The records as the previous version shipped them: the standard under its old key."""
    return [r.model_copy(update={"key": OLD, "body": {k: v for k, v in r.body.items()
                                                      if k != "aliases"}})
            if r.key == NEW else r for r in records]


def test_an_old_key_finds_the_renamed_entity(store: KnowledgeBase,
                                             shipped: list[EntityRecord]) -> None:
    store.upsert(shipped)
    found = store.entity("standard", OLD)
    assert found is not None and found.key == NEW and found.aliases == [OLD]
    assert store.resolve("standard", OLD) == NEW and store.resolve("standard", "x") == "x"
    assert store.entity("standard", "no-such-standard") is None
    assert store.entity("sandbox", OLD) is None  # an alias belongs to one entity type
    hits = store.search(OLD, types=["standard"])
    assert hits and hits[0].id == f"standard:{NEW}"


def test_an_export_made_before_the_rename_imports_without_a_duplicate(
        store: KnowledgeBase, shipped: list[EntityRecord]) -> None:
    store.upsert(shipped)
    total = sum(store.counts().values())
    old_export = records_to_json(as_before_the_rename(
        [r for r in shipped if r.type == "standard"]))
    inserted, _ = store.upsert(parse_records(old_export, "old.json", "json"))
    assert inserted == 0 and sum(store.counts().values()) == total
    assert [r.key for r in store.records(["standard"]) if "29119" in r.key] == [NEW]
    assert store.entity("standard", NEW).aliases == [OLD]  # type: ignore[union-attr]


def test_a_store_made_by_the_previous_version_upgrades_cleanly(
        store_url: str, shipped: list[EntityRecord]) -> None:
    engine = connect(store_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with write_transaction(engine) as connection:  # the schema the previous version made
        config.attributes["connection"] = connection
        command.upgrade(config, "0002_registry")
        connection.execute(insert(entities), [_row(r, "2026-11-30T00:00:00+00:00")
                                              for r in as_before_the_rename(shipped)])
    assert "entity_aliases" not in inspect(engine).get_table_names()
    migrate(engine)
    store = KnowledgeBase(engine)
    before = store.entity("standard", OLD)  # the old row answers until the new content loads
    assert before is not None and before.key == OLD
    store.upsert(shipped)  # what 'comity db init' does after the upgrade
    assert sum(store.counts().values()) == len(shipped)
    assert [r.key for r in store.records(["standard"]) if "29119" in r.key] == [NEW]
    assert store.entity("standard", OLD).key == NEW  # type: ignore[union-attr]
    hits = store.search("29119", types=["standard"])
    assert [h.id for h in hits if "29119-11" in h.id] == [f"standard:{NEW}"]
    engine.dispose()


def test_cli_show_and_status(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    runner = CliRunner()
    assert runner.invoke(main, ["db", "init", "--db", url]).exit_code == 0
    shown = runner.invoke(main, ["db", "show", f"standard:{OLD}", "--db", url])
    assert shown.exit_code == 0, shown.output
    assert f"is now standard:{NEW}" in shown.stderr
    assert json.loads(shown.stdout)["body"]["checked"] == "2026-12-04"
    missing = runner.invoke(main, ["db", "show", "standard:nope", "--db", url])
    assert missing.exit_code == 2 and "no standard 'nope'" in missing.output
    bad = runner.invoke(main, ["db", "show", "planet:x", "--db", url])
    assert bad.exit_code == 2 and "TYPE:KEY" in bad.output
    fresh = runner.invoke(main, ["db", "status", "--as-of", "2027-06-01", "--db", url])
    assert "not checked for over 365 days (as of 2027-06-01): 0" in fresh.output
    # Most entries were checked on 2026-11-30; those re-checked on 2026-12-04 (the renamed
    # standard among them) are not yet a year old on 2027-12-02.
    stale = runner.invoke(main, ["db", "status", "--as-of", "2027-12-02", "--db", url])
    days = [r.checked for r in shipped_records(default_rulebook()) if r.checked is not None]
    old = sum(1 for day in days if str(day) <= "2026-12-01")
    assert 0 < old < len(days)
    assert f"(as of 2027-12-02): {old}\n" in stale.output
    assert f"standard:{NEW}" not in stale.output and "… and " in stale.output
    provisions = sum(1 for r in shipped_records(default_rulebook()) if r.type == "provision")
    assert f"provision {provisions}\n" in stale.output  # counted apart: no check date
    narrow = runner.invoke(main, ["db", "status", "--as-of", "2026-12-05", "--stale-after", "0",
                                  "--db", url])
    assert f"(as of 2026-12-05): {len(days)}\n" in narrow.output


def test_an_entity_renamed_twice_answers_to_both_old_keys(store: KnowledgeBase) -> None:
    first = EntityRecord(type="term", key="b", title="T", body={"aliases": ["a"]})
    store.upsert([EntityRecord(type="term", key="a", title="T"), first])
    store.upsert([EntityRecord(type="term", key="c", title="T", body={"aliases": ["b"]})])
    assert [r.key for r in store.records(["term"])] == ["c"]
    assert store.resolve("term", "a") == "c" and store.resolve("term", "b") == "c"
    # A stale export under the first key updates the entity, keeping what it knows.
    store.upsert([EntityRecord(type="term", key="a", title="T2")])
    assert [(r.key, r.title) for r in store.records(["term"])] == [("c", "T2")]
    # Two stale records of the same entity in one import: one write, the last wins.
    store.upsert([EntityRecord(type="term", key="a", title="T3"),
                  EntityRecord(type="term", key="b", title="T4")])
    assert [(r.key, r.title) for r in store.records(["term"])] == [("c", "T4")]
