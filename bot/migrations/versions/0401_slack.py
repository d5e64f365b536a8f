"""platform plumbing: installations (encrypted), OAuth states, seen requests

Revision ID: 0401_slack
Revises: 0001_core
Create Date: 2026-11-25 18:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models


revision = "0401_slack"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.String(length=64), nullable=True),
        sa.Column("bot_user_id", sa.String(length=64), nullable=True),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("installed_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", name="uq_installation_workspace"),
    )
    op.create_table(
        "oauth_states",
        sa.Column("state", sa.String(length=128), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("expires_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state"),
    )
    op.create_table(
        "seen_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("seen_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "key", name="uq_seen_request"),
    )
    with op.batch_alter_table("seen_requests", schema=None) as batch_op:
        batch_op.create_index("ix_seen_requests_seen_at", ["seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("seen_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_seen_requests_seen_at")
    op.drop_table("seen_requests")
    op.drop_table("oauth_states")
    op.drop_table("installations")
