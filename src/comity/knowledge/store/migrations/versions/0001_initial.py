"""Initial schema: entities, assessments, and full-text search.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("jurisdiction", sa.String(20)),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("citation", sa.Text),
        sa.Column("status", sa.String(40)),
        sa.Column("date", sa.String(10)),
        sa.Column("source_url", sa.Text),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("type", "key", name="uq_entities_type_key"),
    )
    op.create_index("ix_entities_jurisdiction", "entities", ["jurisdiction"])
    op.create_index("ix_entities_type_status", "entities", ["type", "status"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("profile_id", sa.String(200), nullable=False),
        sa.Column("input_hash", sa.String(64), nullable=False),
        sa.Column("rulebook_version", sa.String(80), nullable=False),
        sa.Column("as_of", sa.String(10), nullable=False),
        sa.Column("profile", sa.Text, nullable=False),
        sa.Column("result", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.UniqueConstraint("input_hash", "rulebook_version", "as_of",
                            name="uq_assessments_pin"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE entities_fts USING fts5("
                   "title, citation, text, content='entities', content_rowid='id', "
                   "tokenize='porter unicode61')")
        op.execute("CREATE TRIGGER entities_ai AFTER INSERT ON entities BEGIN "
                   "INSERT INTO entities_fts(rowid, title, citation, text) "
                   "VALUES (new.id, new.title, new.citation, new.text); END")
        op.execute("CREATE TRIGGER entities_ad AFTER DELETE ON entities BEGIN "
                   "INSERT INTO entities_fts(entities_fts, rowid, title, citation, text) "
                   "VALUES ('delete', old.id, old.title, old.citation, old.text); END")
        op.execute("CREATE TRIGGER entities_au AFTER UPDATE ON entities BEGIN "
                   "INSERT INTO entities_fts(entities_fts, rowid, title, citation, text) "
                   "VALUES ('delete', old.id, old.title, old.citation, old.text); "
                   "INSERT INTO entities_fts(rowid, title, citation, text) "
                   "VALUES (new.id, new.title, new.citation, new.text); END")
    else:
        op.execute("ALTER TABLE entities ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
                   "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
                   "setweight(to_tsvector('english', coalesce(citation, '')), 'B') || "
                   "setweight(to_tsvector('english', coalesce(text, '')), 'C')) STORED")
        op.execute("CREATE INDEX ix_entities_search ON entities USING GIN (search_vector)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("entities_ai", "entities_ad", "entities_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS entities_fts")
    op.drop_table("assessments")
    op.drop_table("entities")
