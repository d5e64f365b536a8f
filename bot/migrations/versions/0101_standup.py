"""standups: one per channel, and every member's answers (history is kept)

Revision ID: 0101_standup
Revises: 0001_core
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models


revision = "0101_standup"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "standups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=False),
        sa.Column("prompt_time", sa.Time(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=True),
        sa.Column("reminder_minutes", sa.Integer(), nullable=False),
        sa.Column("summary_channel", sa.String(length=128), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "channel", name="uq_standup_channel"),
    )
    with op.batch_alter_table("standups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_standups_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "standup_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("standup_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("edits", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["standup_id"], ["standups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("standup_id", "member_id", "day", name="uq_standup_answer_day"),
    )
    with op.batch_alter_table("standup_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_standup_answers_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_standup_answers_standup_id"), ["standup_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_standup_answers_workspace_id"), ["workspace_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("standup_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standup_answers_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_standup_answers_standup_id"))
        batch_op.drop_index(batch_op.f("ix_standup_answers_member_id"))
    op.drop_table("standup_answers")
    with op.batch_alter_table("standups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standups_workspace_id"))
    op.drop_table("standups")
