"""Aliases: the old keys of renamed entities, which still resolve to them.

Revision ID: 0003_entity_aliases
Revises: 0002_registry

An entity renamed in the shipped data keeps its old key in ``body.aliases``; loading it
records each alias here and removes the row a previous version stored under the old key.
This migration only creates the table: until the new content is loaded, the old row
still answers to its old key, so nothing breaks in between.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_entity_aliases"
down_revision = "0002_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entity_aliases",
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("alias", sa.String(200), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("type", "alias", name="pk_entity_aliases"),
    )


def downgrade() -> None:
    op.drop_table("entity_aliases")
