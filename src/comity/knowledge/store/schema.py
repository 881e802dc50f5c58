"""Table definitions for queries (the migrations in ``migrations/`` create them)."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, Text

metadata = MetaData()

entities = Table(
    "entities", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("type", String(40), nullable=False),
    Column("key", String(200), nullable=False),
    Column("jurisdiction", String(20)),
    Column("title", Text, nullable=False),
    Column("citation", Text),
    Column("status", String(40)),
    Column("date", String(10)),
    Column("source_url", Text),
    Column("text", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("added_by", String(200), nullable=False),
    Column("added_at", String(32), nullable=False),
)

entity_aliases = Table(
    "entity_aliases", metadata,
    Column("type", String(40), primary_key=True),
    Column("alias", String(200), primary_key=True),
    Column("key", String(200), nullable=False),
)

assessments = Table(
    "assessments", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("profile_id", String(200), nullable=False),
    Column("input_hash", String(64), nullable=False),
    Column("rulebook_version", String(80), nullable=False),
    Column("as_of", String(10), nullable=False),
    Column("profile", Text, nullable=False),
    Column("result", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
)
