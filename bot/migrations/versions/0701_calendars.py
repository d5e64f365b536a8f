"""calendars: members' iCalendar feeds, busy intervals read from them, and where time off came from

Revision ID: 0701_calendars
Revises: 0001_core
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.models import UTCDateTime

revision = "0701_calendars"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("away") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=16), nullable=True))
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url_secret", sa.Text(), nullable=False),
        sa.Column("url_hint", sa.String(length=120), nullable=False),
        sa.Column("etag", sa.String(length=255), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("last_success_at", UTCDateTime(), nullable=True),
        sa.Column("next_fetch_at", UTCDateTime(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        sa.Column("failure_notified", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("workspace_id", "member_id", name="uq_calendar_feed_member"),
    )
    op.create_index("ix_calendar_feeds_workspace_id", "calendar_feeds", ["workspace_id"])
    op.create_index("ix_calendar_feeds_member_id", "calendar_feeds", ["member_id"])
    op.create_table(
        "calendar_busy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("workspace_id", sa.Integer(), sa.ForeignKey("workspaces.id", ondelete="CASCADE"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start_at", UTCDateTime(), nullable=False),
        sa.Column("end_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_calendar_busy_workspace_id", "calendar_busy", ["workspace_id"])
    op.create_index("ix_calendar_busy_member_id", "calendar_busy", ["member_id"])


def downgrade() -> None:
    op.drop_table("calendar_busy")
    op.drop_table("calendar_feeds")
    with op.batch_alter_table("away") as batch_op:
        batch_op.drop_column("source")
