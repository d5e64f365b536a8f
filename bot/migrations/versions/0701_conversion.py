"""conversion: per-channel settings and the ids of thread replies (never message text)

Revision ID: 0701_conversion
Revises: 0001_core
Create Date: 2026-12-06 04:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models

revision = "0701_conversion"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversion_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=True),
        sa.Column("changed_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "channel", name="uq_conversion_channel"),
    )
    op.create_index("ix_conversion_channels_workspace_id", "conversion_channels", ["workspace_id"])
    op.create_table(
        "conversion_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("message_ref", sa.String(length=64), nullable=False),
        sa.Column("reply_ref", sa.String(length=255), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "channel", "message_ref", name="uq_conversion_reply"),
    )
    op.create_index("ix_conversion_replies_workspace_id", "conversion_replies", ["workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_conversion_replies_workspace_id", table_name="conversion_replies")
    op.drop_table("conversion_replies")
    op.drop_index("ix_conversion_channels_workspace_id", table_name="conversion_channels")
    op.drop_table("conversion_channels")
