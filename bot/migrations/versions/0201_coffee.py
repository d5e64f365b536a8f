"""coffee pairing: settings, participation, blocks, rounds, groups and seats

Revision ID: 0201_coffee
Revises: 0001_core
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.models


revision = "0201_coffee"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def _workspace_index(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{table}_workspace_id"), ["workspace_id"], unique=False)


def upgrade() -> None:
    op.create_table(
        "coffee_config",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("channel", sa.String(length=128), nullable=True),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("cadence", sa.String(length=16), nullable=False),
        sa.Column("min_overlap_minutes", sa.Integer(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("everyone", sa.Boolean(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=True),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", name="uq_coffee_config_workspace"),
    )

    op.create_table(
        "coffee_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "member_id", name="uq_coffee_participant"),
    )
    _workspace_index("coffee_participants")
    with op.batch_alter_table("coffee_participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coffee_participants_member_id"), ["member_id"], unique=False)

    op.create_table(
        "coffee_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("blocked_id", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["blocked_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "blocked_id", name="uq_coffee_block"),
    )
    _workspace_index("coffee_blocks")
    with op.batch_alter_table("coffee_blocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coffee_blocks_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coffee_blocks_blocked_id"), ["blocked_id"], unique=False)

    op.create_table(
        "coffee_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("round_date", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("min_overlap_minutes", sa.Integer(), nullable=False),
        sa.Column("candidates", sa.Integer(), nullable=False),
        sa.Column("total_weight", sa.Float(), nullable=False),
        sa.Column("created_at", bot.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("workspace_id", "round_date", name="uq_coffee_round"),
    )
    _workspace_index("coffee_rounds")

    op.create_table(
        "coffee_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("shared_minutes", sa.Integer(), nullable=False),
        sa.Column("cross_region", sa.Boolean(), nullable=False),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        sa.Column("met", sa.Boolean(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", bot.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["answered_by"], ["members.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["round_id"], ["coffee_rounds.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    _workspace_index("coffee_groups")
    with op.batch_alter_table("coffee_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coffee_groups_round_id"), ["round_id"], unique=False)

    op.create_table(
        "coffee_seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["coffee_groups.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["round_id"], ["coffee_rounds.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "member_id", name="uq_coffee_seat"),
    )
    _workspace_index("coffee_seats")
    with op.batch_alter_table("coffee_seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coffee_seats_round_id"), ["round_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coffee_seats_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coffee_seats_group_id"), ["group_id"], unique=False)


def downgrade() -> None:
    for table in ("coffee_seats", "coffee_groups", "coffee_rounds", "coffee_blocks", "coffee_participants",
                  "coffee_config"):
        op.drop_table(table)
