"""Old keys of renamed entities (``body.aliases``) and how the store resolves them.

An entity renamed in the data lists its former keys under ``body.aliases``. When such a
record is written, each alias is recorded in ``entity_aliases`` and the row a previous
version stored under the old key is removed (the record replaces it). A record that
arrives under an old key (an export made before the rename) is written to the entity's
current key instead, so nothing is duplicated. Lookups by an old key find the entity.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from comity.knowledge.entities import EntityRecord
from comity.knowledge.store.schema import entities, entity_aliases


def resolve(connection: Connection, kind: str, key: str) -> str:
    """The current key of the entity ``kind:key`` (``key`` itself unless it is an alias)."""
    found = connection.execute(select(entity_aliases.c.key).where(
        entity_aliases.c.type == kind, entity_aliases.c.alias == key)).scalar()
    return str(found) if found is not None else key


def under_current_keys(connection: Connection, records: Sequence[EntityRecord]
                       ) -> list[EntityRecord]:
    """The records, each under its entity's current key.

    A record under an old key (known to the store, or declared by another record of the
    batch) moves to the current key and keeps the alias in its body; if the batch also
    holds the record under the current key, that one wins.
    """
    current = _known_aliases(connection, records)
    for record in records:
        for alias in record.aliases:
            current[(record.type, alias)] = record.key
    present = {(record.type, record.key) for record in records}
    kept: list[EntityRecord] = []
    moved: dict[tuple[str, str], EntityRecord] = {}  # several old keys of one entity: the last
    for record in records:
        target = current.get((record.type, record.key))
        if target is None:
            kept.append(record)
        elif (record.type, target) not in present:
            aliases = sorted({*record.aliases, record.key})
            moved[(record.type, target)] = record.model_copy(update={
                "key": target, "body": {**record.body, "aliases": aliases}})
    return [*kept, *moved.values()]


def record_aliases(connection: Connection, records: Sequence[EntityRecord]) -> None:
    """Remember each record's aliases and drop rows stored under them before the rename."""
    rows = [{"type": r.type, "alias": alias, "key": r.key} for r in records for alias in r.aliases]
    if not rows:
        return
    insert = sqlite.insert if connection.dialect.name == "sqlite" else postgresql.insert
    statement = insert(entity_aliases)
    connection.execute(statement.on_conflict_do_update(
        index_elements=["type", "alias"], set_={"key": statement.excluded.key}), rows)
    # An entity renamed twice: aliases that pointed at its middle key now point at the
    # current one, even if the data lists only the last old key.
    for row in rows:
        connection.execute(update(entity_aliases).where(
            entity_aliases.c.type == row["type"], entity_aliases.c.key == row["alias"])
            .values(key=row["key"]))
    old = [(row["type"], row["alias"]) for row in rows]
    connection.execute(delete(entities).where(tuple_(entities.c.type, entities.c.key).in_(old)))


def _known_aliases(connection: Connection, records: Sequence[EntityRecord]
                   ) -> dict[tuple[str, str], str]:
    pairs = list({(record.type, record.key) for record in records})
    found: dict[tuple[str, str], str] = {}
    for start in range(0, len(pairs), 500):
        query = select(entity_aliases).where(tuple_(entity_aliases.c.type, entity_aliases.c.alias)
                                             .in_(pairs[start:start + 500]))
        for row in connection.execute(query):
            found[(row.type, row.alias)] = row.key
    return found
