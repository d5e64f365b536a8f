"""scheduler: remember each sent message's update key, so a later message can edit it

Revision ID: 0501_scheduler
Revises: 0001_core
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models  # noqa: F401  (the model this migration follows)

revision = "0501_scheduler"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sent_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("update_key", sa.String(length=255), nullable=True))
        batch_op.create_index("ix_sent_update_key", ["workspace_id", "update_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sent_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_sent_update_key")
        batch_op.drop_column("update_key")
